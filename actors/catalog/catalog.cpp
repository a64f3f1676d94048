#include "actors/catalog/catalog.hpp"
#include "common/json_fields.hpp"

#include <algorithm>

namespace steward::catalog {

using nlohmann::json;

namespace {

// Reads a required non-empty string field.
bool text(const json& obj, const char* field, std::string& out, std::string& err,
          const std::string& what) {
  auto i = obj.find(field);
  if (i == obj.end() || !i->is_string() || i->get<std::string>().empty()) {
    err = what + ": '" + field + "' must be a non-empty string";
    return false;
  }
  out = i->get<std::string>();
  return true;
}

std::string optional_text(const json& obj, const char* field) {
  auto i = obj.find(field);
  return i != obj.end() && i->is_string() ? i->get<std::string>() : "";
}

bool number(const json& obj, const char* field, int64_t& out, std::string& err,
            const std::string& what) {
  auto i = obj.find(field);
  if (i == obj.end() || !i->is_number_integer() || i->get<int64_t>() < 0) {
    err = what + ": '" + field + "' must be a non-negative integer";
    return false;
  }
  out = i->get<int64_t>();
  return true;
}

std::vector<std::string> strings(const json& obj, const char* field) {
  std::vector<std::string> out;
  auto i = obj.find(field);
  if (i != obj.end() && i->is_array())
    for (auto& v : *i)
      if (v.is_string())
        out.push_back(v.get<std::string>());
  return out;
}

const json& list(const json& payload, const char* field) {
  static const json empty = json::array();
  auto i = payload.find(field);
  return i != payload.end() && i->is_array() ? *i : empty;
}

template <class Map>
const typename Map::mapped_type* find_in(const Map& m, const std::string& key) {
  auto i = m.find(key);
  return i == m.end() ? nullptr : &i->second;
}

json ref(const std::string& base, kind k, const std::string& uuid, const std::string& name) {
  return {{"url", object_url(base, k, uuid)}, {"name", name}, {"uuid", uuid}};
}

} // namespace

const char* collection(kind k) {
  switch (k) {
    case kind::customer: return "customers";
    case kind::project_group: return "project-groups";
    case kind::project: return "projects";
    case kind::cloud: return "clouds";
    case kind::flavor: return "flavors";
    case kind::image_template: return "iaas-templates";
    case kind::ssh_key: return "keys";
    case kind::security_group: return "security-groups";
  }
  return "";
}

std::string object_url(const std::string& base, kind k, const std::string& uuid) {
  return base + "/api/" + collection(k) + "/" + uuid + "/";
}

std::optional<std::string> id_from_url(const std::string& url, kind k) {
  if (url.empty())
    return std::nullopt;
  if (url.find('/') == std::string::npos)
    return url;
  auto marker = std::string{"/api/"} + collection(k) + "/";
  auto at = url.find(marker);
  if (at == std::string::npos)
    return std::nullopt;
  auto rest = url.substr(at + marker.size());
  if (!rest.empty() && rest.back() == '/')
    rest.pop_back();
  if (rest.empty() || rest.find('/') != std::string::npos)
    return std::nullopt;
  return rest;
}

std::string catalog::apply_update(const json& payload) {
  if (!payload.is_object())
    return "catalog.update: the payload must be an object";
  catalog next = *this;
  std::string err;
  auto c = payload.find("cloud");
  if (c == payload.end() || !c->is_object())
    return "catalog.update: 'cloud' must be an object";
  cloud cl;
  if (!text(*c, "uuid", cl.uuid, err, "cloud") || !text(*c, "name", cl.name, err, "cloud"))
    return err;
  cl.customer = optional_text(*c, "customer");
  for (auto& [id, other] : next.clouds_)
    if (other.name == cl.name && id != cl.uuid)
      return "catalog.update: cloud name '" + cl.name + "' is taken by " + id;
  next.clouds_[cl.uuid] = cl;
  // The cloud's own offer is replaced as a whole.
  auto drop_cloud = [&](auto& m) {
    for (auto i = m.begin(); i != m.end();)
      i = i->second.cloud == cl.uuid ? m.erase(i) : std::next(i);
  };
  drop_cloud(next.flavors_);
  drop_cloud(next.templates_);
  drop_cloud(next.security_groups_);
  drop_cloud(next.networks_);
  for (auto& [id, k] : next.keys_)
    k.clouds.erase(std::remove(k.clouds.begin(), k.clouds.end(), cl.uuid), k.clouds.end());
  for (auto& f : list(payload, "flavors")) {
    flavor x;
    x.cloud = cl.uuid;
    if (!text(f, "uuid", x.uuid, err, "flavor") || !text(f, "name", x.name, err, "flavor")
        || !number(f, "cores", x.cores, err, "flavor " + x.name)
        || !number(f, "ram", x.ram, err, "flavor " + x.name)
        || !number(f, "disk", x.disk, err, "flavor " + x.name))
      return "catalog.update: " + err;
    next.flavors_[x.uuid] = x;
  }
  for (auto& t : list(payload, "templates")) {
    image_template x;
    x.cloud = cl.uuid;
    if (!text(t, "uuid", x.uuid, err, "template") || !text(t, "name", x.name, err, "template"))
      return "catalog.update: " + err;
    x.os = optional_text(t, "os");
    if (t.contains("status")) {
      if (!text(t, "status", x.status, err, "template " + x.name))
        return "catalog.update: " + err;
      x.progress = x.bootable() ? 100 : 0;
    }
    if (t.contains("progress")
        && (!number(t, "progress", x.progress, err, "template " + x.name) || x.progress > 100))
      return "catalog.update: template " + x.name + ": 'progress' must be a percentage";
    next.templates_[x.uuid] = x;
  }
  for (auto& g : list(payload, "security_groups")) {
    security_group x;
    x.cloud = cl.uuid;
    if (!text(g, "uuid", x.uuid, err, "security group")
        || !text(g, "name", x.name, err, "security group"))
      return "catalog.update: " + err;
    x.description = optional_text(g, "description");
    if (auto r = g.find("rules"); r != g.end() && r->is_array())
      x.rules = *r;
    next.security_groups_[x.uuid] = x;
  }
  for (auto& k : list(payload, "keys")) {
    ssh_key x;
    if (!text(k, "uuid", x.uuid, err, "key") || !text(k, "name", x.name, err, "key"))
      return "catalog.update: " + err;
    x.fingerprint = optional_text(k, "fingerprint");
    x.user = optional_text(k, "user");
    auto known = next.keys_.find(x.uuid);
    if (known != next.keys_.end())
      x.clouds = known->second.clouds;
    if (std::find(x.clouds.begin(), x.clouds.end(), cl.uuid) == x.clouds.end())
      x.clouds.push_back(cl.uuid);
    next.keys_[x.uuid] = x;
  }
  for (auto& n : list(payload, "networks")) {
    network x;
    x.cloud = cl.uuid;
    if (!text(n, "uuid", x.uuid, err, "network") || !text(n, "name", x.name, err, "network"))
      return "catalog.update: " + err;
    x.project = optional_text(n, "project");
    x.cidr = optional_text(n, "cidr");
    next.networks_[x.uuid] = x;
  }
  for (auto& cu : list(payload, "customers")) {
    customer x;
    if (!text(cu, "uuid", x.uuid, err, "customer") || !text(cu, "name", x.name, err, "customer"))
      return "catalog.update: " + err;
    x.abbreviation = optional_text(cu, "abbreviation");
    next.customers_[x.uuid] = x;
  }
  for (auto& g : list(payload, "project_groups")) {
    project_group x;
    if (!text(g, "uuid", x.uuid, err, "project group")
        || !text(g, "name", x.name, err, "project group"))
      return "catalog.update: " + err;
    x.customer = optional_text(g, "customer");
    next.project_groups_[x.uuid] = x;
  }
  for (auto& p : list(payload, "projects")) {
    project x;
    if (!text(p, "uuid", x.uuid, err, "project") || !text(p, "name", x.name, err, "project"))
      return "catalog.update: " + err;
    x.customer = optional_text(p, "customer");
    x.project_groups = strings(p, "project_groups");
    x.clouds = strings(p, "clouds");
    next.projects_[x.uuid] = x;
  }
  *this = std::move(next);
  return "";
}

json catalog::to_json() const {
  json out = {{"customers", json::array()}, {"project_groups", json::array()},
              {"projects", json::array()}, {"clouds", json::array()}, {"flavors", json::array()},
              {"templates", json::array()}, {"keys", json::array()},
              {"security_groups", json::array()}, {"networks", json::array()}};
  for (auto& [id, x] : customers_)
    out["customers"].push_back({{"uuid", id}, {"name", x.name}, {"abbreviation", x.abbreviation}});
  for (auto& [id, x] : project_groups_)
    out["project_groups"].push_back({{"uuid", id}, {"name", x.name}, {"customer", x.customer}});
  for (auto& [id, x] : projects_)
    out["projects"].push_back({{"uuid", id}, {"name", x.name}, {"customer", x.customer},
                               {"project_groups", x.project_groups}, {"clouds", x.clouds}});
  for (auto& [id, x] : clouds_)
    out["clouds"].push_back({{"uuid", id}, {"name", x.name}, {"customer", x.customer}});
  for (auto& [id, x] : flavors_)
    out["flavors"].push_back({{"uuid", id}, {"name", x.name}, {"cloud", x.cloud},
                              {"cores", x.cores}, {"ram", x.ram}, {"disk", x.disk}});
  for (auto& [id, x] : templates_)
    out["templates"].push_back({{"uuid", id}, {"name", x.name}, {"os", x.os}, {"cloud", x.cloud},
                                {"status", x.status}, {"progress", x.progress}});
  for (auto& [id, x] : keys_)
    out["keys"].push_back({{"uuid", id}, {"name", x.name}, {"fingerprint", x.fingerprint},
                           {"user", x.user}, {"clouds", x.clouds}});
  for (auto& [id, x] : networks_)
    out["networks"].push_back({{"uuid", id}, {"name", x.name}, {"cloud", x.cloud},
                               {"project", x.project}, {"cidr", x.cidr}});
  for (auto& [id, x] : security_groups_)
    out["security_groups"].push_back({{"uuid", id}, {"name", x.name},
                                      {"description", x.description}, {"rules", x.rules},
                                      {"cloud", x.cloud}});
  return out;
}

std::optional<catalog> catalog::from_json(const json& j) {
  if (!j.is_object())
    return std::nullopt;
  catalog c;
  auto each = [&](const char* field, auto f) {
    for (auto& x : list(j, field))
      f(x);
  };
  each("customers", [&](const json& x) {
    c.customers_[x["uuid"]] = {x["uuid"], x["name"], text_field(x, "abbreviation")};
  });
  each("project_groups", [&](const json& x) {
    c.project_groups_[x["uuid"]] = {x["uuid"], x["name"], text_field(x, "customer")};
  });
  each("projects", [&](const json& x) {
    c.projects_[x["uuid"]] = {x["uuid"], x["name"], text_field(x, "customer"),
                              strings(x, "project_groups"), strings(x, "clouds")};
  });
  each("clouds", [&](const json& x) {
    c.clouds_[x["uuid"]] = {x["uuid"], x["name"], text_field(x, "customer")};
  });
  each("flavors", [&](const json& x) {
    c.flavors_[x["uuid"]] = {x["uuid"], x["name"], x["cloud"], x["cores"], x["ram"], x["disk"]};
  });
  each("templates", [&](const json& x) {
    image_template t;
    t.uuid = x["uuid"];
    t.name = x["name"];
    t.os = text_field(x, "os");
    t.cloud = x["cloud"];
    // Catalogs stored before uploads were reported hold active images only.
    if (x.contains("status"))
      t.status = text_field(x, "status");
    t.progress = int_field(x, "progress", t.bootable() ? 100 : 0);
    c.templates_[t.uuid] = t;
  });
  each("keys", [&](const json& x) {
    c.keys_[x["uuid"]] = {x["uuid"], x["name"], text_field(x, "fingerprint"), text_field(x, "user"),
                          strings(x, "clouds")};
  });
  each("networks", [&](const json& x) {
    c.networks_[x["uuid"]] = {x["uuid"], x["name"], x["cloud"], text_field(x, "project"),
                              text_field(x, "cidr")};
  });
  each("security_groups", [&](const json& x) {
    c.security_groups_[x["uuid"]] = {x["uuid"], x["name"], text_field(x, "description"),
                                     x["cloud"], x.value("rules", json::array())};
  });
  return c;
}

const customer* catalog::find_customer(const std::string& id) const { return find_in(customers_, id); }
const project_group* catalog::find_project_group(const std::string& id) const {
  return find_in(project_groups_, id);
}
const project* catalog::find_project(const std::string& id) const { return find_in(projects_, id); }
const cloud* catalog::find_cloud(const std::string& id) const { return find_in(clouds_, id); }
const flavor* catalog::find_flavor(const std::string& id) const { return find_in(flavors_, id); }
const image_template* catalog::find_template(const std::string& id) const {
  return find_in(templates_, id);
}
const security_group* catalog::find_security_group(const std::string& id) const {
  return find_in(security_groups_, id);
}

const cloud* catalog::find_cloud_by_name(const std::string& name) const {
  for (auto& [id, c] : clouds_)
    if (c.name == name)
      return &c;
  return nullptr;
}

const flavor* catalog::find_flavor_of_cloud(const std::string& cloud, int64_t cores,
                                            int64_t ram) const {
  for (auto& [id, f] : flavors_)
    if (f.cloud == cloud && f.cores == cores && f.ram == ram)
      return &f;
  return nullptr;
}

const ssh_key* catalog::find_key(const std::string& key) const {
  if (auto k = find_in(keys_, key))
    return k;
  for (auto& [id, k] : keys_)
    if (k.name == key)
      return &k;
  return nullptr;
}

const ssh_key* catalog::find_key_in(const std::string& cloud, const std::string& name) const {
  for (auto& [id, k] : keys_)
    if (k.name == name && std::find(k.clouds.begin(), k.clouds.end(), cloud) != k.clouds.end())
      return &k;
  return nullptr;
}

const network* catalog::find_network(const std::string& id) const {
  return find_in(networks_, id);
}

namespace {

// The object `id_or_name` names: by id, else the one of that name in a cloud
// of the project (the first by id when several clouds have one).
template <class Map>
const typename Map::mapped_type* named_for_project(const catalog& c, const Map& m,
                                                   const std::string& project,
                                                   const std::string& id_or_name) {
  if (auto found = find_in(m, id_or_name))
    return found;
  for (auto& [id, x] : m)
    if (x.name == id_or_name && c.project_uses_cloud(project, x.cloud))
      return &x;
  return nullptr;
}

} // namespace

const flavor* catalog::find_flavor_for(const std::string& project,
                                       const std::string& id_or_name) const {
  return named_for_project(*this, flavors_, project, id_or_name);
}

const image_template* catalog::find_template_for(const std::string& project,
                                                 const std::string& id_or_name) const {
  return named_for_project(*this, templates_, project, id_or_name);
}

bool catalog::project_uses_cloud(const std::string& project, const std::string& cloud) const {
  auto p = find_project(project);
  return p && std::find(p->clouds.begin(), p->clouds.end(), cloud) != p->clouds.end();
}

bool catalog::can_see_project(const access::caller& who, const std::string& id) const {
  auto p = find_project(id);
  if (!p)
    return false;
  return access::can_see_project(who, id) || access::owns_customer(who, p->customer);
}

bool catalog::can_see_customer(const access::caller& who, const std::string& id) const {
  if (!find_customer(id))
    return false;
  std::vector<std::string> of_customer;
  for (auto& [pid, p] : projects_)
    if (p.customer == id)
      of_customer.push_back(pid);
  return access::can_see_through_projects(who, id, of_customer);
}

bool catalog::can_see_project_group(const access::caller& who, const std::string& id) const {
  auto g = find_project_group(id);
  if (!g)
    return false;
  std::vector<std::string> in_group;
  for (auto& [pid, p] : projects_)
    if (std::find(p.project_groups.begin(), p.project_groups.end(), id) != p.project_groups.end())
      in_group.push_back(pid);
  return access::can_see_through_projects(who, g->customer, in_group);
}

bool catalog::can_see_cloud(const access::caller& who, const std::string& id) const {
  auto c = find_cloud(id);
  if (!c)
    return false;
  if (access::owns_customer(who, c->customer))
    return true;
  for (auto& [pid, p] : projects_)
    if (std::find(p.clouds.begin(), p.clouds.end(), id) != p.clouds.end()
        && access::can_see_customer_project(who, pid, p.customer))
      return true;
  return false;
}

bool catalog::can_see_key(const access::caller& who, const ssh_key& k) const {
  return access::is_self(who, k.user);
}

bool catalog::visible(kind k, const std::string& id, const access::caller& who) const {
  switch (k) {
    case kind::customer: return can_see_customer(who, id);
    case kind::project_group: return can_see_project_group(who, id);
    case kind::project: return can_see_project(who, id);
    case kind::cloud: return can_see_cloud(who, id);
    case kind::flavor: {
      auto f = find_flavor(id);
      return f && can_see_cloud(who, f->cloud);
    }
    case kind::image_template: {
      auto t = find_template(id);
      return t && can_see_cloud(who, t->cloud);
    }
    case kind::security_group: {
      auto g = find_security_group(id);
      return g && can_see_cloud(who, g->cloud);
    }
    case kind::ssh_key: {
      auto key = find_in(keys_, id);
      return key && can_see_key(who, *key);
    }
  }
  return false;
}

json catalog::render(kind k, const std::string& id, const std::string& base) const {
  auto name_of_customer = [&](const std::string& c) {
    auto x = find_customer(c);
    return x ? x->name : std::string{};
  };
  switch (k) {
    case kind::customer: {
      auto x = find_customer(id);
      if (!x)
        return nullptr;
      json projects = json::array();
      for (auto& [pid, p] : projects_)
        if (p.customer == id)
          projects.push_back(ref(base, kind::project, pid, p.name));
      return {{"url", object_url(base, k, id)}, {"uuid", id}, {"name", x->name},
              {"abbreviation", x->abbreviation}, {"projects", projects}};
    }
    case kind::project_group: {
      auto x = find_project_group(id);
      if (!x)
        return nullptr;
      json projects = json::array();
      for (auto& [pid, p] : projects_)
        if (std::find(p.project_groups.begin(), p.project_groups.end(), id) != p.project_groups.end())
          projects.push_back(ref(base, kind::project, pid, p.name));
      return {{"url", object_url(base, k, id)}, {"uuid", id}, {"name", x->name},
              {"customer", object_url(base, kind::customer, x->customer)},
              {"customer_name", name_of_customer(x->customer)}, {"projects", projects}};
    }
    case kind::project: {
      auto x = find_project(id);
      if (!x)
        return nullptr;
      json groups = json::array(), clouds = json::array();
      for (auto& g : x->project_groups)
        if (auto pg = find_project_group(g))
          groups.push_back(ref(base, kind::project_group, g, pg->name));
      for (auto& c : x->clouds)
        if (auto cl = find_cloud(c))
          clouds.push_back(ref(base, kind::cloud, c, cl->name));
      return {{"url", object_url(base, k, id)}, {"uuid", id}, {"name", x->name},
              {"customer", object_url(base, kind::customer, x->customer)},
              {"customer_name", name_of_customer(x->customer)},
              {"customer_uuid", x->customer}, {"project_groups", groups}, {"clouds", clouds}};
    }
    case kind::cloud: {
      auto x = find_cloud(id);
      if (!x)
        return nullptr;
      return {{"url", object_url(base, k, id)}, {"uuid", id}, {"name", x->name},
              {"customer", object_url(base, kind::customer, x->customer)},
              {"customer_name", name_of_customer(x->customer)}};
    }
    case kind::flavor: {
      auto x = find_flavor(id);
      if (!x)
        return nullptr;
      return {{"url", object_url(base, k, id)}, {"uuid", id}, {"name", x->name},
              {"cloud", object_url(base, kind::cloud, x->cloud)}, {"cores", x->cores},
              {"ram", x->ram}, {"disk", x->disk}};
    }
    case kind::image_template: {
      auto x = find_template(id);
      if (!x)
        return nullptr;
      return {{"url", object_url(base, k, id)}, {"uuid", id}, {"name", x->name}, {"os", x->os},
              {"cloud", object_url(base, kind::cloud, x->cloud)}};
    }
    case kind::ssh_key: {
      auto x = find_in(keys_, id);
      if (!x)
        return nullptr;
      return {{"url", object_url(base, k, id)}, {"uuid", id}, {"name", x->name},
              {"fingerprint", x->fingerprint}, {"user_uuid", x->user}};
    }
    case kind::security_group: {
      auto x = find_security_group(id);
      if (!x)
        return nullptr;
      return {{"url", object_url(base, k, id)}, {"uuid", id}, {"name", x->name},
              {"description", x->description}, {"rules", x->rules},
              {"cloud", object_url(base, kind::cloud, x->cloud)}};
    }
  }
  return nullptr;
}

json catalog::render_all(kind k, const access::caller& who, const std::string& base) const {
  std::vector<std::string> ids;
  auto collect = [&](const auto& m) {
    for (auto& [id, x] : m)
      if (visible(k, id, who))
        ids.push_back(id);
  };
  switch (k) {
    case kind::customer: collect(customers_); break;
    case kind::project_group: collect(project_groups_); break;
    case kind::project: collect(projects_); break;
    case kind::cloud: collect(clouds_); break;
    case kind::flavor: collect(flavors_); break;
    case kind::image_template: collect(templates_); break;
    case kind::ssh_key: collect(keys_); break;
    case kind::security_group: collect(security_groups_); break;
  }
  json out = json::array();
  for (auto& id : ids)
    out.push_back(render(k, id, base));
  std::stable_sort(out.begin(), out.end(),
                   [](const json& a, const json& b) { return a["name"] < b["name"]; });
  return out;
}

std::size_t catalog::size() const {
  return customers_.size() + project_groups_.size() + projects_.size() + clouds_.size()
         + flavors_.size() + templates_.size() + keys_.size() + security_groups_.size()
         + networks_.size();
}

} // namespace steward::catalog
