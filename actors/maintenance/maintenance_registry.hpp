#pragma once
// The maintenance sessions and the instance constraints (/v1/maintenance,
// /v1/instance, /v1/instance_group). The registry keeps the view of the
// cloud its sessions work on: it follows the inventory's hosts and
// instances and owns the constraints, and hands every change to the
// running sessions. Sessions start moving only once the view is complete.
#include <vector>

#include <caf/typed_event_based_actor.hpp>

#include "actors/entity_table.hpp"
#include "actors/services.hpp"

namespace steward::maintenance {

struct maintenance_registry_state {
  static inline const char* name = "maintenance-registry";
  const actor_services* svc = nullptr;
  entity_table_of<session> sessions;
  world_view world;
  bool hosts_synced = false;
  bool instances_synced = false;
  bool synced() const { return hosts_synced && instances_synced; }
};

/// `recovered`: the stored sessions; `constraints`: the stored instance and
/// group constraints.
maintenance_registry_actor::behavior_type
maintenance_registry(maintenance_registry_actor::stateful_pointer<maintenance_registry_state> self,
                     const actor_services* svc, std::vector<store::entity_record> recovered,
                     std::vector<store::entity_record> constraints);

} // namespace steward::maintenance
