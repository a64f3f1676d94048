#pragma once
// A migration between two clouds as Steward holds it (Pumphouse): one
// operation (a tenant's migration from the source cloud to the destination,
// with what it prepares in the destination and each server's way there; a
// host's evacuation to the other hosts of its cloud; an empty host's
// reassignment from the source to the destination; a reset). A
// value: the migration actor owns one. Its events are the operation's event
// stream (GET /events/{id}); JSON is made only at its edges
// (actors/migration/migration_json.hpp).
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/clock.hpp"

namespace steward::migration {

/// What an operation does.
enum class operation_kind : char {
  tenant = 't',        // a tenant's servers move to the destination
  reassignment = 'r',  // an empty host of the source joins the destination
  reset = 'x',         // the clouds go back to their starting workload
  evacuation = 'e',    // a host is blocked and its servers move to other hosts of its cloud
};

/// How an operation stands.
enum class operation_status : char {
  running = 'r',
  completed = 'c',  // every server migrated
  failed = 'f',     // it ended, and some server (or a prerequisite) failed
  cancelled = 'x',  // a cancel stopped it; what had not begun stayed
};

/// One thing a tenant's servers need in the destination before any boots
/// there: the tenant itself, a flavor, an image, a network of the tenant,
/// a user's keypair. Made once per operation and shared by all its servers.
/// (A reassignment's one step is of this kind too: its host, in the
/// destination.)
/// A reset's steps: the clouds restored (`clouds`), each reassigned host
/// back in the source (`host`). An evacuation's: its host disabled in its
/// cloud (`block`), before any server moves.
enum class prerequisite_kind : char {
  tenant = 't',
  flavor = 'f',
  image = 'i',
  host = 'h',
  clouds = 'c',
  block = 'b',
  network = 'n',  // made once the tenant is there: it is the tenant's
  keypair = 'k',  // a user's key, held by the destination too (same id)
};

struct prerequisite {
  prerequisite_kind kind = prerequisite_kind::tenant;
  std::string source_id;       // the project, flavor or image in the source
  std::string name;
  std::string destination_id;  // chosen before it is asked for; found in the catalog after
  bool requested = false;      // its compute command is stored
  bool ready = false;          // the destination's catalog has it
  bool failed = false;         // the compute layer refused to make it
  int64_t progress = 0;        // an image's upload: the last percentage reported
};

/// Where one server stands on its way from the source to the destination.
enum class server_step : char {
  waiting = 'w',      // not begun: its prerequisites or a free slot
  suspending = 's',   // stopped in the source
  booting = 'b',      // made in the destination
  terminating = 't',  // deleted in the source
  migrated = 'm',     // done
  resuming = 'r',     // it failed: started again in the source
  failed = 'f',       // done, failed (started again in the source when it ran)
  left = 'l',         // the migration was cancelled before it began: it stays
                      // (an evacuation's: it left the host by other means)
  relocating = 'v',   // an evacuation's: moving to another host of its cloud
};

struct server_move {
  std::string source_id;
  std::string name;
  std::string flavor;          // source catalog ids
  std::string image;
  std::string key_name;        // "" none
  bool was_running = true;     // resumed after a failure only if it ran
  std::string destination_id;  // chosen before the boot is asked for
  std::string target_host;     // the destination host chosen for it
  server_step step = server_step::waiting;
  std::optional<sys_time> deadline;  // a relocation not done by then failed
  std::string error;           // why it failed
};

struct operation {
  std::string id;      // also its event stream's id
  operation_kind kind = operation_kind::tenant;
  std::string tenant;  // the project migrating (a tenant's migration)
  std::string tenant_name;
  std::string host;    // the host reassigned or evacuated
  bool host_was_blocked = false;  // an evacuation's host was disabled before it: it stays so
  operation_status status = operation_status::running;
  bool cancel_requested = false;
  sys_time created;
  sys_time updated;
  std::vector<prerequisite> prerequisites;
  std::vector<server_move> servers;  // in the source's name order
};

/// Whether the step is an end (nothing more happens to the server).
/// `migrated` is an evacuated server's end too: it is on another host.
inline bool is_final(server_step s) {
  return s == server_step::migrated || s == server_step::failed || s == server_step::left;
}
/// Whether the server holds one of the operation's parallel slots.
inline bool is_moving(server_step s) {
  return s == server_step::suspending || s == server_step::booting
         || s == server_step::terminating || s == server_step::resuming
         || s == server_step::relocating;
}

/// The event types of an operation's stream, as the general stream and the
/// bus name them: `migration.` and Pumphouse's name with dots for spaces.
namespace event_type {
inline const char* const tenant_migrate = "migration.tenant.migrate";
inline const char* const tenant_create = "migration.tenant.create";
inline const char* const tenant_migrated = "migration.tenant.migrated";
inline const char* const flavor_create = "migration.flavor.create";
inline const char* const flavor_created = "migration.flavor.created";
inline const char* const image_created = "migration.image.created";
inline const char* const image_uploading = "migration.image.uploading";
inline const char* const image_uploaded = "migration.image.uploaded";
inline const char* const network_create = "migration.network.create";
inline const char* const network_created = "migration.network.created";
inline const char* const keypair_create = "migration.keypair.create";
inline const char* const keypair_created = "migration.keypair.created";
inline const char* const server_migrate = "migration.server.migrate";
inline const char* const server_suspended = "migration.server.suspended";
inline const char* const server_boot = "migration.server.boot";
inline const char* const server_terminate = "migration.server.terminate";
inline const char* const server_migrated = "migration.server.migrated";
inline const char* const server_resumed = "migration.server.resumed";
inline const char* const error = "migration.error";
inline const char* const host_reassign = "migration.host.reassign";
inline const char* const host_reassigned = "migration.host.reassigned";
inline const char* const host_evacuation = "migration.host.evacuation";
inline const char* const host_block = "migration.host.block";
inline const char* const host_evacuated = "migration.host.evacuated";
inline const char* const server_live_migration = "migration.server.live.migration";
inline const char* const server_live_migrated = "migration.server.live.migrated";
inline const char* const reset_start = "migration.reset.start";
inline const char* const reset_completed = "migration.reset.completed";
} // namespace event_type

/// The events after which an operation's stream has nothing more to say.
inline std::set<std::string> final_event_types() {
  return {event_type::tenant_migrated, event_type::host_reassigned, event_type::host_evacuated,
          event_type::reset_completed};
}

} // namespace steward::migration
