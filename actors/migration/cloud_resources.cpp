#include "actors/migration/cloud_resources.hpp"

#include <algorithm>
#include <set>
#include <tuple>

namespace steward::migration {

namespace {

using nlohmann::json;
using istate = instance::state;

json urls_of(const cloud_urls& urls) {
  json out = json::object();
  for (auto& [name, url] : urls)
    out[name] = url;
  return out;
}

const std::string& text_of(const json& item, const char* key) {
  return item.at(key).get_ref<const std::string&>();
}

// By name, then id, as a person reads a list.
void sort_by_name(json& list) {
  std::sort(list.begin(), list.end(), [](const json& a, const json& b) {
    return std::tie(text_of(a, "name"), text_of(a, "id"))
           < std::tie(text_of(b, "name"), text_of(b, "id"));
  });
}

// Every project that uses the cloud or has a server in it.
json tenants_of(const std::string& cloud, const world_view& world, const catalog::catalog& cat,
                const operations_view& ops) {
  std::set<std::string> ids;
  for (auto& [id, i] : world.instances)
    if (i->cloud_name == cloud)
      ids.insert(i->project);
  if (auto c = cat.find_cloud_by_name(cloud))
    for (auto& [id, p] : cat.projects())
      if (cat.project_uses_cloud(id, c->uuid))
        ids.insert(id);
  json out = json::array();
  for (auto& id : ids) {
    auto p = cat.find_project(id);
    json t = {{"id", id}, {"name", p ? p->name : id}, {"description", ""}};
    if (auto s = ops.tenants.find(id); s != ops.tenants.end())
      t["status"] = s->second;
    out.push_back(std::move(t));
  }
  sort_by_name(out);
  return out;
}

// Its servers, then the images, flavors, networks and keypairs it holds,
// each by name.
json resources_of(const std::string& cloud, const world_view& world,
                  const catalog::catalog& cat) {
  json servers = json::array();
  for (auto& [id, i] : world.instances)
    if (i->cloud_name == cloud)
      servers.push_back({{"id", id},
                         {"type", "server"},
                         {"name", i->hostname},
                         {"image_id", i->image_template},
                         {"tenant_id", i->project},
                         {"host_name", i->host.value_or("")},
                         {"status", server_status(*i)}});
  sort_by_name(servers);
  json out = std::move(servers);
  auto c = cat.find_cloud_by_name(cloud);
  if (!c)
    return out;
  json images = json::array();
  json flavors = json::array();
  json networks = json::array();
  json keypairs = json::array();
  for (auto& [id, t] : cat.templates())
    if (t.cloud == c->uuid) {
      json image = {{"id", id}, {"type", "image"}, {"name", t.name}, {"status", t.status}};
      if (!t.bootable())
        image["progress"] = t.progress;
      images.push_back(std::move(image));
    }
  for (auto& [id, f] : cat.flavors())
    if (f.cloud == c->uuid)
      flavors.push_back({{"id", id},
                         {"type", "flavor"},
                         {"name", f.name},
                         {"vcpus", f.cores},
                         {"ram", f.ram},
                         {"disk", f.disk / 1024}});
  for (auto& [id, n] : cat.networks())
    if (n.cloud == c->uuid)
      networks.push_back({{"id", id},
                          {"type", "network"},
                          {"name", n.name},
                          {"tenant_id", n.project},
                          {"cidr", n.cidr}});
  for (auto& [id, k] : cat.keys())
    if (std::find(k.clouds.begin(), k.clouds.end(), c->uuid) != k.clouds.end())
      keypairs.push_back({{"id", id},
                          {"type", "keypair"},
                          {"name", k.name},
                          {"fingerprint", k.fingerprint},
                          {"user", k.user}});
  for (auto* more : {&images, &flavors, &networks, &keypairs}) {
    sort_by_name(*more);
    for (auto& item : *more)
      out.push_back(std::move(item));
  }
  return out;
}

json host_entry(const inventory::host& h, const operations_view& ops) {
  auto s = ops.hosts.find(h.hypervisor_hostname);
  return {{"id", h.id},
          {"name", h.hypervisor_hostname},
          {"status", s != ops.hosts.end() ? s->second : host_status(h)}};
}

json cloud_document(const std::string& cloud, const cloud_urls& urls, const world_view& world,
                    const catalog::catalog& cat, const operations_view& ops) {
  json hosts = json::array();
  for (auto& [id, h] : world.hosts)
    if (h->cloud == cloud)
      hosts.push_back(host_entry(*h, ops));
  sort_by_name(hosts);
  return {{"urls", urls_of(urls)},
          {"tenants", tenants_of(cloud, world, cat, ops)},
          {"resources", resources_of(cloud, world, cat)},
          {"hosts", std::move(hosts)}};
}

} // namespace

std::string host_status(const inventory::host& h) {
  if (!h.up)
    return "error";
  if (!h.enabled)
    return "blocked";
  return "available";
}

std::string server_status(const instance::instance& i) {
  switch (i.current) {
    case istate::online: return "active";
    case istate::offline: return "stopped";
    case istate::erred: return "error";
    case istate::provisioning_scheduled:
    case istate::provisioning: return "building";
    case istate::deletion_scheduled:
    case istate::deleting: return "deleting";
    case istate::starting_scheduled:
    case istate::starting: return "starting";
    case istate::stopping_scheduled:
    case istate::stopping: return "stopping";
    case istate::resizing_scheduled:
    case istate::resizing: return "resizing";
  }
  return "error";
}

json resources_document(const world_view& world, const catalog::catalog& cat,
                        const migration_settings& settings, const operations_view& ops) {
  json elsewhere = json::array();
  for (auto& [id, h] : world.hosts)
    if (h->cloud != settings.source_cloud && h->cloud != settings.destination_cloud)
      elsewhere.push_back(host_entry(*h, ops));
  sort_by_name(elsewhere);
  return {{"reset", settings.reset},
          {"source", cloud_document(settings.source_cloud, settings.source_urls, world, cat, ops)},
          {"destination", cloud_document(settings.destination_cloud, settings.destination_urls,
                                         world, cat, ops)},
          {"hosts", std::move(elsewhere)},
          {"events", ops.streams}};
}

} // namespace steward::migration
