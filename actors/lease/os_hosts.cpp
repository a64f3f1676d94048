#include "actors/lease/os_hosts.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <variant>

#include "actors/lease/reservable_host.hpp"
#include "common/access.hpp"
#include "common/json_fields.hpp"
#include "common/time_format.hpp"

namespace steward::lease {

namespace {

using nlohmann::json;
using inventory::host;

constexpr auto host_registry_timeout = std::chrono::seconds{30};

api_reply not_found(const std::string& key) {
  return api_reply::fail(404, "Host " + key + " could not be found");
}

// The enrolled hosts by Blazar number.
std::vector<const host*> enrolled_by_number(const lease_registry_state& st) {
  std::vector<const host*> out;
  for (auto& [id, h] : st.hosts)
    if (h->enrolled)
      out.push_back(h.get());
  std::sort(out.begin(), out.end(),
            [](const host* a, const host* b) { return number_of(*a) < number_of(*b); });
  return out;
}

// By Blazar number, inventory id or hypervisor hostname (as the clients look
// hosts up); only enrolled hosts unless `any`.
const host* find_host(const lease_registry_state& st, const std::string& key, bool any) {
  for (auto& [id, h] : st.hosts) {
    if (!any && !h->enrolled)
      continue;
    if (id == key || h->hypervisor_hostname == key || (h->enrolled && h->enrolled->number == key))
      return h.get();
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
          rp.deliver(api_reply::fail(*r.refused));
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

caf::result<api_reply> enroll(lease_registry_ptr self, inventory::enrollment_fields& fields) {
  auto& st = self->state;
  auto& name = fields.name;
  auto found = find_host(st, name, true);
  if (!found || found->hypervisor_hostname != name)
    return api_reply::fail(404, "Compute host " + name + " is not in the inventory");
  auto id = found->id;
  if (found->enrolled)
    return api_reply::fail(409, "Host " + name + " is already a reservable host");
  if (st.busy_hosts.count(id))
    return api_reply::fail(409, "Host " + name + " is being changed; try again");
  auto number = std::to_string(++st.last_host_number);
  return change_enrollment(self, {id, enrollment(number, now()), std::move(fields.extra)}, 202);
}

caf::result<api_reply> update_capabilities(lease_registry_ptr self,
                                           inventory::capability_changes& capabilities,
                                           const host& h) {
  auto enrolled = *h.enrolled;
  enrolled.updated_at = whole_seconds(now());
  return change_enrollment(self, {h.id, std::move(enrolled), std::move(capabilities)}, 202);
}

caf::result<api_reply> withdraw(lease_registry_ptr self, const host& h) {
  if (self->state.book.reserved(h.id))
    return api_reply::fail(409, "Cannot delete host " + h.hypervisor_hostname
                                  + ": it is reserved by a lease");
  return change_enrollment(self, {h.id, std::nullopt, {}}, 204);
}

json list_allocations(const lease_registry_state& st, const std::string& lease_id,
                      const std::string& reservation_id) {
  bool filtered = !lease_id.empty() || !reservation_id.empty();
  json out = json::array();
  for (auto* h : enrolled_by_number(st)) {
    auto shown = show_allocation(host_number(*h), st.book.on_host(h->id), lease_id, reservation_id);
    if (!filtered || !shown["reservations"].empty())
      out.push_back(std::move(shown));
  }
  return {{"allocations", std::move(out)}};
}

// The names of the extra capabilities of the enrolled hosts, with their
// values when `detail` is asked (blazarclient's host-property-list).
json list_properties(const lease_registry_state& st, bool detail) {
  std::map<std::string, std::set<std::string>> values;
  for (auto* h : enrolled_by_number(st))
    for (auto& [name, value] : h->extra)
      values[name].insert(value.value);
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

// The enrolled host `key` names, or why there is none to change now.
std::variant<const host*, api_reply> enrolled_host(const lease_registry_state& st,
                                                   const std::string& key) {
  auto found = find_host(st, key, false);
  if (!found)
    return not_found(key);
  if (st.busy_hosts.count(found->id))
    return api_reply::fail(409, "Host " + key + " is being changed; try again");
  return found;
}

} // namespace

std::vector<const host*> enrolled_hosts(const lease_registry_state& st) {
  std::vector<const host*> out;
  for (auto& [id, h] : st.hosts)
    if (h->enrolled && !st.busy_hosts.count(id))
      out.push_back(h.get());
  return out;
}

caf::result<api_reply> serve(lease_registry_ptr self, reservable_host_list&) {
  json out = json::array();
  for (auto* h : enrolled_by_number(self->state))
    out.push_back(show_host(*h));
  return api_reply::ok({{"hosts", std::move(out)}});
}

caf::result<api_reply> serve(lease_registry_ptr self, reservable_host_enroll& r) {
  if (r.body.refused)
    return *r.body.refused;
  return enroll(self, r.body.value);
}

caf::result<api_reply> serve(lease_registry_ptr self, reservable_host_show& r) {
  auto found = enrolled_host(self->state, r.id);
  if (auto* refused = std::get_if<api_reply>(&found))
    return std::move(*refused);
  return api_reply::ok({{"host", show_host(*std::get<const host*>(found))}});
}

caf::result<api_reply> serve(lease_registry_ptr self, reservable_host_update& r) {
  auto found = enrolled_host(self->state, r.id);
  if (auto* refused = std::get_if<api_reply>(&found))
    return std::move(*refused);
  if (r.body.refused)
    return *r.body.refused;
  return update_capabilities(self, r.body.value, *std::get<const host*>(found));
}

caf::result<api_reply> serve(lease_registry_ptr self, reservable_host_withdraw& r) {
  auto found = enrolled_host(self->state, r.id);
  if (auto* refused = std::get_if<api_reply>(&found))
    return std::move(*refused);
  return withdraw(self, *std::get<const host*>(found));
}

caf::result<api_reply> serve(lease_registry_ptr self, host_allocation_list& r) {
  return api_reply::ok(list_allocations(self->state, r.lease_id, r.reservation_id));
}

caf::result<api_reply> serve(lease_registry_ptr self, host_allocation_show& r) {
  auto found = enrolled_host(self->state, r.id);
  if (auto* refused = std::get_if<api_reply>(&found))
    return std::move(*refused);
  auto& h = *std::get<const host*>(found);
  return api_reply::ok(
    {{"allocation", show_allocation(host_number(h), self->state.book.on_host(h.id), "", "")}});
}

caf::result<api_reply> serve(lease_registry_ptr self, host_property_list& r) {
  return api_reply::ok(list_properties(self->state, r.detail));
}

caf::result<api_reply> serve(lease_registry_ptr, host_property_update&) {
  // Every host API is operator-only: there is nothing to hide from anyone.
  return api_reply::fail(501, "Private host properties are not supported: the reservable "
                              "hosts API is for operators only");
}

} // namespace steward::lease
