#include "http/routes/inventory_body.hpp"

#include <nlohmann/json.hpp>

#include "actors/inventory/host_document.hpp"
#include "actors/inventory/host_json.hpp"
#include "common/time_format.hpp"

namespace steward::http {

using nlohmann::json;
using inventory::host_fields;

namespace {

std::string read_capabilities(const json& v, host_fields& out) {
  if (!v.is_object())
    return "Field 'extra' must be an object of capabilities";
  for (auto& [name, value] : v.items()) {
    if (name.empty() || name.size() > 64)
      return "Capability name '" + name + "' must have 1 to 64 characters";
    if (value.is_null()) {
      out.extra[name] = std::nullopt;
      continue;
    }
    auto c = inventory::read_capability(value);
    if (!c)
      return "Capability '" + name + "' must be a string, a number or a boolean";
    out.extra[name] = std::move(*c);
  }
  return "";
}

// Reads one field of a create or update body; "" or the error.
std::string read_field(const std::string& key, const json& v, host_fields& out) {
  if (auto count = inventory::count_named(key)) {
    auto err = inventory::check_count(v, key);
    if (err.empty())
      out.*count->given = v.get<int64_t>();
    return err;
  }
  if (auto text = inventory::text_named(key)) {
    auto err = inventory::check_text(v, key, 255);
    if (err.empty())
      out.*text->given = v.get<std::string>();
    return err;
  }
  if (key == "cpu_info") {
    if (!v.is_string() && !v.is_object())
      return "Field 'cpu_info' must be a string or an object";
    out.cpu_info = v.is_string() ? v.get<std::string>() : v.dump();
    return "";
  }
  if (key == "status") {
    if (v != "enabled" && v != "disabled")
      return "Field 'status' must be 'enabled' or 'disabled'";
    out.enabled = v == "enabled";
    return "";
  }
  if (key == "disabled_until") {
    if (v.is_null()) {
      out.clears_disabled_until = true;
      return "";
    }
    auto t = v.is_string() ? timefmt::parse_iso(v.get<std::string>()) : std::nullopt;
    if (!t)
      return "Field 'disabled_until' must be an ISO 8601 date (2030-01-02T10:00:00) or null";
    out.disabled_until = t;
    return "";
  }
  if (key == "extra")
    return read_capabilities(v, out);
  return "Unknown field '" + key + "'";
}

parsed<host_fields> refused(std::string message) {
  return {{}, api_reply::fail(400, std::move(message))};
}

} // namespace

parsed<host_fields> read_host_create(const json& body) {
  if (!body.is_object())
    return refused("The request body must be a JSON object");
  auto name = body.find("hypervisor_hostname");
  if (name == body.end())
    return refused("Missing parameter hypervisor_hostname");
  if (!name->is_string() || !inventory::valid_hostname(name->get<std::string>()))
    return refused("Field 'hypervisor_hostname' must be 1 to 255 letters, digits, '.', '-' or '_'");
  parsed<host_fields> out;
  out.value.hypervisor_hostname = name->get<std::string>();
  for (auto& [key, value] : body.items()) {
    if (key == "hypervisor_hostname")
      continue;
    if (auto err = read_field(key, value, out.value); !err.empty())
      return refused(err);
  }
  return out;
}

parsed<host_fields> read_host_update(const json& body) {
  if (!body.is_object())
    return refused("The request body must be a JSON object");
  if (body.empty())
    return refused("No data to update");
  parsed<host_fields> out;
  for (auto& [key, value] : body.items()) {
    if (key == "id" || key == "hypervisor_hostname" || key == "service_name"
        || key == "created_at" || key == "updated_at" || key == "state")
      return refused("Field '" + key + "' cannot be changed");
    if (auto err = read_field(key, value, out.value); !err.empty())
      return refused(err);
  }
  return out;
}

} // namespace steward::http
