#pragma once
// /v1/os-hosts inside the lease registry: hosts enrolled as reservable,
// their extra capabilities, their allocations. Operators only.
#include "actors/lease/lease_registry.hpp"

namespace steward::lease {

using lease_registry_ptr = lease_registry_actor::stateful_pointer<lease_registry_state>;

caf::result<api_reply> serve_hosts(lease_registry_ptr self, api_command& cmd);

/// The enrolled hosts, as allocation candidates.
std::vector<const nlohmann::json*> enrolled_hosts(const lease_registry_state& st);

} // namespace steward::lease
