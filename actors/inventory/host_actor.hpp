#pragma once
// One inventory host: a compute node Steward manages. It is the only writer
// of its value; its one timer re-enables it when `disabled_until` passes.
#include <caf/typed_event_based_actor.hpp>

#include "actors/entity_support.hpp"
#include "actors/inventory/host_json.hpp"

namespace steward::inventory {

inline const entity_kind host_kind{"host", "steward.inventory"};

// What the registry and entity skeletons need of a host (entity_kind.hpp).
inline std::string entity_id(const entity_kind&, const host& h) { return h.id; }
inline std::string entity_project(const entity_kind&, const host&) { return ""; }
inline nlohmann::json presented(const host& h) { return to_document(h); }
inline void stage(change& c, const entity_kind& k, const host& h, int64_t version,
                  const std::string& event_type) {
  stage_typed(c, k, h, version, event_type, stored_schema);
}

struct host_state : entity_core_of<host> {
  static inline const char* name = "host";
};

/// `stored` is true for a host recovered from the store, false for a new one
/// whose first command ("create" or a notification) writes it.
host_actor_type::behavior_type
host_actor(host_actor_type::stateful_pointer<host_state> self, const actor_services* svc,
           owner_of<host_snapshot> registry, host_ptr value, int64_t version, bool stored);

} // namespace steward::inventory
