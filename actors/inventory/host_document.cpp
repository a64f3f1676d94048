#include "actors/inventory/host_document.hpp"

#include <cctype>

#include "actors/inventory/host_json.hpp"
#include "common/ids.hpp"
#include "common/time_format.hpp"

namespace steward::inventory {

namespace {

using nlohmann::json;

bool valid_hostname(const std::string& s) {
  if (s.empty() || s.size() > 255)
    return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_')
      return false;
  return true;
}

// Capacities are summed and scaled by placement: bounded far from overflow.
constexpr long long max_count = 1000000000;

std::string check_count(const json& v, const std::string& field) {
  if (!v.is_number_integer() || v.get<long long>() < 0 || v.get<long long>() > max_count)
    return "Field '" + field + "' must be a non-negative integer (at most "
           + std::to_string(max_count) + ")";
  return "";
}

std::string check_text(const json& v, const std::string& field, std::size_t max) {
  if (!v.is_string())
    return "Field '" + field + "' must be a string";
  if (v.get<std::string>().size() > max)
    return "Field '" + field + "' is longer than " + std::to_string(max) + " characters";
  return "";
}

int64_t* count_of(host& h, const std::string& key) {
  if (key == "vcpus")
    return &h.vcpus;
  if (key == "memory_mb")
    return &h.memory_mb;
  if (key == "local_gb")
    return &h.local_gb;
  if (key == "hypervisor_version")
    return &h.hypervisor_version;
  return nullptr;
}

std::string* text_of(host& h, const std::string& key) {
  if (key == "hypervisor_type")
    return &h.hypervisor_type;
  if (key == "cloud")
    return &h.cloud;
  if (key == "disabled_reason")
    return &h.disabled_reason;
  return nullptr;
}

// Applies one field of a create or update body; "" or the error.
std::string apply_field(host& h, const std::string& key, const json& v) {
  if (auto count = count_of(h, key)) {
    auto err = check_count(v, key);
    if (err.empty())
      *count = v.get<int64_t>();
    return err;
  }
  if (auto text = text_of(h, key)) {
    auto err = check_text(v, key, 255);
    if (err.empty())
      *text = v.get<std::string>();
    return err;
  }
  if (key == "cpu_info") {
    if (!v.is_string() && !v.is_object())
      return "Field 'cpu_info' must be a string or an object";
    h.cpu_info = v.is_string() ? v.get<std::string>() : v.dump();
    return "";
  }
  if (key == "status") {
    if (v != "enabled" && v != "disabled")
      return "Field 'status' must be 'enabled' or 'disabled'";
    h.enabled = v == "enabled";
    return "";
  }
  if (key == "disabled_until") {
    if (v.is_null()) {
      h.disabled_until.reset();
      return "";
    }
    auto t = v.is_string() ? timefmt::parse_iso(v.get<std::string>()) : std::nullopt;
    if (!t)
      return "Field 'disabled_until' must be an ISO 8601 date (2030-01-02T10:00:00) or null";
    h.disabled_until = t;
    return "";
  }
  if (key == "extra") {
    if (!v.is_object())
      return "Field 'extra' must be an object of capabilities";
    for (auto& [name, value] : v.items()) {
      if (name.empty() || name.size() > 64)
        return "Capability name '" + name + "' must have 1 to 64 characters";
      if (value.is_null()) {
        h.extra.erase(name);
        continue;
      }
      auto c = read_capability(value);
      if (!c)
        return "Capability '" + name + "' must be a string, a number or a boolean";
      h.extra[name] = std::move(*c);
    }
    return "";
  }
  return "Unknown field '" + key + "'";
}

std::string check_consistency(const host& h) {
  if (h.enabled && h.disabled_until)
    return "Field 'disabled_until' needs status 'disabled'";
  return "";
}

// An enabled host has no reason nor deadline to be disabled.
void clear_disabling(host& h) {
  h.disabled_reason.clear();
  h.disabled_until.reset();
}

} // namespace

std::string make_host(const json& body, sys_time now, host& out) {
  if (!body.is_object())
    return "The request body must be a JSON object";
  auto name = body.find("hypervisor_hostname");
  if (name == body.end())
    return "Missing parameter hypervisor_hostname";
  if (!name->is_string() || !valid_hostname(name->get<std::string>()))
    return "Field 'hypervisor_hostname' must be 1 to 255 letters, digits, '.', '-' or '_'";
  out = learned_host(name->get<std::string>(), now);
  for (auto& [key, value] : body.items()) {
    if (key == "hypervisor_hostname")
      continue;
    auto err = apply_field(out, key, value);
    if (!err.empty())
      return err;
  }
  return check_consistency(out);
}

host learned_host(const std::string& name, sys_time now) {
  host h;
  h.id = make_uuid();
  h.hypervisor_hostname = name;
  h.service_name = name;
  h.created_at = whole_seconds(now);
  return h;
}

std::string update_host(host& h, const json& body, sys_time now, bool& changed) {
  if (!body.is_object())
    return "The request body must be a JSON object";
  if (body.empty())
    return "No data to update";
  auto next = h;
  for (auto& [key, value] : body.items()) {
    if (key == "id" || key == "hypervisor_hostname" || key == "service_name"
        || key == "created_at" || key == "updated_at" || key == "state")
      return "Field '" + key + "' cannot be changed";
    auto err = apply_field(next, key, value);
    if (!err.empty())
      return err;
  }
  if (next.enabled)
    clear_disabling(next);
  auto err = check_consistency(next);
  if (!err.empty())
    return err;
  changed = next != h;
  if (changed) {
    next.updated_at = whole_seconds(now);
    h = std::move(next);
  }
  return "";
}

bool merge_capabilities(host& h, const capability_changes& changes, sys_time now) {
  auto before = h.extra;
  for (auto& [name, value] : changes)
    if (value)
      h.extra[name] = *value;
    else
      h.extra.erase(name);
  if (h.extra == before)
    return false;
  h.updated_at = whole_seconds(now);
  return true;
}

std::string check_nova_service(const json& data) {
  auto name = data.find("host");
  if (name == data.end() || !name->is_string() || !valid_hostname(name->get<std::string>()))
    return "Field 'host' must be 1 to 255 letters, digits, '.', '-' or '_'";
  auto given = [&](const char* key) {
    auto v = data.find(key);
    return v != data.end() && !v->is_null() ? &*v : nullptr;
  };
  for (auto key : {"vcpus", "memory_mb", "local_gb", "hypervisor_version"})
    if (auto v = given(key))
      if (auto e = check_count(*v, key); !e.empty())
        return e;
  for (auto key : {"cloud", "hypervisor_type", "disabled_reason"})
    if (auto v = given(key))
      if (auto e = check_text(*v, key, 255); !e.empty())
        return e;
  for (auto key : {"disabled", "forced_down"})
    if (auto v = given(key); v && !v->is_boolean())
      return std::string{"Field '"} + key + "' must be a boolean";
  return "";
}

bool apply_service_status(host& h, const json& data, sys_time now) {
  auto next = h;
  // The compute contract's extension: a compute layer that knows the host's
  // capacity reports it with the service status.
  for (auto key : {"vcpus", "memory_mb", "local_gb", "hypervisor_version"})
    if (auto v = data.find(key); v != data.end() && v->is_number_integer() && v->get<long long>() >= 0)
      *count_of(next, key) = v->get<int64_t>();
  for (auto key : {"cloud", "hypervisor_type"})
    if (auto v = data.find(key); v != data.end() && v->is_string() && !v->get<std::string>().empty())
      *text_of(next, key) = v->get<std::string>();
  if (auto d = data.find("disabled"); d != data.end() && d->is_boolean()) {
    next.enabled = !d->get<bool>();
    if (next.enabled)
      clear_disabling(next);
  }
  if (auto r = data.find("disabled_reason"); r != data.end())
    next.disabled_reason = r->is_string() ? r->get<std::string>() : "";
  if (auto f = data.find("forced_down"); f != data.end() && f->is_boolean())
    next.up = !f->get<bool>();
  if (next == h)
    return false;
  next.updated_at = whole_seconds(now);
  h = std::move(next);
  return true;
}

std::optional<sys_time> enable_deadline(const host& h) {
  if (h.enabled)
    return std::nullopt;
  return h.disabled_until;
}

void enable(host& h, sys_time now) {
  h.enabled = true;
  clear_disabling(h);
  h.updated_at = whole_seconds(now);
}

} // namespace steward::inventory
