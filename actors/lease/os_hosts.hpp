#pragma once
// /v1/os-hosts inside the lease registry: hosts enrolled as reservable,
// their extra capabilities, their allocations. Operators only.
#include "actors/lease/lease_registry.hpp"

namespace steward::lease {

using lease_registry_ptr = lease_registry_actor::stateful_pointer<lease_registry_state>;

// Each request of /v1/os-hosts; the registry has checked that the caller
// is an operator and that every host is known.
caf::result<api_reply> serve(lease_registry_ptr self, reservable_host_list& r);
caf::result<api_reply> serve(lease_registry_ptr self, reservable_host_enroll& r);
caf::result<api_reply> serve(lease_registry_ptr self, reservable_host_show& r);
caf::result<api_reply> serve(lease_registry_ptr self, reservable_host_update& r);
caf::result<api_reply> serve(lease_registry_ptr self, reservable_host_withdraw& r);
caf::result<api_reply> serve(lease_registry_ptr self, host_allocation_list& r);
caf::result<api_reply> serve(lease_registry_ptr self, host_allocation_show& r);
caf::result<api_reply> serve(lease_registry_ptr self, host_property_list& r);
caf::result<api_reply> serve(lease_registry_ptr self, host_property_update& r);

/// The enrolled hosts, as allocation candidates.
std::vector<const inventory::host*> enrolled_hosts(const lease_registry_state& st);

} // namespace steward::lease
