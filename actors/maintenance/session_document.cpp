#include "actors/maintenance/session_document.hpp"

#include <algorithm>
#include <set>

#include "common/ids.hpp"
#include "common/json_fields.hpp"
#include "common/time_format.hpp"

namespace steward::maintenance {

using nlohmann::json;

namespace {

const char* const time_format = "%Y-%m-%d %H:%M:%S";

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

std::string show_time(sys_time t) {
  return timefmt::sql(t);
}

sys_time read_time(const json& value) {
  auto t = value.is_string() ? timefmt::parse(value.get<std::string>(), time_format) : std::nullopt;
  return t ? *t : sys_time{};
}

bool is_running(const json& session) {
  auto s = text_field(session, "state");
  return s != states::done && s != states::failed;
}

std::optional<refusal> make_session(const json& body, const world_view& world,
                                    const std::vector<std::string>& busy_hosts, sys_time now,
                                    const maintenance_settings& settings,
                                    const std::string& base_url, json& session) {
  if (!body.is_object())
    return bad("The request body must be a JSON object");
  if (auto s = body.find("state"); s != body.end() && *s != states::maintenance)
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

  auto stamp = show_time(now);
  session = {{"session_id", make_uuid()},
             {"state", states::maintenance},
             {"workflow", workflow},
             {"maintenance_at", show_time(*when)},
             {"metadata", metadata},
             {"actions", actions},
             {"hosts", hosts},
             {"maintained", json::array()},
             {"host", nullptr},
             {"projects", nullptr},  // asked in the first round
             {"round", nullptr},
             {"moves", json::object()},
             {"host_done_at", nullptr},
             {"failed_state", nullptr},
             {"failure_reason", nullptr},
             {"reply_seconds", reply_seconds},
             {"own_action_seconds", own_action_seconds},
             {"host_seconds", host_seconds},
             {"move_seconds", move_seconds},
             {"base_url", base_url},
             {"created_at", stamp},
             {"updated_at", nullptr}};
  return std::nullopt;
}

std::string disable_reason(const json& session) {
  return "maintenance session " + text_field(session, "session_id");
}

std::string project_url(const json& session, const std::string& project) {
  return text_field(session, "base_url") + "/v1/maintenance/" + text_field(session, "session_id")
         + "/" + project;
}

std::vector<std::string> project_instances(const json& session, const std::string& project) {
  std::vector<std::string> out;
  auto& round = session["round"];
  if (round.is_object()) {
    for (auto& [id, owner] : round["instances"].items())
      if (owner == project)
        out.push_back(id);
    return out;
  }
  for (auto& [id, move] : session["moves"].items())
    if (text_field(move, "project") == project)
      out.push_back(id);
  return out;
}

std::optional<refusal> record_reply(json& session, const std::string& project, const json& body,
                                    sys_time now) {
  if (!body.is_object())
    return bad("The request body must be a JSON object");
  auto& round = session["round"];
  if (!round.is_object())
    return refusal{409, "Session " + text_field(session, "session_id")
                          + " is not waiting for replies (state "
                          + text_field(session, "state") + ")"};
  auto asked = text_field(round, "state");
  if (!round["replies"].contains(project))
    return refusal{404, "Project " + project + " has no instances in state " + asked
                          + " of session " + text_field(session, "session_id")};
  auto state = text_field(body, "state");
  if (state != "ACK_" + asked && state != "NACK_" + asked)
    return bad("Reply state must be ACK_" + asked + " or NACK_" + asked + ", not '" + state + "'");
  auto actions = body.value("instance_actions", json::object());
  if (!actions.is_object())
    return bad("instance_actions must map instance ids to actions");
  auto& allowed = round["allowed_actions"];
  for (auto& [id, action] : actions.items()) {
    if (!round["instances"].contains(id) || round["instances"][id] != project)
      return bad("Instance " + id + " is not an instance of project " + project
                 + " in this maintenance state");
    if (!action.is_string()
        || std::find(allowed.begin(), allowed.end(), action) == allowed.end())
      return bad("Action " + action.dump() + " is not allowed in state " + asked
                 + " (allowed: " + allowed.dump() + ")");
  }
  round["replies"][project] = {{"state", state}, {"instance_actions", actions},
                               {"at", show_time(now)}};
  session["updated_at"] = show_time(now);
  return std::nullopt;
}

} // namespace steward::maintenance
