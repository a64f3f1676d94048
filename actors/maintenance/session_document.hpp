#pragma once
// A maintenance session's requests: created from the operator's request,
// answered by projects. The workflow that moves it on is in workflow.hpp.
// No actors here.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/maintenance/session_json.hpp"
#include "actors/settings.hpp"
#include "common/clock.hpp"
#include "common/refusal.hpp"
#include "messages/world.hpp"

namespace steward::maintenance {

/// Builds a session from the fields of `POST /v1/maintenance`: its date not
/// past, its hosts compute hosts of the inventory (`world`) that no other
/// running session holds (`busy_hosts`).
std::optional<refusal> make_session(const session_fields& fields, const world_view& world,
                                    const std::vector<std::string>& busy_hosts, sys_time now,
                                    const maintenance_settings& settings,
                                    const std::string& base_url, session& made);

/// The instances of `project` the session asks it about now (GET of the
/// project API).
std::vector<std::string> project_instances(const session& s, const std::string& project);

/// Records a project's reply (PUT of the project API): `state` must be
/// ACK_/NACK_ and the state the session asks about, each action one of the
/// allowed ones, each instance the project's and the session's.
std::optional<refusal> record_reply(session& s, const std::string& project,
                                    const reply_fields& fields, sys_time now);

/// The reason the session gives when it disables a host.
std::string disable_reason(const session& s);

/// The URL a project reads its instances from and replies to.
std::string project_url(const session& s, const std::string& project);

} // namespace steward::maintenance
