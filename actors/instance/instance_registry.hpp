#pragma once
// All instances: spawns and recovers instance actors, answers filtered,
// ordered, paginated lists from their snapshots, validates creates and
// resizes against the catalog, and takes instances the compute layer reports
// but Steward did not know into the inventory.
#include <unordered_map>
#include <vector>

#include <caf/typed_event_based_actor.hpp>

#include "actors/entity_table.hpp"
#include "actors/instance/instance_index.hpp"
#include "actors/shown_cache.hpp"
#include "actors/services.hpp"

namespace steward::instance {

struct instance_registry_state {
  static inline const char* name = "instance-registry";
  const actor_services* svc = nullptr;
  entity_table_of<instance> instances;
  catalog::catalog_ptr cat;
  entity_watchers<instance_watcher_actor, atom::workload> watchers;
  // What lists filter and order on, per instance, kept as instances and the
  // catalog change rather than worked out per request.
  instance_index listing;
  shown_cache shown;  // instances rendered, per base URL
};

instance_registry_actor::behavior_type
instance_registry(instance_registry_actor::stateful_pointer<instance_registry_state> self,
                  const actor_services* svc, catalog::catalog_ptr cat,
                  std::vector<store::entity_record> recovered);

} // namespace steward::instance
