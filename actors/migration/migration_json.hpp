#pragma once
// The stored row of a migration between clouds. No actors here.
#include <optional>

#include <nlohmann/json.hpp>

#include "messages/migration.hpp"

namespace steward::migration {

/// The version of the stored row this code writes ("schema").
constexpr int migration_schema = 1;
nlohmann::json migration_to_stored(const operation& op);
/// A stored row read back; nothing when it is not one (no id, tenant or
/// dates, a step or status this code does not know, or a later version).
std::optional<operation> migration_from_stored(const nlohmann::json& row);

} // namespace steward::migration
