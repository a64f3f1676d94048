#include "actors/inventory/host_registry.hpp"

#include "actors/guard.hpp"
#include "actors/inventory/host_actor.hpp"
#include "actors/inventory/host_document.hpp"
#include "actors/inventory/host_json.hpp"
#include "bus/oslo.hpp"
#include "common/json_fields.hpp"
#include "common/log.hpp"

namespace steward::inventory {

namespace {

using registry_ptr = host_registry_actor::stateful_pointer<host_registry_state>;
using nlohmann::json;

// The inventory lists the host from now on: by name too, and its watchers
// know it.
void listed(registry_ptr self, const std::string& id) {
  auto& snap = *self->state.hosts.snapshot(id);
  self->state.id_by_name[snap.doc->hypervisor_hostname] = id;
  self->state.watchers.changed(self, snap);
}

// A new host, started.
entity_actor spawn_host(registry_ptr self, host value) {
  auto id = value.id;
  auto a = spawn_entity(self, self->state.hosts, host_actor, host_kind, std::move(value));
  listed(self, id);
  return a;
}

// A stored host waits passive until a request, a notification or the time
// it re-enables itself.
void add_stored_host(registry_ptr self, host value, int64_t version) {
  auto wake = enable_deadline(value);
  listed(self, add_passive(self, self->state.hosts, host_kind, std::move(value), version, wake));
}

void forget(registry_ptr self, const std::string& id) {
  auto& st = self->state;
  if (auto snap = st.hosts.snapshot(id))
    st.id_by_name.erase(snap->doc->hypervisor_hostname);
  st.hosts.erase(id);
  st.watchers.removed(self, id);
}

host_actor_type as_host(const entity_actor& a) {
  return caf::actor_cast<host_actor_type>(a);  // every entity of this table is a host
}

// Hands another kind's request (enrolment, a maintenance mark) to its host.
template <class Request>
caf::result<host_change_outcome> to_host(registry_ptr self, Request& r) {
  auto a = self->state.hosts.actor(r.host_id);
  if (!a)
    return host_change_outcome{refusal{404, "Host " + r.host_id + " could not be found"}, nullptr};
  return self->delegate(as_host(*a), std::move(r));
}

// By id, or by hypervisor_hostname as the OpenStack clients look hosts up.
const entity_actor* find_host(host_registry_state& st, const std::string& key) {
  if (auto a = st.hosts.actor(key))
    return a;
  auto i = st.id_by_name.find(key);
  return i == st.id_by_name.end() ? nullptr : st.hosts.actor(i->second);
}

api_reply operators_only() {
  return api_reply::fail(403, "Managing hosts is reserved to operators");
}

// Hands a request of the inventory API to the host it names.
template <class Request>
caf::result<api_reply> api_to_host(registry_ptr self, Request& r) {
  if (!access::is_staff(r.ctx.who))
    return operators_only();
  auto a = find_host(self->state, r.id);
  if (!a)
    return api_reply::fail(404, "Host " + r.id + " could not be found");
  return self->delegate(as_host(*a), std::move(r));
}

// The list's filters: ?cloud=, ?status=, ?state=, ?hypervisor_hostname=.
bool matches(const host& h, const std::multimap<std::string, std::string>& query) {
  for (auto& [key, value] : query) {
    if ((key == "cloud" && h.cloud != value)
        || (key == "status" && status_text(h) != value)
        || (key == "state" && state_text(h) != value)
        || (key == "hypervisor_hostname" && h.hypervisor_hostname != value))
      return false;
  }
  return true;
}

api_reply list_hosts(const host_registry_state& st, const query_params& query) {
  std::vector<const host*> hosts;
  for (auto& [id, snap] : st.hosts.snapshots())
    if (matches(*snap.doc, query))
      hosts.push_back(snap.doc.get());
  std::sort(hosts.begin(), hosts.end(), [](const host* a, const host* b) {
    return a->hypervisor_hostname < b->hypervisor_hostname;
  });
  json out = json::array();
  for (auto h : hosts)
    out.push_back(to_document(*h));
  return api_reply::ok({{"hosts", std::move(out)}});
}

} // namespace

host_registry_actor::behavior_type
host_registry(registry_ptr self, const actor_services* svc,
              std::vector<store::entity_record> recovered) {
  self->state.svc = svc;
  self->state.hosts.set_starter([=](const host_snapshot& snap) {
    start_entity(self, self->state.hosts, host_actor, snap, true);
  });
  start_registry(
    self, self->state.hosts, "host-registry", "hosts", std::move(recovered),
    stored_rows(&from_stored),
    [=](host value, int64_t version) { add_stored_host(self, std::move(value), version); },
    [=](const std::string& id) { forget(self, id); },
    [=](const caf::actor_addr& watcher) { self->state.watchers.forget(watcher); });
  if (svc->ready)
    svc->ready->set("host", true);
  return guarded_behavior<host_registry_actor::behavior_type>(
    "host-registry",
    [=](host_list& r) -> caf::result<api_reply> {
      if (!access::is_staff(r.ctx.who))
        return operators_only();
      return list_hosts(self->state, r.query);
    },
    [=](host_create& r) -> caf::result<api_reply> {
      if (!access::is_staff(r.ctx.who))
        return operators_only();
      if (r.body.refused)
        return *r.body.refused;
      host made;
      auto err = make_host(r.body.value, now(), made);
      if (!err.empty())
        return api_reply::fail(400, err);
      if (self->state.id_by_name.count(made.hypervisor_hostname))
        return api_reply::fail(409, "Host " + made.hypervisor_hostname + " already exists");
      auto a = spawn_host(self, std::move(made));
      return self->delegate(a, atom::create_v);
    },
    [=](host_show& r) { return api_to_host(self, r); },
    [=](host_update& r) { return api_to_host(self, r); },
    [=](host_delete& r) { return api_to_host(self, r); },
    [=](host_enrollment& e) -> caf::result<host_change_outcome> { return to_host(self, e); },
    [=](host_maintenance_mark& m) -> caf::result<host_change_outcome> { return to_host(self, m); },
    [=](atom::notify, bus::notification& note) -> caf::result<atom::done> {
      auto& data = bus::object_data(note.payload);
      if (text_field(data, "binary") != "nova-compute")
        return atom::done_v;
      // Held to the rules of API input; refused for good (dead-lettered).
      if (auto why = check_nova_service(data); !why.empty())
        return caf::make_error(caf::sec::invalid_argument, note.event_type + ": " + why);
      auto name = data["host"].get<std::string>();
      auto a = find_host(self->state, name);
      if (!a) {
        if (note.event_type == "service.delete")
          return atom::done_v;
        LOG_INFO("host-registry", "learned host " << name << " from " << note.event_type);
        auto learned = spawn_host(self, learned_host(name, now()));
        return self->delegate(as_host(learned), atom::notify_v, std::move(note));
      }
      return self->delegate(as_host(*a), atom::notify_v, std::move(note));
    },
    [=](atom::changed, host_snapshot& snap) {
      self->state.watchers.changed(self, snap);
      self->state.hosts.update(std::move(snap));
    },
    [=](atom::removed, const std::string& id) { forget(self, id); },
    [=](atom::inventory, host_watcher_actor& w) {
      self->state.watchers.subscribe(self, std::move(w), self->state.hosts);
    },
    [=](atom::clock_jump) { fan_out_clock_jump(self, self->state.hosts); },
    [=](atom::wake) { wake_due(self, self->state.hosts); });
}

} // namespace steward::inventory
