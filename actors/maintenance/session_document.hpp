#pragma once
// A maintenance session as Fenix keeps it: created from the admin request,
// answered by projects, shown to operators. The workflow that moves it on is
// in workflow.hpp. No actors here.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/settings.hpp"
#include "common/clock.hpp"
#include "common/refusal.hpp"
#include "messages/world.hpp"

namespace steward::maintenance {

/// Fenix's date format: "2026-11-22 18:00:00" (UTC).
std::string show_time(sys_time t);
sys_time read_time(const nlohmann::json& value);

/// The session states (REFERENCE.md).
namespace states {
inline const char* const maintenance = "MAINTENANCE";
inline const char* const scale_in = "SCALE_IN";
inline const char* const prepare = "PREPARE_MAINTENANCE";
inline const char* const start = "START_MAINTENANCE";
inline const char* const planned = "PLANNED_MAINTENANCE";
inline const char* const complete = "MAINTENANCE_COMPLETE";
inline const char* const done = "MAINTENANCE_DONE";
inline const char* const failed = "MAINTENANCE_FAILED";
inline const char* const instance_action_done = "INSTANCE_ACTION_DONE";
} // namespace states

/// Whether the session still runs (neither done nor failed).
bool is_running(const nlohmann::json& session);

/// Builds a session from `POST /v1/maintenance`. `hosts` is the inventory;
/// `busy_hosts` those another running session holds.
std::optional<refusal> make_session(const nlohmann::json& body, const world_view& world,
                                    const std::vector<std::string>& busy_hosts, sys_time now,
                                    const maintenance_settings& settings,
                                    const std::string& base_url, nlohmann::json& session);

/// The instances of `project` the session asks it about now (GET of the
/// project API).
std::vector<std::string> project_instances(const nlohmann::json& session,
                                           const std::string& project);

/// Records a project's reply (PUT of the project API): `state` must be
/// ACK_/NACK_ and the state the session asks about, each action one of the
/// allowed ones, each instance the project's and the session's.
std::optional<refusal> record_reply(nlohmann::json& session, const std::string& project,
                                    const nlohmann::json& body, sys_time now);

/// The reason the session gives when it disables a host.
std::string disable_reason(const nlohmann::json& session);

/// The URL a project reads its instances from and replies to.
std::string project_url(const nlohmann::json& session, const std::string& project);

} // namespace steward::maintenance
