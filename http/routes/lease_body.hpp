#pragma once
// Blazar's request bodies (/v1/leases, /v1/os-hosts) read into typed
// fields: each field checked on its own, with Blazar's messages. What
// depends on the clock, the hosts or the lease is the actors' to check.
#include <optional>

#include <nlohmann/json_fwd.hpp>

#include "messages/requests.hpp"

namespace steward::http {

parsed<lease::lease_fields> read_lease_create(const nlohmann::json& body);
parsed<lease::lease_fields> read_lease_update(const nlohmann::json& body);
/// The three dates of a lease body (start_date, end_date, before_end_date)
/// into `out`; a date left out or null stays none.
std::optional<api_reply> read_lease_dates(const nlohmann::json& body, lease::lease_fields& out);
/// One element of a create body's `reservations`.
std::optional<api_reply> read_reservation(const nlohmann::json& r,
                                          lease::reservation_request& out);

/// An enrolment: the compute host's name and its extra capabilities.
parsed<inventory::enrollment_fields> read_enrollment(const nlohmann::json& body);
/// A capabilities update: flat, as blazarclient sends it, or inside
/// `values`, as the seed shows. Host columns cannot be set this way; an
/// update must name something.
parsed<inventory::capability_changes> read_capability_update(const nlohmann::json& body);

} // namespace steward::http
