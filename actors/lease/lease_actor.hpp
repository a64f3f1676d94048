#pragma once
// One lease: the only writer of its document, driven by its own timer, armed
// for its next UNDONE event (start_lease, before_end_lease, end_lease). An
// event runs in one transaction with what it asks of the compute layer: on
// start the hosts pass to the lease, before the end the snapshots of the
// reservations whose before_end says so, at the end the deletion of every
// instance still on the hosts, which the lease then frees.
#include <caf/typed_event_based_actor.hpp>

#include "actors/entity_support.hpp"
#include "actors/lease/lease_json.hpp"

namespace steward::lease {

inline const entity_kind lease_kind{"lease", "blazar.lease"};

// What the registry and entity skeletons need of a lease (entity_kind.hpp).
inline std::string entity_id(const entity_kind&, const lease& l) { return l.id; }
inline std::string entity_project(const entity_kind&, const lease& l) { return l.project_id; }
inline nlohmann::json presented(const lease& l) { return present(l); }
/// The lease's stored row, and with `event_type` the event that carries it
/// as Blazar shows it.
inline void stage(change& c, const entity_kind& k, const lease& l, int64_t version,
                  const std::string& event_type) {
  c.upsert(k.kind, l.id, l.project_id, to_stored(l), version);
  if (!event_type.empty())
    c.emit({event_type, l.project_id, k.publisher, present(l)});
}

struct lease_state : entity_core_of<lease> {
  static inline const char* name = "lease";

  /// The registry that spawned the lease, which is the lease registry.
  lease_registry_actor leases() const { return caf::actor_cast<lease_registry_actor>(registry); }
};

lease_actor_type::behavior_type
lease_actor(lease_actor_type::stateful_pointer<lease_state> self, const actor_services* svc,
            owner_of<lease_snapshot> registry, std::shared_ptr<const lease> value,
            int64_t version, bool stored);

} // namespace steward::lease
