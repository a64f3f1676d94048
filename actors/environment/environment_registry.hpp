#pragma once
// The application environments (Murano): spawns, finds and recovers their
// actors, answers lists from their snapshots, keeps names unique per
// project, and checks every request's project before an environment sees it.
#include <map>
#include <set>
#include <string>
#include <vector>

#include <caf/typed_event_based_actor.hpp>

#include "actors/entity_table.hpp"
#include "actors/services.hpp"
#include "actors/shown_cache.hpp"

namespace steward::environment {

struct environment_registry_state {
  static inline const char* name = "environment-registry";
  const actor_services* svc = nullptr;
  entity_table_of<environment> environments;
  /// tenant -> name -> id of every environment, and the names a rename in
  /// flight has claimed (so that two renames cannot both take one).
  std::map<std::string, std::map<std::string, std::string>> names;
  std::set<std::pair<std::string, std::string>> claimed;  // tenant, name
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
