#include "http/routes/maintenance_body.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include <nlohmann/json.hpp>

#include "actors/maintenance/constraints.hpp"
#include "actors/maintenance/session_json.hpp"
#include "common/json_fields.hpp"
#include "common/time_format.hpp"

namespace steward::http {

using nlohmann::json;
using namespace steward::maintenance;

namespace {

template <class Fields>
parsed<Fields> refused(const std::string& message) {
  return {{}, api_reply::fail(400, message)};
}

const char* const not_an_object = "The request body must be a JSON object";

// A per-session duration the metadata may give instead of the configured one.
std::optional<std::string> read_seconds(const json& metadata, const char* key,
                                        std::optional<int>& out, int least = 0) {
  auto v = metadata.find(key);
  if (v == metadata.end())
    return std::nullopt;
  if (!v->is_number_integer() || v->get<long long>() < least || v->get<long long>() > 86400)
    return std::string{"metadata "} + key + " must be a whole number of seconds ("
           + std::to_string(least) + " to 86400)";
  out = v->get<int>();
  return std::nullopt;
}

enum class field_type { text, seconds, flag, migration };

// Copies the known fields of a constraint body into `out`, checking each.
std::optional<std::string> read_fields(const json& body,
                                       const std::map<std::string, field_type>& fields,
                                       json& out) {
  if (!body.is_object())
    return not_an_object;
  for (auto& [key, value] : body.items()) {
    auto f = fields.find(key);
    if (f == fields.end())
      return "Unknown field " + key;
    if (value.is_null()) {
      out[key] = nullptr;
      continue;
    }
    switch (f->second) {
      case field_type::text:
        if (!value.is_string())
          return key + " must be a string";
        break;
      case field_type::seconds:
        if (!value.is_number_integer() || value.get<long long>() < 0)
          return key + " must be a non-negative whole number";
        break;
      case field_type::flag:
        if (!value.is_boolean())
          return key + " must be true or false";
        break;
      case field_type::migration:
        if (value != "MIGRATE" && value != "LIVE_MIGRATE" && value != "OWN_ACTION")
          return std::string{"migration_type must be MIGRATE, LIVE_MIGRATE or OWN_ACTION"};
        break;
    }
    out[key] = value;
  }
  return std::nullopt;
}

// A constraint body read into its document: the URL's id in it, a project
// named. `Of` makes the typed constraint of the document.
template <class Constraint, class Of>
parsed<Constraint> read_constraint(const json& body, const std::string& id, const char* id_field,
                                   const std::map<std::string, field_type>& fields, Of of) {
  json out = {{id_field, id}, {"project_id", nullptr}};
  if (auto why = read_fields(body, fields, out))
    return refused<Constraint>(*why);
  if (text_field(out, id_field, id) != id)
    return refused<Constraint>(std::string{id_field} + " " + text_field(out, id_field)
                               + " differs from the URL's " + id);
  if (text_field(out, "project_id").empty())
    return refused<Constraint>("Missing parameter project_id");
  out[id_field] = id;  // the URL's (a null in the body reads as it)
  return {*of(out), std::nullopt};
}

} // namespace

parsed<session_fields> read_session_create(const json& body) {
  using fields = session_fields;
  if (!body.is_object())
    return refused<fields>(not_an_object);
  if (auto s = body.find("state"); s != body.end() && *s != name_of(phase::maintenance))
    return refused<fields>("A session starts in state MAINTENANCE");
  if (auto w = body.find("workflow"); w != body.end() && !w->is_null() && !w->is_string())
    return refused<fields>("workflow must be a string (the name of a workflow)");
  auto workflow = text_field(body, "workflow", "default");
  if (workflow != "default")
    return refused<fields>("Unknown workflow '" + workflow + "' (Steward runs 'default')");
  auto at = body.find("maintenance_at");
  if (at == body.end() || !at->is_string())
    return refused<fields>("Missing parameter maintenance_at");
  parsed<fields> out;
  out.value.maintenance_at_text = at->get<std::string>();
  auto when = timefmt::parse(out.value.maintenance_at_text, time_format);
  if (!when)
    return refused<fields>(out.value.maintenance_at_text
                           + " is an invalid date. Required format: " + time_format);
  out.value.maintenance_at = *when;
  out.value.metadata = body.value("metadata", json::object());
  if (!out.value.metadata.is_object())
    return refused<fields>("metadata must be an object");
  out.value.actions = body.value("actions", json::array());
  if (!out.value.actions.is_array())
    return refused<fields>("actions must be a list");
  auto& metadata = out.value.metadata;
  for (auto [key, slot, least] :
       {std::tuple{"reply_seconds", &out.value.reply_seconds, 0},
        std::tuple{"own_action_seconds", &out.value.own_action_seconds, 0},
        std::tuple{"host_seconds", &out.value.host_seconds, 0},
        std::tuple{"move_seconds", &out.value.move_seconds, 1}})
    if (auto why = read_seconds(metadata, key, *slot, least))
      return refused<fields>(*why);
  auto asked = body.value("hosts", json::array());
  if (!asked.is_array())
    return refused<fields>("hosts must be a list of host names");
  auto& hosts = out.value.hosts;
  for (auto& h : asked) {
    if (!h.is_string())
      return refused<fields>("hosts must be a list of host names");
    if (std::find(hosts.begin(), hosts.end(), h.get<std::string>()) == hosts.end())
      hosts.push_back(h.get<std::string>());
  }
  return out;
}

parsed<reply_fields> read_project_reply(const json& body) {
  using fields = reply_fields;
  if (!body.is_object())
    return refused<fields>(not_an_object);
  parsed<fields> out;
  out.value.state = text_field(body, "state");
  auto actions = body.value("instance_actions", json::object());
  if (!actions.is_object())
    return refused<fields>("instance_actions must map instance ids to actions");
  for (auto& [id, action] : actions.items())
    out.value.instance_actions[id]
      = {action.dump(),
         action.is_string() ? action_named(action.get<std::string>()) : std::nullopt};
  return out;
}

parsed<instance_constraint> read_instance_constraint(const json& body, const std::string& id) {
  static const std::map<std::string, field_type> fields = {
    {"instance_id", field_type::text},          {"project_id", field_type::text},
    {"group_id", field_type::text},             {"instance_name", field_type::text},
    {"max_interruption_time", field_type::seconds}, {"migration_type", field_type::migration},
    {"resource_mitigation", field_type::flag},  {"lead_time", field_type::seconds}};
  return read_constraint<instance_constraint>(body, id, "instance_id", fields,
                                              instance_constraint_of);
}

parsed<group_constraint> read_group_constraint(const json& body, const std::string& id) {
  static const std::map<std::string, field_type> fields = {
    {"group_id", field_type::text},              {"project_id", field_type::text},
    {"group_name", field_type::text},            {"anti_affinity_group", field_type::flag},
    {"max_instances_per_host", field_type::seconds}, {"max_impacted_members", field_type::seconds},
    {"recovery_time", field_type::seconds},      {"resource_mitigation", field_type::flag}};
  return read_constraint<group_constraint>(body, id, "group_id", fields, group_constraint_of);
}

} // namespace steward::http
