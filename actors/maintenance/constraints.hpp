#pragma once
// Instance and instance-group constraints (/v1/instance, /v1/instance_group):
// what a project tells the maintenance workflow about its instances. No
// actors here.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "actors/maintenance/session_document.hpp"
#include "common/access.hpp"

namespace steward::maintenance {

/// The constraint of instance `id` from a PUT body; the instance must be in
/// the inventory, of `project_id`, where the caller has a role.
std::optional<refusal> make_instance_constraint(const nlohmann::json& body, const std::string& id,
                                                const world_view& world,
                                                const access::caller& who, nlohmann::json& out);

/// The constraint of group `id` from a PUT body.
std::optional<refusal> make_group_constraint(const nlohmann::json& body, const std::string& id,
                                             const access::caller& who, nlohmann::json& out);

} // namespace steward::maintenance
