#pragma once
// The one CAF type-id block of Steward: every message type and atom that
// actors exchange. Each type has an inspect function (messages/inspect.hpp)
// and round-trips through CAF's binary serializer, so that nodes of a
// cluster can send it, except the few listed as local below.
#include <memory>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/type_id.hpp>
#include <nlohmann/json_fwd.hpp>

namespace steward {
struct lease_list;
struct lease_show;
struct lease_create;
struct lease_update;
struct lease_delete;
struct reservable_host_list;
struct reservable_host_enroll;
struct reservable_host_show;
struct reservable_host_update;
struct reservable_host_withdraw;
struct host_allocation_list;
struct host_allocation_show;
struct host_property_list;
struct host_property_update;
struct instance_list;
struct instance_show;
struct instance_create;
struct instance_delete;
struct instance_start;
struct instance_stop;
struct instance_restart;
struct instance_resize;
struct instance_usage;
struct catalog_list;
struct catalog_show;
struct maintenance_list;
struct maintenance_create;
struct maintenance_show;
struct maintenance_detail;
struct maintenance_update;
struct maintenance_delete;
struct project_maintenance_show;
struct project_maintenance_reply;
struct constraint_show;
struct instance_constraint_put;
struct group_constraint_put;
struct constraint_delete;
struct host_list;
struct host_create;
struct host_show;
struct host_update;
struct host_delete;
struct environment_list;
struct environment_create;
struct environment_show;
struct environment_rename;
struct environment_delete;
struct environment_configure;
struct session_deploy;
struct deployment_list;
struct deployment_show;
struct action_call;
struct action_result;
struct static_action_call;
struct instance_statistics;
struct configuration_show;
struct configuration_delete;
struct service_show;
struct service_add;
struct service_replace;
struct service_remove;
struct model_show;
struct model_patch;
struct template_list;
struct template_create;
struct template_show;
struct template_update;
struct template_delete;
struct template_service_show;
struct template_service_add;
struct template_service_replace;
struct template_service_remove;
struct template_create_environment;
struct template_clone;
struct environment_from_template;
struct resources_show;
struct tenant_migrate;
struct tenant_plan;
struct host_reassign;
struct host_evacuate;
struct clouds_reset;
struct migration_cancel;
struct migration_events;
struct api_reply;
struct api_request;
struct domain_event;
struct stream_subscription;
struct committed_events;
struct inbound_notification;
struct commit_ack;
template <class Value>
struct snapshot_of;
namespace lease {
struct lease;
}
using lease_snapshot = snapshot_of<lease::lease>;
namespace instance {
struct instance;
struct pending_resize;
}
using instance_snapshot = snapshot_of<instance::instance>;
namespace inventory {
struct host;
}
using host_snapshot = snapshot_of<inventory::host>;
namespace maintenance {
struct session;
}
using session_snapshot = snapshot_of<maintenance::session>;
namespace environment {
struct environment;
struct environment_template;
}
using environment_snapshot = snapshot_of<environment::environment>;
using template_snapshot = snapshot_of<environment::environment_template>;
namespace migration {
struct operation;
}
using migration_snapshot = snapshot_of<migration::operation>;
struct catalog_snapshot;
struct world_view;
struct world_change;
struct host_enrollment;
struct host_maintenance_mark;
struct host_change_outcome;
struct lease_start_request;
struct lease_reallocation;
struct lease_allocation;
struct instances_on_hosts;
struct hosted_instances;
struct deployment_instance;
struct deployment_instance_resize;
struct deployment_instance_delete;
struct deployment_instance_power;
struct uptime_query;
struct instance_uptimes;
struct instance_progress;
namespace store {
struct write_batch;
}
namespace bus {
struct notification;
}
} // namespace steward

// What routes ask of the registries (messages/requests.hpp), one type each.
#define STEWARD_REQUEST_TYPES(X)                                               \
  X(steward::lease_list)                                                       \
  X(steward::lease_show)                                                       \
  X(steward::lease_create)                                                     \
  X(steward::lease_update)                                                     \
  X(steward::lease_delete)                                                     \
  X(steward::reservable_host_list)                                             \
  X(steward::reservable_host_enroll)                                           \
  X(steward::reservable_host_show)                                             \
  X(steward::reservable_host_update)                                           \
  X(steward::reservable_host_withdraw)                                         \
  X(steward::host_allocation_list)                                             \
  X(steward::host_allocation_show)                                             \
  X(steward::host_property_list)                                               \
  X(steward::host_property_update)                                             \
  X(steward::instance_list)                                                    \
  X(steward::instance_show)                                                    \
  X(steward::instance_create)                                                  \
  X(steward::instance_delete)                                                  \
  X(steward::instance_start)                                                   \
  X(steward::instance_stop)                                                    \
  X(steward::instance_restart)                                                 \
  X(steward::instance_resize)                                                  \
  X(steward::instance_usage)                                                   \
  X(steward::catalog_list)                                                     \
  X(steward::catalog_show)                                                     \
  X(steward::maintenance_list)                                                 \
  X(steward::maintenance_create)                                               \
  X(steward::maintenance_show)                                                 \
  X(steward::maintenance_detail)                                               \
  X(steward::maintenance_update)                                               \
  X(steward::maintenance_delete)                                               \
  X(steward::project_maintenance_show)                                         \
  X(steward::project_maintenance_reply)                                        \
  X(steward::constraint_show)                                                  \
  X(steward::instance_constraint_put)                                          \
  X(steward::group_constraint_put)                                             \
  X(steward::constraint_delete)                                                \
  X(steward::host_list)                                                        \
  X(steward::host_create)                                                      \
  X(steward::host_show)                                                        \
  X(steward::host_update)                                                      \
  X(steward::host_delete)                                                      \
  X(steward::environment_list)                                                 \
  X(steward::environment_create)                                               \
  X(steward::environment_show)                                                 \
  X(steward::environment_rename)                                               \
  X(steward::environment_delete)                                               \
  X(steward::environment_configure)                                            \
  X(steward::configuration_show)                                               \
  X(steward::configuration_delete)                                             \
  X(steward::session_deploy)                                                   \
  X(steward::deployment_list)                                                  \
  X(steward::deployment_show)                                                  \
  X(steward::action_call)                                                      \
  X(steward::action_result)                                                    \
  X(steward::static_action_call)                                               \
  X(steward::instance_statistics)                                              \
  X(steward::service_show)                                                     \
  X(steward::service_add)                                                      \
  X(steward::service_replace)                                                  \
  X(steward::service_remove)                                                   \
  X(steward::model_show)                                                       \
  X(steward::model_patch)                                                      \
  X(steward::template_list)                                                    \
  X(steward::template_create)                                                  \
  X(steward::template_show)                                                    \
  X(steward::template_update)                                                  \
  X(steward::template_delete)                                                  \
  X(steward::template_service_show)                                            \
  X(steward::template_service_add)                                             \
  X(steward::template_service_replace)                                         \
  X(steward::template_service_remove)                                          \
  X(steward::template_create_environment)                                      \
  X(steward::template_clone)                                                   \
  X(steward::resources_show)                                                   \
  X(steward::tenant_migrate)                                                   \
  X(steward::tenant_plan)                                                      \
  X(steward::host_reassign)                                                    \
  X(steward::host_evacuate)                                                    \
  X(steward::clouds_reset)                                                     \
  X(steward::migration_cancel)                                                 \
  X(steward::migration_events)

#define STEWARD_MESSAGE_TYPES(X)                                               \
  STEWARD_REQUEST_TYPES(X)                                                     \
  X(steward::api_reply)                                                        \
  X(steward::api_request)                                                      \
  X(steward::domain_event)                                                     \
  X(steward::stream_subscription)                                              \
  X(steward::committed_events)                                                 \
  X(steward::inbound_notification)                                             \
  X(steward::commit_ack)                                                       \
  X(steward::lease_snapshot)                                                   \
  X(steward::instance_snapshot)                                                \
  X(steward::host_snapshot)                                                    \
  X(steward::session_snapshot)                                                 \
  X(steward::environment_snapshot)                                             \
  X(steward::template_snapshot)                                                \
  X(steward::migration_snapshot)                                               \
  X(std::vector<steward::host_snapshot>)                                       \
  X(std::vector<steward::instance_snapshot>)                                   \
  X(steward::catalog_snapshot)                                                 \
  X(steward::world_view)                                                       \
  X(steward::world_change)                                                     \
  X(steward::host_enrollment)                                                  \
  X(steward::host_maintenance_mark)                                            \
  X(steward::host_change_outcome)                                              \
  X(steward::lease_start_request)                                              \
  X(steward::lease_reallocation)                                               \
  X(steward::lease_allocation)                                                 \
  X(steward::instances_on_hosts)                                               \
  X(steward::hosted_instances)                                                 \
  X(steward::deployment_instance)                                              \
  X(steward::deployment_instance_resize)                                       \
  X(steward::deployment_instance_delete)                                       \
  X(steward::deployment_instance_power)                                        \
  X(steward::uptime_query)                                                     \
  X(steward::instance_uptimes)                                                 \
  X(steward::instance_progress)                                                \
  X(steward::environment_from_template)                                        \
  X(steward::instance::pending_resize)                                         \
  X(steward::store::write_batch)                                               \
  X(steward::bus::notification)

CAF_BEGIN_TYPE_ID_BLOCK(steward, caf::first_custom_type_id)
#define STEWARD_ADD_TYPE(T) CAF_ADD_TYPE_ID(steward, (T))
STEWARD_MESSAGE_TYPES(STEWARD_ADD_TYPE)
#undef STEWARD_ADD_TYPE

// Atoms name what a message asks for.
CAF_ADD_ATOM(steward, steward::atom, timer, "timer")
CAF_ADD_ATOM(steward, steward::atom, clock_jump, "clockjump")
CAF_ADD_ATOM(steward, steward::atom, subscribe, "subscribe")
CAF_ADD_ATOM(steward, steward::atom, unsubscribe, "unsub")
CAF_ADD_ATOM(steward, steward::atom, replay, "replay")
CAF_ADD_ATOM(steward, steward::atom, committed, "committed")
CAF_ADD_ATOM(steward, steward::atom, changed, "changed")
CAF_ADD_ATOM(steward, steward::atom, removed, "removed")
CAF_ADD_ATOM(steward, steward::atom, notify, "notify")
CAF_ADD_ATOM(steward, steward::atom, done, "done")
CAF_ADD_ATOM(steward, steward::atom, create, "create")
CAF_ADD_ATOM(steward, steward::atom, wake, "wake")
CAF_ADD_ATOM(steward, steward::atom, catalog, "catalog")
CAF_ADD_ATOM(steward, steward::atom, inventory, "inventory")
CAF_ADD_ATOM(steward, steward::atom, workload, "workload")
CAF_ADD_ATOM(steward, steward::atom, serving, "serving")
CAF_END_TYPE_ID_BLOCK(steward)

// Local by nature: a reply callback, a stream or an acknowledgement of this
// process, or the catalog actor's immutable catalog object.
#define STEWARD_LOCAL_MESSAGE_TYPES(X)                                         \
  X(steward::api_request)                                                      \
  X(steward::stream_subscription)                                              \
  X(steward::inbound_notification)                                             \
  X(steward::catalog_snapshot)

#define STEWARD_ALLOW_LOCAL(T) CAF_ALLOW_UNSAFE_MESSAGE_TYPE(T)
STEWARD_LOCAL_MESSAGE_TYPES(STEWARD_ALLOW_LOCAL)
#undef STEWARD_ALLOW_LOCAL
