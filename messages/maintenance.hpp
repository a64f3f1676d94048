#pragma once
// A maintenance session as Steward holds it: the hosts it empties one by
// one, the round of questions its projects answer, the moves of the host it
// holds, its deadlines. A value: the session actor owns one, the registry
// shares it read-only. JSON only at its edges
// (actors/maintenance/session_json.hpp: the document Fenix's API shows and
// the session's events carry, and the stored row), and in what the operator
// gave as free-form JSON (metadata, actions).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"

namespace steward::maintenance {

/// The session's state, in Fenix's words (REFERENCE.md). A round asks the
/// projects about one of them.
enum class phase : char {
  maintenance = 'm',  // MAINTENANCE: every project told; waits for maintenance_at
  prepare = 'p',      // PREPARE_MAINTENANCE: the first host held, its projects asked
  planned = 'l',      // PLANNED_MAINTENANCE: a later host held, its projects asked
  start = 's',        // START_MAINTENANCE: the empty host maintained
  complete = 'c',     // MAINTENANCE_COMPLETE: every project told it is over
  done = 'd',         // MAINTENANCE_DONE
  failed = 'f',       // MAINTENANCE_FAILED
};

/// What happens to an instance on the host being emptied.
enum class instance_action : char {
  migrate = 'm',       // MIGRATE (Steward cold-migrates it)
  live_migrate = 'l',  // LIVE_MIGRATE
  own_action = 'o',    // OWN_ACTION (its project moves it, within a deadline)
};

/// A project's answer to a round.
struct reply {
  bool refused = false;  // NACK_<state>; ACK_<state> otherwise
  std::map<std::string, instance_action> instance_actions;  // instance uuid -> action
  sys_time at;
};

/// The question a session asks its projects about a state.
struct round {
  phase state = phase::maintenance;
  std::vector<instance_action> allowed_actions;
  sys_time reply_at;
  sys_time actions_at;
  std::map<std::string, std::optional<reply>> replies;  // every project asked: its reply
  std::map<std::string, std::string> instances;         // uuid -> project, asked about
};

/// An instance of the held host on its way off it.
struct move {
  enum class status : char { waiting = 'w', own = 'o', moving = 'm', done = 'd' };
  std::string project;
  instance_action action = instance_action::migrate;
  status progress = status::waiting;
  std::optional<std::string> target;    // the host it moves to, once commanded
  std::optional<sys_time> deadline;     // of its project's own action, or of the move
  std::optional<bool> was_erred;        // whether it was erred as its move began
};

/// What a create body of /v1/maintenance gives, read by the route; the
/// inventory and the clock are the registry's to check against.
struct session_fields {
  sys_time maintenance_at;
  std::string maintenance_at_text;  // as given, for a refusal
  nlohmann::json metadata = nlohmann::json::object();
  nlohmann::json actions = nlohmann::json::array();
  std::vector<std::string> hosts;  // once each, in the order asked; none: every compute host
  // The metadata's overrides of the configured durations (seconds).
  std::optional<int> reply_seconds, own_action_seconds, host_seconds, move_seconds;
};

/// An instance's action in a project's reply: as the body wrote it (JSON
/// text, for a refusal) and the action it names, if it names one.
struct action_given {
  std::string given;
  std::optional<instance_action> action;
};

/// What a project's reply body gives.
struct reply_fields {
  std::string state;  // "" when not a text
  std::map<std::string, action_given> instance_actions;
};

struct session {
  std::string session_id;
  phase state = phase::maintenance;
  std::string workflow = "default";
  sys_time maintenance_at;
  nlohmann::json metadata = nlohmann::json::object();  // as the operator gave it
  nlohmann::json actions = nlohmann::json::array();    // as the operator gave them
  std::vector<std::string> hosts;       // hypervisor hostnames, in the order asked
  std::vector<std::string> maintained;  // those done (or gone from the inventory)
  std::optional<std::string> host;      // the one held now
  std::optional<std::vector<std::string>> projects;  // told in the first round; none before
  std::optional<round> asking;          // the round under way
  std::map<std::string, move> moves;    // instance uuid -> its move off the held host
  std::optional<sys_time> host_done_at; // the held host's maintenance ends then
  std::optional<phase> failed_state;    // the state it failed in
  std::optional<std::string> failure_reason;
  int64_t reply_seconds = 0;
  int64_t own_action_seconds = 0;
  int64_t host_seconds = 0;
  int64_t move_seconds = 600;
  std::string base_url;  // of the API the projects reply to
  sys_time created_at;
  std::optional<sys_time> updated_at;
};

/// What a project tells the workflow about one of its instances
/// (/v1/instance/{id}). A field given as null stays null (none), as the API
/// shows it; one left out takes its default.
struct instance_constraint {
  std::string instance_id;
  std::string project_id;
  std::optional<std::string> group_id;
  std::optional<std::string> instance_name;
  std::optional<int64_t> max_interruption_time = 0;  // seconds
  std::optional<instance_action> migration_type = instance_action::migrate;
  std::optional<bool> resource_mitigation = false;
  std::optional<int64_t> lead_time = 0;  // seconds a round gives it at least
};

/// What a project tells the workflow about a group of its instances
/// (/v1/instance_group/{id}); nulls as for an instance's.
struct group_constraint {
  std::string group_id;
  std::string project_id;
  std::optional<std::string> group_name;
  std::optional<bool> anti_affinity_group = false;
  std::optional<int64_t> max_instances_per_host = 0;  // 0: no limit
  std::optional<int64_t> max_impacted_members = 0;    // moving at once; 0: no limit
  std::optional<int64_t> recovery_time = 0;
  std::optional<bool> resource_mitigation = false;
};

/// Fenix's name of a state ("PREPARE_MAINTENANCE"), and a name read back.
inline const char* name_of(phase p) {
  switch (p) {
    case phase::maintenance: return "MAINTENANCE";
    case phase::prepare: return "PREPARE_MAINTENANCE";
    case phase::planned: return "PLANNED_MAINTENANCE";
    case phase::start: return "START_MAINTENANCE";
    case phase::complete: return "MAINTENANCE_COMPLETE";
    case phase::done: return "MAINTENANCE_DONE";
    case phase::failed: return "MAINTENANCE_FAILED";
  }
  return "";
}
inline std::optional<phase> phase_named(const std::string& name) {
  for (auto p : {phase::maintenance, phase::prepare, phase::planned, phase::start,
                 phase::complete, phase::done, phase::failed})
    if (name == name_of(p))
      return p;
  return std::nullopt;
}

inline const char* name_of(instance_action a) {
  switch (a) {
    case instance_action::migrate: return "MIGRATE";
    case instance_action::live_migrate: return "LIVE_MIGRATE";
    case instance_action::own_action: return "OWN_ACTION";
  }
  return "";
}
inline std::optional<instance_action> action_named(const std::string& name) {
  for (auto a : {instance_action::migrate, instance_action::live_migrate,
                 instance_action::own_action})
    if (name == name_of(a))
      return a;
  return std::nullopt;
}

inline const char* name_of(move::status s) {
  switch (s) {
    case move::status::waiting: return "waiting";
    case move::status::own: return "own";
    case move::status::moving: return "moving";
    case move::status::done: return "done";
  }
  return "";
}
inline std::optional<move::status> move_status_named(const std::string& name) {
  for (auto s : {move::status::waiting, move::status::own, move::status::moving,
                 move::status::done})
    if (name == name_of(s))
      return s;
  return std::nullopt;
}

/// Whether the session still runs (neither done nor failed).
inline bool is_running(const session& s) {
  return s.state != phase::done && s.state != phase::failed;
}

inline bool operator==(const reply& a, const reply& b) {
  return std::tie(a.refused, a.instance_actions, a.at)
         == std::tie(b.refused, b.instance_actions, b.at);
}
inline bool operator==(const round& a, const round& b) {
  return std::tie(a.state, a.allowed_actions, a.reply_at, a.actions_at, a.replies, a.instances)
         == std::tie(b.state, b.allowed_actions, b.reply_at, b.actions_at, b.replies, b.instances);
}
inline bool operator==(const move& a, const move& b) {
  return std::tie(a.project, a.action, a.progress, a.target, a.deadline, a.was_erred)
         == std::tie(b.project, b.action, b.progress, b.target, b.deadline, b.was_erred);
}
inline bool operator==(const session& a, const session& b) {
  auto fields = [](const session& x) {
    return std::tie(x.session_id, x.state, x.workflow, x.maintenance_at, x.metadata, x.actions,
                    x.hosts, x.maintained, x.host, x.projects, x.asking, x.moves, x.host_done_at,
                    x.failed_state, x.failure_reason, x.reply_seconds, x.own_action_seconds,
                    x.host_seconds, x.move_seconds, x.base_url, x.created_at, x.updated_at);
  };
  return fields(a) == fields(b);
}
inline bool operator!=(const session& a, const session& b) { return !(a == b); }
inline bool operator==(const instance_constraint& a, const instance_constraint& b) {
  auto fields = [](const instance_constraint& x) {
    return std::tie(x.instance_id, x.project_id, x.group_id, x.instance_name,
                    x.max_interruption_time, x.migration_type, x.resource_mitigation,
                    x.lead_time);
  };
  return fields(a) == fields(b);
}
inline bool operator==(const group_constraint& a, const group_constraint& b) {
  auto fields = [](const group_constraint& x) {
    return std::tie(x.group_id, x.project_id, x.group_name, x.anti_affinity_group,
                    x.max_instances_per_host, x.max_impacted_members, x.recovery_time,
                    x.resource_mitigation);
  };
  return fields(a) == fields(b);
}

} // namespace steward::maintenance
