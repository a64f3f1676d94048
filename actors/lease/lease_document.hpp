#pragma once
// A lease as Blazar shows it: its reservations, its three events and their
// statuses, built from a create request. No actors here.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "actors/lease/lease_dates.hpp"
#include "actors/lease/reservation.hpp"

namespace steward::lease {

/// Builds the lease document (status PENDING, events UNDONE, reservations
/// pending) from a create body; `reservations` gets the parsed host
/// reservations for allocation.
std::optional<refusal> make_lease(const nlohmann::json& body, sys_time now,
                                        int minutes_before_end, const std::string& project_id,
                                        const std::string& user_id, nlohmann::json& doc,
                                        std::vector<host_reservation>& reservations);

/// Applies an update body (REFERENCE.md's rules): a rename always; new dates
/// only for a lease that has not ended, the start only before it started;
/// `end_date: "now"` ends a started lease at once; without an explicit
/// before_end_date the before-end event keeps its distance from the end.
/// On refusal the lease is unchanged.
std::optional<refusal> update_lease(nlohmann::json& lease, const nlohmann::json& body,
                                          sys_time now);

/// The stable status from the start and end events (REFERENCE.md): UNDONE,
/// UNDONE -> PENDING; DONE, UNDONE -> ACTIVE; DONE, DONE -> TERMINATED; else ERROR.
std::string stable_status(const nlohmann::json& lease);

/// The event of a type, or nullptr.
const nlohmann::json* find_event(const nlohmann::json& lease, const std::string& event_type);

} // namespace steward::lease
