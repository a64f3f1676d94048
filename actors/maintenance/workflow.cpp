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

const std::vector<instance_action> host_actions = {
  instance_action::migrate, instance_action::live_migrate, instance_action::own_action};

// The notice state of an instance a project may use again.
const char* const instance_action_done = "INSTANCE_ACTION_DONE";

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

// `now` plus a number of seconds, as Fenix shows dates.
sys_time after(sys_time now, int64_t seconds) {
  return whole_seconds(now + std::chrono::seconds{seconds});
}

void set_state(session& s, phase state, sys_time now, effects& fx) {
  s.state = state;
  s.updated_at = whole_seconds(now);
  fx.notices.push_back({"maintenance.session", "",
                        {{"session_id", s.session_id}, {"state", name_of(state)},
                         {"reason", or_null(s.failure_reason)}}});
}

notice project_notice(const session& s, const std::string& project, const std::string& state,
                      json instance_ids, json allowed, json actions_at, json reply_at) {
  return {"maintenance.scheduled", project,
          {{"project_id", project}, {"session_id", s.session_id}, {"state", state},
           {"instance_ids", std::move(instance_ids)}, {"allowed_actions", std::move(allowed)},
           {"actions_at", std::move(actions_at)}, {"reply_at", std::move(reply_at)},
           {"metadata", s.metadata}, {"reply_url", project_url(s, project)}}};
}

// Asks `projects` about `state`; each gets until reply_at, at least the
// lead time any of its instances' constraints asks for.
void start_round(session& s, phase state, const std::map<std::string, std::string>& instances,
                 const std::set<std::string>& projects, std::vector<instance_action> allowed,
                 std::optional<sys_time> actions_at, const world_view& w, sys_time now,
                 effects& fx) {
  auto seconds = s.reply_seconds;
  for (auto& [uuid, project] : instances)
    if (auto c = w.instance_constraints.find(uuid); c != w.instance_constraints.end())
      seconds = std::max<int64_t>(seconds, c->second->lead_time.value_or(0));
  round r;
  r.state = state;
  r.allowed_actions = std::move(allowed);
  r.reply_at = after(now, seconds);
  r.actions_at = actions_at ? whole_seconds(*actions_at) : r.reply_at;
  for (auto& p : projects)
    r.replies[p] = std::nullopt;
  r.instances = instances;
  for (auto& p : projects)
    fx.notices.push_back(project_notice(s, p, name_of(state), project_url(s, p),
                                        action_names(r.allowed_actions), show_time(r.actions_at),
                                        show_time(r.reply_at)));
  s.asking = std::move(r);
}

bool settled(const round& r, sys_time now) {
  if (now >= r.reply_at)
    return true;
  for (auto& [project, reply] : r.replies)
    if (!reply)
      return false;
  return true;
}

std::string refused_by(const round& r) {
  for (auto& [project, reply] : r.replies)
    if (reply && reply->refused)
      return project;
  return "";
}

// The host the session holds goes back into service.
void release_host(session& s, const world_view& w, effects& fx) {
  if (!s.host)
    return;
  if (auto h = host_named(w, *s.host)) {
    fx.commands.push_back({h->cloud, "compute.host.enable", {{"host", *s.host}}});
    fx.marks.push_back({h->id, false});
  }
  s.host.reset();
}

void fail(session& s, const std::string& reason, const world_view& w, sys_time now,
          effects& fx) {
  s.failed_state = s.state;
  s.failure_reason = reason;
  release_host(s, w, fx);
  s.asking.reset();
  s.moves.clear();
  s.host_done_at.reset();
  set_state(s, phase::failed, now, fx);
}

void start_host_maintenance(session& s, sys_time now, effects& fx) {
  set_state(s, phase::start, now, fx);
  s.host_done_at = after(now, s.host_seconds);
  fx.notices.push_back({"maintenance.host", "",
                        {{"host", or_null(s.host)}, {"state", "IN_MAINTENANCE"},
                         {"session_id", s.session_id}, {"project_id", ""}}});
}

void complete(session& s, const world_view& w, sys_time now, effects& fx) {
  set_state(s, phase::complete, now, fx);
  std::set<std::string> projects;
  if (s.projects)
    projects.insert(s.projects->begin(), s.projects->end());
  start_round(s, phase::complete, {}, projects, {}, std::nullopt, w, now, fx);
}

bool is_maintained(const session& s, const std::string& name) {
  return std::find(s.maintained.begin(), s.maintained.end(), name) != s.maintained.end();
}

// The next host to empty: an empty one first, else the one with the fewest
// instances. It is disabled and marked in maintenance before anything moves.
void next_host(session& s, const world_view& w, sys_time now, effects& fx) {
  std::string pick;
  std::size_t fewest = 0;
  for (auto& name : s.hosts) {
    if (is_maintained(s, name))
      continue;
    if (!host_named(w, name)) { // left the inventory: nothing to maintain
      s.maintained.push_back(name);
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
  s.host = pick;
  s.moves.clear();
  fx.commands.push_back({host->cloud, "compute.host.disable",
                         {{"host", pick}, {"reason", disable_reason(s)}}});
  fx.marks.push_back({host->id, true});
  auto on = instances_on(w, pick);
  if (on.empty())
    return start_host_maintenance(s, now, fx);
  auto state = s.maintained.empty() ? phase::prepare : phase::planned;
  set_state(s, state, now, fx);
  std::set<std::string> projects;
  for (auto& [uuid, project] : on)
    projects.insert(project);
  start_round(s, state, on, projects, host_actions, std::nullopt, w, now, fx);
}

// A silent project's instance: its constraint's migration type, else the
// configured default.
instance_action default_action(const world_view& w, const std::string& uuid,
                               const maintenance_settings& settings) {
  if (auto c = w.instance_constraints.find(uuid); c != w.instance_constraints.end())
    if (c->second->migration_type)
      return *c->second->migration_type;
  return settings.default_action;
}

move new_move(const std::string& project, instance_action action, const session& s,
              sys_time now) {
  move m;
  m.project = project;
  m.action = action;
  if (action == instance_action::own_action) {
    m.progress = move::status::own;
    m.deadline = after(now, s.own_action_seconds);
  }
  return m;
}

// The replies are in (or their time is up): each instance on the host gets
// its action.
void plan_moves(session& s, const world_view& w, sys_time now,
                const maintenance_settings& settings) {
  auto& replies = s.asking->replies;
  std::map<std::string, move> moves;
  for (auto& [uuid, project] : instances_on(w, s.host.value_or(""))) {
    auto action = default_action(w, uuid, settings);
    if (auto reply = replies.find(project); reply != replies.end() && reply->second)
      if (auto chosen = reply->second->instance_actions.find(uuid);
          chosen != reply->second->instance_actions.end())
        action = chosen->second;
    moves[uuid] = new_move(project, action, s, now);
  }
  s.moves = std::move(moves);
  s.asking.reset();
}

int moving_in_group(const session& s, const world_view& w, const std::string& group) {
  int n = 0;
  for (auto& [uuid, m] : s.moves)
    if (m.progress == move::status::moving && group_of(w, uuid) == group)
      ++n;
  return n;
}

// Whether another member of the instance's group may move now.
bool group_allows(const session& s, const world_view& w, const std::string& uuid) {
  auto group = group_of(w, uuid);
  if (group.empty())
    return true;
  auto g = w.group_constraints.find(group);
  if (g == w.group_constraints.end())
    return true;
  auto limit = g->second->max_impacted_members.value_or(0);
  return limit <= 0 || moving_in_group(s, w, group) < limit;
}

void instance_done(const session& s, const std::string& uuid, move& m, effects& fx) {
  m.progress = move::status::done;
  fx.notices.push_back(project_notice(s, m.project, instance_action_done, json::array({uuid}),
                                      json::array(), nullptr, nullptr));
}

// Moves what can move; true when something changed. Fails the session
// when a move failed or an instance has nowhere to go.
bool progress_moves(session& s, const world_view& w, sys_time now,
                    const maintenance_settings& settings, effects& fx) {
  bool changed = false;
  auto host = s.host.value_or("");
  // An instance that came onto the host meanwhile is moved too.
  for (auto& [uuid, project] : instances_on(w, host))
    if (!s.moves.count(uuid)) {
      s.moves[uuid] = new_move(project, default_action(w, uuid, settings), s, now);
      changed = true;
    }
  for (auto& [uuid, m] : s.moves) {
    if (m.progress == move::status::done)
      continue;
    auto i = w.instances.find(uuid);
    if (i == w.instances.end() || i->second->host != host) {
      // Gone from the host (moved, or removed by its project).
      if (i != w.instances.end() && m.progress == move::status::moving
          && m.action == instance_action::migrate)
        fx.commands.push_back({i->second->cloud_name,
                               "compute.instance.migrate_confirm", {{"instance_uuid", uuid}}});
      instance_done(s, uuid, m, fx);
      changed = true;
      continue;
    }
    auto& moving = *i->second;
    if (m.progress == move::status::moving) {
      // Erred since the move began (an instance that was erred before may
      // still move).
      if (moving.current == instance::state::erred && !m.was_erred.value_or(false)) {
        fail(s, "moving instance " + uuid + " failed", w, now, fx);
        return true;
      }
      if (m.deadline && now >= *m.deadline) {
        fail(s, "moving instance " + uuid + " off " + host + " did not finish in time", w, now, fx);
        return true;
      }
      continue;
    }
    if (m.progress == move::status::own) {
      if (m.deadline && now < *m.deadline)
        continue;
      // The project did not move it in time: Steward does, as for a silent project.
      auto fallback = settings.default_action;
      m.action = fallback == instance_action::own_action ? instance_action::migrate : fallback;
      m.progress = move::status::waiting;
      changed = true;
    }
    if (!group_allows(s, w, uuid))
      continue;
    auto target = choose_target(w, uuid, s, settings.cpu_allocation_ratio);
    if (!target) {
      fail(s, "no host has room for instance " + uuid, w, now, fx);
      return true;
    }
    bool live = m.action == instance_action::live_migrate;
    fx.commands.push_back({moving.cloud_name,
                           live ? "compute.instance.live_migrate" : "compute.instance.migrate",
                           {{"instance_uuid", uuid}, {"target_host", *target}}});
    m.progress = move::status::moving;
    m.target = *target;
    m.was_erred = moving.current == instance::state::erred;
    m.deadline = after(now, std::max<int64_t>(1, s.move_seconds));
    changed = true;
  }
  if (!instances_on(w, host).empty())
    return changed;
  for (auto& [uuid, m] : s.moves)
    if (m.progress != move::status::done)
      return changed;
  start_host_maintenance(s, now, fx);
  return true;
}

void finish_host(session& s, const world_view& w, sys_time now, effects& fx) {
  auto name = s.host.value_or("");
  s.maintained.push_back(name);
  fx.notices.push_back({"maintenance.host", "",
                        {{"host", name}, {"state", "MAINTENANCE_COMPLETE"},
                         {"session_id", s.session_id}, {"project_id", ""}}});
  release_host(s, w, fx);
  s.host_done_at.reset();
  s.moves.clear();
  next_host(s, w, now, fx);
}

// One step; true when it changed something that may let another follow.
bool step(session& s, const world_view& w, sys_time now, const maintenance_settings& settings,
          effects& fx) {
  switch (s.state) {
    case phase::maintenance:
      if (!s.projects) {
        std::map<std::string, std::string> on;
        for (auto& h : s.hosts)
          for (auto& [uuid, project] : instances_on(w, h))
            on[uuid] = project;
        std::set<std::string> projects;
        for (auto& [uuid, project] : on)
          projects.insert(project);
        s.projects = std::vector<std::string>{projects.begin(), projects.end()};
        start_round(s, phase::maintenance, on, projects, {}, s.maintenance_at, w, now, fx);
        return true;
      }
      if (s.asking) {
        if (!settled(*s.asking, now))
          return false;
        if (auto p = refused_by(*s.asking); !p.empty()) {
          fail(s, "project " + p + " refused the maintenance", w, now, fx);
          return true;
        }
        s.asking.reset();
        return true;
      }
      if (now < s.maintenance_at)
        return false;
      next_host(s, w, now, fx);
      return true;
    case phase::prepare:
    case phase::planned:
      if (s.asking) {
        if (!settled(*s.asking, now))
          return false;
        if (auto p = refused_by(*s.asking); !p.empty()) {
          fail(s, "project " + p + " refused to move its instances from " + s.host.value_or(""),
               w, now, fx);
          return true;
        }
        plan_moves(s, w, now, settings);
        return true;
      }
      return progress_moves(s, w, now, settings, fx);
    case phase::start:
      if (s.host_done_at && now < *s.host_done_at)
        return false;
      finish_host(s, w, now, fx);
      return true;
    case phase::complete:
      if (!s.asking || !settled(*s.asking, now))
        return false;
      s.asking.reset();
      set_state(s, phase::done, now, fx);
      return true;
    case phase::done:
    case phase::failed:
      break;
  }
  return false;
}

} // namespace

bool advance(session& s, const world_view& world, sys_time now,
             const maintenance_settings& settings, effects& fx) {
  auto before = s;
  for (int steps = 0; steps < 1000 && step(s, world, now, settings, fx); ++steps) {
  }
  if (s == before)
    return false;
  s.updated_at = whole_seconds(now);
  return true;
}

std::optional<sys_time> wake_at(const session& s) {
  std::optional<sys_time> next;
  auto consider = [&](const std::optional<sys_time>& t) {
    if (t && (!next || *t < *next))
      next = t;
  };
  if (!is_running(s))
    return std::nullopt;
  if (s.asking)
    consider(s.asking->reply_at);
  else if (s.state == phase::maintenance)
    consider(s.maintenance_at);
  consider(s.host_done_at);
  for (auto& [uuid, m] : s.moves)
    if (m.progress != move::status::done)
      consider(m.deadline);
  return next;
}

std::optional<refusal> resume(session& s, sys_time now, effects& fx) {
  if (s.state != phase::failed)
    return refusal{409, "Session " + s.session_id + " is in state " + name_of(s.state)
                          + "; only a failed session can be resumed"};
  // A refusal before anything moved asks every project again; later, the
  // hosts not yet maintained are taken up one by one again.
  if (s.failed_state == phase::maintenance)
    s.projects.reset();
  s.failed_state.reset();
  s.failure_reason.reset();
  s.asking.reset();
  set_state(s, phase::maintenance, now, fx);
  return std::nullopt;
}

void abandon(session& s, const world_view& world, effects& fx) {
  release_host(s, world, fx);
}

} // namespace steward::maintenance
