#include "actors/lease/reservable_host.hpp"

#include <set>

#include "common/json_fields.hpp"
#include "common/time_format.hpp"

namespace steward::lease {

using nlohmann::json;

namespace {

// The fields of a host that are not capabilities: Blazar refuses to set them.
const std::set<std::string>& host_columns() {
  static const std::set<std::string> columns = {
    "id", "name", "hypervisor_hostname", "hypervisor_type", "hypervisor_version", "vcpus",
    "cpu_info", "memory_mb", "local_gb", "service_name", "reservable", "status", "trust_id",
    "created_at", "updated_at"};
  return columns;
}

} // namespace

bool is_enrolled(const json& host) {
  auto e = host.find("enrolled");
  return e != host.end() && e->is_object();
}

std::string host_number(const json& host) {
  return is_enrolled(host) ? text_field(host["enrolled"], "id") : "";
}

json show_host(const json& host) {
  json out = json::object();
  // Capabilities first, so that a host column always wins a name clash.
  if (auto extra = host.find("extra"); extra != host.end() && extra->is_object())
    for (auto& [key, value] : extra->items())
      out[key] = value;
  const json& enrolled = is_enrolled(host) ? host["enrolled"] : json::object();
  out["id"] = text_field(enrolled, "id");
  for (auto field : {"hypervisor_hostname", "hypervisor_type", "hypervisor_version", "vcpus",
                     "cpu_info", "memory_mb", "local_gb", "service_name"})
    out[field] = host.value(field, json());
  out["reservable"] = allocatable(host);
  // The seed shows a null status; whether the host can be leased is `reservable`.
  out["status"] = nullptr;
  out["trust_id"] = "";
  out["created_at"] = enrolled.value("created_at", json());
  out["updated_at"] = enrolled.value("updated_at", json());
  return out;
}

std::optional<refusal> read_capabilities(const json& body, bool creating, json& capabilities) {
  if (!body.is_object())
    return refusal{400, "The request body must be a JSON object"};
  const json* values = &body;
  if (!creating && body.size() == 1 && body.contains("values")) {
    if (!body["values"].is_object())
      return refusal{400, "Malformed parameter values"};
    values = &body["values"];
  }
  capabilities = json::object();
  for (auto& [key, value] : values->items()) {
    if (creating && key == "name")
      continue;
    if (host_columns().count(key))
      return refusal{400, "Parameter " + key + " of a host cannot be changed"};
    if (key.empty() || key.size() > 64)
      return refusal{400, "Extra capability name '" + key
                                  + "' must have 1 to 64 characters"};
    if (!value.is_string() && !value.is_number() && !value.is_boolean() && !value.is_null())
      return refusal{400, "Extra capability " + key
                                  + " must be a string, a number or a boolean"};
    capabilities[key] = value;
  }
  if (!creating && capabilities.empty())
    return refusal{400, "No data to update"};
  return std::nullopt;
}

json enrollment(const std::string& number, sys_time now) {
  return {{"id", number}, {"created_at", timefmt::sql(now)}, {"updated_at", nullptr}};
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
