#include "actors/inventory/host_document.hpp"

#include <cctype>
#include <set>

#include "common/ids.hpp"
#include "common/json_fields.hpp"
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

// Applies one field of a create or update body; "" or the error.
std::string apply_field(json& doc, const std::string& key, const json& v) {
  static const std::set<std::string> counts = {"vcpus", "memory_mb", "local_gb",
                                               "hypervisor_version"};
  if (counts.count(key)) {
    auto err = check_count(v, key);
    if (err.empty())
      doc[key] = v;
    return err;
  }
  if (key == "hypervisor_type" || key == "cloud" || key == "disabled_reason") {
    auto err = check_text(v, key, 255);
    if (err.empty())
      doc[key] = v;
    return err;
  }
  if (key == "cpu_info") {
    if (!v.is_string() && !v.is_object())
      return "Field 'cpu_info' must be a string or an object";
    doc[key] = v.is_string() ? v.get<std::string>() : v.dump();
    return "";
  }
  if (key == "status") {
    if (v != "enabled" && v != "disabled")
      return "Field 'status' must be 'enabled' or 'disabled'";
    doc[key] = v;
    return "";
  }
  if (key == "disabled_until") {
    if (v.is_null()) {
      doc[key] = nullptr;
      return "";
    }
    auto t = v.is_string() ? timefmt::parse_iso(v.get<std::string>()) : std::nullopt;
    if (!t)
      return "Field 'disabled_until' must be an ISO 8601 date (2030-01-02T10:00:00) or null";
    doc[key] = timefmt::iso_micro(*t);
    return "";
  }
  if (key == "extra") {
    if (!v.is_object())
      return "Field 'extra' must be an object of capabilities";
    for (auto& [cap, value] : v.items()) {
      if (cap.empty() || cap.size() > 64)
        return "Capability name '" + cap + "' must have 1 to 64 characters";
      if (value.is_null())
        doc["extra"].erase(cap);
      else if (value.is_string() || value.is_number() || value.is_boolean())
        doc["extra"][cap] = value;
      else
        return "Capability '" + cap + "' must be a string, a number or a boolean";
    }
    return "";
  }
  return "Unknown field '" + key + "'";
}

std::string check_consistency(const json& doc) {
  if (doc["status"] == "enabled" && !doc["disabled_until"].is_null())
    return "Field 'disabled_until' needs status 'disabled'";
  return "";
}

json skeleton(const std::string& name, sys_time now) {
  auto stamp = timefmt::sql(now);
  return json{{"id", make_uuid()},
              {"hypervisor_hostname", name},
              {"service_name", name},
              {"cloud", "default"},
              {"hypervisor_type", "QEMU"},
              {"hypervisor_version", 0},
              {"vcpus", 0},
              {"memory_mb", 0},
              {"local_gb", 0},
              {"cpu_info", ""},
              {"status", "enabled"},
              {"state", "up"},
              {"disabled_reason", ""},
              {"disabled_until", nullptr},
              {"extra", json::object()},
              {"created_at", stamp},
              {"updated_at", nullptr}};
}

} // namespace

std::string make_host(const json& body, sys_time now, json& out) {
  if (!body.is_object())
    return "The request body must be a JSON object";
  auto name = body.find("hypervisor_hostname");
  if (name == body.end())
    return "Missing parameter hypervisor_hostname";
  if (!name->is_string() || !valid_hostname(name->get<std::string>()))
    return "Field 'hypervisor_hostname' must be 1 to 255 letters, digits, '.', '-' or '_'";
  out = skeleton(name->get<std::string>(), now);
  for (auto& [key, value] : body.items()) {
    if (key == "hypervisor_hostname")
      continue;
    auto err = apply_field(out, key, value);
    if (!err.empty())
      return err;
  }
  return check_consistency(out);
}

json learned_host(const std::string& name, sys_time now) {
  return skeleton(name, now);
}

std::string update_host(json& doc, const json& body, sys_time now, bool& changed) {
  if (!body.is_object())
    return "The request body must be a JSON object";
  if (body.empty())
    return "No data to update";
  auto next = doc;
  for (auto& [key, value] : body.items()) {
    if (key == "id" || key == "hypervisor_hostname" || key == "service_name"
        || key == "created_at" || key == "updated_at" || key == "state")
      return "Field '" + key + "' cannot be changed";
    auto err = apply_field(next, key, value);
    if (!err.empty())
      return err;
  }
  if (next["status"] == "enabled") {
    next["disabled_reason"] = "";
    next["disabled_until"] = nullptr;
  }
  auto err = check_consistency(next);
  if (!err.empty())
    return err;
  changed = next != doc;
  if (changed) {
    next["updated_at"] = timefmt::sql(now);
    doc = std::move(next);
  }
  return "";
}

std::string check_nova_service(const json& data) {
  auto host = data.find("host");
  if (host == data.end() || !host->is_string() || !valid_hostname(host->get<std::string>()))
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

bool apply_service_status(json& doc, const json& data, sys_time now) {
  auto next = doc;
  // The compute contract's extension: a compute layer that knows the host's
  // capacity reports it with the service status.
  for (auto key : {"vcpus", "memory_mb", "local_gb", "hypervisor_version"})
    if (auto v = data.find(key); v != data.end() && v->is_number_integer() && v->get<long long>() >= 0)
      next[key] = *v;
  for (auto key : {"cloud", "hypervisor_type"})
    if (auto v = data.find(key); v != data.end() && v->is_string() && !v->get<std::string>().empty())
      next[key] = *v;
  if (auto d = data.find("disabled"); d != data.end() && d->is_boolean()) {
    next["status"] = d->get<bool>() ? "disabled" : "enabled";
    if (!d->get<bool>()) {
      next["disabled_reason"] = "";
      next["disabled_until"] = nullptr;
    }
  }
  if (auto r = data.find("disabled_reason"); r != data.end())
    next["disabled_reason"] = r->is_string() ? r->get<std::string>() : "";
  if (auto f = data.find("forced_down"); f != data.end() && f->is_boolean())
    next["state"] = f->get<bool>() ? "down" : "up";
  if (next == doc)
    return false;
  next["updated_at"] = timefmt::sql(now);
  doc = std::move(next);
  return true;
}

std::optional<sys_time> enable_deadline(const json& doc) {
  if (doc.value("status", "") != "disabled")
    return std::nullopt;
  return iso_time_field(doc, "disabled_until");
}

void enable(json& doc, sys_time now) {
  doc["status"] = "enabled";
  doc["disabled_reason"] = "";
  doc["disabled_until"] = nullptr;
  doc["updated_at"] = timefmt::sql(now);
}

} // namespace steward::inventory
