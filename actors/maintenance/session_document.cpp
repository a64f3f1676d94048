#include "actors/maintenance/session_document.hpp"

#include <algorithm>
#include <set>

#include "common/ids.hpp"

namespace steward::maintenance {

namespace {

std::optional<refusal> bad(const std::string& message) {
  return refusal{400, message};
}

} // namespace

std::optional<refusal> make_session(const session_fields& fields, const world_view& world,
                                    const std::vector<std::string>& busy_hosts, sys_time now,
                                    const maintenance_settings& settings,
                                    const std::string& base_url, session& made) {
  if (fields.maintenance_at < std::chrono::time_point_cast<std::chrono::seconds>(now))
    return bad("maintenance_at " + fields.maintenance_at_text + " is in the past");
  std::set<std::string> known;
  for (auto& [id, host] : world.hosts)
    known.insert(host->hypervisor_hostname);
  for (auto& h : fields.hosts)
    if (!known.count(h))
      return bad("Host " + h + " is not a compute host of the inventory");
  auto hosts = fields.hosts;
  if (hosts.empty()) // every compute host
    hosts.assign(known.begin(), known.end());
  if (hosts.empty())
    return bad("The inventory has no compute host to maintain");
  for (auto& h : hosts)
    if (std::find(busy_hosts.begin(), busy_hosts.end(), h) != busy_hosts.end())
      return refusal{409, "Host " + h + " is in another running maintenance session"};

  made = session{};
  made.session_id = make_uuid();
  made.state = phase::maintenance;
  made.workflow = "default";
  made.maintenance_at = fields.maintenance_at;
  made.metadata = fields.metadata;
  made.actions = fields.actions;
  made.hosts = hosts;
  made.reply_seconds = fields.reply_seconds.value_or(settings.reply_seconds);
  made.own_action_seconds = fields.own_action_seconds.value_or(settings.own_action_seconds);
  made.host_seconds = fields.host_seconds.value_or(settings.host_seconds);
  made.move_seconds = fields.move_seconds.value_or(settings.move_seconds);
  made.base_url = base_url;
  made.created_at = whole_seconds(now);
  return std::nullopt;
}

std::string disable_reason(const session& s) {
  return "maintenance session " + s.session_id;
}

std::string project_url(const session& s, const std::string& project) {
  return s.base_url + "/v1/maintenance/" + s.session_id + "/" + project;
}

std::vector<std::string> project_instances(const session& s, const std::string& project) {
  std::vector<std::string> out;
  if (s.asking) {
    for (auto& [id, owner] : s.asking->instances)
      if (owner == project)
        out.push_back(id);
    return out;
  }
  for (auto& [id, m] : s.moves)
    if (m.project == project)
      out.push_back(id);
  return out;
}

std::optional<refusal> record_reply(session& s, const std::string& project,
                                    const reply_fields& fields, sys_time now) {
  if (!s.asking)
    return refusal{409, "Session " + s.session_id + " is not waiting for replies (state "
                          + name_of(s.state) + ")"};
  auto& round = *s.asking;
  std::string asked = name_of(round.state);
  auto slot = round.replies.find(project);
  if (slot == round.replies.end())
    return refusal{404, "Project " + project + " has no instances in state " + asked
                          + " of session " + s.session_id};
  auto& state = fields.state;
  if (state != "ACK_" + asked && state != "NACK_" + asked)
    return bad("Reply state must be ACK_" + asked + " or NACK_" + asked + ", not '" + state + "'");
  reply given{state != "ACK_" + asked, {}, whole_seconds(now)};
  for (auto& [id, action] : fields.instance_actions) {
    auto owner = round.instances.find(id);
    if (owner == round.instances.end() || owner->second != project)
      return bad("Instance " + id + " is not an instance of project " + project
                 + " in this maintenance state");
    auto& named = action.action;
    if (!named
        || std::find(round.allowed_actions.begin(), round.allowed_actions.end(), *named)
             == round.allowed_actions.end())
      return bad("Action " + action.given + " is not allowed in state " + asked
                 + " (allowed: " + action_names(round.allowed_actions).dump() + ")");
    given.instance_actions[id] = *named;
  }
  slot->second = std::move(given);
  s.updated_at = whole_seconds(now);
  return std::nullopt;
}

} // namespace steward::maintenance
