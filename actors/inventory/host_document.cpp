#include "actors/inventory/host_document.hpp"

#include <cctype>

#include "actors/inventory/host_json.hpp"
#include "common/ids.hpp"
#include "common/time_format.hpp"

namespace steward::inventory {

using nlohmann::json;

bool valid_hostname(const std::string& s) {
  if (s.empty() || s.size() > 255)
    return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_')
      return false;
  return true;
}

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

const count_member* count_named(const std::string& key) {
  for (auto& m : count_members)
    if (key == m.key)
      return &m;
  return nullptr;
}

const text_member* text_named(const std::string& key) {
  for (auto& m : text_members)
    if (key == m.key)
      return &m;
  return nullptr;
}

namespace {

template <class T>
void take(T& field, const std::optional<T>& given) {
  if (given)
    field = *given;
}

// Applies the fields a create or update body names.
void apply_fields(host& h, const host_fields& f) {
  for (auto& m : count_members)
    take(h.*m.held, f.*m.given);
  for (auto& m : text_members)
    take(h.*m.held, f.*m.given);
  take(h.cpu_info, f.cpu_info);
  take(h.enabled, f.enabled);
  if (f.clears_disabled_until)
    h.disabled_until.reset();
  else if (f.disabled_until)
    h.disabled_until = f.disabled_until;
  for (auto& [name, value] : f.extra)
    if (value)
      h.extra[name] = *value;
    else
      h.extra.erase(name);
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

std::string make_host(const host_fields& fields, sys_time now, host& out) {
  out = learned_host(fields.hypervisor_hostname, now);
  apply_fields(out, fields);
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

std::string update_host(host& h, const host_fields& fields, sys_time now, bool& changed) {
  auto next = h;
  apply_fields(next, fields);
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
  for (auto& m : count_members)
    if (auto v = data.find(m.key); v != data.end() && v->is_number_integer() && v->get<long long>() >= 0)
      next.*m.held = v->get<int64_t>();
  for (auto key : {"cloud", "hypervisor_type"})
    if (auto v = data.find(key); v != data.end() && v->is_string() && !v->get<std::string>().empty())
      next.*text_named(key)->held = v->get<std::string>();
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
