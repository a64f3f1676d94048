#pragma once
// One maintenance session: the only writer of its value. It keeps its
// own view of the cloud (hosts, instances, constraints), which its registry
// keeps current, and moves on by the workflow whenever the view changes, a
// project replies or one of its deadlines passes. Each step is stored in
// one transaction with its compute commands and notifications.
#include <caf/typed_event_based_actor.hpp>

#include "actors/entity_support.hpp"
#include "actors/maintenance/session_json.hpp"

namespace steward::maintenance {

inline const entity_kind session_kind{"maintenance_session", "fenix"};

// What the registry and entity skeletons need of a session (entity_kind.hpp).
inline std::string entity_id(const entity_kind&, const session& s) { return s.session_id; }
inline std::string entity_project(const entity_kind&, const session&) { return ""; }
inline nlohmann::json presented(const session& s) { return to_document(s); }
inline void stage(change& c, const entity_kind& k, const session& s, int64_t version,
                  const std::string& event_type) {
  stage_typed(c, k, s, version, event_type, stored_schema);
}

struct session_state : entity_core_of<session> {
  static inline const char* name = "maintenance-session";
  world_view world;
  bool has_world = false;  // nothing moves before the registry sent the view
};

session_actor::behavior_type
session_actor_impl(session_actor::stateful_pointer<session_state> self, const actor_services* svc,
                   owner_of<session_snapshot> registry, std::shared_ptr<const session> value,
                   int64_t version, bool stored);

} // namespace steward::maintenance
