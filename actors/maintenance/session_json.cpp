#include "actors/maintenance/session_json.hpp"

#include "common/json_fields.hpp"
#include "common/time_format.hpp"

namespace steward::maintenance {

using nlohmann::json;

namespace {

std::vector<std::string> texts(const json& list) {
  std::vector<std::string> out;
  if (list.is_array())
    for (auto& v : list)
      if (v.is_string())
        out.push_back(v.get<std::string>());
  return out;
}

std::optional<std::string> optional_text_field(const json& obj, const char* key) {
  auto v = obj.find(key);
  if (v == obj.end() || !v->is_string())
    return std::nullopt;
  return v->get<std::string>();
}

std::optional<sys_time> time_field(const json& obj, const char* key) {
  auto v = obj.find(key);
  return v == obj.end() ? std::nullopt : read_time(*v);
}

json round_document(const round& r) {
  auto asked = std::string{name_of(r.state)};
  json replies = json::object();
  for (auto& [project, reply] : r.replies) {
    if (!reply) {
      replies[project] = nullptr;
      continue;
    }
    json actions = json::object();
    for (auto& [uuid, action] : reply->instance_actions)
      actions[uuid] = name_of(action);
    replies[project] = {{"state", (reply->refused ? "NACK_" : "ACK_") + asked},
                        {"instance_actions", actions},
                        {"at", show_time(reply->at)}};
  }
  return {{"state", asked}, {"allowed_actions", action_names(r.allowed_actions)}, {"reply_at", show_time(r.reply_at)},
          {"actions_at", show_time(r.actions_at)}, {"replies", replies},
          {"instances", r.instances}};
}

std::map<std::string, instance_action> actions_of(const json& obj) {
  std::map<std::string, instance_action> out;
  if (obj.is_object())
    for (auto& [uuid, name] : obj.items())
      if (auto a = name.is_string() ? action_named(name.get<std::string>()) : std::nullopt)
        out[uuid] = *a;
  return out;
}

std::optional<round> read_round(const json& doc) {
  if (!doc.is_object())
    return std::nullopt;
  round r;
  r.state = phase_named(text_field(doc, "state")).value_or(phase::maintenance);
  for (auto& name : texts(doc.value("allowed_actions", json::array())))
    if (auto a = action_named(name))
      r.allowed_actions.push_back(*a);
  r.reply_at = time_field(doc, "reply_at").value_or(sys_time{});
  r.actions_at = time_field(doc, "actions_at").value_or(sys_time{});
  if (auto replies = doc.find("replies"); replies != doc.end() && replies->is_object())
    for (auto& [project, given] : replies->items()) {
      auto& slot = r.replies[project];
      if (!given.is_object())
        continue;
      slot = reply{text_field(given, "state").rfind("NACK_", 0) == 0,
                   actions_of(given.value("instance_actions", json::object())),
                   time_field(given, "at").value_or(sys_time{})};
    }
  if (auto instances = doc.find("instances"); instances != doc.end() && instances->is_object())
    for (auto& [uuid, project] : instances->items())
      if (project.is_string())
        r.instances[uuid] = project.get<std::string>();
  return r;
}

json move_document(const move& m) {
  json doc = {{"project", m.project}, {"action", name_of(m.action)},
              {"status", name_of(m.progress)}, {"target", or_null(m.target)},
              {"deadline", or_null(m.deadline, show_time)}};
  if (m.was_erred)
    doc["was_erred"] = *m.was_erred;
  return doc;
}

move read_move(const json& doc) {
  move m;
  m.project = text_field(doc, "project");
  m.action = action_named(text_field(doc, "action")).value_or(instance_action::migrate);
  m.progress = move_status_named(text_field(doc, "status")).value_or(move::status::waiting);
  m.target = optional_text_field(doc, "target");
  m.deadline = time_field(doc, "deadline");
  if (auto e = doc.find("was_erred"); e != doc.end() && e->is_boolean())
    m.was_erred = e->get<bool>();
  return m;
}

} // namespace

json action_names(const std::vector<instance_action>& actions) {
  json out = json::array();
  for (auto a : actions)
    out.push_back(name_of(a));
  return out;
}

std::string show_time(sys_time t) {
  return timefmt::sql(t);
}

std::optional<sys_time> read_time(const json& value) {
  return value.is_string() ? timefmt::parse(value.get<std::string>(), time_format) : std::nullopt;
}

json to_document(const session& s) {
  json projects = nullptr;
  if (s.projects)
    projects = *s.projects;
  json moves = json::object();
  for (auto& [uuid, m] : s.moves)
    moves[uuid] = move_document(m);
  return {{"session_id", s.session_id},
          {"state", name_of(s.state)},
          {"workflow", s.workflow},
          {"maintenance_at", show_time(s.maintenance_at)},
          {"metadata", s.metadata},
          {"actions", s.actions},
          {"hosts", s.hosts},
          {"maintained", s.maintained},
          {"host", or_null(s.host)},
          {"projects", projects},
          {"round", s.asking ? round_document(*s.asking) : json(nullptr)},
          {"moves", moves},
          {"host_done_at", or_null(s.host_done_at, show_time)},
          {"failed_state", or_null(s.failed_state, [](phase p) { return name_of(p); })},
          {"failure_reason", or_null(s.failure_reason)},
          {"reply_seconds", s.reply_seconds},
          {"own_action_seconds", s.own_action_seconds},
          {"host_seconds", s.host_seconds},
          {"move_seconds", s.move_seconds},
          {"base_url", s.base_url},
          {"created_at", show_time(s.created_at)},
          {"updated_at", or_null(s.updated_at, show_time)}};
}

std::optional<session> from_document(const json& doc) {
  if (!doc.is_object())
    return std::nullopt;
  auto id = doc.find("session_id");
  auto state = phase_named(text_field(doc, "state"));
  if (id == doc.end() || !id->is_string() || !state)
    return std::nullopt;
  session s;
  s.session_id = id->get<std::string>();
  s.state = *state;
  s.workflow = text_field(doc, "workflow", "default");
  s.maintenance_at = time_field(doc, "maintenance_at").value_or(sys_time{});
  if (auto m = doc.find("metadata"); m != doc.end() && m->is_object())
    s.metadata = *m;
  if (auto a = doc.find("actions"); a != doc.end() && a->is_array())
    s.actions = *a;
  s.hosts = texts(doc.value("hosts", json::array()));
  s.maintained = texts(doc.value("maintained", json::array()));
  s.host = optional_text_field(doc, "host");
  if (auto p = doc.find("projects"); p != doc.end() && p->is_array())
    s.projects = texts(*p);
  if (auto r = doc.find("round"); r != doc.end())
    s.asking = read_round(*r);
  if (auto moves = doc.find("moves"); moves != doc.end() && moves->is_object())
    for (auto& [uuid, m] : moves->items())
      if (m.is_object())
        s.moves[uuid] = read_move(m);
  s.host_done_at = time_field(doc, "host_done_at");
  if (auto f = optional_text_field(doc, "failed_state"))
    s.failed_state = phase_named(*f);
  s.failure_reason = optional_text_field(doc, "failure_reason");
  s.reply_seconds = int_field(doc, "reply_seconds");
  s.own_action_seconds = int_field(doc, "own_action_seconds");
  s.host_seconds = int_field(doc, "host_seconds");
  s.move_seconds = int_field(doc, "move_seconds", 600);
  s.base_url = text_field(doc, "base_url");
  s.created_at = time_field(doc, "created_at").value_or(sys_time{});
  s.updated_at = time_field(doc, "updated_at");
  return s;
}

json to_stored(const session& s) {
  return versioned_row(to_document(s), stored_schema);
}

std::optional<session> from_stored(const json& row) {
  return read_versioned_row(row, stored_schema, from_document);
}

} // namespace steward::maintenance
