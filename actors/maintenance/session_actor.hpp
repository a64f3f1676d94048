#pragma once
// One maintenance session: the only writer of its document. It keeps its
// own view of the cloud (hosts, instances, constraints), which its registry
// keeps current, and moves on by the workflow whenever the view changes, a
// project replies or one of its deadlines passes. Each step is stored in
// one transaction with its compute commands and notifications.
#include <caf/typed_event_based_actor.hpp>

#include "actors/entity_support.hpp"

namespace steward::maintenance {

inline const entity_kind session_kind{"maintenance_session", "session_id", "fenix", ""};

struct session_state : entity_core {
  static inline const char* name = "maintenance-session";
  world_view world;
  bool has_world = false;  // nothing moves before the registry sent the view
};

session_actor::behavior_type
session_actor_impl(session_actor::stateful_pointer<session_state> self, const actor_services* svc,
                   entity_owner_actor registry, document doc, int64_t version, bool stored);

} // namespace steward::maintenance
