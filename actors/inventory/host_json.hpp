#pragma once
// The JSON edges of an inventory host: the document the inventory API shows
// and its host.* events carry, the stored row, and an extra capability's
// value. No actors here.
#include <optional>

#include <nlohmann/json.hpp>

#include "messages/host.hpp"

namespace steward::inventory {

/// A capability's value as JSON; and a JSON scalar (text, number, boolean)
/// as a capability, nothing for anything else.
nlohmann::json capability_json(const capability& c);
std::optional<capability> read_capability(const nlohmann::json& v);

/// The host's `status` ("enabled" / "disabled") and `state` ("up" / "down")
/// as the API shows them, lists filter on them and host filters see them.
inline const char* status_text(const host& h) { return h.enabled ? "enabled" : "disabled"; }
inline const char* state_text(const host& h) { return h.up ? "up" : "down"; }

/// The host as the inventory API shows it and its events carry it.
nlohmann::json to_document(const host& h);
/// Such a document read back; nothing when it has no text id. Missing or
/// mistyped fields read as their defaults.
std::optional<host> from_document(const nlohmann::json& doc);

/// The version of the stored row this code writes. A row names its version
/// in "schema"; rows written before there was one are the same document.
constexpr int stored_schema = 1;

/// The stored row: the document and its version.
nlohmann::json to_stored(const host& h);
/// A stored row of any version read back into a host; nothing when it is
/// not one (unreadable, or of a later version than this code knows).
std::optional<host> from_stored(const nlohmann::json& row);

} // namespace steward::inventory
