#include "actors/lease/reservation.hpp"

#include <cstdlib>

namespace steward::lease {

namespace {

std::optional<host_reservation> wanted(int min, int max, const std::string& hypervisor_properties,
                                       const std::string& resource_properties,
                                       const std::string& before_end) {
  host_reservation out;
  out.min = min;
  out.max = max;
  out.hypervisor_properties = hypervisor_properties;
  out.resource_properties = resource_properties;
  out.before_end = before_end;
  std::string why;
  auto hypervisor = host_filter::parse(hypervisor_properties, why);
  auto resource = host_filter::parse(resource_properties, why);
  if (!hypervisor || !resource)
    return std::nullopt;
  out.hypervisor_filter = *hypervisor;
  out.resource_filter = *resource;
  return out;
}

} // namespace

std::optional<host_reservation> wanted_by(const reservation_request& r) {
  return wanted(r.min, r.max, r.hypervisor_properties, r.resource_properties, r.before_end);
}

std::optional<host_reservation> wanted_by(const reservation& r) {
  return wanted(r.min, r.max, r.hypervisor_properties, r.resource_properties, r.before_end);
}

} // namespace steward::lease
