#include "actors/maintenance/session_document.hpp"

#include <algorithm>
#include <set>

#include "common/ids.hpp"
#include "common/json_fields.hpp"
#include "common/time_format.hpp"

namespace steward::maintenance {

using nlohmann::json;

namespace {

std::optional<refusal> bad(const std::string& message) {
  return refusal{400, message};
}

// A per-session setting: metadata may override the configured one.
std::optional<refusal> read_seconds(const json& metadata, const char* key, int fallback, int& out,
                                    int least = 0) {
  out = fallback;
  auto v = metadata.find(key);
  if (v == metadata.end())
    return std::nullopt;
  if (!v->is_number_integer() || v->get<long long>() < least || v->get<long long>() > 86400)
    return bad(std::string{"metadata "} + key + " must be a whole number of seconds ("
               + std::to_string(least) + " to 86400)");
  out = v->get<int>();
  return std::nullopt;
}

} // namespace

std::optional<refusal> make_session(const json& body, const world_view& world,
                                    const std::vector<std::string>& busy_hosts, sys_time now,
                                    const maintenance_settings& settings,
                                    const std::string& base_url, session& made) {
  if (!body.is_object())
    return bad("The request body must be a JSON object");
  if (auto s = body.find("state"); s != body.end() && *s != name_of(phase::maintenance))
    return bad("A session starts in state MAINTENANCE");
  if (auto w = body.find("workflow"); w != body.end() && !w->is_null() && !w->is_string())
    return bad("workflow must be a string (the name of a workflow)");
  auto workflow = text_field(body, "workflow", "default");
  if (workflow != "default")
    return bad("Unknown workflow '" + workflow + "' (Steward runs 'default')");
  auto at = body.find("maintenance_at");
  if (at == body.end() || !at->is_string())
    return bad("Missing parameter maintenance_at");
  auto when = timefmt::parse(at->get<std::string>(), time_format);
  if (!when)
    return bad(at->get<std::string>() + " is an invalid date. Required format: " + time_format);
  if (*when < std::chrono::time_point_cast<std::chrono::seconds>(now))
    return bad("maintenance_at " + at->get<std::string>() + " is in the past");
  auto metadata = body.value("metadata", json::object());
  if (!metadata.is_object())
    return bad("metadata must be an object");
  auto actions = body.value("actions", json::array());
  if (!actions.is_array())
    return bad("actions must be a list");
  int reply_seconds = 0, own_action_seconds = 0, host_seconds = 0, move_seconds = 0;
  if (auto r = read_seconds(metadata, "reply_seconds", settings.reply_seconds, reply_seconds))
    return r;
  if (auto r = read_seconds(metadata, "own_action_seconds", settings.own_action_seconds,
                            own_action_seconds))
    return r;
  if (auto r = read_seconds(metadata, "host_seconds", settings.host_seconds, host_seconds))
    return r;
  if (auto r = read_seconds(metadata, "move_seconds", settings.move_seconds, move_seconds, 1))
    return r;

  std::set<std::string> known;
  for (auto& [id, host] : world.hosts)
    known.insert(host->hypervisor_hostname);
  std::vector<std::string> hosts;
  auto asked = body.value("hosts", json::array());
  if (!asked.is_array())
    return bad("hosts must be a list of host names");
  for (auto& h : asked) {
    if (!h.is_string())
      return bad("hosts must be a list of host names");
    if (!known.count(h.get<std::string>()))
      return bad("Host " + h.get<std::string>() + " is not a compute host of the inventory");
    if (std::find(hosts.begin(), hosts.end(), h.get<std::string>()) == hosts.end())
      hosts.push_back(h.get<std::string>());
  }
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
  made.workflow = workflow;
  made.maintenance_at = *when;
  made.metadata = metadata;
  made.actions = actions;
  made.hosts = hosts;
  made.reply_seconds = reply_seconds;
  made.own_action_seconds = own_action_seconds;
  made.host_seconds = host_seconds;
  made.move_seconds = move_seconds;
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

std::optional<refusal> record_reply(session& s, const std::string& project, const json& body,
                                    sys_time now) {
  if (!body.is_object())
    return bad("The request body must be a JSON object");
  if (!s.asking)
    return refusal{409, "Session " + s.session_id + " is not waiting for replies (state "
                          + name_of(s.state) + ")"};
  auto& round = *s.asking;
  std::string asked = name_of(round.state);
  auto slot = round.replies.find(project);
  if (slot == round.replies.end())
    return refusal{404, "Project " + project + " has no instances in state " + asked
                          + " of session " + s.session_id};
  auto state = text_field(body, "state");
  if (state != "ACK_" + asked && state != "NACK_" + asked)
    return bad("Reply state must be ACK_" + asked + " or NACK_" + asked + ", not '" + state + "'");
  auto actions = body.value("instance_actions", json::object());
  if (!actions.is_object())
    return bad("instance_actions must map instance ids to actions");
  reply given{state != "ACK_" + asked, {}, whole_seconds(now)};
  for (auto& [id, action] : actions.items()) {
    auto owner = round.instances.find(id);
    if (owner == round.instances.end() || owner->second != project)
      return bad("Instance " + id + " is not an instance of project " + project
                 + " in this maintenance state");
    auto named = action.is_string() ? action_named(action.get<std::string>()) : std::nullopt;
    if (!named
        || std::find(round.allowed_actions.begin(), round.allowed_actions.end(), *named)
             == round.allowed_actions.end())
      return bad("Action " + action.dump() + " is not allowed in state " + asked
                 + " (allowed: " + action_names(round.allowed_actions).dump() + ")");
    given.instance_actions[id] = *named;
  }
  slot->second = std::move(given);
  s.updated_at = whole_seconds(now);
  return std::nullopt;
}

} // namespace steward::maintenance
