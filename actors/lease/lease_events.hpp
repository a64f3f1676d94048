#pragma once
// The three events of a lease as its actor runs them: which falls due next,
// what running one changes in the lease, and the hosts each acts on.
// No actors here.
#include <optional>
#include <string>
#include <vector>

#include "actors/lease/allocation_book.hpp"
#include "common/clock.hpp"
#include "messages/lease.hpp"

namespace steward::lease {

struct due_event {
  event_type type;
  sys_time time;
};

/// The lease's next event to run, if any is still UNDONE: its start first
/// (nothing of a lease runs before it starts), then by time, and at equal
/// times before_end, end, start (REFERENCE.md).
std::optional<due_event> next_event(const lease& l);

/// Marks the event DONE at `now` and derives the rest: on start the
/// reservations become active, on end deleted; the lease status follows
/// from its start and end events (stable_status).
void complete_event(lease& l, event_type type, sys_time now);

/// Whether the lease holds its hosts now: started and not ended.
bool is_active(const lease& l);

/// The hypervisor hostnames of the lease's hosts; with `snapshot_only`, of
/// the reservations whose before-end action is a snapshot (`default_action`
/// is what "default" means).
std::vector<std::string> lease_hostnames(const lease& l, bool snapshot_only,
                                         const std::string& default_action);

/// The allocations the lease holds, host id by host id; none once it ended.
std::vector<std::pair<std::string, allocation>> allocations_of(const lease& l);

} // namespace steward::lease
