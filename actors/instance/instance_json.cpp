#include "actors/instance/instance_json.hpp"

#include "actors/instance/instance_state.hpp"
#include "common/json_fields.hpp"
#include "common/time_format.hpp"

namespace steward::instance {

using nlohmann::json;

namespace {

std::vector<std::string> texts(const json& doc, const char* key) {
  std::vector<std::string> out;
  auto i = doc.find(key);
  if (i != doc.end() && i->is_array())
    for (auto& v : *i)
      if (v.is_string())
        out.push_back(v.get<std::string>());
  return out;
}

std::optional<std::string> text_or_none(const json& doc, const char* key) {
  auto i = doc.find(key);
  if (i == doc.end() || !i->is_string())
    return std::nullopt;
  return i->get<std::string>();
}

} // namespace

json flavor_document(const flavor_spec& f) {
  return {{"flavorid", f.flavorid}, {"name", f.name}, {"vcpus", f.vcpus},
          {"memory_mb", f.memory_mb}, {"root_gb", f.root_gb}};
}

flavor_spec read_flavor(const json& f) {
  return {text_field(f, "flavorid"), text_field(f, "name"), int_field(f, "vcpus"),
          int_field(f, "memory_mb"), int_field(f, "root_gb")};
}

json to_document(const instance& i) {
  json groups = json::array();
  for (auto& g : i.security_groups)
    groups.push_back({{"uuid", g.uuid},
                      {"name", g.name},
                      {"description", g.description},
                      {"rules", json::parse(g.rules, nullptr, false)}});
  json doc = {{"uuid", i.uuid},
              {"hostname", i.hostname},
              {"description", i.description},
              {"created", timefmt::iso_micro(i.created)},
              {"start_time", or_null(i.start_time, timefmt::iso_micro)},
              {"project", i.project},
              {"template", i.image_template},
              {"cloud", i.cloud},
              {"cloud_name", i.cloud_name},
              {"flavor", i.flavor},
              {"flavor_name", i.flavor_name},
              {"cores", i.cores},
              {"ram", i.ram},
              {"system_volume_size", i.system_volume_size},
              {"key", i.key},
              {"key_name", i.key_name},
              {"key_fingerprint", i.key_fingerprint},
              {"security_groups", std::move(groups)},
              {"internal_ips", i.internal_ips},
              {"external_ips", i.external_ips},
              {"data_volume_size", i.data_volume_size},
              {"state", symbol(i.current)},
              {"host", or_null(i.host)},
              {"agreed_sla", nullptr}};
  if (i.request_id)
    doc["request_id"] = *i.request_id;
  if (i.restart_pending)
    doc["restart_pending"] = true;
  if (i.resize) {
    json want = json::object();
    if (i.resize->flavor)
      want["flavor"] = flavor_document(*i.resize->flavor);
    if (i.resize->data_volume_size)
      want["data_volume_size"] = *i.resize->data_volume_size;
    doc["pending_resize"] = std::move(want);
  }
  return doc;
}

std::optional<instance> from_document(const json& doc) {
  if (!doc.is_object())
    return std::nullopt;
  auto uuid = doc.find("uuid");
  if (uuid == doc.end() || !uuid->is_string())
    return std::nullopt;
  instance i;
  i.uuid = uuid->get<std::string>();
  i.hostname = text_field(doc, "hostname");
  i.description = text_field(doc, "description");
  i.created = iso_time_field(doc, "created").value_or(sys_time{});
  i.start_time = iso_time_field(doc, "start_time");
  i.project = text_field(doc, "project");
  i.image_template = text_field(doc, "template");
  i.cloud = text_field(doc, "cloud");
  i.cloud_name = text_field(doc, "cloud_name");
  i.flavor = text_field(doc, "flavor");
  i.flavor_name = text_field(doc, "flavor_name");
  i.cores = int_field(doc, "cores");
  i.ram = int_field(doc, "ram");
  i.system_volume_size = int_field(doc, "system_volume_size");
  i.data_volume_size = int_field(doc, "data_volume_size");
  i.key = text_field(doc, "key");
  i.key_name = text_field(doc, "key_name");
  i.key_fingerprint = text_field(doc, "key_fingerprint");
  if (auto groups = doc.find("security_groups"); groups != doc.end() && groups->is_array())
    for (auto& g : *groups)
      if (g.is_object())
        i.security_groups.push_back({text_field(g, "uuid"), text_field(g, "name"),
                                     text_field(g, "description"),
                                     g.value("rules", json::array()).dump()});
  i.internal_ips = texts(doc, "internal_ips");
  i.external_ips = texts(doc, "external_ips");
  auto s = parse_state(text_field(doc, "state", "e"));
  i.current = s ? *s : state::erred;
  i.host = text_or_none(doc, "host");
  i.request_id = text_or_none(doc, "request_id");
  i.restart_pending = bool_field(doc, "restart_pending");
  if (auto want = doc.find("pending_resize"); want != doc.end() && want->is_object()) {
    pending_resize r;
    if (auto f = want->find("flavor"); f != want->end() && f->is_object())
      r.flavor = read_flavor(*f);
    if (auto d = want->find("data_volume_size"); d != want->end() && d->is_number_integer())
      r.data_volume_size = d->get<int64_t>();
    i.resize = std::move(r);
  }
  return i;
}

json to_stored(const instance& i) {
  return versioned_row(to_document(i), stored_schema);
}

std::optional<instance> from_stored(const json& row) {
  return read_versioned_row(row, stored_schema, from_document);
}

} // namespace steward::instance
