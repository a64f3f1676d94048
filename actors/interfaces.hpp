#pragma once
// Every typed-actor interface of Steward, in one place.
#include <cstdint>
#include <string>
#include <vector>

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/requests.hpp"
#include "messages/entity.hpp"
#include "messages/event.hpp"
#include "messages/fwd.hpp"
#include "messages/hosts.hpp"
#include "messages/inspect.hpp"
#include "messages/instances.hpp"
#include "messages/leases.hpp"
#include "messages/stream.hpp"
#include "messages/world.hpp"
#include "actors/catalog/catalog.hpp"

namespace steward {

/// The store as an actor: answers a write batch once it is on disk.
using store_actor = caf::typed_actor<
  caf::replies_to<store::write_batch>::with<commit_ack>,
  // From the store's writer thread: the write with this token finished.
  caf::reacts_to<atom::committed, uint64_t, commit_ack>>;

// -- what several actors answer ------------------------------------------------

/// Answers `Requests` of an API family with the family's reply.
template <class... Requests>
using api_of = caf::typed_actor<typename caf::replies_to<Requests>::template with<api_reply>...>;

/// Takes bus notifications (from the ingest, or its registry); answers once
/// their effect is stored.
using notification_actor
  = caf::typed_actor<caf::replies_to<atom::notify, bus::notification>::with<atom::done>>;

/// Has timers due at dates: when the test clock jumps it re-arms them against
/// the new time.
using clock_follower_actor = caf::typed_actor<caf::reacts_to<atom::clock_jump>>;

/// Hears from its entities: a value stored, an entity removed.
template <class Snapshot>
using owner_of = caf::typed_actor<caf::reacts_to<atom::changed, Snapshot>,
                                  caf::reacts_to<atom::removed, std::string>>;

/// Whoever reads the catalog: it hears of every new version.
using catalog_reader_actor = caf::typed_actor<caf::reacts_to<atom::catalog, catalog_snapshot>>;

/// Keeps idle entities passive (no actor) and wakes them at their time
/// (a delayed message to itself).
using waking_actor = caf::typed_actor<caf::reacts_to<atom::wake>>;

// -- entities ------------------------------------------------------------------

/// What every entity actor (one host, one lease, ...) understands: its
/// registry spawned it with a new document, to be stored (answered with the
/// document as created); and its own timers (by generation).
using entity_actor = caf::typed_actor<caf::replies_to<atom::create>::with<api_reply>,
                                      caf::reacts_to<atom::timer, uint64_t>>;

/// What an inventory host does for other kinds: enrolment as a reservable
/// host (from the lease registry), maintenance marks (from sessions).
using host_requests = caf::typed_actor<
  caf::replies_to<host_enrollment>::with<host_change_outcome>,
  caf::replies_to<host_maintenance_mark>::with<host_change_outcome>>;

/// One inventory host: told of its compute service by notifications;
/// re-enabled at a date.
using host_actor_type = entity_actor::extend_with<notification_actor>::extend_with<
  clock_follower_actor>::extend_with<host_requests>::extend_with<
  api_of<host_show, host_update, host_delete>>;

/// One instance: told of its state by notifications; no dated timer.
using instance_actor_type = entity_actor::extend_with<notification_actor>::extend_with<
  api_of<instance_delete, instance_start, instance_stop, instance_restart, instance_usage>>::
  extend<caf::replies_to<instance::pending_resize>::with<api_reply>>;  // checked by the registry

/// One application environment: its model, configuration sessions and
/// deployments; told by its registry how the instances it asked for stand.
/// (Shows are answered by the registry, from its snapshot.)
using environment_actor_type = entity_actor::extend_with<
  api_of<environment_rename, environment_delete, environment_configure, configuration_show,
         configuration_delete, session_deploy, action_call, service_show, service_add,
         service_replace, service_remove, model_show, model_patch>>::
  extend<caf::reacts_to<instance_progress>>;

/// One environment template: its fields and applications. (Shows, clones
/// and create-environment are answered by the registry, from its snapshot.)
using template_actor_type = entity_actor::extend_with<
  api_of<template_update, template_delete, template_service_add, template_service_replace,
         template_service_remove>>;

/// One migration between clouds: its view of both clouds (the whole of it
/// once, then each change, from its registry) and the catalog.
using migration_actor_type = entity_actor::extend_with<catalog_reader_actor>::extend_with<
  api_of<migration_cancel>>::extend<caf::reacts_to<atom::workload, world_view>,
                                    caf::reacts_to<atom::workload, world_change>,
                                    caf::reacts_to<atom::notify, bus::notification>>;

/// One lease: its events are due at dates.
using lease_actor_type = entity_actor::extend_with<clock_follower_actor>::extend_with<
  api_of<lease_update, lease_delete>>;

/// A maintenance session: steps due at dates, and its view of the cloud.
using session_actor = entity_actor::extend_with<clock_follower_actor>::extend<
  caf::reacts_to<atom::workload, world_view>, caf::reacts_to<atom::workload, world_change>>::
  extend_with<api_of<maintenance_update, maintenance_delete, project_maintenance_show,
                     project_maintenance_reply>>;

// -- registries ----------------------------------------------------------------

/// The API families, each served by one registry (messages/requests.hpp).
using lease_api = api_of<lease_list, lease_show, lease_create, lease_update, lease_delete,
                         reservable_host_list, reservable_host_enroll, reservable_host_show,
                         reservable_host_update, reservable_host_withdraw, host_allocation_list,
                         host_allocation_show, host_property_list, host_property_update>;
using instance_api = api_of<instance_list, instance_show, instance_create, instance_delete,
                            instance_start, instance_stop, instance_restart, instance_resize,
                            instance_usage>;
using catalog_api = api_of<catalog_list, catalog_show>;
using maintenance_api
  = api_of<maintenance_list, maintenance_create, maintenance_show, maintenance_detail,
           maintenance_update, maintenance_delete, project_maintenance_show,
           project_maintenance_reply, constraint_show, instance_constraint_put,
           group_constraint_put, constraint_delete>;
using host_api = api_of<host_list, host_create, host_show, host_update, host_delete>;
using environment_api
  = api_of<environment_list, environment_create, environment_show, environment_rename,
           environment_delete, environment_configure, configuration_show, configuration_delete,
           session_deploy, deployment_list, deployment_show, action_call, action_result,
           static_action_call, instance_statistics, service_show, service_add,
           service_replace, service_remove, model_show, model_patch>;
using migration_api
  = api_of<resources_show, tenant_migrate, tenant_plan, host_reassign, host_evacuate,
           clouds_reset, migration_cancel, migration_events>;
using template_api
  = api_of<template_list, template_create, template_show, template_update, template_delete,
           template_service_show, template_service_add, template_service_replace,
           template_service_remove, template_create_environment, template_clone>;

/// Whoever follows the inventory's hosts (the lease and maintenance
/// registries): it hears of every host as stored, and of every host removed.
using host_watcher_actor = caf::typed_actor<
  // Every host known when it subscribed, at once.
  caf::reacts_to<atom::inventory, std::vector<host_snapshot>>,
  caf::reacts_to<atom::inventory, host_snapshot>,
  caf::reacts_to<atom::inventory, atom::removed, std::string>>;

/// Whoever follows the instances (the maintenance registry): it hears of
/// every instance as stored, and of every instance removed.
using instance_watcher_actor = caf::typed_actor<
  // Every instance known when it subscribed, at once.
  caf::reacts_to<atom::workload, std::vector<instance_snapshot>>,
  caf::reacts_to<atom::workload, instance_snapshot>,
  caf::reacts_to<atom::workload, atom::removed, std::string>>;

/// The instance registry takes instance notifications, reads the catalog the
/// catalog actor keeps, tells its watchers of every instance, and tells an
/// ending lease which instances run on its hosts.
using instance_registry_actor = owner_of<instance_snapshot>::extend_with<instance_api>::extend_with<
  notification_actor>::extend_with<waking_actor>::extend<
  caf::reacts_to<atom::catalog, catalog_snapshot>,
  caf::reacts_to<atom::workload, instance_watcher_actor>,
  caf::replies_to<instances_on_hosts>::with<hosted_instances>,
  caf::replies_to<deployment_instance>::with<instance_progress>,
  caf::replies_to<deployment_instance_resize>::with<instance_progress>,
  caf::replies_to<deployment_instance_delete>::with<instance_progress>,
  caf::replies_to<deployment_instance_power>::with<instance_progress>,
  caf::replies_to<uptime_query>::with<instance_uptimes>>;

/// The host registry takes service notifications; a watcher that subscribes
/// hears of every host from then on; the requests of other kinds go through
/// it to their host.
using host_registry_actor = owner_of<host_snapshot>::extend_with<host_api>::extend_with<
  notification_actor>::extend_with<waking_actor>::extend_with<
  clock_follower_actor>::extend<caf::reacts_to<atom::inventory, host_watcher_actor>>::
  extend_with<host_requests>;

/// The lease registry follows the inventory's hosts (to allocate them), and
/// answers its leases about their hosts.
using lease_registry_actor = owner_of<lease_snapshot>::extend_with<lease_api>::extend_with<
  waking_actor>::extend_with<
  clock_follower_actor>::extend_with<
  host_watcher_actor>::extend<caf::replies_to<lease_start_request>::with<atom::done>,
                              caf::replies_to<lease_reallocation>::with<lease_allocation>>;

/// The maintenance registry follows hosts and instances (its sessions' view).
using maintenance_registry_actor = owner_of<session_snapshot>::extend_with<maintenance_api>::extend_with<
  waking_actor>::extend_with<
  clock_follower_actor>::
  extend_with<host_watcher_actor>::extend_with<instance_watcher_actor>;

/// The environment registry: every request of its family goes through it;
/// it follows the instances, for the deployments that wait on them; it
/// makes the environments the templates' create-environment asks for.
using environment_registry_actor
  = owner_of<environment_snapshot>::extend_with<environment_api>::extend_with<
    waking_actor>::extend_with<instance_watcher_actor>::extend<
    caf::replies_to<environment_from_template>::with<api_reply>>;

/// The environment templates: every request of their family goes through
/// it; a create-environment goes on to the environment registry.
using template_registry_actor
  = owner_of<template_snapshot>::extend_with<template_api>::extend_with<waking_actor>;

/// The migrations between clouds: the registry follows hosts and instances
/// and reads the catalog (its view of both clouds, which its migrations
/// share).
using migration_registry_actor = owner_of<migration_snapshot>::extend_with<migration_api>::
  extend_with<waking_actor>::extend_with<host_watcher_actor>::extend_with<
    instance_watcher_actor>::extend_with<catalog_reader_actor>::extend_with<notification_actor>;

/// The catalog (flavors, images, projects...): its routes, and the catalog
/// notifications of the compute layer.
using catalog_actor_type = catalog_api::extend_with<notification_actor>;

/// Fans committed events out to SSE clients.
using event_hub_actor = caf::typed_actor<
  caf::reacts_to<atom::subscribe, stream_subscription>,
  caf::reacts_to<atom::unsubscribe, uint64_t>,
  caf::reacts_to<atom::committed, committed_events>,
  // A page of stored events for a client catching up (subscriber id).
  caf::reacts_to<atom::replay, uint64_t, committed_events>>;

/// Routes bus notifications to registries, drops duplicates, acks.
using ingest_actor = caf::typed_actor<caf::reacts_to<inbound_notification>>;

/// Where the HTTP routes' requests enter the actors: hands each to the
/// registry of its family and the reply to the route's callback.
using gateway_actor = caf::typed_actor<caf::reacts_to<api_request>>;

} // namespace steward
