#pragma once
// Every typed-actor interface of Steward, in one place.
#include <cstdint>
#include <string>
#include <vector>

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/api.hpp"
#include "messages/entity.hpp"
#include "messages/event.hpp"
#include "messages/fwd.hpp"
#include "messages/stream.hpp"
#include "messages/world.hpp"
#include "actors/catalog/catalog.hpp"

namespace steward {

/// The store as an actor: answers a write batch once it is on disk.
using store_actor = caf::typed_actor<
  caf::replies_to<store::write_batch>::with<commit_ack>,
  // From the store's writer thread: the write with this token finished.
  caf::reacts_to<atom::committed, uint64_t, commit_ack>>;

/// What every entity actor (one host, one lease, ...) understands.
using entity_actor = caf::typed_actor<
  caf::replies_to<api_command>::with<api_reply>,
  // A bus notification about this entity; answered once its effect is stored.
  caf::replies_to<atom::notify, bus::notification>::with<atom::done>,
  // One of the entity's own timers (by generation).
  caf::reacts_to<atom::timer, uint64_t>,
  // The test clock jumped: re-arm timers against the new time.
  caf::reacts_to<atom::clock_jump>>;

/// What every registry (one per entity kind) understands.
using registry_actor = caf::typed_actor<
  caf::replies_to<api_command>::with<api_reply>,
  caf::replies_to<atom::notify, bus::notification>::with<atom::done>,
  caf::reacts_to<atom::changed, entity_snapshot>,
  caf::reacts_to<atom::removed, std::string>,
  caf::reacts_to<atom::clock_jump>>;


/// Whoever follows the inventory's hosts (the lease registry): it hears of
/// every host document as stored, and of every host removed.
using host_watcher_actor = caf::typed_actor<
  caf::reacts_to<atom::inventory, entity_snapshot>,
  caf::reacts_to<atom::inventory, atom::removed, std::string>,
  // Every host known at subscription time was sent.
  caf::reacts_to<atom::inventory, atom::done>>;

/// Whoever follows the instances (the maintenance registry): it hears of
/// every instance document as stored, and of every instance removed.
using instance_watcher_actor = caf::typed_actor<
  caf::reacts_to<atom::workload, entity_snapshot>,
  caf::reacts_to<atom::workload, atom::removed, std::string>,
  // Every instance known at subscription time was sent.
  caf::reacts_to<atom::workload, atom::done>>;

/// The instance registry also reads the catalog the catalog actor keeps, and
/// tells its watchers of every instance.
using instance_registry_actor
  = registry_actor::extend<caf::reacts_to<atom::catalog, catalog_snapshot>,
                           caf::reacts_to<atom::workload, instance_watcher_actor>>;

/// The host registry: a watcher that subscribes hears of every host from then on.
using host_registry_actor
  = registry_actor::extend<caf::reacts_to<atom::inventory, host_watcher_actor>>;

/// The lease registry follows the inventory's hosts (to allocate them).
using lease_registry_actor = registry_actor::extend_with<host_watcher_actor>;

/// The maintenance registry follows hosts and instances (its sessions' view).
using maintenance_registry_actor
  = registry_actor::extend_with<host_watcher_actor>::extend_with<instance_watcher_actor>;

/// A maintenance session: an entity that also keeps its view of the cloud.
using session_actor = entity_actor::extend<caf::reacts_to<atom::workload, world_view>,
                                           caf::reacts_to<atom::workload, world_change>>;

/// Fans committed events out to SSE clients.
using event_hub_actor = caf::typed_actor<
  caf::reacts_to<atom::subscribe, stream_subscription>,
  caf::reacts_to<atom::unsubscribe, uint64_t>,
  caf::reacts_to<atom::committed, committed_events>,
  // A page of stored events for a client catching up (subscriber id).
  caf::reacts_to<atom::replay, uint64_t, committed_events>>;

/// Routes bus notifications to registries, drops duplicates, acks.
using ingest_actor = caf::typed_actor<caf::reacts_to<inbound_notification>>;

} // namespace steward
