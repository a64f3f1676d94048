#pragma once
// One operation between the clouds (a tenant's migration, a host's
// evacuation or reassignment, a reset): the only writer of its operation. It works on its registry's view of both clouds
// (hosts, instances, the catalog), moves the operation as far as the view
// lets it (migration_rules.hpp), stores each step with its events, and asks
// the instance registry for what the moving servers need next.
#include <optional>
#include <set>
#include <vector>

#include <caf/typed_event_based_actor.hpp>

#include "actors/entity_support.hpp"
#include "actors/migration/migration_json.hpp"
#include "actors/migration/migration_rules.hpp"

namespace steward::migration {

inline const entity_kind migration_kind{"migration", "steward.migration"};

// What the registry and entity skeletons need of an operation (entity_kind.hpp).
inline std::string entity_id(const entity_kind&, const operation& op) { return op.id; }
inline std::string entity_project(const entity_kind&, const operation&) { return ""; }
inline nlohmann::json presented(const operation& op) { return migration_to_stored(op); }
inline void stage(change& c, const entity_kind& k, const operation& op, int64_t version,
                  const std::string&) {
  // A migration's news are the events of its stream, not its whole row.
  c.upsert(k.kind, op.id, "", migration_to_stored(op), version);
}

struct migration_state : entity_core_of<operation> {
  static inline const char* name = "migration";
  world_view world;
  bool has_view = false;
  catalog::catalog_ptr cat;
  std::set<std::string> in_flight;  // instances with a request of ours under way
  bool writing = false;             // a step is being stored
  bool gathering = false;           // one was just stored: the next waits a moment
  bool cancel_wanted = false;       // a cancel waits for the next step
  std::optional<sys_time> armed_deadline;  // a server's, a timer is set for
  std::vector<command_failure> failures;   // refusals of the compute layer, not stored yet
  std::vector<upload_seen> uploads;        // stages of image uploads, not stored yet
  std::vector<caf::typed_response_promise<api_reply>> cancel_waiters;
};

migration_actor_type::behavior_type
migration_actor(migration_actor_type::stateful_pointer<migration_state> self,
                const actor_services* svc, owner_of<migration_snapshot> registry,
                std::shared_ptr<const operation> value, int64_t version, bool stored);

/// The answer to the POST that began a migration.
nlohmann::json began_document(const operation& op);

} // namespace steward::migration
