#pragma once
// The leases and the reservable hosts (/v1/leases, /v1/os-hosts). The
// registry owns the allocation book: every create, and every change of a
// lease's dates, is decided here one at a time, so two requests for the last
// free host never both get it. It follows the inventory's hosts, enrolls
// them as reservable through the host registry, and holds a lease's start
// until every earlier lease on its hosts has ended.
#include <map>
#include <memory>
#include <unordered_map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "actors/entity_table.hpp"
#include "actors/shown_cache.hpp"
#include "actors/lease/allocation_book.hpp"
#include "actors/services.hpp"

namespace steward::lease {

struct lease_registry_state {
  static inline const char* name = "lease-registry";
  const actor_services* svc = nullptr;
  entity_table_of<lease> leases;
  allocation_book book;
  std::map<std::string, host_ptr> hosts;   // inventory host id -> host
  bool hosts_known = false;                // every inventory host was heard of
  std::set<std::string> busy_hosts;        // an enrollment change is in flight
  long last_host_number = 0;
  shown_cache shown;
  // Starts held until an earlier lease on the same hosts has ended.
  std::vector<std::pair<std::string, caf::typed_response_promise<atom::done>>> held_starts;
};

lease_registry_actor::behavior_type
lease_registry(lease_registry_actor::stateful_pointer<lease_registry_state> self,
               const actor_services* svc, std::vector<store::entity_record> recovered);

} // namespace steward::lease
