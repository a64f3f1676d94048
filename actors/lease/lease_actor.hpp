#pragma once
// One lease: the only writer of its document, driven by its own timer, armed
// for its next UNDONE event (start_lease, before_end_lease, end_lease). An
// event runs in one transaction with what it asks of the compute layer: on
// start the hosts pass to the lease, before the end the snapshots of the
// reservations whose before_end says so, at the end the deletion of every
// instance still on the hosts, which the lease then frees.
#include <caf/typed_event_based_actor.hpp>

#include "actors/entity_support.hpp"

namespace steward::lease {

inline const entity_kind lease_kind{"lease", "id", "blazar.lease", "project_id"};

struct lease_state : entity_core {
  static inline const char* name = "lease";

  /// The registry that spawned the lease, which is the lease registry.
  lease_registry_actor leases() const { return caf::actor_cast<lease_registry_actor>(registry); }
};

lease_actor_type::behavior_type
lease_actor(lease_actor_type::stateful_pointer<lease_state> self, const actor_services* svc,
            entity_owner_actor registry, document doc, int64_t version, bool stored);

} // namespace steward::lease
