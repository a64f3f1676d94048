#include "actors/maintenance/workflow.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "actors/instance/instance_document.hpp"
#include "actors/maintenance/placement.hpp"
#include "common/json_fields.hpp"

namespace steward::maintenance {

using nlohmann::json;

namespace {

const json host_actions = json::array({"MIGRATE", "LIVE_MIGRATE", "OWN_ACTION"});

const inventory::host* host_named(const world_view& w, const std::string& name) {
  for (auto& [id, h] : w.hosts)
    if (h->hypervisor_hostname == name)
      return h.get();
  return nullptr;
}

// uuid -> project of the instances on `host`.
std::map<std::string, std::string> instances_on(const world_view& w, const std::string& host) {
  std::map<std::string, std::string> out;
  for (auto& [uuid, i] : w.instances)
    if (i->host == host)
      out[uuid] = i->project;
  return out;
}

void set_state(json& s, const char* state, sys_time now, effects& fx) {
  s["state"] = state;
  s["updated_at"] = show_time(now);
  fx.notices.push_back({"maintenance.session", "",
                        {{"session_id", s["session_id"]}, {"state", state},
                         {"reason", s["failure_reason"]}}});
}

notice project_notice(const json& s, const std::string& project, const std::string& state,
                      json instance_ids, json allowed, json actions_at, json reply_at) {
  return {"maintenance.scheduled", project,
          {{"project_id", project}, {"session_id", s["session_id"]}, {"state", state},
           {"instance_ids", std::move(instance_ids)}, {"allowed_actions", std::move(allowed)},
           {"actions_at", std::move(actions_at)}, {"reply_at", std::move(reply_at)},
           {"metadata", s["metadata"]}, {"reply_url", project_url(s, project)}}};
}

// Asks `projects` about `state`; each gets until reply_at, at least the
// lead time any of its instances' constraints asks for.
void start_round(json& s, const char* state, const std::map<std::string, std::string>& instances,
                 const std::set<std::string>& projects, const json& allowed,
                 std::optional<sys_time> actions_at, const world_view& w, sys_time now,
                 effects& fx) {
  auto seconds = int_field(s, "reply_seconds");
  for (auto& [uuid, project] : instances)
    if (auto c = w.instance_constraints.find(uuid); c != w.instance_constraints.end())
      seconds = std::max<int64_t>(seconds, int_field(*c->second, "lead_time"));
  auto reply_at = now + std::chrono::seconds{seconds};
  json replies = json::object();
  json asked = json::object();
  for (auto& p : projects)
    replies[p] = nullptr;
  for (auto& [uuid, project] : instances)
    asked[uuid] = project;
  auto when = show_time(actions_at ? *actions_at : reply_at);
  s["round"] = {{"state", state}, {"allowed_actions", allowed}, {"reply_at", show_time(reply_at)},
                {"actions_at", when}, {"replies", replies}, {"instances", asked}};
  for (auto& p : projects)
    fx.notices.push_back(project_notice(s, p, state, project_url(s, p), allowed, when,
                                        show_time(reply_at)));
}

bool settled(const json& round, sys_time now) {
  if (now >= read_time(round["reply_at"]))
    return true;
  for (auto& [project, reply] : round["replies"].items())
    if (reply.is_null())
      return false;
  return true;
}

std::string refused_by(const json& round) {
  for (auto& [project, reply] : round["replies"].items())
    if (reply.is_object() && text_field(reply, "state").rfind("NACK_", 0) == 0)
      return project;
  return "";
}

// The host the session holds goes back into service.
void release_host(json& s, const world_view& w, effects& fx) {
  auto name = text_field(s, "host");
  if (name.empty())
    return;
  if (auto h = host_named(w, name)) {
    fx.commands.push_back({h->cloud, "compute.host.enable", {{"host", name}}});
    fx.marks.push_back({h->id, false});
  }
  s["host"] = nullptr;
}

void fail(json& s, const std::string& reason, const world_view& w, sys_time now, effects& fx) {
  s["failed_state"] = s["state"];
  s["failure_reason"] = reason;
  release_host(s, w, fx);
  s["round"] = nullptr;
  s["moves"] = json::object();
  s["host_done_at"] = nullptr;
  set_state(s, states::failed, now, fx);
}

void start_host_maintenance(json& s, sys_time now, effects& fx) {
  set_state(s, states::start, now, fx);
  s["host_done_at"] = show_time(now + std::chrono::seconds{int_field(s, "host_seconds")});
  fx.notices.push_back({"maintenance.host", "",
                        {{"host", s["host"]}, {"state", "IN_MAINTENANCE"},
                         {"session_id", s["session_id"]}, {"project_id", ""}}});
}

void complete(json& s, const world_view& w, sys_time now, effects& fx) {
  set_state(s, states::complete, now, fx);
  std::set<std::string> projects;
  for (auto& p : s.value("projects", json::array()))
    projects.insert(p.get<std::string>());
  start_round(s, states::complete, {}, projects, json::array(), std::nullopt, w, now, fx);
}

// The next host to empty: an empty one first, else the one with the fewest
// instances. It is disabled and marked in maintenance before anything moves.
void next_host(json& s, const world_view& w, sys_time now, effects& fx) {
  auto maintained = s["maintained"];
  std::string pick;
  std::size_t fewest = 0;
  for (auto& h : s["hosts"]) {
    auto name = h.get<std::string>();
    if (std::find(maintained.begin(), maintained.end(), h) != maintained.end())
      continue;
    if (!host_named(w, name)) { // left the inventory: nothing to maintain
      s["maintained"].push_back(name);
      continue;
    }
    auto n = instances_on(w, name).size();
    if (pick.empty() || n < fewest) {
      pick = name;
      fewest = n;
    }
  }
  if (pick.empty())
    return complete(s, w, now, fx);
  auto host = host_named(w, pick);
  s["host"] = pick;
  s["moves"] = json::object();
  fx.commands.push_back({host->cloud, "compute.host.disable",
                         {{"host", pick}, {"reason", disable_reason(s)}}});
  fx.marks.push_back({host->id, true});
  auto on = instances_on(w, pick);
  if (on.empty())
    return start_host_maintenance(s, now, fx);
  const char* state = s["maintained"].empty() ? states::prepare : states::planned;
  set_state(s, state, now, fx);
  std::set<std::string> projects;
  for (auto& [uuid, project] : on)
    projects.insert(project);
  start_round(s, state, on, projects, host_actions, std::nullopt, w, now, fx);
}

// A silent project's instance: its constraint's migration type, else the
// configured default.
std::string default_action(const world_view& w, const std::string& uuid,
                           const maintenance_settings& settings) {
  if (auto c = w.instance_constraints.find(uuid); c != w.instance_constraints.end()) {
    auto t = text_field(*c->second, "migration_type");
    if (std::find(host_actions.begin(), host_actions.end(), t) != host_actions.end())
      return t;
  }
  return settings.default_action;
}

json new_move(const std::string& project, const std::string& action, const json& s, sys_time now) {
  json m = {{"project", project}, {"action", action}, {"status", "waiting"},
            {"target", nullptr}, {"deadline", nullptr}};
  if (action == "OWN_ACTION") {
    m["status"] = "own";
    m["deadline"] = show_time(now + std::chrono::seconds{int_field(s, "own_action_seconds")});
  }
  return m;
}

// The replies are in (or their time is up): each instance on the host gets
// its action.
void plan_moves(json& s, const world_view& w, sys_time now, const maintenance_settings& settings) {
  auto& round = s["round"];
  json moves = json::object();
  for (auto& [uuid, project] : instances_on(w, text_field(s, "host"))) {
    auto action = default_action(w, uuid, settings);
    auto& reply = round["replies"][project];
    if (reply.is_object() && reply["instance_actions"].contains(uuid))
      action = reply["instance_actions"][uuid].get<std::string>();
    moves[uuid] = new_move(project, action, s, now);
  }
  s["moves"] = moves;
  s["round"] = nullptr;
}

int moving_in_group(const json& s, const world_view& w, const std::string& group) {
  int n = 0;
  for (auto& [uuid, m] : s["moves"].items())
    if (text_field(m, "status") == "moving" && group_of(w, uuid) == group)
      ++n;
  return n;
}

// Whether another member of the instance's group may move now.
bool group_allows(const json& s, const world_view& w, const std::string& uuid) {
  auto group = group_of(w, uuid);
  if (group.empty())
    return true;
  auto g = w.group_constraints.find(group);
  if (g == w.group_constraints.end())
    return true;
  auto limit = int_field(*g->second, "max_impacted_members");
  return limit <= 0 || moving_in_group(s, w, group) < limit;
}

void instance_done(const json& s, const std::string& uuid, json& move, effects& fx) {
  move["status"] = "done";
  fx.notices.push_back(project_notice(s, text_field(move, "project"), states::instance_action_done,
                                      json::array({uuid}), json::array(), nullptr, nullptr));
}

// Moves what can move; true when something changed. Fails the session
// when a move failed or an instance has nowhere to go.
bool progress_moves(json& s, const world_view& w, sys_time now,
                    const maintenance_settings& settings, effects& fx) {
  bool changed = false;
  auto host = text_field(s, "host");
  // An instance that came onto the host meanwhile is moved too.
  for (auto& [uuid, project] : instances_on(w, host))
    if (!s["moves"].contains(uuid)) {
      s["moves"][uuid] = new_move(project, default_action(w, uuid, settings), s, now);
      changed = true;
    }
  for (auto& [uuid, move] : s["moves"].items()) {
    auto status = text_field(move, "status");
    if (status == "done")
      continue;
    auto i = w.instances.find(uuid);
    if (i == w.instances.end() || i->second->host != host) {
      // Gone from the host (moved, or removed by its project).
      if (i != w.instances.end() && status == "moving" && text_field(move, "action") == "MIGRATE")
        fx.commands.push_back({i->second->cloud_name,
                               "compute.instance.migrate_confirm", {{"instance_uuid", uuid}}});
      instance_done(s, uuid, move, fx);
      changed = true;
      continue;
    }
    auto& moving = *i->second;
    if (status == "moving") {
      // Erred since the move began (an instance that was erred before may
      // still move).
      if (moving.current == instance::state::erred && !bool_field(move, "was_erred")) {
        fail(s, "moving instance " + uuid + " failed", w, now, fx);
        return true;
      }
      if (now >= read_time(move["deadline"])) {
        fail(s, "moving instance " + uuid + " off " + host + " did not finish in time", w, now, fx);
        return true;
      }
      continue;
    }
    if (status == "own") {
      if (now < read_time(move["deadline"]))
        continue;
      // The project did not move it in time: Steward does, as for a silent project.
      auto fallback = settings.default_action == "OWN_ACTION" ? "MIGRATE" : settings.default_action;
      move["action"] = fallback;
      move["status"] = "waiting";
      changed = true;
    }
    if (!group_allows(s, w, uuid))
      continue;
    auto target = choose_target(w, uuid, s, settings.cpu_allocation_ratio);
    if (!target) {
      fail(s, "no host has room for instance " + uuid, w, now, fx);
      return true;
    }
    bool live = text_field(move, "action") == "LIVE_MIGRATE";
    fx.commands.push_back({moving.cloud_name,
                           live ? "compute.instance.live_migrate" : "compute.instance.migrate",
                           {{"instance_uuid", uuid}, {"target_host", *target}}});
    move["status"] = "moving";
    move["target"] = *target;
    move["was_erred"] = moving.current == instance::state::erred;
    move["deadline"] = show_time(now + std::chrono::seconds{std::max<int64_t>(1, int_field(s, "move_seconds", 600))});
    changed = true;
  }
  if (!instances_on(w, host).empty())
    return changed;
  for (auto& [uuid, move] : s["moves"].items())
    if (text_field(move, "status") != "done")
      return changed;
  start_host_maintenance(s, now, fx);
  return true;
}

void finish_host(json& s, const world_view& w, sys_time now, effects& fx) {
  auto name = text_field(s, "host");
  s["maintained"].push_back(name);
  fx.notices.push_back({"maintenance.host", "",
                        {{"host", name}, {"state", "MAINTENANCE_COMPLETE"},
                         {"session_id", s["session_id"]}, {"project_id", ""}}});
  release_host(s, w, fx);
  s["host_done_at"] = nullptr;
  s["moves"] = json::object();
  next_host(s, w, now, fx);
}

// One step; true when it changed something that may let another follow.
bool step(json& s, const world_view& w, sys_time now, const maintenance_settings& settings,
          effects& fx) {
  auto state = text_field(s, "state");
  auto& round = s["round"];
  if (state == states::maintenance) {
    if (s["projects"].is_null()) {
      std::map<std::string, std::string> on;
      for (auto& h : s["hosts"])
        for (auto& [uuid, project] : instances_on(w, h.get<std::string>()))
          on[uuid] = project;
      std::set<std::string> projects;
      for (auto& [uuid, project] : on)
        projects.insert(project);
      s["projects"] = json(std::vector<std::string>{projects.begin(), projects.end()});
      start_round(s, states::maintenance, on, projects, json::array(),
                  read_time(s["maintenance_at"]), w, now, fx);
      return true;
    }
    if (round.is_object()) {
      if (!settled(round, now))
        return false;
      if (auto p = refused_by(round); !p.empty()) {
        fail(s, "project " + p + " refused the maintenance", w, now, fx);
        return true;
      }
      round = nullptr;
      return true;
    }
    if (now < read_time(s["maintenance_at"]))
      return false;
    next_host(s, w, now, fx);
    return true;
  }
  if (state == states::prepare || state == states::planned) {
    if (round.is_object()) {
      if (!settled(round, now))
        return false;
      if (auto p = refused_by(round); !p.empty()) {
        fail(s, "project " + p + " refused to move its instances from " + text_field(s, "host"),
             w, now, fx);
        return true;
      }
      plan_moves(s, w, now, settings);
      return true;
    }
    return progress_moves(s, w, now, settings, fx);
  }
  if (state == states::start) {
    if (now < read_time(s["host_done_at"]))
      return false;
    finish_host(s, w, now, fx);
    return true;
  }
  if (state == states::complete) {
    if (!round.is_object() || !settled(round, now))
      return false;
    round = nullptr;
    set_state(s, states::done, now, fx);
    return true;
  }
  return false;
}

} // namespace

bool advance(json& session, const world_view& world, sys_time now,
             const maintenance_settings& settings, effects& fx) {
  auto before = session;
  for (int steps = 0; steps < 1000 && step(session, world, now, settings, fx); ++steps) {
  }
  if (session == before)
    return false;
  session["updated_at"] = show_time(now);
  return true;
}

std::optional<sys_time> wake_at(const json& s) {
  std::optional<sys_time> next;
  auto consider = [&](const json& value) {
    if (!value.is_string())
      return;
    auto t = read_time(value);
    if (!next || t < *next)
      next = t;
  };
  if (!is_running(s))
    return std::nullopt;
  if (s["round"].is_object())
    consider(s["round"]["reply_at"]);
  else if (text_field(s, "state") == states::maintenance)
    consider(s["maintenance_at"]);
  consider(s["host_done_at"]);
  for (auto& [uuid, move] : s["moves"].items())
    if (text_field(move, "status") != "done")
      consider(move["deadline"]);
  return next;
}

std::optional<refusal> resume(json& s, sys_time now, effects& fx) {
  if (text_field(s, "state") != states::failed)
    return refusal{409, "Session " + text_field(s, "session_id") + " is in state "
                          + text_field(s, "state") + "; only a failed session can be resumed"};
  // A refusal before anything moved asks every project again; later, the
  // hosts not yet maintained are taken up one by one again.
  if (text_field(s, "failed_state") == states::maintenance)
    s["projects"] = nullptr;
  s["failed_state"] = nullptr;
  s["failure_reason"] = nullptr;
  s["round"] = nullptr;
  set_state(s, states::maintenance, now, fx);
  return std::nullopt;
}

void abandon(json& s, const world_view& world, effects& fx) {
  release_host(s, world, fx);
}

} // namespace steward::maintenance
