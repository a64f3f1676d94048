#include "actors/instance/instance_document.hpp"
#include "actors/instance/instance_json.hpp"

#include <algorithm>
#include <cctype>

#include "common/ids.hpp"
#include "common/json_fields.hpp"
#include "common/text.hpp"
#include "common/time_format.hpp"

namespace steward::instance {

using nlohmann::json;
namespace cat = steward::catalog;

namespace {

const char* const no_object = "Invalid hyperlink - Object does not exist.";

security_group_copy copy_of(const cat::security_group& g) {
  return {g.uuid, g.name, g.description, g.rules.dump()};
}

void describe_flavor(instance& i, const cat::flavor& f) {
  i.flavor = f.uuid;
  i.flavor_name = f.name;
  i.cores = f.cores;
  i.ram = f.ram;
  i.system_volume_size = f.disk;
}

std::optional<long long> integer_param(const std::multimap<std::string, std::string>& q,
                                       const std::string& name) {
  auto i = q.find(name);
  if (i == q.end())
    return std::nullopt;
  try {
    std::size_t used = 0;
    auto v = std::stoll(i->second, &used);
    if (used == i->second.size())
      return v;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

} // namespace

std::optional<refusal> make_instance(const instance_fields& fields, const cat::catalog& c,
                                     const access::caller& who, sys_time now, instance& out) {
  auto errors = fields.errors;
  auto project = fields.project;
  if (project && !c.can_see_project(who, *project)) {
    add_error(errors, "project", no_object);
    project.reset();
  }
  // A project the caller sees but may not create in: refused before the rest.
  if (project && !access::has_project_role(who, *project, access::role::admin))
    return refusal{403, {{"detail", "Only project administrators and staff can create instances."}}};
  const cat::image_template* t = nullptr;
  if (fields.image_template) {
    t = c.find_template(*fields.image_template);
    if (!t)
      add_error(errors, "template", no_object);
    else if (project && !c.project_uses_cloud(*project, t->cloud))
      add_error(errors, "template", "Template must be connected to a cloud authorized for the project.");
    else if (!t->bootable())
      add_error(errors, "template", "Template is not available yet: its image is " + t->status + ".");
  }
  const cat::flavor* f = nullptr;
  if (fields.flavor) {
    f = c.find_flavor(*fields.flavor);
    if (!f)
      add_error(errors, "flavor", no_object);
    else if (project && !c.project_uses_cloud(*project, f->cloud))
      add_error(errors, "flavor", "Flavor must belong to a cloud authorized for the project.");
    else if (t && t->cloud != f->cloud)
      add_error(errors, "flavor", "Flavor and template must belong to the same cloud.");
  }
  const cat::ssh_key* key = nullptr;
  if (fields.ssh_public_key) {
    key = c.find_key(*fields.ssh_public_key);
    if (!key || !c.can_see_key(who, *key)) {
      add_error(errors, "ssh_public_key", no_object);
      key = nullptr;
    }
  }
  std::vector<security_group_copy> groups;
  for (auto& id : fields.security_groups) {
    auto g = id.empty() ? nullptr : c.find_security_group(id);
    if (!g)
      add_error(errors, "security_groups", no_object);
    else if (f && g->cloud != f->cloud)
      add_error(errors, "security_groups", "Security group " + g->name + " belongs to another cloud.");
    else
      groups.push_back(copy_of(*g));
  }
  if (!errors.empty())
    return refusal{400, errors};
  out = instance{};
  out.uuid = random_hex(16);
  out.hostname = fields.hostname;
  out.description = fields.description;
  out.created = now;
  out.project = *project;
  out.image_template = t->uuid;
  out.cloud = f->cloud;
  out.cloud_name = c.find_cloud(f->cloud)->name;
  describe_flavor(out, *f);
  if (key) {  // the API requires one; an application's instance may have none
    out.key = key->uuid;
    out.key_name = key->name;
    out.key_fingerprint = key->fingerprint;
  }
  out.security_groups = std::move(groups);
  out.internal_ips = fields.internal_ips;
  out.external_ips = fields.external_ips;
  out.data_volume_size = fields.data_volume_size;
  out.current = state::provisioning_scheduled;
  return std::nullopt;
}

void add_error(field_errors& errors, const std::string& field, const std::string& message) {
  errors[field].push_back(message);
}

std::string in_words(const json& body) {
  if (auto d = body.find("detail"); d != body.end() && d->is_string())
    return d->get<std::string>();
  std::string out;
  for (auto& [field, messages] : body.items())
    for (auto& m : messages) {
      if (!out.empty())
        out += "; ";
      out += field + ": " + (m.is_string() ? m.get<std::string>() : m.dump());
    }
  return out;
}

access::caller deployment_caller() {
  access::caller engine;
  engine.user_id = "steward-environments";
  engine.staff = true;
  return engine;
}

std::optional<std::string> make_deployed_instance(const deployment_instance& want,
                                                  const cat::catalog& c, sys_time now,
                                                  instance& out) {
  instance_fields fields;
  if (want.hostname.empty() || want.hostname.size() > max_hostname)
    return "its name must have 1 to " + std::to_string(max_hostname) + " characters";
  fields.hostname = want.hostname;
  fields.description = want.description;
  fields.project = want.project;
  auto f = c.find_flavor_for(want.project, want.flavor);
  fields.flavor = f ? f->uuid : want.flavor;
  auto t = c.find_template_for(want.project, want.image);
  fields.image_template = t ? t->uuid : want.image;
  if (!want.keyname.empty())
    fields.ssh_public_key = want.keyname;
  if (auto refused = make_instance(fields, c, deployment_caller(), now, out))
    return in_words(refused->body);
  out.uuid = want.uuid;
  if (!want.host.empty())
    out.host = want.host;  // where its create command places it
  return std::nullopt;
}

std::string check_nova_instance(const json& data) {
  auto uuid = data.find("uuid");
  if (uuid == data.end() || !uuid->is_string() || uuid->get_ref<const std::string&>().empty()
      || uuid->get_ref<const std::string&>().size() > max_reference)
    return "'uuid' must be a string of 1 to " + std::to_string(max_reference) + " characters";
  auto text = [&](const json& obj, const char* key, std::size_t limit) -> std::string {
    auto v = obj.find(key);
    if (v == obj.end() || v->is_null())
      return "";
    if (!v->is_string())
      return std::string{"'"} + key + "' must be a string, not " + v->type_name();
    if (v->get_ref<const std::string&>().size() > limit)
      return std::string{"'"} + key + "' is longer than " + std::to_string(limit) + " characters";
    return "";
  };
  // Sizes are multiplied (GB to MiB) and summed: bounded far from overflow.
  auto count = [&](const json& obj, const char* key) -> std::string {
    auto v = obj.find(key);
    if (v == obj.end() || v->is_null()
        || (v->is_number_integer() && v->get<int64_t>() >= 0
            && v->get<int64_t>() <= max_count))
      return "";
    return std::string{"'"} + key + "' must be a whole number from 0 to "
           + std::to_string(max_count);
  };
  for (auto key : {"tenant_id", "image_uuid", "cloud", "key_name", "host", "state"})
    if (auto e = text(data, key, max_reference); !e.empty())
      return e;
  if (auto e = text(data, "display_name", max_hostname); !e.empty())
    return e;
  if (auto e = count(data, "data_volume_gb"); !e.empty())
    return e;
  auto flavor = data.find("flavor");
  if (flavor == data.end() || flavor->is_null())
    return "";
  if (!flavor->is_object())
    return "'flavor' must be an object";
  auto fdata = flavor->find("nova_object.data");
  if (fdata == flavor->end() || fdata->is_null())
    return "";
  if (!fdata->is_object())
    return "'flavor.nova_object.data' must be an object";
  for (auto key : {"flavorid", "name"})
    if (auto e = text(*fdata, key, max_reference); !e.empty())
      return "flavor: " + e;
  for (auto key : {"vcpus", "memory_mb", "root_gb"})
    if (auto e = count(*fdata, key); !e.empty())
      return "flavor: " + e;
  return "";
}

instance learned_instance(const json& data, const cat::catalog& c, sys_time now) {
  instance i;
  i.uuid = text_field(data, "uuid");
  i.hostname = text_field(data, "display_name");
  i.created = now;
  i.project = text_field(data, "tenant_id");
  i.image_template = text_field(data, "image_uuid");
  auto cl = c.find_cloud_by_name(text_field(data, "cloud"));
  i.cloud = cl ? cl->uuid : "";
  i.cloud_name = text_field(data, "cloud");
  auto fl = data.find("flavor");
  auto fdata = fl != data.end() && fl->is_object() ? fl->value("nova_object.data", json::object())
                                                   : json::object();
  auto f = c.find_flavor(text_field(fdata, "flavorid"));
  if (f) {
    describe_flavor(i, *f);
  } else {
    i.flavor = text_field(fdata, "flavorid");
    i.flavor_name = text_field(fdata, "name");
    i.cores = int_field(fdata, "vcpus");
    i.ram = int_field(fdata, "memory_mb");
    i.system_volume_size = int_field(fdata, "root_gb") * 1024;
  }
  auto key = c.find_key(text_field(data, "key_name"));
  i.key = key ? key->uuid : "";
  i.key_name = text_field(data, "key_name");
  i.key_fingerprint = key ? key->fingerprint : "";
  i.data_volume_size = int_field(data, "data_volume_gb") * 1024;
  auto vm = text_field(data, "state");
  i.current = vm == "active"    ? state::online
              : vm == "stopped" ? state::offline
              : vm == "error"   ? state::erred
                                : state::provisioning;
  i.host = text_field(data, "host");
  return i;
}

namespace {

// The instance's cloud: by id, or by name for an instance learned before the
// catalog named its cloud.
const cat::cloud* cloud_of(const instance& i, const cat::catalog& c) {
  if (auto cl = c.find_cloud(i.cloud))
    return cl;
  return c.find_cloud_by_name(i.cloud_name);
}

} // namespace

std::optional<refusal> check_resize(const resize_fields& fields, const instance& current,
                                    const cat::catalog& c, pending_resize& out) {
  if (fields.flavor) {
    auto f = fields.flavor->empty() ? nullptr : c.find_flavor(*fields.flavor);
    if (!f)
      return refusal{400, {{"flavor", no_object}}};
    auto cl = cloud_of(current, c);
    if (!cl || f->cloud != cl->uuid)
      return refusal{400, {{"flavor", "New flavor is not within the same cloud"}}};
    out.flavor = flavor_spec{f->uuid, f->name, f->cores, f->ram, f->disk / 1024};
    return std::nullopt;
  }
  if (!fields.disk_size)
    return refusal{400, {{"non_field_errors", {"Either flavor or disk_size must be given."}}}};
  if (*fields.disk_size <= current.data_volume_size)
    return refusal{400, {{"disk_size", "Disk size must be strictly greater than the current one"}}};
  out.data_volume_size = *fields.disk_size;
  return std::nullopt;
}

listed describe(const instance& i, const cat::catalog& c) {
  listed out;
  out.value = &i;
  out.hostname = i.hostname;
  out.state = symbol(i.current);
  out.project = i.project;
  out.current = i.current;
  if (auto t = c.find_template(i.image_template))
    out.template_name = t->name;
  if (auto p = c.find_project(i.project)) {
    out.project_name = p->name;
    if (auto cu = c.find_customer(p->customer))
      out.customer_name = cu->name;
    for (auto& g : p->project_groups)
      if (auto pg = c.find_project_group(g))
        out.project_group_names.push_back(pg->name);
    if (!out.project_group_names.empty())
      out.project_group_name = out.project_group_names.front();
  }
  return out;
}

json render(const instance& i, const cat::catalog& c, const std::string& base) {
  auto url = [&](cat::kind k, const std::string& id) {
    return id.empty() ? json(nullptr) : json(cat::object_url(base, k, id));
  };
  auto& project_id = i.project;
  auto p = c.find_project(project_id);
  auto customer_id = p ? p->customer : "";
  auto cu = c.find_customer(customer_id);
  auto t = c.find_template(i.image_template);
  auto cl = cloud_of(i, c);
  json groups = json::array();
  if (p)
    for (auto& g : p->project_groups)
      if (auto pg = c.find_project_group(g))
        groups.push_back({{"url", cat::object_url(base, cat::kind::project_group, g)},
                          {"name", pg->name}, {"uuid", g}});
  json security = json::array();
  for (auto& g : i.security_groups)
    security.push_back({{"url", cat::object_url(base, cat::kind::security_group, g.uuid)},
                        {"name", g.name}, {"rules", json::parse(g.rules, nullptr, false)},
                        {"description", g.description}});
  return {{"url", base + "/api/instances/" + i.uuid + "/"},
          {"uuid", i.uuid},
          {"hostname", i.hostname},
          {"description", i.description},
          {"start_time", or_null(i.start_time, timefmt::iso_micro)},
          {"template", url(cat::kind::image_template, i.image_template)},
          {"template_name", t ? t->name : ""},
          {"template_os", t ? t->os : ""},
          {"cloud", url(cat::kind::cloud, cl ? cl->uuid : "")},
          {"cloud_name", cl ? cl->name : i.cloud_name},
          {"cloud_uuid", cl ? cl->uuid : ""},
          {"project", url(cat::kind::project, project_id)},
          {"project_name", p ? p->name : ""},
          {"project_uuid", project_id},
          {"customer", url(cat::kind::customer, customer_id)},
          {"customer_name", cu ? cu->name : ""},
          {"customer_abbreviation", cu ? cu->abbreviation : ""},
          {"key_name", i.key_name},
          {"key_fingerprint", i.key_fingerprint},
          {"project_groups", groups},
          {"security_groups", security},
          {"external_ips", i.external_ips},
          {"internal_ips", i.internal_ips},
          {"state", display_name(i.current)},
          {"backups", json::array()},
          {"backup_schedules", json::array()},
          {"instance_licenses", json::array()},
          {"agreed_sla", nullptr},
          {"system_volume_size", i.system_volume_size},
          {"data_volume_size", i.data_volume_size},
          {"cores", i.cores},
          {"ram", i.ram}};
}

namespace {

// The instances of a project: its members see them, and the owner of its
// customer (Waldur's customer owner).
bool can_see_project_of(const access::caller& who, const std::string& project,
                        const cat::catalog& c) {
  auto p = c.find_project(project);
  return access::can_see_customer_project(who, project, p ? p->customer : "");
}

} // namespace

bool can_see(const access::caller& who, const instance& i, const cat::catalog& c) {
  return can_see_project_of(who, i.project, c);
}

bool can_see(const access::caller& who, const listed& item, const cat::catalog& c) {
  return can_see_project_of(who, item.project, c);
}

bool can_operate(const access::caller& who, const instance& i) {
  return access::has_project_role(who, i.project, access::role::admin);
}

// Chosen once per list rather than per comparison.
listed_field member_of(const std::string& field) {
  if (field == "state")
    return &listed::state;
  if (field == "customer_name")
    return &listed::customer_name;
  if (field == "project_name")
    return &listed::project_name;
  if (field == "template_name")
    return &listed::template_name;
  if (field == "project_group_name")
    return &listed::project_group_name;
  return &listed::hostname;
}

std::optional<refusal> parse_list_query(const std::multimap<std::string, std::string>& q,
                                        list_query& out) {
  // Filter parameter -> document field; the deprecated names come last so
  // that the new name wins when both are given.
  static const std::vector<std::pair<std::string, std::string>> filters = {
    {"hostname", "hostname"},         {"customer_name", "customer_name"},
    {"template_name", "template_name"}, {"project_name", "project_name"},
    {"project_group_name", "project_group_name"}, {"project", "project_name"},
    {"project_group", "project_group_name"}};
  for (auto& [param, field] : filters)
    if (auto i = q.find(param); i != q.end() && !out.contains.count(field))
      out.contains[field] = lower(i->second);
  for (auto& [field, needle] : out.contains)
    if (field == "project_group_name")
      out.group_filter = needle;
    else
      out.member_filters.emplace_back(member_of(field), needle);
  if (auto s = q.find("state"); s != q.end()) {
    out.state_filter = parse_state(s->second);
    if (!out.state_filter)
      return refusal{400, {{"state", {"Select a valid choice. " + s->second
                                      + " is not one of the available choices."}}}};
  }
  static const std::map<std::string, std::string> orderings = {
    {"hostname", "hostname"},
    {"state", "state"},
    {"customer_name", "customer_name"},
    {"project_group_name", "project_group_name"},
    {"project_name", "project_name"},
    {"template_name", "template_name"},
    {"project__customer__name", "customer_name"},
    {"project__project_groups__name", "project_group_name"},
    {"project__name", "project_name"},
    {"template__name", "template_name"}};
  if (auto o = q.find("o"); o != q.end()) {
    auto field = o->second;
    bool desc = !field.empty() && field[0] == '-';
    if (desc)
      field.erase(0, 1);
    if (auto i = orderings.find(field); i != orderings.end()) {
      out.order_field = i->second;
      out.descending = desc;
    }
  }
  if (auto p = q.find("page"); p != q.end())
    out.page = p->second;
  if (auto size = integer_param(q, "page_size"); size && *size > 0)
    out.page_size = std::min<int64_t>(*size, max_page_size);
  return std::nullopt;
}

namespace {

// Whether `needle` (lower case) occurs in `text`, ignoring case, without
// copying either.
bool contains_ignoring_case(const std::string& text, const std::string& needle) {
  auto hit = std::search(text.begin(), text.end(), needle.begin(), needle.end(),
                         [](char a, char b) {
                           return std::tolower(static_cast<unsigned char>(a)) == b;
                         });
  return hit != text.end() || needle.empty();
}

const std::string& uuid_of(const listed& item) {
  return item.uuid ? *item.uuid : item.value->uuid;
}

} // namespace

namespace {

// Names the whole project shares: its own and its customer's.
bool names_project(listed_field member) {
  return member == &listed::project_name || member == &listed::customer_name;
}

bool in_matching_group(const listed& item, const std::string& needle) {
  for (auto& name : item.project_group_names)
    if (contains_ignoring_case(name, needle))
      return true;
  return false;
}

} // namespace

bool matches(const listed& item, const list_query& q) {
  if (q.state_filter && item.current != *q.state_filter)
    return false;
  for (auto& [member, needle] : q.member_filters)
    if (!contains_ignoring_case(item.*member, needle))
      return false;
  return !q.group_filter || in_matching_group(item, *q.group_filter);
}

bool matches_project(const listed& item, const list_query& q) {
  for (auto& [member, needle] : q.member_filters)
    if (names_project(member) && !contains_ignoring_case(item.*member, needle))
      return false;
  return !q.group_filter || in_matching_group(item, *q.group_filter);
}

bool filters_members(const list_query& q) {
  for (auto& [member, needle] : q.member_filters)
    if (!names_project(member))
      return true;
  return false;
}

bool ascending(const listed& a, const listed& b, listed_field field) {
  auto& fa = a.*field;
  auto& fb = b.*field;
  if (fa != fb)
    return fa < fb;
  if (a.hostname != b.hostname)
    return a.hostname < b.hostname;
  return uuid_of(a) < uuid_of(b);
}

void order(std::vector<const listed*>& items, const list_query& q, std::size_t first,
           std::size_t count) {
  auto field = member_of(q.order_field);
  auto before = [&](const listed* a, const listed* b) {
    return q.descending ? ascending(*b, *a, field) : ascending(*a, *b, field);
  };
  first = std::min(first, items.size());
  auto end = items.begin() + static_cast<std::ptrdiff_t>(std::min(items.size() - first, count) + first);
  auto begin = items.begin() + static_cast<std::ptrdiff_t>(first);
  if (begin != items.begin() && begin != items.end())
    std::nth_element(items.begin(), begin, items.end(), before);
  std::partial_sort(begin, end, items.end(), before);
}

std::optional<refusal> paginate(std::size_t total, const list_query& q, page_result& out) {
  auto size = static_cast<std::size_t>(q.page_size);
  out.last = std::max<int64_t>(1, static_cast<int64_t>((total + size - 1) / size));
  if (q.page == "last") {
    out.number = out.last;
  } else {
    std::multimap<std::string, std::string> one{{"page", q.page}};
    auto n = integer_param(one, "page");
    if (!n || *n < 1 || *n > out.last)
      return refusal{404, {{"detail", "Invalid page."}}};
    out.number = *n;
  }
  out.first = static_cast<std::size_t>(out.number - 1) * size;
  out.count = std::min(size, total - std::min(total, out.first));
  return std::nullopt;
}

namespace {

std::string encode(const std::string& s) {
  static const char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
      out.push_back(static_cast<char>(c));
    else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

std::string page_url(const std::string& base, const std::string& path,
                     const std::multimap<std::string, std::string>& query, int64_t page) {
  std::string q;
  for (auto& [k, v] : query)
    if (k != "page")
      q += (q.empty() ? "" : "&") + encode(k) + "=" + encode(v);
  q += (q.empty() ? "" : "&") + std::string{"page="} + std::to_string(page);
  return "<" + base + path + "?" + q + ">";
}

} // namespace

std::string link_header(const std::string& base, const std::string& path,
                        const std::multimap<std::string, std::string>& query,
                        const page_result& p) {
  std::string out = page_url(base, path, query, 1) + "; rel=\"first\"";
  if (p.number > 1)
    out += ", " + page_url(base, path, query, p.number - 1) + "; rel=\"prev\"";
  if (p.number < p.last)
    out += ", " + page_url(base, path, query, p.number + 1) + "; rel=\"next\"";
  out += ", " + page_url(base, path, query, p.last) + "; rel=\"last\"";
  return out;
}

std::optional<refusal> usage(const std::deque<usage_sample>& samples,
                             const std::multimap<std::string, std::string>& q, sys_time now,
                             json& out) {
  auto item = q.find("item");
  if (item == q.end())
    return refusal{400, {{"item", "This field is required: cpu, memory or storage."}}};
  if (item->second != "cpu" && item->second != "memory" && item->second != "storage")
    return refusal{400, {{"item", "Item must be one of: cpu, memory, storage."}}};
  auto now_s = timefmt::unix_seconds(now);
  auto from = q.count("from") ? integer_param(q, "from") : std::optional<long long>{now_s - 3600};
  auto to = q.count("to") ? integer_param(q, "to") : std::optional<long long>{now_s};
  auto points = q.count("datapoints") ? integer_param(q, "datapoints") : std::optional<long long>{6};
  // Within 10,000 years of 1970: the buckets' arithmetic stays far from overflow.
  constexpr long long last_second = 253402300799;
  if (!from || *from < -last_second || *from > last_second)
    return refusal{400, {{"from", "A unix timestamp is required."}}};
  if (!to || *to < -last_second || *to > last_second)
    return refusal{400, {{"to", "A unix timestamp is required."}}};
  if (*from >= *to)
    return refusal{400, {{"to", "'to' must be later than 'from'."}}};
  if (!points || *points < 1 || *points > 1000)
    return refusal{400, {{"datapoints", "A whole number from 1 to 1000 is required."}}};
  out = json::array();
  auto span = *to - *from;
  for (long long i = 0; i < *points; ++i) {
    auto lo = *from + span * i / *points;
    auto hi = *from + span * (i + 1) / *points;
    double sum = 0;
    int n = 0;
    for (auto& s : samples)
      if (s.at >= lo && s.at < hi) {
        sum += item->second == "cpu" ? s.cpu : item->second == "memory" ? s.memory : s.storage;
        ++n;
      }
    out.push_back({{"from", lo}, {"to", hi}, {"value", n ? sum / n : 0.0}});
  }
  return std::nullopt;
}

} // namespace steward::instance
