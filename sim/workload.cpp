#include "sim/workload.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace steward::sim {

namespace {

using json = nlohmann::json;

// Reads the fields of one JSON object and remembers which it read, so that
// a field nobody reads (a typo such as "memory_gb") is reported rather than
// silently ignored. Every error names the item: `label` ("cloud 'default':
// host 'compute-1'").
class item_reader {
public:
  item_reader(const json& doc, std::string label) : doc_(doc), label_(std::move(label)) {
    if (!doc_.is_object()) fail(std::string("must be an object, not ") + doc_.type_name());
  }

  const std::string& label() const { return label_; }
  /// Once the item's name is known, errors use it instead of its position.
  void rename(std::string label) { label_ = std::move(label); }

  [[noreturn]] void fail(const std::string& what) const {
    throw workload_error(label_ + ": " + what);
  }

  bool has(const std::string& key) const {
    auto it = doc_.find(key);
    return it != doc_.end() && !it->is_null();
  }

  std::string text(const std::string& key) {
    if (!has(key)) fail("'" + key + "' is missing");
    std::string v = optional_text(key, "");
    if (v.empty()) fail("'" + key + "' must not be empty");
    return v;
  }

  std::string optional_text(const std::string& key, const std::string& fallback) {
    seen_.insert(key);
    if (!has(key)) return fallback;
    const json& v = doc_.at(key);
    if (!v.is_string()) fail("'" + key + "' must be a string, not " + v.type_name());
    return v.get<std::string>();
  }

  int64_t count(const std::string& key, int64_t min) {
    if (!has(key)) fail("'" + key + "' is missing");
    return optional_count(key, min, min);
  }

  int64_t optional_count(const std::string& key, int64_t fallback, int64_t min) {
    seen_.insert(key);
    if (!has(key)) return fallback;
    const json& v = doc_.at(key);
    if (!v.is_number_integer()) fail("'" + key + "' must be an integer, not " + v.type_name());
    int64_t n = v.get<int64_t>();
    if (n < min) fail("'" + key + "' must be at least " + std::to_string(min));
    return n;
  }

  bool optional_flag(const std::string& key, bool fallback) {
    seen_.insert(key);
    if (!has(key)) return fallback;
    const json& v = doc_.at(key);
    if (!v.is_boolean()) fail("'" + key + "' must be true or false");
    return v.get<bool>();
  }

  std::vector<std::string> text_list(const std::string& key) {
    std::vector<std::string> out;
    for (const json& v : array(key)) {
      if (!v.is_string() || v.get<std::string>().empty()) {
        fail("'" + key + "' must be a list of non-empty strings");
      }
      out.push_back(v.get<std::string>());
    }
    return out;
  }

  /// An optional array (absent: empty).
  json array(const std::string& key) {
    seen_.insert(key);
    if (!has(key)) return json::array();
    const json& v = doc_.at(key);
    if (!v.is_array()) fail("'" + key + "' must be a list, not " + v.type_name());
    return v;
  }

  /// Every field must have been read by now.
  void finish() const {
    for (auto it = doc_.begin(); it != doc_.end(); ++it) {
      if (seen_.count(it.key()) == 0) fail("unknown field '" + it.key() + "'");
    }
  }

private:
  const json& doc_;
  std::string label_;
  std::set<std::string> seen_;
};

std::string in_quotes(const std::string& s) { return "'" + s + "'"; }

// Remembers the uuids and names of one kind of item and refuses duplicates.
class unique_names {
public:
  explicit unique_names(std::string kind) : kind_(std::move(kind)) {}

  /// `who` names the item in the error.
  void add_uuid(const std::string& who, const std::string& uuid) {
    if (!uuids_.insert(uuid).second) {
      throw workload_error(who + ": duplicate " + kind_ + " uuid " + in_quotes(uuid));
    }
  }
  void add_name(const std::string& who, const std::string& name) {
    if (!names_.insert(name).second) {
      throw workload_error(who + ": duplicate " + kind_ + " name " + in_quotes(name));
    }
  }

private:
  std::string kind_;
  std::set<std::string> uuids_;
  std::set<std::string> names_;
};

// Finds an item of `items` by uuid, else by name (a reference may be either).
template <class Item>
const Item* find_ref(const std::vector<Item>& items, const std::string& ref) {
  for (const Item& i : items) {
    if (i.uuid == ref) return &i;
  }
  for (const Item& i : items) {
    if (i.name == ref) return &i;
  }
  return nullptr;
}

// --- what a cloud offers ----------------------------------------------------

host_spec read_host(const json& doc, const std::string& where) {
  item_reader r(doc, where);
  host_spec h;
  h.name = r.text("name");
  r.rename(where.substr(0, where.find("hosts[")) + "host " + in_quotes(h.name));
  h.vcpus = r.count("vcpus", 1);
  h.memory_mb = r.count("memory_mb", 1);
  h.local_gb = r.count("local_gb", 1);
  h.hypervisor_type = r.optional_text("hypervisor_type", h.hypervisor_type);
  h.hypervisor_version = r.optional_count("hypervisor_version", h.hypervisor_version, 0);
  h.disabled = r.optional_flag("disabled", false);
  h.disabled_reason = r.optional_text("disabled_reason", "");
  h.forced_down = r.optional_flag("forced_down", false);
  r.finish();
  return h;
}

flavor_spec read_flavor(const json& doc, const std::string& where) {
  item_reader r(doc, where);
  flavor_spec f;
  f.uuid = r.text("uuid");
  f.name = r.text("name");
  r.rename(where.substr(0, where.find("flavors[")) + "flavor " + in_quotes(f.name));
  f.cores = r.count("cores", 1);
  f.ram = r.count("ram", 1);
  f.disk = r.count("disk", 0);
  r.finish();
  return f;
}

template_spec read_template(const json& doc, const std::string& where) {
  item_reader r(doc, where);
  template_spec t;
  t.uuid = r.text("uuid");
  t.name = r.text("name");
  t.os = r.optional_text("os", "");
  r.finish();
  return t;
}

key_spec read_key(const json& doc, const std::string& where) {
  item_reader r(doc, where);
  key_spec k;
  k.uuid = r.text("uuid");
  k.name = r.text("name");
  k.fingerprint = r.optional_text("fingerprint", "");
  k.user = r.optional_text("user", "");
  r.finish();
  return k;
}

network_spec read_network(const json& doc, const std::string& where) {
  item_reader r(doc, where);
  network_spec n;
  n.uuid = r.text("uuid");
  n.name = r.text("name");
  n.project = r.text("project");
  n.cidr = r.optional_text("cidr", "");
  r.finish();
  return n;
}

security_group_spec read_security_group(const json& doc, const std::string& where) {
  item_reader r(doc, where);
  security_group_spec g;
  g.uuid = r.text("uuid");
  g.name = r.text("name");
  g.description = r.optional_text("description", "");
  g.rules = r.array("rules");
  r.finish();
  return g;
}

// Reads a list of a cloud's offers, refusing duplicate uuids and names
// within the cloud.
template <class Item, class Read>
std::vector<Item> read_offers(item_reader& cloud, const std::string& key, const std::string& kind,
                              Read read) {
  std::vector<Item> out;
  unique_names seen(kind);
  json list = cloud.array(key);
  for (std::size_t i = 0; i < list.size(); ++i) {
    std::string where = cloud.label() + ": " + key + "[" + std::to_string(i) + "]";
    Item item = read(list[i], where);
    std::string who = cloud.label() + ": " + kind + " " + in_quotes(item.name);
    seen.add_uuid(who, item.uuid);
    seen.add_name(who, item.name);
    out.push_back(std::move(item));
  }
  return out;
}

cloud_spec read_cloud(const json& doc, std::size_t index) {
  item_reader r(doc, "clouds[" + std::to_string(index) + "]");
  cloud_spec c;
  c.uuid = r.text("uuid");
  c.name = r.text("name");
  r.rename("cloud " + in_quotes(c.name));
  c.customer = r.optional_text("customer", "");
  json hosts = r.array("hosts");
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    c.hosts.push_back(read_host(hosts[i], r.label() + ": hosts[" + std::to_string(i) + "]"));
  }
  c.flavors = read_offers<flavor_spec>(r, "flavors", "flavor", read_flavor);
  c.templates = read_offers<template_spec>(r, "templates", "template", read_template);
  c.keys = read_offers<key_spec>(r, "keys", "key", read_key);
  c.security_groups =
      read_offers<security_group_spec>(r, "security_groups", "security group", read_security_group);
  c.networks = read_offers<network_spec>(r, "networks", "network", read_network);
  r.finish();
  return c;
}

// --- who owns instances -----------------------------------------------------

customer_spec read_customer(const json& doc, std::size_t index) {
  item_reader r(doc, "customers[" + std::to_string(index) + "]");
  customer_spec c;
  c.uuid = r.text("uuid");
  c.name = r.text("name");
  c.abbreviation = r.optional_text("abbreviation", "");
  r.finish();
  return c;
}

project_group_spec read_project_group(const json& doc, std::size_t index) {
  item_reader r(doc, "project_groups[" + std::to_string(index) + "]");
  project_group_spec g;
  g.uuid = r.text("uuid");
  g.name = r.text("name");
  g.customer = r.text("customer");
  r.finish();
  return g;
}

project_spec read_project(const json& doc, std::size_t index) {
  item_reader r(doc, "projects[" + std::to_string(index) + "]");
  project_spec p;
  p.uuid = r.text("uuid");
  p.name = r.text("name");
  p.customer = r.text("customer");
  p.project_groups = r.text_list("project_groups");
  p.clouds = r.text_list("clouds");
  r.finish();
  return p;
}

instance_spec read_instance(const json& doc, std::size_t index) {
  item_reader r(doc, "instances[" + std::to_string(index) + "]");
  instance_spec i;
  i.uuid = r.text("uuid");
  r.rename("instance " + in_quotes(i.uuid));
  i.cloud = r.optional_text("cloud", "");
  i.host = r.optional_text("host", "");
  i.display_name = r.text("display_name");
  i.project = r.text("project");
  i.flavor = r.text("flavor");
  i.template_uuid = r.optional_text("template", "");
  i.key = r.optional_text("key", "");
  i.security_groups = r.text_list("security_groups");
  i.state = r.optional_text("state", "active");
  i.data_volume_gb = r.optional_count("data_volume_gb", 0, 0);
  i.internal_ips = r.text_list("internal_ips");
  i.external_ips = r.text_list("external_ips");
  r.finish();
  if (i.state != "active" && i.state != "stopped" && i.state != "error") {
    r.fail("state " + in_quotes(i.state) + " is not one of active, stopped, error");
  }
  if (i.host.empty() && i.state != "error") {
    r.fail("has no host (only an instance in state error may have none)");
  }
  return i;
}

// --- references ---------------------------------------------------------------

void check_unique(const workload& w) {
  unique_names clouds("cloud");
  unique_names hosts("host");  // across clouds: Nova's notifications name hosts alone
  for (const cloud_spec& c : w.clouds) {
    std::string who = "cloud " + in_quotes(c.name);
    clouds.add_uuid(who, c.uuid);
    clouds.add_name(who, c.name);
    for (const host_spec& h : c.hosts) hosts.add_name(who, h.name);
  }
  unique_names customers("customer");
  for (const customer_spec& c : w.customers) {
    std::string who = "customer " + in_quotes(c.name);
    customers.add_uuid(who, c.uuid);
    customers.add_name(who, c.name);
  }
  unique_names groups("project group");
  for (const project_group_spec& g : w.project_groups) {
    std::string who = "project group " + in_quotes(g.name);
    groups.add_uuid(who, g.uuid);
    groups.add_name(who, g.name);
  }
  unique_names projects("project");
  for (const project_spec& p : w.projects) {
    std::string who = "project " + in_quotes(p.name);
    projects.add_uuid(who, p.uuid);
    projects.add_name(who, p.name);
  }
  unique_names instances("instance");
  for (const instance_spec& i : w.instances) {
    instances.add_uuid("instance " + in_quotes(i.display_name), i.uuid);
  }
}

// Replaces `ref` (a uuid or a name) by the uuid of the customer it names.
void resolve_customer(const workload& w, const std::string& who, std::string& ref) {
  const customer_spec* c = find_ref(w.customers, ref);
  if (c == nullptr) throw workload_error(who + ": unknown customer " + in_quotes(ref));
  ref = c->uuid;
}

void resolve_owners(workload& w) {
  for (cloud_spec& c : w.clouds) {
    if (!c.customer.empty()) resolve_customer(w, "cloud " + in_quotes(c.name), c.customer);
  }
  for (project_group_spec& g : w.project_groups) {
    resolve_customer(w, "project group " + in_quotes(g.name), g.customer);
  }
  for (project_spec& p : w.projects) {
    std::string who = "project " + in_quotes(p.name);
    resolve_customer(w, who, p.customer);
    for (std::string& ref : p.project_groups) {
      const project_group_spec* g = find_ref(w.project_groups, ref);
      if (g == nullptr) throw workload_error(who + ": unknown project group " + in_quotes(ref));
      if (g->customer != p.customer) {
        throw workload_error(who + ": project group " + in_quotes(g->name) +
                             " belongs to another customer");
      }
      ref = g->uuid;
    }
    for (std::string& ref : p.clouds) {
      const cloud_spec* c = find_ref(w.clouds, ref);
      if (c == nullptr) throw workload_error(who + ": unknown cloud " + in_quotes(ref));
      ref = c->uuid;
    }
  }
}

const cloud_spec& instance_cloud(const workload& w, instance_spec& i, const std::string& who) {
  if (i.cloud.empty()) {
    if (w.clouds.size() != 1) throw workload_error(who + ": 'cloud' is missing");
    i.cloud = w.clouds.front().name;  // one cloud: it can only be that one
  }
  const cloud_spec* c = find_ref(w.clouds, i.cloud);
  if (c == nullptr) throw workload_error(who + ": unknown cloud " + in_quotes(i.cloud));
  i.cloud = c->name;
  return *c;
}

// A network is its project's, in a cloud the project uses.
void resolve_networks(workload& w) {
  for (cloud_spec& c : w.clouds)
    for (network_spec& n : c.networks) {
      std::string who = "cloud " + in_quotes(c.name) + ": network " + in_quotes(n.name);
      const project_spec* p = find_ref(w.projects, n.project);
      if (p == nullptr) throw workload_error(who + ": unknown project " + in_quotes(n.project));
      if (std::find(p->clouds.begin(), p->clouds.end(), c.uuid) == p->clouds.end())
        throw workload_error(who + ": project " + in_quotes(p->name) + " is not in the cloud");
      n.project = p->uuid;
    }
}

void resolve_instance(const workload& w, instance_spec& i) {
  std::string who = "instance " + in_quotes(i.display_name) + " (" + i.uuid + ")";
  const cloud_spec& cloud = instance_cloud(w, i, who);
  std::string in_cloud = " in cloud " + in_quotes(cloud.name);
  if (!i.host.empty()) {
    bool known = false;
    for (const host_spec& h : cloud.hosts) known = known || h.name == i.host;
    if (!known) throw workload_error(who + ": unknown host " + in_quotes(i.host) + in_cloud);
  }
  const project_spec* p = find_ref(w.projects, i.project);
  if (p == nullptr) throw workload_error(who + ": unknown project " + in_quotes(i.project));
  i.project = p->uuid;
  bool member = false;
  for (const std::string& c : p->clouds) member = member || c == cloud.uuid;
  if (!member) {
    throw workload_error(who + ": project " + in_quotes(p->name) + " is not in cloud " +
                         in_quotes(cloud.name) + " (see the project's 'clouds')");
  }
  const flavor_spec* f = find_ref(cloud.flavors, i.flavor);
  if (f == nullptr) throw workload_error(who + ": unknown flavor " + in_quotes(i.flavor) + in_cloud);
  i.flavor = f->uuid;
  if (!i.template_uuid.empty()) {
    const template_spec* t = find_ref(cloud.templates, i.template_uuid);
    if (t == nullptr) {
      throw workload_error(who + ": unknown template " + in_quotes(i.template_uuid) + in_cloud);
    }
    i.template_uuid = t->uuid;
  }
  if (!i.key.empty()) {
    const key_spec* k = find_ref(cloud.keys, i.key);
    if (k == nullptr) throw workload_error(who + ": unknown key " + in_quotes(i.key) + in_cloud);
    i.key = k->name;
  }
  for (std::string& ref : i.security_groups) {
    const security_group_spec* g = find_ref(cloud.security_groups, ref);
    if (g == nullptr) {
      throw workload_error(who + ": unknown security group " + in_quotes(ref) + in_cloud);
    }
    ref = g->name;
  }
}

template <class Item, class Read>
std::vector<Item> read_list(item_reader& top, const std::string& key, Read read) {
  std::vector<Item> out;
  json list = top.array(key);
  for (std::size_t i = 0; i < list.size(); ++i) out.push_back(read(list[i], i));
  return out;
}

} // namespace

workload parse_workload(const json& doc) {
  item_reader top(doc, "workload");
  workload w;
  w.clouds = read_list<cloud_spec>(top, "clouds", read_cloud);
  w.customers = read_list<customer_spec>(top, "customers", read_customer);
  w.project_groups = read_list<project_group_spec>(top, "project_groups", read_project_group);
  w.projects = read_list<project_spec>(top, "projects", read_project);
  w.instances = read_list<instance_spec>(top, "instances", read_instance);
  top.finish();
  if (w.clouds.empty()) top.fail("names no cloud");
  check_unique(w);
  resolve_owners(w);
  resolve_networks(w);
  for (instance_spec& i : w.instances) resolve_instance(w, i);
  return w;
}

workload parse_workload_text(const std::string& text, const std::string& source) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    throw workload_error(source + ": not valid JSON: " + e.what());
  }
  try {
    return parse_workload(doc);
  } catch (const workload_error& e) {
    throw workload_error(source + ": " + e.what());
  }
}

workload load_workload_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw workload_error(path + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_workload_text(text.str(), path);
}

workload default_workload() {
  return parse_workload_text(default_workload_text(), "the embedded default workload");
}

const cloud_spec* find_cloud(const workload& w, const std::string& name_or_uuid) {
  return find_ref(w.clouds, name_or_uuid);
}

const flavor_spec* find_flavor(const cloud_spec& cloud, const std::string& uuid) {
  for (const flavor_spec& f : cloud.flavors) {
    if (f.uuid == uuid) return &f;
  }
  return nullptr;
}

const template_spec* find_template(const cloud_spec& cloud, const std::string& uuid) {
  for (const template_spec& t : cloud.templates) {
    if (t.uuid == uuid) return &t;
  }
  return nullptr;
}

} // namespace steward::sim
