#pragma once
// The one CAF type-id block of Steward: every message type and atom that
// actors exchange. Each type has an inspect function (messages/inspect.hpp)
// and round-trips through CAF's binary serializer, so that nodes of a
// cluster can send it, except the few listed as local below.
#include <memory>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/type_id.hpp>
#include <nlohmann/json_fwd.hpp>

namespace steward {
struct api_command;
struct api_reply;
struct api_request;
struct domain_event;
struct stream_subscription;
struct committed_events;
struct inbound_notification;
struct commit_ack;
struct entity_snapshot;
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
namespace store {
struct write_batch;
}
namespace bus {
struct notification;
}
} // namespace steward

#define STEWARD_MESSAGE_TYPES(X)                                               \
  X(steward::api_command)                                                      \
  X(steward::api_reply)                                                        \
  X(steward::api_request)                                                      \
  X(steward::domain_event)                                                     \
  X(steward::stream_subscription)                                              \
  X(steward::committed_events)                                                 \
  X(steward::inbound_notification)                                             \
  X(steward::commit_ack)                                                       \
  X(steward::entity_snapshot)                                                  \
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
CAF_ADD_ATOM(steward, steward::atom, catalog, "catalog")
CAF_ADD_ATOM(steward, steward::atom, inventory, "inventory")
CAF_ADD_ATOM(steward, steward::atom, workload, "workload")
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
