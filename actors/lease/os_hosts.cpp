#include "actors/lease/os_hosts.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "actors/lease/reservable_host.hpp"
#include "common/access.hpp"
#include "common/json_fields.hpp"
#include "common/time_format.hpp"

namespace steward::lease {

namespace {

using nlohmann::json;

constexpr auto host_registry_timeout = std::chrono::seconds{30};

api_reply refused(const refusal& r) {
  return api_reply::fail(r.status, r.message);
}

api_reply not_found(const std::string& key) {
  return api_reply::fail(404, "Host " + key + " could not be found");
}

long number_of(const json& host) {
  try {
    return std::stol(host_number(host));
  } catch (const std::exception&) {
    return 0;
  }
}

std::vector<const json*> enrolled_docs(const lease_registry_state& st) {
  std::vector<const json*> out;
  for (auto& [id, doc] : st.hosts)
    if (is_enrolled(*doc))
      out.push_back(doc.get());
  std::sort(out.begin(), out.end(),
            [](const json* a, const json* b) { return number_of(*a) < number_of(*b); });
  return out;
}

// By Blazar number, inventory id or hypervisor hostname (as the clients look
// hosts up); only enrolled hosts unless `any`.
const json* find_host(const lease_registry_state& st, const std::string& key, bool any) {
  for (auto& [id, doc] : st.hosts) {
    if (!any && !is_enrolled(*doc))
      continue;
    if (id == key || text_field(*doc, "hypervisor_hostname") == key
        || (is_enrolled(*doc) && host_number(*doc) == key))
      return doc.get();
  }
  return nullptr;
}

// Sends the enrollment change to the host (through the host registry) and
// answers with the host as Blazar shows it.
caf::result<api_reply> change_enrollment(lease_registry_ptr self, host_enrollment change,
                                         int status) {
  auto host_id = change.host_id;
  self->state.busy_hosts.insert(host_id);
  auto rp = self->make_response_promise<api_reply>();
  self->request(self->state.svc->hosts, host_registry_timeout, std::move(change))
    .then(
      [=](host_change_outcome& r) mutable {
        self->state.busy_hosts.erase(host_id);
        if (r.refused) {
          rp.deliver(api_reply::fail(r.refused->status, r.refused->message));
          return;
        }
        self->state.hosts[host_id] = r.host;
        rp.deliver(status == 204 ? api_reply::ok(nullptr, 204)
                                 : api_reply::ok({{"host", show_host(*r.host)}}, status));
      },
      [=](caf::error& e) mutable {
        self->state.busy_hosts.erase(host_id);
        rp.deliver(api_reply::fail(503, "The inventory did not answer: " + to_string(e)));
      });
  return rp;
}

caf::result<api_reply> enroll(lease_registry_ptr self, const api_command& cmd) {
  auto& st = self->state;
  if (!cmd.body.is_object())
    return api_reply::fail(400, "The request body must be a JSON object");
  auto name = text_field(cmd.body, "name");
  if (name.empty())
    return api_reply::fail(400, "Missing parameter name");
  json capabilities;
  if (auto r = read_capabilities(cmd.body, true, capabilities))
    return refused(*r);
  auto host = find_host(st, name, true);
  if (!host || text_field(*host, "hypervisor_hostname") != name)
    return api_reply::fail(404, "Compute host " + name + " is not in the inventory");
  auto id = text_field(*host, "id");
  if (is_enrolled(*host))
    return api_reply::fail(409, "Host " + name + " is already a reservable host");
  if (st.busy_hosts.count(id))
    return api_reply::fail(409, "Host " + name + " is being changed; try again");
  auto number = std::to_string(++st.last_host_number);
  return change_enrollment(self, {id, enrollment(number, now()), std::move(capabilities)}, 202);
}

caf::result<api_reply> update_capabilities(lease_registry_ptr self, const api_command& cmd,
                                           const json& host) {
  json capabilities;
  if (auto r = read_capabilities(cmd.body, false, capabilities))
    return refused(*r);
  auto enrolled = host["enrolled"];
  enrolled["updated_at"] = timefmt::sql(now());
  return change_enrollment(self, {text_field(host, "id"), std::move(enrolled),
                                 std::move(capabilities)},
                           202);
}

caf::result<api_reply> withdraw(lease_registry_ptr self, const json& host) {
  auto id = text_field(host, "id");
  auto name = text_field(host, "hypervisor_hostname");
  if (self->state.book.reserved(id))
    return api_reply::fail(409, "Cannot delete host " + name + ": it is reserved by a lease");
  return change_enrollment(self, {id, nullptr, nullptr}, 204);
}

json list_allocations(const lease_registry_state& st, const api_command& cmd) {
  auto lease_id = cmd.param("lease_id");
  auto reservation_id = cmd.param("reservation_id");
  bool filtered = !lease_id.empty() || !reservation_id.empty();
  json out = json::array();
  for (auto* host : enrolled_docs(st)) {
    auto shown = show_allocation(host_number(*host), st.book.on_host(text_field(*host, "id")),
                                 lease_id, reservation_id);
    if (!filtered || !shown["reservations"].empty())
      out.push_back(std::move(shown));
  }
  return {{"allocations", std::move(out)}};
}

// The names of the extra capabilities of the enrolled hosts, with their
// values when `detail` is asked (blazarclient's host-property-list).
json list_properties(const lease_registry_state& st, const api_command& cmd) {
  std::map<std::string, std::set<std::string>> values;
  for (auto* host : enrolled_docs(st)) {
    auto extra = host->value("extra", json::object());
    for (auto& [key, value] : extra.items())
      values[key].insert(value.is_string() ? value.get<std::string>() : value.dump());
  }
  bool detail = cmd.param("detail") == "True" || cmd.param("detail") == "true";
  json out = json::array();
  for (auto& [key, seen] : values) {
    json p = {{"property", key}};
    if (detail) {
      p["private"] = false;
      p["values"] = json(std::vector<std::string>{seen.begin(), seen.end()});
    }
    out.push_back(std::move(p));
  }
  return {{"resource_properties", std::move(out)}};
}

} // namespace

std::vector<const json*> enrolled_hosts(const lease_registry_state& st) {
  std::vector<const json*> out;
  for (auto& [id, doc] : st.hosts)
    if (is_enrolled(*doc) && !st.busy_hosts.count(id))
      out.push_back(doc.get());
  return out;
}

caf::result<api_reply> serve_hosts(lease_registry_ptr self, api_command& cmd) {
  auto& st = self->state;
  if (!access::is_staff(cmd.who))
    return api_reply::fail(403, "Managing reservable hosts is reserved to operators");
  if (cmd.verb == "list") {
    json out = json::array();
    for (auto* host : enrolled_docs(st))
      out.push_back(show_host(*host));
    return api_reply::ok({{"hosts", std::move(out)}});
  }
  if (cmd.verb == "create")
    return enroll(self, cmd);
  if (cmd.verb == "allocations")
    return api_reply::ok(list_allocations(st, cmd));
  if (cmd.verb == "properties")
    return api_reply::ok(list_properties(st, cmd));
  if (cmd.verb == "set_property") // every host API is operator-only: nothing to hide from
    return api_reply::fail(501, "Private host properties are not supported: the reservable "
                                "hosts API is for operators only");
  auto host = find_host(st, cmd.id, false);
  if (!host)
    return not_found(cmd.id);
  if (st.busy_hosts.count(text_field(*host, "id")))
    return api_reply::fail(409, "Host " + cmd.id + " is being changed; try again");
  if (cmd.verb == "show")
    return api_reply::ok({{"host", show_host(*host)}});
  if (cmd.verb == "allocation")
    return api_reply::ok({{"allocation", show_allocation(host_number(*host),
                                                         st.book.on_host(text_field(*host, "id")),
                                                         "", "")}});
  if (cmd.verb == "update")
    return update_capabilities(self, cmd, *host);
  if (cmd.verb == "delete")
    return withdraw(self, *host);
  return api_reply::fail(405, "Hosts do not support '" + cmd.verb + "'");
}

} // namespace steward::lease
