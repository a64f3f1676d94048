#pragma once
// One inventory host: a compute node Steward manages. It is the only writer
// of its document; its one timer re-enables it when `disabled_until` passes.
#include <caf/typed_event_based_actor.hpp>

#include "actors/entity_support.hpp"

namespace steward::inventory {

inline const entity_kind host_kind{"host", "id", "steward.inventory", ""};

struct host_state : entity_core {
  static inline const char* name = "host";
};

/// `stored` is true for a host recovered from the store, false for a new one
/// whose first command ("create" or a notification) writes it.
host_actor_type::behavior_type
host_actor(host_actor_type::stateful_pointer<host_state> self, const actor_services* svc,
           entity_owner_actor registry, document doc, int64_t version, bool stored);

} // namespace steward::inventory
