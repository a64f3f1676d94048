#pragma once
// One application environment (Murano): the only writer of its value, the
// object model with its configuration sessions. Requests about it reach it
// through its registry, which has checked the caller's project.
#include <map>
#include <set>
#include <string>

#include <caf/typed_event_based_actor.hpp>

#include "actors/entity_support.hpp"
#include "actors/environment/environment_json.hpp"

namespace steward::environment {

inline const entity_kind environment_kind{"environment", "murano"};

// What the registry and entity skeletons need of an environment (entity_kind.hpp).
inline std::string entity_id(const entity_kind&, const environment& e) { return e.id; }
inline std::string entity_project(const entity_kind&, const environment& e) {
  return e.tenant_id;
}
inline nlohmann::json presented(const environment& e) { return to_stored(e); }
inline void stage(change& c, const entity_kind& k, const environment& e, int64_t version,
                  const std::string& event_type) {
  stage_typed(c, k, e, version, event_type, stored_schema);
}

struct environment_state : entity_core_of<environment> {
  static inline const char* name = "environment";
  /// Instances with a deployment's command on its way (not yet answered).
  std::set<std::string> in_flight;
  /// The version of each instance last heard of, answers first: older
  /// news is stale, and news before an answer is not taken.
  std::map<std::string, int64_t> heard;
};

environment_actor_type::behavior_type
environment_actor(environment_actor_type::stateful_pointer<environment_state> self,
                  const actor_services* svc, owner_of<environment_snapshot> registry,
                  std::shared_ptr<const environment> value, int64_t version, bool stored);

} // namespace steward::environment
