#pragma once
// A lease from Blazar's requests: built from a create body's fields, changed
// by an update body's, each checked as Blazar checks it. No actors here.
#include <optional>
#include <string>
#include <vector>

#include "actors/lease/lease_dates.hpp"
#include "actors/lease/reservation.hpp"
#include "messages/lease.hpp"

namespace steward::lease {

/// Builds the lease (status PENDING, events UNDONE, reservations pending,
/// no hosts yet) from a create body's fields; `reservations` gets the host
/// reservations for allocation, in the order of the lease's reservations.
std::optional<refusal> make_lease(const lease_fields& fields, sys_time now,
                                  int minutes_before_end, const std::string& project_id,
                                  const std::string& user_id, lease& out,
                                  std::vector<host_reservation>& reservations);

/// Applies an update body (REFERENCE.md's rules): a rename always; new dates
/// only for a lease that has not ended, the start only before it started;
/// `end_date: "now"` ends a started lease at once; without an explicit
/// before_end_date the before-end event keeps its distance from the end.
/// On refusal the lease is unchanged.
std::optional<refusal> update_lease(lease& l, const lease_fields& fields, sys_time now);

/// A time as a lease records when something happened: to the second, as
/// Blazar shows it.
sys_time stamp(sys_time now);

} // namespace steward::lease
