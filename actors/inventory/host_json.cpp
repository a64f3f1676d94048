#include "actors/inventory/host_json.hpp"

#include "common/json_fields.hpp"
#include "common/time_format.hpp"

namespace steward::inventory {

using nlohmann::json;

json capability_json(const capability& c) {
  switch (c.kind) {
    case capability::type::number: {
      auto v = json::parse(c.value, nullptr, false);
      return v.is_number() ? v : json(c.value);
    }
    case capability::type::boolean:
      return c.value == "true";
    case capability::type::text:
      break;
  }
  return c.value;
}

std::optional<capability> read_capability(const json& v) {
  if (v.is_string())
    return capability{capability::type::text, v.get<std::string>()};
  if (v.is_boolean())
    return capability{capability::type::boolean, v.get<bool>() ? "true" : "false"};
  if (v.is_number())
    return capability{capability::type::number, v.dump()};
  return std::nullopt;
}

json to_document(const host& h) {
  json extra = json::object();
  for (auto& [name, value] : h.extra)
    extra[name] = capability_json(value);
  json enrolled = nullptr;
  if (h.enrolled)
    enrolled = {{"id", h.enrolled->number},
                {"created_at", timefmt::sql(h.enrolled->created_at)},
                {"updated_at", or_null(h.enrolled->updated_at, timefmt::sql)}};
  return {{"id", h.id},
          {"hypervisor_hostname", h.hypervisor_hostname},
          {"service_name", h.service_name},
          {"cloud", h.cloud},
          {"hypervisor_type", h.hypervisor_type},
          {"hypervisor_version", h.hypervisor_version},
          {"vcpus", h.vcpus},
          {"memory_mb", h.memory_mb},
          {"local_gb", h.local_gb},
          {"cpu_info", h.cpu_info},
          {"status", status_text(h)},
          {"state", state_text(h)},
          {"disabled_reason", h.disabled_reason},
          {"disabled_until",
           h.disabled_until ? json(timefmt::iso_micro(*h.disabled_until)) : json(nullptr)},
          {"extra", std::move(extra)},
          {"created_at", timefmt::sql(h.created_at)},
          {"updated_at", or_null(h.updated_at, timefmt::sql)},
          {"enrolled", std::move(enrolled)},
          {"in_maintenance", in_maintenance(h)},
          {"maintenance_session",
           in_maintenance(h) ? json(h.maintenance_session) : json(nullptr)}};
}

std::optional<host> from_document(const json& doc) {
  if (!doc.is_object() || !doc.contains("id") || !doc["id"].is_string())
    return std::nullopt;
  host h;
  h.id = doc["id"].get<std::string>();
  h.hypervisor_hostname = text_field(doc, "hypervisor_hostname");
  h.service_name = text_field(doc, "service_name", h.hypervisor_hostname);
  h.cloud = text_field(doc, "cloud", h.cloud);
  h.hypervisor_type = text_field(doc, "hypervisor_type", h.hypervisor_type);
  h.hypervisor_version = int_field(doc, "hypervisor_version");
  h.vcpus = int_field(doc, "vcpus");
  h.memory_mb = int_field(doc, "memory_mb");
  h.local_gb = int_field(doc, "local_gb");
  h.cpu_info = text_field(doc, "cpu_info");
  h.enabled = text_field(doc, "status", "enabled") == "enabled";
  h.up = text_field(doc, "state", "up") == "up";
  h.disabled_reason = text_field(doc, "disabled_reason");
  h.disabled_until = iso_time_field(doc, "disabled_until");
  if (auto extra = doc.find("extra"); extra != doc.end() && extra->is_object())
    for (auto& [name, value] : extra->items())
      if (auto c = read_capability(value))
        h.extra[name] = std::move(*c);
  h.created_at = iso_time_field(doc, "created_at").value_or(sys_time{});
  h.updated_at = iso_time_field(doc, "updated_at");
  if (auto e = doc.find("enrolled"); e != doc.end() && e->is_object())
    h.enrolled = enrollment{text_field(*e, "id"),
                            iso_time_field(*e, "created_at").value_or(sys_time{}),
                            iso_time_field(*e, "updated_at")};
  // Before hosts were typed a session given back left `in_maintenance` false
  // with the session's id gone: the flag decides.
  if (bool_field(doc, "in_maintenance"))
    h.maintenance_session = text_field(doc, "maintenance_session");
  return h;
}

json to_stored(const host& h) {
  return versioned_row(to_document(h), stored_schema);
}

std::optional<host> from_stored(const json& row) {
  return read_versioned_row(row, stored_schema, from_document);
}

} // namespace steward::inventory
