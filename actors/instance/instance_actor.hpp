#pragma once
// One instance: the only writer of its document. An API command schedules a
// transition (answered 202 once stored); the instance then begins it on its
// own timer, which sends the compute command in the same transaction; the
// compute layer's outcome notification completes it.
#include <deque>

#include <caf/typed_event_based_actor.hpp>

#include "actors/instance/instance_document.hpp"
#include "actors/instance/instance_json.hpp"
#include "actors/entity_support.hpp"

namespace steward::instance {

inline const entity_kind instance_kind{"instance", "steward.instances"};

// What the registry and entity skeletons need of an instance (entity_kind.hpp).
inline std::string entity_id(const entity_kind&, const instance& i) { return i.uuid; }
inline std::string entity_project(const entity_kind&, const instance& i) { return i.project; }
inline nlohmann::json presented(const instance& i) { return to_document(i); }
inline void stage(change& c, const entity_kind& k, const instance& i, int64_t version,
                  const std::string& event_type) {
  stage_typed(c, k, i, version, event_type, stored_schema);
}

struct instance_state : entity_core_of<instance> {
  static inline const char* name = "instance";
  std::deque<usage_sample> samples;  // kept in memory only, newest last
};

instance_actor_type::behavior_type
instance_actor(instance_actor_type::stateful_pointer<instance_state> self, const actor_services* svc,
               owner_of<instance_snapshot> registry, std::shared_ptr<const instance> value,
               int64_t version, bool stored);

} // namespace steward::instance
