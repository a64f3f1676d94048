#pragma once
// The JSON edges of a maintenance session: the document Fenix's detail
// shows and the session's events carry, and the stored row. No actors here.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "messages/maintenance.hpp"

namespace steward::maintenance {

/// Fenix's date format: "2026-11-22 18:00:00" (UTC).
inline const char* const time_format = "%Y-%m-%d %H:%M:%S";
std::string show_time(sys_time t);
/// Such a date; nothing when it is not one.
std::optional<sys_time> read_time(const nlohmann::json& value);

/// Actions by Fenix's names (["MIGRATE", "LIVE_MIGRATE"]).
nlohmann::json action_names(const std::vector<instance_action>& actions);

/// The session as `GET /v1/maintenance/{id}/detail` shows it and its
/// events carry it.
nlohmann::json to_document(const session& s);
/// Such a document read back; nothing when it has no text id or no state
/// Fenix names. Missing or mistyped fields read as their defaults.
std::optional<session> from_document(const nlohmann::json& doc);

/// The version of the stored row this code writes. A row names its version
/// in "schema"; rows written before there was one are the same document.
constexpr int stored_schema = 1;

/// The stored row: the document and its version.
nlohmann::json to_stored(const session& s);
/// A stored row of any version read back into a session; nothing when it is
/// not one (unreadable, or of a later version than this code knows).
std::optional<session> from_stored(const nlohmann::json& row);

} // namespace steward::maintenance
