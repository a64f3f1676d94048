#include "http/routes/lease_body.hpp"

#include <cstdlib>
#include <set>

#include <nlohmann/json.hpp>

#include "actors/inventory/host_json.hpp"
#include "actors/lease/host_filter.hpp"
#include "actors/lease/lease_dates.hpp"
#include "common/json_fields.hpp"

namespace steward::http {

using nlohmann::json;

namespace {

api_reply bad(std::string message) {
  return api_reply::fail(400, std::move(message));
}

template <class Fields>
parsed<Fields> refused(std::string message) {
  return {{}, bad(std::move(message))};
}

const char* const not_an_object = "The request body must be a JSON object";

// One date field; none when left out or null.
std::optional<api_reply> read_date(const json& body, const char* field,
                                   std::optional<lease::lease_date>& out) {
  auto i = body.find(field);
  if (i == body.end() || i->is_null())
    return std::nullopt;
  auto text = i->is_string() ? i->get<std::string>() : i->dump();
  out = i->is_string() ? lease::parse_lease_date(text) : std::nullopt;
  if (out)
    return std::nullopt;
  return bad(lease::bad_lease_date(text));
}

// Blazar takes min and max as integers or as strings holding one.
std::optional<api_reply> read_count(const json& r, const char* field, int& out) {
  auto i = r.find(field);
  if (i == r.end() || i->is_null())
    return bad(std::string{"Missing parameter "} + field);
  if (i->is_number_integer()) {
    out = i->get<int>();
    return std::nullopt;
  }
  if (i->is_string()) {
    const auto& s = i->get_ref<const std::string&>();
    char* end = nullptr;
    long v = std::strtol(s.c_str(), &end, 10);
    if (!s.empty() && end == s.c_str() + s.size()) {
      out = static_cast<int>(v);
      return std::nullopt;
    }
  }
  return bad(std::string{"Malformed parameter "} + field);
}

std::optional<api_reply> read_filter(const json& r, const char* field, std::string& out) {
  auto i = r.find(field);
  if (i != r.end() && !i->is_null()) {
    if (!i->is_string())
      return bad(std::string{"Malformed parameter "} + field);
    out = i->get<std::string>();
  }
  std::string why;
  if (!lease::host_filter::parse(out, why))
    return bad(std::string{"Malformed parameter "} + field + ": " + why);
  return std::nullopt;
}

// The fields of a host that are not capabilities: Blazar refuses to set them.
const std::set<std::string>& host_columns() {
  static const std::set<std::string> columns = {
    "id", "name", "hypervisor_hostname", "hypervisor_type", "hypervisor_version", "vcpus",
    "cpu_info", "memory_mb", "local_gb", "service_name", "reservable", "status", "trust_id",
    "created_at", "updated_at"};
  return columns;
}

// The extra capabilities of an enrolment (`name` aside) or of an update.
std::optional<api_reply> read_capabilities(const json& values, bool enrolling,
                                           inventory::capability_changes& out) {
  for (auto& [key, value] : values.items()) {
    if (enrolling && key == "name")
      continue;
    if (host_columns().count(key))
      return bad("Parameter " + key + " of a host cannot be changed");
    if (key.empty() || key.size() > 64)
      return bad("Extra capability name '" + key + "' must have 1 to 64 characters");
    auto c = inventory::read_capability(value);
    if (!c && !value.is_null())
      return bad("Extra capability " + key + " must be a string, a number or a boolean");
    out[key] = std::move(c);  // none (null) removes it
  }
  return std::nullopt;
}

} // namespace

std::optional<api_reply> read_lease_dates(const json& body, lease::lease_fields& out) {
  for (auto [field, slot] : {std::pair{"start_date", &out.start}, std::pair{"end_date", &out.end},
                             std::pair{"before_end_date", &out.before_end}})
    if (auto refusal = read_date(body, field, *slot))
      return refusal;
  return std::nullopt;
}

std::optional<api_reply> read_reservation(const json& r, lease::reservation_request& out) {
  if (!r.is_object())
    return bad("Malformed parameter reservations");
  auto type = r.find("resource_type");
  if (type == r.end() || type->is_null())
    return bad("Missing parameter resource_type");
  if (!type->is_string() || type->get<std::string>() != "physical:host")
    return bad("Unsupported resource type: "
               + (type->is_string() ? type->get<std::string>() : type->dump()));
  if (auto refusal = read_count(r, "min", out.min))
    return refusal;
  if (auto refusal = read_count(r, "max", out.max))
    return refusal;
  if (out.min < 1 || out.max < 1 || out.max < out.min)
    return bad("Invalid values for min/max of hosts. Max must be equal to or larger than min.");
  if (auto refusal = read_filter(r, "hypervisor_properties", out.hypervisor_properties))
    return refusal;
  if (auto refusal = read_filter(r, "resource_properties", out.resource_properties))
    return refusal;
  if (auto b = r.find("before_end"); b != r.end() && !b->is_null()) {
    auto action = b->is_string() ? b->get<std::string>() : b->dump();
    if (action != "" && action != "default" && action != "snapshot")
      return bad("Invalid before_end action: " + action
                 + " (expected '', 'default' or 'snapshot')");
    out.before_end = action;
  }
  return std::nullopt;
}

parsed<lease::lease_fields> read_lease_create(const json& body) {
  using fields = lease::lease_fields;
  if (!body.is_object())
    return refused<fields>(not_an_object);
  parsed<fields> out;
  if (auto p = body.find("project_id"); p != body.end() && !p->is_null()) {
    if (!p->is_string())
      return refused<fields>("Invalid input for field/attribute project_id: it must be a "
                             "string (a project id), not " + std::string{p->type_name()});
    out.value.project_id = p->get<std::string>();
  }
  auto name = text_field(body, "name");
  if (name.empty())
    return refused<fields>("Missing parameter name");
  out.value.name = name;
  if (auto refusal = read_lease_dates(body, out.value))
    return {{}, std::move(refusal)};
  auto rs = body.find("reservations");
  if (rs == body.end() || !rs->is_array() || rs->empty())
    return refused<fields>("Missing parameter reservations");
  for (auto& r : *rs) {
    lease::reservation_request wanted;
    if (auto refusal = read_reservation(r, wanted))
      return {{}, std::move(refusal)};
    out.value.reservations.push_back(std::move(wanted));
  }
  return out;
}

parsed<lease::lease_fields> read_lease_update(const json& body) {
  using fields = lease::lease_fields;
  if (body.is_object() && body.contains("reservations"))
    return refused<fields>("The reservations of a lease cannot be changed; delete the lease "
                           "and create another");
  if (!body.is_object())
    return refused<fields>(not_an_object);
  parsed<fields> out;
  out.value.names_dates = body.contains("start_date") || body.contains("end_date")
                          || body.contains("before_end_date");
  if (auto n = body.find("name"); n != body.end()) {
    if (!n->is_string() || n->get<std::string>().empty())
      return refused<fields>("Malformed parameter name");
    out.value.name = n->get<std::string>();
  }
  if (auto refusal = read_lease_dates(body, out.value))
    return {{}, std::move(refusal)};
  return out;
}

parsed<inventory::enrollment_fields> read_enrollment(const json& body) {
  using fields = inventory::enrollment_fields;
  if (!body.is_object())
    return refused<fields>(not_an_object);
  parsed<fields> out;
  out.value.name = text_field(body, "name");
  if (out.value.name.empty())
    return refused<fields>("Missing parameter name");
  if (auto refusal = read_capabilities(body, true, out.value.extra))
    return {{}, std::move(refusal)};
  return out;
}

parsed<inventory::capability_changes> read_capability_update(const json& body) {
  using fields = inventory::capability_changes;
  if (!body.is_object())
    return refused<fields>(not_an_object);
  const json* values = &body;
  if (body.size() == 1 && body.contains("values")) {
    if (!body["values"].is_object())
      return refused<fields>("Malformed parameter values");
    values = &body["values"];
  }
  parsed<fields> out;
  if (auto refusal = read_capabilities(*values, false, out.value))
    return {{}, std::move(refusal)};
  if (out.value.empty())
    return refused<fields>("No data to update");
  return out;
}

} // namespace steward::http
