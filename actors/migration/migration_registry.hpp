#pragma once
// Migrations between two clouds (/resources, /tenants, /events: Pumphouse).
// The registry keeps the view its migrations work on (it follows the
// inventory's hosts and instances and reads the catalog), shares it with
// the running migrations, shows both clouds from it, and begins at most one
// migration per tenant at a time.
#include <map>
#include <vector>

#include <caf/typed_event_based_actor.hpp>

#include "actors/entity_table.hpp"
#include "actors/services.hpp"

namespace steward::migration {

struct migration_registry_state {
  static inline const char* name = "migration-registry";
  const actor_services* svc = nullptr;
  entity_table_of<operation> operations;
  std::map<std::string, std::string> running;  // tenant -> its running migration
  world_view world;
  catalog::catalog_ptr cat;
  bool hosts_synced = false;
  bool instances_synced = false;
  bool synced() const { return hosts_synced && instances_synced; }
};

/// `cat`: the catalog as stored when it starts (the catalog actor sends
/// every later version); `recovered`: the stored migrations.
migration_registry_actor::behavior_type
migration_registry(migration_registry_actor::stateful_pointer<migration_registry_state> self,
                   const actor_services* svc, catalog::catalog_ptr cat,
                   std::vector<store::entity_record> recovered);

} // namespace steward::migration
