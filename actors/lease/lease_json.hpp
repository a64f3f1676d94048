#pragma once
// The JSON edges of a lease: the document Blazar's clients read (replies,
// lease notifications, the event stream) and the row the store keeps. No
// actors here.
#include <optional>

#include <nlohmann/json.hpp>

#include "messages/lease.hpp"

namespace steward::lease {

/// The lease as Blazar shows it (GET /v1/leases/{id}, lease.* notifications).
nlohmann::json present(const lease& l);

/// The version of the stored row this code writes. A row names its version
/// in "schema"; rows written before there was one are Blazar documents.
constexpr int stored_schema = 1;

/// The stored row: every field of the lease, times as ISO 8601 text.
nlohmann::json to_stored(const lease& l);
/// A stored row of any version read back into a lease; nothing when it is
/// not one (unreadable, or of a later version than this code knows).
std::optional<lease> from_stored(const nlohmann::json& row);

} // namespace steward::lease
