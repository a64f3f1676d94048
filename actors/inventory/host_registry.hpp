#pragma once
// The inventory's hosts: spawns, finds and recovers host actors, answers lists
// from their snapshots, and learns hosts from compute service notifications.
#include <unordered_map>
#include <vector>

#include <caf/typed_event_based_actor.hpp>

#include "actors/entity_table.hpp"
#include "actors/services.hpp"

namespace steward::inventory {

struct host_registry_state {
  static inline const char* name = "host-registry";
  const actor_services* svc = nullptr;
  entity_table_of<host> hosts;
  std::unordered_map<std::string, std::string> id_by_name; // hypervisor_hostname -> id
  entity_watchers<host_watcher_actor, atom::inventory> watchers;
};

host_registry_actor::behavior_type
host_registry(host_registry_actor::stateful_pointer<host_registry_state> self,
              const actor_services* svc, std::vector<store::entity_record> recovered);

} // namespace steward::inventory
