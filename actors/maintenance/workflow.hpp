#pragma once
// Fenix's default workflow as a pure function of the session, the view of
// the cloud and the time: `advance` moves a session on as far as it can and
// says what that asks of the world (compute commands, notifications, hosts
// marked in maintenance); the session actor stores all of it at once. No
// actors here.
//
// MAINTENANCE         every project with instances on the hosts is told, and
//                     answers (or its reply_at passes); then maintenance_at
// PREPARE_MAINTENANCE the first host with instances: disabled, its projects
// PLANNED_MAINTENANCE  choose per instance (MIGRATE, LIVE_MIGRATE, OWN_ACTION;
//                     the constraint's or the configured default when silent),
//                     the moves run, INSTANCE_ACTION_DONE per moved instance
// START_MAINTENANCE   the empty host is maintained, then enabled again
// MAINTENANCE_COMPLETE every project is told; then MAINTENANCE_DONE.
// A NACK, a failed move or no room: MAINTENANCE_FAILED, the host enabled
// again, nothing lost; `resume` goes on from there.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/maintenance/session_document.hpp"

namespace steward::maintenance {

struct compute_order {
  std::string cloud;
  std::string type;        // "compute.instance.migrate", "compute.host.disable", ...
  nlohmann::json payload;
};

struct notice {
  std::string type;        // "maintenance.scheduled", "maintenance.host", "maintenance.session"
  std::string project;     // "" for operators
  nlohmann::json payload;
};

/// An inventory host entering (true) or leaving (false) maintenance.
struct host_mark {
  std::string host_id;
  bool in_maintenance;
};

struct effects {
  std::vector<compute_order> commands;
  std::vector<notice> notices;
  std::vector<host_mark> marks;
};

/// Moves the session on as far as it can at `now`; true when it changed.
bool advance(session& s, const world_view& world, sys_time now,
             const maintenance_settings& settings, effects& fx);

/// The next deadline the session waits for, if any.
std::optional<sys_time> wake_at(const session& s);

/// Goes on with a failed session from where it stopped.
std::optional<refusal> resume(session& s, sys_time now, effects& fx);

/// Ends a running session that is deleted: the host it holds is enabled again.
void abandon(session& s, const world_view& world, effects& fx);

} // namespace steward::maintenance
