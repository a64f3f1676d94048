#include "sim/payloads.hpp"

#include <cmath>
#include <set>

namespace steward::sim {

namespace {

using json = nlohmann::json;

// Nova sends null, not "", for a field that has no value.
json text_or_null(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json flavor_payload(const flavor& f) {
  return nova_object("FlavorPayload", "1.4",
                     {{"flavorid", f.flavorid},
                      {"name", f.name},
                      {"vcpus", f.vcpus},
                      {"memory_mb", f.memory_mb},
                      {"root_gb", f.root_gb},
                      {"ephemeral_gb", 0},
                      {"swap", 0}});
}

json ip_payloads(const std::vector<ip_address>& ips) {
  json out = json::array();
  for (const ip_address& a : ips) {
    out.push_back(nova_object("IpPayload", "1.0",
                              {{"address", a.address},
                               {"label", a.label},
                               {"version", 4},
                               {"device_name", nullptr},
                               {"mac", nullptr},
                               {"port_uuid", nullptr},
                               {"meta", json::object()}}));
  }
  return out;
}

json catalog_flavor(const flavor_spec& f) {
  return {{"uuid", f.uuid}, {"name", f.name}, {"cores", f.cores}, {"ram", f.ram},
          {"disk", f.disk}};
}

json catalog_template(const template_spec& t) {
  return {{"uuid", t.uuid}, {"name", t.name}, {"os", t.os}, {"status", t.status},
          {"progress", t.progress}};
}

json catalog_key(const key_spec& k) {
  return {{"uuid", k.uuid}, {"name", k.name}, {"fingerprint", k.fingerprint}, {"user", k.user}};
}

json catalog_security_group(const security_group_spec& g) {
  return {{"uuid", g.uuid}, {"name", g.name}, {"description", g.description}, {"rules", g.rules}};
}

bool uses_cloud(const project_spec& p, const cloud_spec& cloud) {
  for (const std::string& c : p.clouds) {
    if (c == cloud.uuid) return true;
  }
  return false;
}

} // namespace

json nova_object(const std::string& name, const std::string& version, json data,
                 const std::string& ns) {
  return {{"nova_object.name", name},
          {"nova_object.namespace", ns},
          {"nova_object.version", version},
          {"nova_object.data", std::move(data)}};
}

json exception_payload(const fault& f) {
  return nova_object("ExceptionPayload", "1.1",
                     {{"exception", f.exception},
                      {"exception_message", f.message},
                      {"module_name", "steward.sim"},
                      {"function_name", nullptr},
                      {"traceback", nullptr}});
}

std::string power_state_of(const instance& i) {
  if (i.vm_state == "active") return "running";
  if (i.vm_state == "stopped") return "shutdown";
  if (i.vm_state == "resized") {
    return i.state_before_migration == "stopped" ? "shutdown" : "running";
  }
  return "pending";  // Nova's NOSTATE: building, error, deleted
}

json instance_payload(const instance& i, const std::string& request_id, const fault* f,
                      const json& extra, const std::string& object_name) {
  json data = {{"uuid", i.uuid},
               {"display_name", text_or_null(i.display_name)},
               {"host", text_or_null(i.host)},
               {"node", text_or_null(i.host)},
               {"cloud", i.cloud},
               {"state", text_or_null(i.vm_state)},
               {"power_state", power_state_of(i)},
               {"task_state", nullptr},
               {"tenant_id", text_or_null(i.project_id)},
               {"flavor", i.size.flavorid.empty() ? json(nullptr) : flavor_payload(i.size)},
               {"image_uuid", text_or_null(i.image_uuid)},
               {"key_name", text_or_null(i.key_name)},
               {"security_groups", i.security_groups},
               {"data_volume_gb", i.data_volume_gb},
               {"ip_addresses", ip_payloads(i.ips)},
               {"request_id", text_or_null(request_id)},
               {"fault", f == nullptr ? json(nullptr) : exception_payload(*f)}};
  if (extra.is_object()) {
    for (auto it = extra.begin(); it != extra.end(); ++it) data[it.key()] = it.value();
  }
  return nova_object(object_name, "1.8", std::move(data));
}

json service_payload(const host& h, const std::string& request_id) {
  return nova_object("ServiceStatusPayload", "1.1",
                     {{"host", h.name},
                      {"binary", "nova-compute"},
                      {"topic", "compute"},
                      {"disabled", h.disabled},
                      {"disabled_reason", text_or_null(h.disabled_reason)},
                      {"forced_down", h.forced_down},
                      {"cloud", h.cloud},
                      {"vcpus", h.vcpus},
                      {"memory_mb", h.memory_mb},
                      {"local_gb", h.local_gb},
                      {"hypervisor_type", h.hypervisor_type},
                      {"hypervisor_version", h.hypervisor_version},
                      {"request_id", text_or_null(request_id)}});
}

json command_error_payload(const std::string& cloud, const std::string& command,
                           const std::string& host, const std::string& subject,
                           const std::string& request_id, const fault& f) {
  return nova_object("CommandErrorPayload", "1.0",
                     {{"cloud", cloud},
                      {"command", command},
                      {"host", text_or_null(host)},
                      {"subject", text_or_null(subject)},
                      {"request_id", text_or_null(request_id)},
                      {"fault", exception_payload(f)}},
                     "steward");
}

json catalog_payload(const workload& catalog, const cloud_spec& cloud,
                     const std::string& request_id) {
  json flavors = json::array();
  for (const flavor_spec& f : cloud.flavors) flavors.push_back(catalog_flavor(f));
  json templates = json::array();
  for (const template_spec& t : cloud.templates) templates.push_back(catalog_template(t));
  json keys = json::array();
  for (const key_spec& k : cloud.keys) keys.push_back(catalog_key(k));
  json groups = json::array();
  for (const security_group_spec& g : cloud.security_groups) {
    groups.push_back(catalog_security_group(g));
  }
  json networks = json::array();
  for (const network_spec& n : cloud.networks) {
    networks.push_back({{"uuid", n.uuid}, {"name", n.name}, {"project", n.project}, {"cidr", n.cidr}});
  }

  // Only who is concerned with this cloud: its projects, their groups and
  // customers, and the customer the cloud belongs to.
  std::set<std::string> customer_ids;
  std::set<std::string> group_ids;
  if (!cloud.customer.empty()) customer_ids.insert(cloud.customer);
  json projects = json::array();
  for (const project_spec& p : catalog.projects) {
    if (!uses_cloud(p, cloud)) continue;
    customer_ids.insert(p.customer);
    group_ids.insert(p.project_groups.begin(), p.project_groups.end());
    projects.push_back({{"uuid", p.uuid},
                        {"name", p.name},
                        {"customer", p.customer},
                        {"project_groups", p.project_groups},
                        {"clouds", p.clouds}});
  }
  json project_groups = json::array();
  for (const project_group_spec& g : catalog.project_groups) {
    if (group_ids.count(g.uuid) == 0) continue;
    project_groups.push_back({{"uuid", g.uuid}, {"name", g.name}, {"customer", g.customer}});
  }
  json customers = json::array();
  for (const customer_spec& c : catalog.customers) {
    if (customer_ids.count(c.uuid) == 0) continue;
    customers.push_back({{"uuid", c.uuid}, {"name", c.name}, {"abbreviation", c.abbreviation}});
  }

  return {{"cloud",
           {{"uuid", cloud.uuid}, {"name", cloud.name}, {"customer", text_or_null(cloud.customer)}}},
          {"flavors", flavors},
          {"templates", templates},
          {"keys", keys},
          {"security_groups", groups},
          {"networks", networks},
          {"customers", customers},
          {"project_groups", project_groups},
          {"projects", projects},
          {"request_id", text_or_null(request_id)}};
}

json usage_payload(const instance& i, double cpu_util, int64_t memory_mb, int64_t disk_gb) {
  return nova_object("InstanceUsagePayload", "1.0",
                     {{"uuid", i.uuid},
                      {"cloud", i.cloud},
                      {"host", text_or_null(i.host)},
                      {"tenant_id", text_or_null(i.project_id)},
                      {"cpu_util", std::round(cpu_util * 10.0) / 10.0},
                      {"memory_mb", memory_mb},
                      {"disk_gb", disk_gb}},
                     "steward");
}

} // namespace steward::sim
