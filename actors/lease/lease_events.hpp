#pragma once
// The three events of a lease as its actor runs them: which falls due next,
// what running one changes in the lease, and the hosts each acts on.
// No actors here.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/lease/allocation_book.hpp"
#include "common/clock.hpp"

namespace steward::lease {

struct due_event {
  std::string type;  // "start_lease", "before_end_lease", "end_lease"
  sys_time time;
};

/// The lease's next event to run, if any is still UNDONE: its start first
/// (nothing of a lease runs before it starts), then by time, and at equal
/// times before_end, end, start (REFERENCE.md).
std::optional<due_event> next_event(const nlohmann::json& lease);

/// Marks the event DONE at `now` and derives the rest: on start the
/// reservations become active, on end deleted; the lease status follows
/// from its start and end events (stable_status).
void complete_event(nlohmann::json& lease, const std::string& event_type, sys_time now);

/// Whether the lease holds its hosts now: started and not ended.
bool is_active(const nlohmann::json& lease);

/// The hypervisor hostnames of the lease's hosts; with `snapshot_only`, of
/// the reservations whose before-end action is a snapshot (`default_action`
/// is what "default" means).
std::vector<std::string> lease_hostnames(const nlohmann::json& lease, bool snapshot_only,
                                         const std::string& default_action);

/// The allocations the lease holds, host id by host id; none once it ended.
std::vector<std::pair<std::string, allocation>> allocations_of(const nlohmann::json& lease);

} // namespace steward::lease
