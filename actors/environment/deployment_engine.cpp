#include "actors/environment/deployment_engine.hpp"

#include <algorithm>
#include <optional>
#include <set>

#include "actors/environment/environment_rules.hpp"
#include "common/ids.hpp"
#include "common/json_fields.hpp"

namespace steward::environment {

using nlohmann::json;

namespace {

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Types the engine understands without making anything: the environment
// itself, and the networks its instances join.
bool is_understood_type(const std::string& type) {
  return type == "io.murano.Environment"
         || (starts_with(type, "io.murano.resources.") && ends_with(type, "Network"))
         || starts_with(type, "io.murano.lib.networks.");
}

// Every object of the model ("?" with a text id and type), depth first.
template <class Visit>
void each_object(const json& node, Visit& visit) {
  if (node.is_object()) {
    auto meta = node.find("?");
    if (meta != node.end() && meta->is_object()) {
      auto id = meta->find("id");
      auto type = meta->find("type");
      if (id != meta->end() && id->is_string() && type != meta->end() && type->is_string())
        visit(node, id->get<std::string>(), type->get<std::string>());
    }
    for (auto& [key, child] : node.items())
      if (key != "?")
        each_object(child, visit);
  } else if (node.is_array()) {
    for (auto& child : node)
      each_object(child, visit);
  }
}

void add_report(deployment& d, report_level level, std::string text,
                std::optional<std::string> entity, sys_time now) {
  report r;
  r.id = random_hex(16);
  r.text = std::move(text);
  r.level = level;
  r.entity_id = std::move(entity);
  r.timestamp = now;
  d.reports.push_back(std::move(r));
}

// What a model asks of the engine: its instances, and the reports of what
// it cannot run.
struct model_reading {
  std::vector<instance_task> instances;  // each wanted, with no step decided yet
  std::vector<std::pair<report_level, std::pair<std::string, std::string>>> notes;  // text, entity
  std::set<std::string> named;  // the id of every instance object, readable or not
};

model_reading read_model(const json& model) {
  model_reading out;
  std::set<std::string> seen;
  auto visit = [&](const json& object, const std::string& id, const std::string& type) {
    if (is_understood_type(type))
      return;
    if (!is_instance_type(type)) {
      out.notes.push_back({report_level::warning,
                           {"Steward's engine does not run objects of type " + type
                              + ": the object is left in the model as it is",
                            id}});
      return;
    }
    out.named.insert(id);
    instance_task t;
    t.object_id = id;
    t.name = text_field(object, "name");
    t.flavor = text_field(object, "flavor");
    t.image = text_field(object, "image");
    t.keyname = text_field(object, "keyname");
    if (t.name.empty() || t.flavor.empty() || t.image.empty()) {
      out.notes.push_back({report_level::error,
                           {"Instance " + id + " (" + type + ") cannot be deployed: it needs "
                              "a name, a flavor and an image, each a text",
                            id}});
      return;
    }
    if (!seen.insert(id).second) {
      out.notes.push_back(
        {report_level::error, {"Two instances of the model have the id " + id, id}});
      return;
    }
    out.instances.push_back(std::move(t));
  };
  each_object(model, visit);
  return out;
}

const deployed_instance* deployed(const environment& e, const std::string& object_id) {
  for (auto& i : e.instances)
    if (i.object_id == object_id)
      return &i;
  return nullptr;
}

std::string step_text(const instance_task& t) {
  switch (t.step) {
    case instance_step::create: return "Creating instance " + t.name;
    case instance_step::resize: return "Resizing instance " + t.name + " to " + t.flavor;
    case instance_step::remove: return "Deleting instance " + t.name;
    case instance_step::restart: return "Restarting instance " + t.name;
    case instance_step::stop: return "Stopping instance " + t.name;
    case instance_step::start: return "Starting instance " + t.name;
  }
  return "";
}

std::string work_of(const instance_task& t) {
  switch (t.step) {
    case instance_step::create: return "its creation";
    case instance_step::resize: return "its resize to " + t.flavor;
    case instance_step::remove: return "its deletion";
    case instance_step::restart: return "its restart";
    case instance_step::stop: return "its stop";
    case instance_step::start: return "its start";
  }
  return "";
}

std::string method_of(deployment_action a) {
  return a == deployment_action::destroy ? "destroy" : "deploy";
}

deployment& start(environment& e, const std::string& session_id, deployment_action action,
                  json description, sys_time now, std::chrono::seconds limit) {
  deployment d;
  d.id = random_hex(16);
  d.session_id = session_id;
  d.action = action;
  d.description = std::move(description);
  d.started = now;
  d.deadline = now + limit;
  add_report(d, report_level::info, "Action " + method_of(action) + " is scheduled", e.id, now);
  e.deployments.push_back(std::move(d));
  return e.deployments.back();
}

void add_task(deployment& d, instance_task t, sys_time now) {
  add_report(d, report_level::info, step_text(t), t.object_id, now);
  d.tasks.push_back(std::move(t));
}

instance_task removal_of(const deployed_instance& i) {
  instance_task t;
  t.object_id = i.object_id;
  t.instance_id = i.instance_id;
  t.name = i.name;
  t.flavor = i.flavor;
  t.step = instance_step::remove;
  return t;
}

// The outcome `p` gives task `t` (pending: none yet), and its report.
step_outcome judge(const instance_task& t, const instance_progress& p, report_level& level,
                   std::string& text) {
  level = report_level::error;
  const auto& name = t.name;
  if (!p.refused.empty()) {
    switch (t.step) {
      case instance_step::create:
        text = "Instance " + name + " could not be created: " + p.refused;
        return step_outcome::refused;
      case instance_step::resize:
        text = "Instance " + name + " could not be resized to " + t.flavor + ": " + p.refused;
        return step_outcome::failed;
      case instance_step::remove:
        text = "Instance " + name + " could not be deleted: " + p.refused;
        return step_outcome::failed;
      default:
        text = step_text(t) + " was refused: " + p.refused;
        return step_outcome::failed;
    }
  }
  if (p.gone) {
    if (t.step == instance_step::remove) {
      level = report_level::info;
      text = "Instance " + name + " (" + t.instance_id + ") deleted";
      return step_outcome::done;
    }
    text = "Instance " + name + " (" + t.instance_id + ") is gone from the compute layer";
    return step_outcome::failed;
  }
  if (p.current == instance::state::erred) {
    text = "Instance " + name + " (" + t.instance_id + ") failed in the compute layer";
    return step_outcome::failed;
  }
  level = report_level::info;
  switch (t.step) {
    case instance_step::create:
      if (!p.at_rest())
        return step_outcome::pending;
      text = "Instance " + name + " (" + t.instance_id + ") is "
             + (p.current == instance::state::online ? "running" : "created, stopped");
      return step_outcome::done;
    case instance_step::resize:
      if (!p.at_rest() || p.current != instance::state::online || !p.has_flavor(t.flavor))
        return step_outcome::pending;
      text = "Instance " + name + " (" + t.instance_id + ") resized to " + t.flavor;
      return step_outcome::done;
    case instance_step::remove: return step_outcome::pending;
    case instance_step::stop:
      if (!p.at_rest() || p.current != instance::state::offline)
        return step_outcome::pending;
      text = "Instance " + name + " (" + t.instance_id + ") stopped";
      return step_outcome::done;
    case instance_step::start:
    case instance_step::restart:
      if (!p.at_rest() || p.current != instance::state::online)
        return step_outcome::pending;
      text = "Instance " + name + " (" + t.instance_id + ") "
             + (t.step == instance_step::start ? "started" : "restarted");
      return step_outcome::done;
  }
  return step_outcome::pending;
}

} // namespace

bool is_instance_type(const std::string& type) {
  return starts_with(type, "io.murano.resources.") && ends_with(type, "Instance");
}

deployment& begin_deployment(environment& e, config_session& session, sys_time now,
                             std::chrono::seconds limit) {
  session.state = session_state::deploying;
  session.updated = whole_seconds(now);
  auto& d = start(e, session.id, deployment_action::deploy, session.model, now, limit);
  auto wanted = read_model(session.model);
  for (auto& [level, note] : wanted.notes)
    add_report(d, level, note.first, note.second, now);
  for (auto& t : wanted.instances) {
    auto had = deployed(e, t.object_id);
    if (!had) {
      t.instance_id = random_hex(16);
      t.step = instance_step::create;
      add_task(d, std::move(t), now);
    } else if (had->flavor != t.flavor) {
      t.instance_id = had->instance_id;
      t.step = instance_step::resize;
      add_task(d, std::move(t), now);
    } else {
      add_report(d, report_level::info, "Instance " + t.name + " is unchanged", t.object_id, now);
    }
  }
  // An object still in the model keeps its instance, even one it no longer
  // describes well enough to deploy (that is an error, not a removal).
  for (auto& i : e.instances)
    if (!wanted.named.count(i.object_id))
      add_task(d, removal_of(i), now);
  return d;
}

deployment& begin_destruction(environment& e, const std::string& user, sys_time now,
                              std::chrono::seconds limit) {
  auto session_id = add_session(e, user, session_state::deleting, now).id;
  auto& d = start(e, session_id, deployment_action::destroy, e.model, now, limit);
  for (auto& i : e.instances)
    add_task(d, removal_of(i), now);
  return d;
}

namespace {

// The object of the model that offers action `action_id` in its
// `?/_actions`, and its id; none when no object does.
const json* offering(const json& model, const std::string& action_id, std::string& object_id) {
  const json* found = nullptr;
  auto visit = [&](const json& object, const std::string& id, const std::string&) {
    auto& meta = object["?"];
    auto actions = meta.find("_actions");
    if (!found && actions != meta.end() && actions->is_object() && actions->contains(action_id)) {
      found = &(*actions)[action_id];
      object_id = id;
    }
  };
  each_object(model, visit);
  return found;
}

std::optional<instance_step> step_for(const std::string& method) {
  if (method == "restartVM")
    return instance_step::restart;
  if (method == "stop")
    return instance_step::stop;
  if (method == "start")
    return instance_step::start;
  return std::nullopt;
}

} // namespace

std::variant<deployment*, refusal> begin_action(environment& e, const std::string& user,
                                                const std::string& action_id, const json& args,
                                                sys_time now, std::chrono::seconds limit) {
  auto status = status_of(e);
  if (status == environment_status::deploying || status == environment_status::deleting)
    return refusal{403, "Environment <EnvId " + e.id + "> is being deployed or deleted: an "
                                                      "action waits until it is not"};
  std::string object_id;
  auto action = offering(e.model, action_id, object_id);
  if (!action)
    return refusal{404, "Action <ActionId " + action_id + "> is not found"};
  auto enabled = action->is_object() ? action->find("enabled") : action->end();
  if (enabled == action->end() || !enabled->is_boolean() || !enabled->get<bool>())
    return refusal{400, "Action <ActionId " + action_id + "> is disabled"};
  auto method = text_field(*action, "name");
  auto step = step_for(method);
  auto owned = deployed(e, object_id);
  if (!step || !owned)
    return refusal{400, "Steward's engine runs no method '" + method + "' of object "
                          + object_id};
  auto session_id = add_session(e, user, session_state::deploying, now).id;
  auto& d = start(e, session_id, deployment_action::call, e.model, now, limit);
  d.method = method;
  d.target = object_id;
  d.args = args;
  d.reports.back().text = "Action " + method + " is scheduled";
  instance_task t;
  t.object_id = object_id;
  t.instance_id = owned->instance_id;
  t.name = owned->name;
  t.flavor = owned->flavor;
  t.step = *step;
  add_task(d, std::move(t), now);
  return &d;
}

deployment* running_deployment(environment& e) {
  if (e.deployments.empty() || e.deployments.back().finished)
    return nullptr;
  return &e.deployments.back();
}

const deployment* running_deployment(const environment& e) {
  return running_deployment(const_cast<environment&>(e));
}

bool record_progress(environment& e, const instance_progress& p, sys_time now) {
  auto d = running_deployment(e);
  if (!d)
    return false;
  for (auto& t : d->tasks) {
    if (t.instance_id != p.uuid || t.outcome != step_outcome::pending)
      continue;
    report_level level;
    std::string text;
    auto outcome = judge(t, p, level, text);
    if (outcome == step_outcome::pending)
      return false;
    t.outcome = outcome;
    add_report(*d, level, std::move(text), t.object_id, now);
    return true;
  }
  return false;
}

bool settled(const deployment& d) {
  return std::none_of(d.tasks.begin(), d.tasks.end(),
                      [](const instance_task& t) { return t.outcome == step_outcome::pending; });
}

void expire(deployment& d, sys_time now) {
  auto limit = std::chrono::duration_cast<std::chrono::seconds>(d.deadline - d.started);
  for (auto& t : d.tasks) {
    if (t.outcome != step_outcome::pending)
      continue;
    t.outcome = step_outcome::failed;
    add_report(d, report_level::error,
               "Instance " + t.name + " (" + t.instance_id + "): the compute layer did not finish "
                 + work_of(t) + " within " + std::to_string(limit.count()) + " s",
               t.object_id, now);
  }
}

namespace {

// The actions of an instance the engine made: its methods, by name.
const char* const instance_methods[] = {"restartVM", "stop", "start"};

// The instances the environment owns once deployment `d` has settled.
void take_instances(environment& e, const deployment& d) {
  for (auto& t : d.tasks) {
    auto owned = std::find_if(e.instances.begin(), e.instances.end(),
                              [&](const deployed_instance& i) { return i.object_id == t.object_id; });
    switch (t.step) {
      case instance_step::create:
        if (t.outcome != step_outcome::refused)  // made, even if it failed later
          e.instances.push_back({t.object_id, t.instance_id, t.name, t.flavor});
        break;
      case instance_step::resize:
        if (t.outcome == step_outcome::done && owned != e.instances.end())
          owned->flavor = t.flavor;
        break;
      case instance_step::remove:
        if (t.outcome == step_outcome::done && owned != e.instances.end())
          e.instances.erase(owned);
        break;
      default: break;  // an action's step changes what it runs on, not what is owned
    }
  }
}

// The model as deployed: each instance object the engine made carries the
// id of its instance, as Murano's carry `openstackId`, and the actions it
// can be called with; no other object has actions.
void mark_instances(json& node, const environment& e) {
  if (node.is_object()) {
    auto meta = node.find("?");
    if (meta != node.end() && meta->is_object()) {
      meta->erase("_actions");
      auto id = meta->find("id");
      if (id != meta->end() && id->is_string())
        if (auto i = deployed(e, id->get<std::string>())) {
          node["openstackId"] = i->instance_id;
          json actions = json::object();
          for (auto method : instance_methods)
            actions[id->get<std::string>() + "_" + method]
              = {{"name", method}, {"title", method}, {"enabled", true}};
          (*meta)["_actions"] = std::move(actions);
        }
    }
    for (auto& [key, child] : node.items())
      if (key != "?")
        mark_instances(child, e);
  } else if (node.is_array()) {
    for (auto& child : node)
      mark_instances(child, e);
  }
}

// What an action call answers: the state it left its instance in, or what
// failed.
json call_result(const deployment& d, bool errors) {
  if (errors) {
    for (auto& r : d.reports)
      if (r.level == report_level::error)
        return {{"isException", true}, {"result", r.text}};
  }
  json instances = json::array();
  for (auto& t : d.tasks)
    instances.push_back({{"instance_id", t.instance_id},
                         {"name", t.name},
                         {"state", t.step == instance_step::stop ? "Offline" : "Online"}});
  return {{"isException", false},
          {"result", instances.size() == 1 ? instances[0] : instances}};
}

} // namespace

bool finish_deployment(environment& e, sys_time now) {
  auto d = running_deployment(e);
  if (!d)
    return false;
  take_instances(e, *d);
  auto worst = worst_level(*d);
  bool errors = worst == report_level::error, warnings = worst == report_level::warning;
  add_report(*d, report_level::info,
             std::string{"Deployment finished"}
               + (errors ? " with errors" : warnings ? " with warnings" : ""),
             e.id, now);
  d->finished = now;
  e.version += 1;
  auto session = find_session(e, d->session_id);
  if (d->action == deployment_action::call)
    d->result = call_result(*d, errors);
  if (d->action == deployment_action::destroy) {
    if (!errors)
      return true;
    if (session) {
      session->state = session_state::delete_failure;
      session->updated = whole_seconds(now);
    }
    return false;
  }
  e.model = d->description;
  mark_instances(e.model, e);
  if (session) {
    session->state = errors ? session_state::deploy_failure : session_state::deployed;
    session->updated = whole_seconds(now);
  }
  return false;
}

std::string object_type(const json& model, const std::string& object_id) {
  std::string found;
  auto visit = [&](const json&, const std::string& id, const std::string& type) {
    if (found.empty() && id == object_id)
      found = type;
  };
  each_object(model, visit);
  return found;
}

std::vector<std::string> object_ids_of(const json& model, const std::string& service_id) {
  std::vector<std::string> out;
  auto services = model.find("services");
  if (services == model.end() || !services->is_array())
    return out;
  for (auto& s : *services) {
    auto meta = s.find("?");
    if (!s.is_object() || meta == s.end() || !meta->is_object()
        || text_field(*meta, "id") != service_id)
      continue;
    out.push_back(service_id);
    auto collect = [&](const json&, const std::string& id, const std::string&) {
      out.push_back(id);
    };
    for (auto& [key, child] : s.items())
      if (key != "?")
        each_object(child, collect);
  }
  return out;
}

} // namespace steward::environment
