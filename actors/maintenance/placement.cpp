#include "actors/maintenance/placement.hpp"

#include <algorithm>
#include <map>
#include <vector>

#include "actors/maintenance/session_document.hpp"

namespace steward::maintenance {

namespace {

struct load {
  double vcpus = 0;
  double ram = 0;
  double disk_gb = 0;
  int group_members = 0;
};

void add(load& l, const instance::instance& i) {
  l.vcpus += i.cores;
  l.ram += i.ram;
  l.disk_gb += (i.system_volume_size + i.data_volume_size) / 1024.0;
}

const instance::instance* value_of(const world_view& w, const std::string& uuid) {
  auto i = w.instances.find(uuid);
  return i == w.instances.end() ? nullptr : i->second.get();
}

} // namespace

std::string group_of(const world_view& world, const std::string& instance) {
  auto c = world.instance_constraints.find(instance);
  return c == world.instance_constraints.end() ? "" : c->second->group_id.value_or("");
}

std::optional<std::string> choose_target(const world_view& world, const std::string& instance,
                                         const session& s, double cpu_ratio) {
  auto* moving = value_of(world, instance);
  if (!moving)
    return std::nullopt;
  auto group = group_of(world, instance);
  const group_constraint* group_rules = nullptr;
  if (auto g = world.group_constraints.find(group); !group.empty() && g != world.group_constraints.end())
    group_rules = g->second.get();

  // Where every instance is, or is going.
  std::map<std::string, load> loads;
  for (auto& [uuid, other] : world.instances) {
    if (uuid == instance)
      continue;
    auto where = other->host.value_or("");
    auto m = s.moves.find(uuid);
    if (m != s.moves.end() && m->second.progress == move::status::moving)
      where = m->second.target.value_or("");
    auto& l = loads[where];
    add(l, *other);
    if (!group.empty() && group_of(world, uuid) == group)
      ++l.group_members;
  }
  load need;
  add(need, *moving);

  auto emptied = s.host.value_or("");
  auto& maintained = s.maintained;
  auto cloud = moving->cloud_name;
  struct candidate {
    bool maintained;
    double free_ram;
    std::string name;
  };
  std::vector<candidate> fits;
  auto our_reason = disable_reason(s);
  for (auto& [id, host] : world.hosts) {
    auto& h = *host;
    auto& name = h.hypervisor_hostname;
    bool done = std::find(maintained.begin(), maintained.end(), name) != maintained.end();
    // A host this session maintained and gave back may not show it yet: its
    // own disabling and marking do not count against it.
    bool disabled = !h.enabled && !(done && h.disabled_reason == our_reason);
    bool held = inventory::in_maintenance(h) && !(done && h.maintenance_session == s.session_id);
    if (name == emptied || disabled || held || !h.up || (!cloud.empty() && h.cloud != cloud))
      continue;
    auto& l = loads[name];
    double vcpus = h.vcpus * cpu_ratio;
    double ram = h.memory_mb;
    double disk = h.local_gb;
    if (l.vcpus + need.vcpus > vcpus || l.ram + need.ram > ram || l.disk_gb + need.disk_gb > disk)
      continue;
    if (group_rules) {
      if (group_rules->anti_affinity_group.value_or(false) && l.group_members > 0)
        continue;
      auto per_host = group_rules->max_instances_per_host.value_or(0);
      if (per_host > 0 && l.group_members >= per_host)
        continue;
    }
    fits.push_back({done, ram - l.ram, name});
  }
  if (fits.empty())
    return std::nullopt;
  std::sort(fits.begin(), fits.end(), [](const candidate& a, const candidate& b) {
    if (a.maintained != b.maintained)
      return a.maintained;
    if (a.free_ram != b.free_ram)
      return a.free_ram > b.free_ram;
    return a.name < b.name;
  });
  return fits.front().name;
}

} // namespace steward::maintenance
