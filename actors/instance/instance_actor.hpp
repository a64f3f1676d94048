#pragma once
// One instance: the only writer of its document. An API command schedules a
// transition (answered 202 once stored); the instance then begins it on its
// own timer, which sends the compute command in the same transaction; the
// compute layer's outcome notification completes it.
#include <deque>

#include <caf/typed_event_based_actor.hpp>

#include "actors/instance/instance_document.hpp"
#include "actors/entity_support.hpp"

namespace steward::instance {

inline const entity_kind instance_kind{"instance", "uuid", "steward.instances"};

struct instance_state : entity_core {
  static inline const char* name = "instance";
  std::deque<usage_sample> samples;  // kept in memory only, newest last
};

instance_actor_type::behavior_type
instance_actor(instance_actor_type::stateful_pointer<instance_state> self, const actor_services* svc,
               entity_owner_actor registry, document doc, int64_t version, bool stored);

} // namespace steward::instance
