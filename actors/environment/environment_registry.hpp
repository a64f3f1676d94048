#pragma once
// The application environments (Murano): spawns, finds and recovers their
// actors, answers lists from their snapshots, keeps names unique per
// project, and checks every request's project before an environment sees it;
// makes the environments that templates' create-environment asks for.
#include <map>
#include <set>
#include <string>
#include <vector>

#include <caf/typed_event_based_actor.hpp>

#include "actors/entity_table.hpp"
#include "actors/environment/project_names.hpp"
#include "actors/services.hpp"
#include "actors/shown_cache.hpp"

namespace steward::environment {

struct environment_registry_state {
  static inline const char* name = "environment-registry";
  const actor_services* svc = nullptr;
  entity_table_of<environment> environments;
  project_names names;
  /// instance id -> the environment whose running deployment waits on it.
  std::map<std::string, std::string> watched;
  /// Environments as a show (of the deployed model) and a list show them.
  shown_cache shown;
  shown_cache listed;
};

environment_registry_actor::behavior_type environment_registry(
  environment_registry_actor::stateful_pointer<environment_registry_state> self,
  const actor_services* svc, std::vector<store::entity_record> recovered);

} // namespace steward::environment
