#pragma once
// The rules of a tenant's migration from the source cloud to the
// destination, without actors: what a new migration holds, and how far it
// moves given what the clouds look like now. The migration actor calls
// `advance` whenever its view changes and stores what it returns; what it
// then asks of the instance registry is `ask_for` each moving server.
// Everything is decided from the view, so asking again after a restart (or
// twice) never does anything twice.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/catalog/catalog.hpp"
#include "actors/settings.hpp"
#include "common/refusal.hpp"
#include "messages/event.hpp"
#include "messages/migration.hpp"
#include "messages/world.hpp"

namespace steward::migration {

/// What the rules read: both clouds' hosts and instances, and the catalog.
struct migration_view {
  const world_view& world;
  const catalog::catalog& cat;
  const migration_settings& settings;
  double cpu_allocation_ratio = 4.0;
};

/// A command for the compute layer (a prerequisite made in the destination).
struct compute_command {
  std::string cloud;
  std::string type;
  nlohmann::json payload;
};

/// What one step asks of the world besides the operation's new value.
struct migration_effects {
  std::vector<domain_event> events;  // the operation's stream, in order
  std::vector<compute_command> commands;
  bool changed = false;              // the operation must be stored
};

/// A new migration of `tenant` with the id `id` (its event stream's), or
/// why there is none.
std::optional<refusal> plan_migration(const std::string& tenant, const std::string& id,
                                      const migration_view& v, sys_time now, operation& out);
/// A new reassignment of an empty host of the source cloud (`host`: its
/// inventory id or name) to the destination, or why there is none.
std::optional<refusal> plan_reassignment(const std::string& host, const std::string& id,
                                         const migration_view& v, sys_time now,
                                         operation& out);
/// A new evacuation of `host` (its inventory id or name): blocked in its
/// cloud, then each of its servers moved to another host of that cloud.
std::optional<refusal> plan_evacuation(const std::string& host, const std::string& id,
                                       const migration_view& v, sys_time now, operation& out);
/// When the operation must look again though nothing changes: the first
/// deadline of a server on its way.
std::optional<sys_time> next_deadline(const operation& op);
/// A reset of both clouds to their starting workload, undoing what the
/// operations `done` (every one ended) did: their migrated servers back in
/// the source, their reassigned hosts too.
operation plan_reset(const std::vector<const operation*>& done, const std::string& id,
                     sys_time now);
/// The key of what an operation works on, one operation at a time:
/// "tenant:<id>" or "host:<name>" (a reassignment's or an evacuation's).
std::string subject_of(const operation& op);
std::string tenant_subject(const std::string& tenant);
/// A reset's key: it works on every operation's subject at once.
inline const char* const reset_subject = "clouds";

/// What a migration of `tenant` would do now, without doing it: the
/// prerequisites the destination has or would get, and for each server the
/// destination host it would boot on, or why it would not move. The hosts
/// are chosen as a migration chooses them, each counting those before it.
std::optional<refusal> plan_document(const std::string& tenant, const migration_view& v,
                                     nlohmann::json& out);
/// The first event of its stream: `tenant migrate`.
domain_event started_event(const operation& op, const migration_settings& settings);

/// Moves the operation as far as the view lets it: prerequisites asked for
/// and found, servers begun within the parallel limit, steps completed,
/// the end.
void advance(operation& op, const migration_view& v, sys_time now, migration_effects& fx);

/// The instance registry answered that a server's step cannot be taken
/// (`why`): the server fails.
void refused(operation& op, const std::string& instance_id, const std::string& why,
             const migration_view& v, sys_time now, migration_effects& fx);

/// The compute layer refused a command (compute.command.error): its type,
/// and what it was about (a host's name, a project's id, a flavor's or
/// image's uuid).
struct command_failure {
  std::string cloud;
  std::string command;
  std::string subject;
  std::string message;
};

/// The compute layer refused to make one of the operation's prerequisites
/// (a refusal of anything else is not this operation's): an `error` names
/// it, and the operation ends failed with the servers that had not begun.
void command_failed(operation& op, const command_failure& f, const migration_view& v,
                    sys_time now, migration_effects& fx);

/// An image of the operation on its way into the destination, as one
/// catalog showed it: `progress` percent uploaded.
struct upload_seen {
  std::string image;  // its id in the destination
  int64_t progress = 0;
};

/// What the catalog of `v` shows of the operation's images being uploaded,
/// appended to `seen` where it is further than the operation or `seen`
/// knew. Called with every catalog, not only the newest a step reads, so
/// that each reported stage of an upload is told.
void watch_uploads(const operation& op, const migration_view& v, std::vector<upload_seen>& seen);

/// An `image uploading` for each stage `seen` that the operation has not
/// told yet, in order.
void report_uploads(operation& op, const std::vector<upload_seen>& seen,
                    const migration_settings& settings, migration_effects& fx);

/// A cancel: servers not begun stay where they are; those moving finish.
void cancel(operation& op, sys_time now, migration_effects& fx);

/// What a moving server asks of the instance registry now.
enum class instance_ask {
  none,
  stop_source,
  start_source,
  boot,
  stop_destination,  // it was stopped in the source: it is stopped there too
  delete_source,
  delete_destination
};
instance_ask ask_for(const server_move& s, const migration_view& v);

/// The instances an operation waits on (sources and destinations of its
/// moving servers).
std::vector<std::string> watched_instances(const operation& op);

/// Words for a status, an step (stored and shown).
const char* name_of(operation_status s);

} // namespace steward::migration
