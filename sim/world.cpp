#include "sim/world.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace steward::sim {

namespace {

using json = nlohmann::json;

// Capacity times ratio, rounded down: a host never takes a fraction more.
int64_t scaled(int64_t capacity, double ratio) {
  return static_cast<int64_t>(std::floor(static_cast<double>(capacity) * ratio));
}

double fraction(int64_t used, int64_t allowed) {
  if (allowed <= 0) return used > 0 ? 1e9 : 1.0;  // nothing may go there: full
  return static_cast<double>(used) / static_cast<double>(allowed);
}

resources add(resources a, const resources& b) {
  a.vcpus += b.vcpus;
  a.memory_mb += b.memory_mb;
  a.disk_gb += b.disk_gb;
  return a;
}

instance instance_of(const workload& w, const instance_spec& spec) {
  const cloud_spec* cloud = find_cloud(w, spec.cloud);
  instance i;
  i.uuid = spec.uuid;
  i.cloud = spec.cloud;
  i.host = spec.host;
  i.display_name = spec.display_name;
  i.project_id = spec.project;
  i.size = flavor_of(*find_flavor(*cloud, spec.flavor));  // the workload checked both
  i.image_uuid = spec.template_uuid;
  i.key_name = spec.key;
  i.security_groups = spec.security_groups;
  i.vm_state = spec.state;
  i.data_volume_gb = spec.data_volume_gb;
  for (const std::string& a : spec.internal_ips) i.ips.push_back({a, "internal"});
  for (const std::string& a : spec.external_ips) i.ips.push_back({a, "external"});
  return i;
}

json resources_json(const resources& r) {
  return {{"vcpus", r.vcpus}, {"memory_mb", r.memory_mb}, {"disk_gb", r.disk_gb}};
}

} // namespace

flavor flavor_of(const flavor_spec& spec) {
  flavor f;
  f.flavorid = spec.uuid;
  f.name = spec.name;
  f.vcpus = spec.cores;
  f.memory_mb = spec.ram;
  f.root_gb = (spec.disk + 1023) / 1024;
  return f;
}

resources instance::demand() const {
  return {size.vcpus, size.memory_mb, size.root_gb + data_volume_gb};
}

world::world(workload catalog, allocation_ratios ratios)
    : catalog_(std::move(catalog)), ratios_(ratios) {
  for (const cloud_spec& c : catalog_.clouds) {
    for (const host_spec& spec : c.hosts) {
      host h;
      h.cloud = c.name;
      h.name = spec.name;
      h.vcpus = spec.vcpus;
      h.memory_mb = spec.memory_mb;
      h.local_gb = spec.local_gb;
      h.hypervisor_type = spec.hypervisor_type;
      h.hypervisor_version = spec.hypervisor_version;
      h.disabled = spec.disabled;
      h.disabled_reason = spec.disabled_reason;
      h.forced_down = spec.forced_down;
      hosts_.emplace(h.name, h);
    }
  }
  for (const instance_spec& spec : catalog_.instances) {
    instance i = instance_of(catalog_, spec);
    instances_.emplace(i.uuid, i);
  }
  // Capacity is checked once everything is placed, so that the error names
  // the host and what it holds rather than the instance that happened to be
  // read last.
  for (const auto& [name, h] : hosts_) {
    resources u = used(h);
    resources a = allowed(h);
    if (u.vcpus > a.vcpus || u.memory_mb > a.memory_mb || u.disk_gb > a.disk_gb) {
      throw workload_error(
          "host '" + name + "' is over capacity: its instances take " +
          std::to_string(u.vcpus) + " vCPUs, " + std::to_string(u.memory_mb) + " MiB, " +
          std::to_string(u.disk_gb) + " GB; it allows " + std::to_string(a.vcpus) +
          " vCPUs, " + std::to_string(a.memory_mb) + " MiB, " + std::to_string(a.disk_gb) +
          " GB (capacity times the allocation ratios)");
    }
  }
}

const cloud_spec* world::find_cloud(const std::string& name) const {
  for (const cloud_spec& c : catalog_.clouds) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

std::vector<std::string> world::cloud_names() const {
  std::vector<std::string> out;
  for (const cloud_spec& c : catalog_.clouds) out.push_back(c.name);
  return out;
}

void world::add_template(const std::string& cloud, template_spec t) {
  for (cloud_spec& c : catalog_.clouds) {
    if (c.name == cloud) c.templates.push_back(std::move(t));
  }
}

void world::set_upload(const std::string& cloud, const std::string& uuid,
                       const std::string& status, int64_t progress) {
  for (cloud_spec& c : catalog_.clouds)
    for (template_spec& t : c.templates)
      if (c.name == cloud && t.uuid == uuid) {
        t.status = status;
        t.progress = progress;
      }
}

void world::add_key(const std::string& cloud, key_spec k) {
  for (cloud_spec& c : catalog_.clouds)
    if (c.name == cloud && std::none_of(c.keys.begin(), c.keys.end(),
                                        [&](const key_spec& x) { return x.uuid == k.uuid; }))
      c.keys.push_back(std::move(k));
}

void world::add_network(const std::string& cloud, network_spec n) {
  for (cloud_spec& c : catalog_.clouds)
    if (c.name == cloud && std::none_of(c.networks.begin(), c.networks.end(),
                                        [&](const network_spec& x) { return x.uuid == n.uuid; }))
      c.networks.push_back(std::move(n));
}

void world::add_flavor(const std::string& cloud, flavor_spec f) {
  for (cloud_spec& c : catalog_.clouds)
    if (c.name == cloud && !sim::find_flavor(c, f.uuid))
      c.flavors.push_back(std::move(f));
}

bool world::add_tenant(const std::string& cloud, const std::string& project) {
  const cloud_spec* c = find_cloud(cloud);
  for (project_spec& p : catalog_.projects)
    if (p.uuid == project) {
      if (c && std::find(p.clouds.begin(), p.clouds.end(), c->uuid) == p.clouds.end())
        p.clouds.push_back(c->uuid);
      return true;
    }
  return false;
}

host* world::find_host(const std::string& cloud, const std::string& name) {
  auto it = hosts_.find(name);
  if (it == hosts_.end() || it->second.cloud != cloud) return nullptr;
  return &it->second;
}

const host* world::find_host(const std::string& cloud, const std::string& name) const {
  auto it = hosts_.find(name);
  if (it == hosts_.end() || it->second.cloud != cloud) return nullptr;
  return &it->second;
}

instance* world::find_instance(const std::string& uuid) {
  auto it = instances_.find(uuid);
  return it == instances_.end() ? nullptr : &it->second;
}

std::vector<const host*> world::hosts_of(const std::string& cloud) const {
  std::vector<const host*> out;
  for (const auto& [name, h] : hosts_) {
    if (h.cloud == cloud) out.push_back(&h);
  }
  return out;
}

std::vector<const instance*> world::instances_of(const std::string& cloud) const {
  std::vector<const instance*> out;
  for (const auto& [uuid, i] : instances_) {
    if (i.cloud == cloud) out.push_back(&i);
  }
  return out;
}

void world::add_instance(instance i) {
  std::string uuid = i.uuid;
  instances_[uuid] = std::move(i);
}

void world::remove_instance(const std::string& uuid) { instances_.erase(uuid); }

resources world::allowed(const host& h) const {
  return {scaled(h.vcpus, ratios_.cpu), scaled(h.memory_mb, ratios_.ram),
          scaled(h.local_gb, ratios_.disk)};
}

resources world::used(const host& h) const {
  resources total;
  for (const auto& [uuid, i] : instances_) {
    if (i.host == h.name || i.migration_source == h.name) total = add(total, i.demand());
  }
  return total;
}

bool world::fits(const host& h, const resources& more) const {
  resources after = add(used(h), more);
  resources limit = allowed(h);
  return after.vcpus <= limit.vcpus && after.memory_mb <= limit.memory_mb &&
         after.disk_gb <= limit.disk_gb;
}

std::string world::refusal(const host& h, const resources& demand) const {
  if (h.disabled) return "host '" + h.name + "' is disabled";
  if (h.forced_down) return "host '" + h.name + "' is down";
  if (!fits(h, demand)) {
    return "host '" + h.name + "' has no room for " + std::to_string(demand.vcpus) +
           " vCPUs, " + std::to_string(demand.memory_mb) + " MiB, " +
           std::to_string(demand.disk_gb) + " GB";
  }
  return "";
}

double world::load(const host& h) const {
  resources u = used(h);
  resources a = allowed(h);
  return std::max({fraction(u.vcpus, a.vcpus), fraction(u.memory_mb, a.memory_mb),
                   fraction(u.disk_gb, a.disk_gb)});
}

std::string world::choose_host(const std::string& cloud, const resources& demand,
                               const std::string& except) const {
  const host* best = nullptr;
  double best_load = 0;
  for (const host* h : hosts_of(cloud)) {  // by name: the first of equals wins
    if (h->name == except || !refusal(*h, demand).empty()) continue;
    double l = load(*h);
    if (best == nullptr || l < best_load) {
      best = h;
      best_load = l;
    }
  }
  return best == nullptr ? "" : best->name;
}

std::string world::free_internal_ip(const std::string& cloud) const {
  std::set<std::string> taken;
  for (const instance* i : instances_of(cloud)) {
    for (const ip_address& a : i->ips) taken.insert(a.address);
  }
  // 10.0.100.1 upwards: clear of the addresses a workload usually spells out.
  for (int n = 0;; ++n) {
    std::string a = "10.0." + std::to_string(100 + n / 254) + "." + std::to_string(1 + n % 254);
    if (taken.count(a) == 0) return a;
  }
}

json world::snapshot() const {
  json clouds = json::array();
  for (const cloud_spec& c : catalog_.clouds) {
    json hosts = json::array();
    for (const host* h : hosts_of(c.name)) {
      json on = json::array();
      for (const instance* i : instances_of(c.name)) {
        if (i->host == h->name) on.push_back(i->uuid);
      }
      hosts.push_back({{"name", h->name},
                       {"vcpus", h->vcpus},
                       {"memory_mb", h->memory_mb},
                       {"local_gb", h->local_gb},
                       {"disabled", h->disabled},
                       {"disabled_reason", h->disabled_reason},
                       {"forced_down", h->forced_down},
                       {"allowed", resources_json(allowed(*h))},
                       {"used", resources_json(used(*h))},
                       {"instances", on}});
    }
    json instances = json::array();
    for (const instance* i : instances_of(c.name)) {
      instances.push_back({{"uuid", i->uuid},
                           {"display_name", i->display_name},
                           {"host", i->host},
                           {"state", i->vm_state},
                           {"project_id", i->project_id},
                           {"flavor", i->size.name},
                           {"flavorid", i->size.flavorid},
                           {"data_volume_gb", i->data_volume_gb},
                           {"migration_source", i->migration_source}});
    }
    clouds.push_back({{"uuid", c.uuid},
                      {"name", c.name},
                      {"templates", c.templates.size()},
                      {"hosts", hosts},
                      {"instances", instances}});
  }
  return {{"allocation_ratios",
           {{"cpu", ratios_.cpu}, {"ram", ratios_.ram}, {"disk", ratios_.disk}}},
          {"clouds", clouds}};
}

} // namespace steward::sim
