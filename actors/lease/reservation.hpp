#pragma once
// A host reservation of a lease request, checked as Blazar checks it.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

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

/// Reads one element of a lease's `reservations`.
std::optional<refusal> parse_reservation(const nlohmann::json& r, host_reservation& out);

/// What a reservation of a lease asked for, to choose its hosts again;
/// nothing when its stored filters no longer parse.
std::optional<host_reservation> wanted_by(const reservation& r);

} // namespace steward::lease
