#pragma once
// One inventory host: a compute node Steward manages. It is the only writer
// of its document; its one timer re-enables it when `disabled_until` passes.
#include <caf/typed_event_based_actor.hpp>

#include "actors/services.hpp"

namespace steward::inventory {

struct host_state {
  static inline const char* name = "host";
  const actor_services* svc = nullptr;
  registry_actor registry;
  document doc;
  int64_t version = 0;
  bool stored = false;          // false until the first write is on disk
  uint64_t timer_generation = 0;
};

/// `stored` is true for a host recovered from the store, false for a new one
/// whose first command ("create" or a notification) writes it.
entity_actor::behavior_type
host_actor(entity_actor::stateful_pointer<host_state> self, const actor_services* svc,
           registry_actor registry, nlohmann::json doc, int64_t version, bool stored);

} // namespace steward::inventory
