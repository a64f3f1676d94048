#include "actors/environment/environment_json.hpp"

#include "actors/environment/environment_rules.hpp"
#include "common/json_fields.hpp"
#include "common/time_format.hpp"

namespace steward::environment {

using nlohmann::json;

namespace {

std::optional<sys_time> read_time(const json& obj, const char* key) {
  return iso_time_field(obj, key);
}

template <class Enum>
std::optional<Enum> read_code(const json& obj, const char* key) {
  auto text = text_field(obj, key);
  if (text.size() != 1)
    return std::nullopt;
  return static_cast<Enum>(text[0]);
}

std::string code_of(char c) {
  return std::string(1, c);
}

json stored_report(const report& r) {
  return {{"id", r.id},
          {"text", r.text},
          {"level", code_of(static_cast<char>(r.level))},
          {"entity_id", or_null(r.entity_id)},
          {"details", or_null(r.details)},
          {"timestamp", timefmt::iso_micro(r.timestamp)}};
}

std::optional<report> read_report(const json& doc) {
  report r;
  r.id = text_field(doc, "id");
  r.text = text_field(doc, "text");
  auto level = read_code<report_level>(doc, "level");
  auto at = read_time(doc, "timestamp");
  if (r.id.empty() || !level || !at)
    return std::nullopt;
  r.level = *level;
  r.timestamp = *at;
  if (auto e = doc.find("entity_id"); e != doc.end() && e->is_string())
    r.entity_id = e->get<std::string>();
  if (auto d = doc.find("details"); d != doc.end() && d->is_string())
    r.details = d->get<std::string>();
  return r;
}

json stored_task(const instance_task& t) {
  return {{"object_id", t.object_id},
          {"instance_id", t.instance_id},
          {"name", t.name},
          {"flavor", t.flavor},
          {"image", t.image},
          {"keyname", t.keyname},
          {"step", code_of(static_cast<char>(t.step))},
          {"outcome", code_of(static_cast<char>(t.outcome))}};
}

std::optional<instance_task> read_task(const json& doc) {
  instance_task t;
  t.object_id = text_field(doc, "object_id");
  t.instance_id = text_field(doc, "instance_id");
  t.name = text_field(doc, "name");
  t.flavor = text_field(doc, "flavor");
  t.image = text_field(doc, "image");
  t.keyname = text_field(doc, "keyname");
  auto step = read_code<instance_step>(doc, "step");
  auto outcome = read_code<step_outcome>(doc, "outcome");
  if (t.object_id.empty() || t.instance_id.empty() || !step || !outcome)
    return std::nullopt;
  t.step = *step;
  t.outcome = *outcome;
  return t;
}

json stored_instance(const deployed_instance& i) {
  return {{"object_id", i.object_id},
          {"instance_id", i.instance_id},
          {"name", i.name},
          {"flavor", i.flavor}};
}

std::optional<deployed_instance> read_instance(const json& doc) {
  deployed_instance i;
  i.object_id = text_field(doc, "object_id");
  i.instance_id = text_field(doc, "instance_id");
  i.name = text_field(doc, "name");
  i.flavor = text_field(doc, "flavor");
  if (i.object_id.empty() || i.instance_id.empty())
    return std::nullopt;
  return i;
}

std::string method_of(const deployment& d) {
  switch (d.action) {
    case deployment_action::deploy: return "deploy";
    case deployment_action::destroy: return "destroy";
    case deployment_action::call: return d.method;
  }
  return "deploy";
}

} // namespace

json basic_document(const environment& e) {
  return {{"id", e.id},
          {"name", e.name},
          {"created", timefmt::iso_seconds(e.created)},
          {"updated", timefmt::iso_seconds(e.updated)},
          {"tenant_id", e.tenant_id},
          {"version", e.version}};
}

json listed_document(const environment& e) {
  auto doc = basic_document(e);
  doc["networking"] = json::object();
  doc["status"] = name_of(status_of(e));
  return doc;
}

json shown_services(const environment& e, json services) {
  if (services.is_array())
    for (auto& s : services)
      if (s.is_object() && s.contains("?") && s["?"].is_object())
        s["?"]["status"] = name_of(status_of(e));
  return services;
}

json full_document(const environment& e, const json& model) {
  auto doc = listed_document(e);
  auto by = acquired_by(e);
  doc["acquired_by"] = by ? json(by->id) : json(nullptr);
  doc["services"] = shown_services(e, model.value("services", json::array()));
  return doc;
}

json session_document(const environment& e, const config_session& s) {
  return {{"id", s.id},
          {"environment_id", e.id},
          {"user_id", s.user_id},
          {"version", s.version},
          {"state", name_of(s.state)},
          {"created", timefmt::iso_seconds(s.created)},
          {"updated", timefmt::iso_seconds(s.updated)}};
}

json deployment_document(const environment& e, const deployment& d) {
  auto last = d.reports.empty() ? d.started : d.reports.back().timestamp;
  return {{"id", d.id},
          {"environment_id", e.id},
          {"description", d.description},
          {"action",
           {{"object_id", d.action == deployment_action::call ? d.target : e.id},
            {"method", method_of(d)},
            {"args", d.args}}},
          {"started", timefmt::iso_seconds(d.started)},
          {"finished", or_null(d.finished, timefmt::iso_seconds)},
          {"created", timefmt::iso_seconds(d.started)},
          {"updated", timefmt::iso_seconds(d.finished.value_or(last))},
          {"state", deployment_state(d)},
          {"result", !d.result.is_null() ? d.result
                     : d.finished ? json{{"isException", deployment_state(d) == "completed_w_errors"},
                                         {"result", nullptr}}
                                  : json(nullptr)}};
}

json report_document(const deployment& d, const report& r) {
  return {{"id", r.id},
          {"task_id", d.id},
          {"entity_id", or_null(r.entity_id)},
          {"entity", r.entity_id ? json("environment") : json(nullptr)},
          {"text", r.text},
          {"level", name_of(r.level)},
          {"details", or_null(r.details)},
          {"created", timefmt::iso_seconds(r.timestamp)},
          {"updated", timefmt::iso_seconds(r.timestamp)}};
}

json to_stored(const environment& e) {
  json sessions = json::array();
  for (auto& s : e.sessions)
    sessions.push_back({{"id", s.id},
                        {"user_id", s.user_id},
                        {"version", s.version},
                        {"state", code_of(static_cast<char>(s.state))},
                        {"created", timefmt::iso_micro(s.created)},
                        {"updated", timefmt::iso_micro(s.updated)},
                        {"model", s.model}});
  json deployments = json::array();
  for (auto& d : e.deployments) {
    json reports = json::array();
    for (auto& r : d.reports)
      reports.push_back(stored_report(r));
    json tasks = json::array();
    for (auto& t : d.tasks)
      tasks.push_back(stored_task(t));
    deployments.push_back({{"id", d.id},
                           {"session_id", d.session_id},
                           {"action", code_of(static_cast<char>(d.action))},
                           {"description", d.description},
                           {"started", timefmt::iso_micro(d.started)},
                           {"deadline", timefmt::iso_micro(d.deadline)},
                           {"finished", or_null(d.finished, [](sys_time t) {
                              return timefmt::iso_micro(t);
                            })},
                           {"tasks", std::move(tasks)},
                           {"reports", std::move(reports)},
                           {"method", d.method},
                           {"target", d.target},
                           {"args", d.args},
                           {"result", d.result}});
  }
  json instances = json::array();
  for (auto& i : e.instances)
    instances.push_back(stored_instance(i));
  return versioned_row({{"id", e.id},
                        {"name", e.name},
                        {"tenant_id", e.tenant_id},
                        {"created", timefmt::iso_micro(e.created)},
                        {"updated", timefmt::iso_micro(e.updated)},
                        {"version", e.version},
                        {"model", e.model},
                        {"sessions", std::move(sessions)},
                        {"deployments", std::move(deployments)},
                        {"instances", std::move(instances)}},
                       stored_schema);
}

namespace {

std::optional<environment> environment_of(const json& doc) {
  environment e;
  e.id = text_field(doc, "id");
  e.name = text_field(doc, "name");
  e.tenant_id = text_field(doc, "tenant_id");
  auto created = read_time(doc, "created");
  auto updated = read_time(doc, "updated");
  if (e.id.empty() || e.name.empty() || !doc.contains("tenant_id") || !created || !updated)
    return std::nullopt;
  e.created = *created;
  e.updated = *updated;
  e.version = int_field(doc, "version");
  if (auto m = doc.find("model"); m != doc.end() && m->is_object())
    e.model = *m;
  if (auto list = doc.find("sessions"); list != doc.end() && list->is_array())
    for (auto& s : *list) {
      config_session cs;
      cs.id = text_field(s, "id");
      cs.user_id = text_field(s, "user_id");
      cs.version = int_field(s, "version");
      auto state = read_code<session_state>(s, "state");
      auto made = read_time(s, "created");
      auto changed = read_time(s, "updated");
      if (cs.id.empty() || !state || !made || !changed)
        return std::nullopt;
      cs.state = *state;
      cs.created = *made;
      cs.updated = *changed;
      if (auto m = s.find("model"); m != s.end())
        cs.model = *m;
      e.sessions.push_back(std::move(cs));
    }
  if (auto list = doc.find("deployments"); list != doc.end() && list->is_array())
    for (auto& d : *list) {
      deployment dep;
      dep.id = text_field(d, "id");
      dep.session_id = text_field(d, "session_id");
      auto started = read_time(d, "started");
      if (dep.id.empty() || !started)
        return std::nullopt;
      dep.started = *started;
      dep.deadline = read_time(d, "deadline").value_or(*started);
      dep.finished = read_time(d, "finished");
      if (d.contains("action")) {
        auto action = read_code<deployment_action>(d, "action");
        if (!action)
          return std::nullopt;
        dep.action = *action;
      }
      dep.method = text_field(d, "method");
      dep.target = text_field(d, "target");
      if (auto args = d.find("args"); args != d.end() && args->is_object())
        dep.args = *args;
      if (auto result = d.find("result"); result != d.end())
        dep.result = *result;
      if (auto tasks = d.find("tasks"); tasks != d.end() && tasks->is_array())
        for (auto& t : *tasks) {
          auto read = read_task(t);
          if (!read)
            return std::nullopt;
          dep.tasks.push_back(std::move(*read));
        }
      if (auto m = d.find("description"); m != d.end())
        dep.description = *m;
      if (auto reports = d.find("reports"); reports != d.end() && reports->is_array())
        for (auto& r : *reports) {
          auto read = read_report(r);
          if (!read)
            return std::nullopt;
          dep.reports.push_back(std::move(*read));
        }
      e.deployments.push_back(std::move(dep));
    }
  if (auto list = doc.find("instances"); list != doc.end() && list->is_array())
    for (auto& i : *list) {
      auto read = read_instance(i);
      if (!read)
        return std::nullopt;
      e.instances.push_back(std::move(*read));
    }
  return e;
}

} // namespace

std::optional<environment> from_stored(const json& row) {
  return read_versioned_row(row, stored_schema, environment_of);
}

} // namespace steward::environment
