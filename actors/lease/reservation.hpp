#pragma once
// A host reservation of a lease request with its filters parsed, to choose
// its hosts.
#include <optional>
#include <string>

#include "actors/lease/host_filter.hpp"
#include "actors/lease/lease_dates.hpp"
#include "messages/lease.hpp"

namespace steward::lease {

struct host_reservation {
  int min = 1;
  int max = 1;
  std::string hypervisor_properties;  // as given, for showing back
  std::string resource_properties;
  host_filter hypervisor_filter;
  host_filter resource_filter;
  std::string before_end = "default"; // "", "default" or "snapshot"
};

/// What a reservation asks for; nothing when its filters do not parse
/// (a request's were checked by its route; a stored one's may be older).
std::optional<host_reservation> wanted_by(const reservation_request& r);
std::optional<host_reservation> wanted_by(const reservation& r);

} // namespace steward::lease
