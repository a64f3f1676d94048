#include "actors/lease/reservable_host.hpp"

#include "actors/inventory/host_json.hpp"
#include "common/time_format.hpp"

namespace steward::lease {

using nlohmann::json;

std::string host_number(const inventory::host& h) {
  return h.enrolled ? h.enrolled->number : "";
}

long number_of(const inventory::host& h) {
  try {
    return h.enrolled ? std::stol(h.enrolled->number) : 0;
  } catch (const std::exception&) {
    return 0;
  }
}

json show_host(const inventory::host& h) {
  json out = json::object();
  // Capabilities first, so that a host column always wins a name clash.
  for (auto& [name, value] : h.extra)
    out[name] = inventory::capability_json(value);
  out["id"] = host_number(h);
  out["hypervisor_hostname"] = h.hypervisor_hostname;
  out["hypervisor_type"] = h.hypervisor_type;
  out["hypervisor_version"] = h.hypervisor_version;
  out["vcpus"] = h.vcpus;
  out["cpu_info"] = h.cpu_info;
  out["memory_mb"] = h.memory_mb;
  out["local_gb"] = h.local_gb;
  out["service_name"] = h.service_name;
  out["reservable"] = allocatable(h);
  // The seed shows a null status; whether the host can be leased is `reservable`.
  out["status"] = nullptr;
  out["trust_id"] = "";
  auto date = [](const std::optional<sys_time>& t) {
    return t ? json(timefmt::sql(*t)) : json(nullptr);
  };
  out["created_at"] = h.enrolled ? date(h.enrolled->created_at) : json(nullptr);
  out["updated_at"] = h.enrolled ? date(h.enrolled->updated_at) : json(nullptr);
  return out;
}

inventory::enrollment enrollment(const std::string& number, sys_time now) {
  return {number, whole_seconds(now), std::nullopt};
}

json show_allocation(const std::string& host_number, const std::vector<allocation>& allocations,
                     const std::string& lease_id, const std::string& reservation_id) {
  json reservations = json::array();
  for (auto& a : allocations) {
    if ((!lease_id.empty() && a.lease_id != lease_id)
        || (!reservation_id.empty() && a.reservation_id != reservation_id))
      continue;
    reservations.push_back({{"id", a.reservation_id}, {"lease_id", a.lease_id},
                            {"start_date", show_date(a.start)}, {"end_date", show_date(a.end)}});
  }
  return {{"resource_id", host_number}, {"reservations", std::move(reservations)}};
}

} // namespace steward::lease
