#include "actors/lease/lease_registry.hpp"

#include <algorithm>

#include "actors/guard.hpp"
#include "actors/lease/lease_actor.hpp"
#include "actors/lease/lease_document.hpp"
#include "actors/lease/lease_events.hpp"
#include "actors/lease/os_hosts.hpp"
#include "actors/lease/reservable_host.hpp"
#include "common/access.hpp"
#include "common/json_fields.hpp"
#include "common/log.hpp"

namespace steward::lease {

namespace {

using registry_ptr = lease_registry_ptr;
using nlohmann::json;

const char* const no_hosts = "Not enough hosts available";
// Until every host is known, an allocation would see too few of them and
// answer a false "no hosts" (409).
const char* const hosts_loading
  = "Steward is still loading the inventory's hosts; try again in a moment";

lease_actor_type spawn_lease(registry_ptr self, lease l) {
  return caf::actor_cast<lease_actor_type>(
    spawn_entity(self, self->state.leases, lease_actor, lease_kind, std::move(l)));
}

// A stored lease waits passive until a request or its next event.
void add_stored_lease(registry_ptr self, lease l, int64_t version) {
  auto due = next_event(l);
  add_passive(self, self->state.leases, lease_kind, std::move(l), version,
              due ? std::optional<sys_time>{due->time} : std::nullopt);
}

void book_lease(allocation_book& book, const lease& l) {
  for (auto& [host, a] : allocations_of(l))
    book.add(host, a);
}

// The registry's copy of an inventory host, as stored; Blazar numbers go
// on after the highest known.
void follow_host(lease_registry_state& st, host_snapshot host) {
  st.last_host_number = std::max(st.last_host_number, number_of(*host.doc));
  st.hosts[host.id] = std::move(host.doc);
}

// A stored row read back into a lease (of any schema version).
api_reply not_found(const std::string& id) {
  return api_reply::fail(404, "Lease " + id + " could not be found");
}

std::vector<reserved_host> host_refs(const lease_registry_state& st,
                                     const std::vector<std::string>& ids) {
  std::vector<reserved_host> out;
  for (auto& id : ids) {
    auto h = st.hosts.find(id);
    out.push_back(
      {id, h == st.hosts.end() ? "" : h->second->hypervisor_hostname});
  }
  return out;
}

std::vector<std::string> host_ids(const reservation& r) {
  std::vector<std::string> out;
  for (auto& h : r.hosts)
    out.push_back(h.id);
  return out;
}

// Which project a new lease belongs to: the one asked for (where the caller
// has a role), else the caller's only project.
std::optional<refusal> lease_project(const access::caller& who, const lease_fields& fields,
                                     std::string& out) {
  auto asked = fields.project_id.value_or("");
  if (!asked.empty()) {
    if (!access::can_see_project(who, asked))
      return refusal{403, "The token has no role in project " + asked};
    out = asked;
    return std::nullopt;
  }
  if (auto sole = access::sole_project(who); !sole.empty()) {
    out = sole;
    return std::nullopt;
  }
  if (access::acts_for_no_project(who)) {
    out.clear(); // an operator's own lease
    return std::nullopt;
  }
  return refusal{400, "Missing parameter project_id (the token has several projects)"};
}

// Chooses the hosts of every reservation of a new lease and books them, or
// books nothing and says no.
bool allocate_new(lease_registry_state& st, lease& l, const std::vector<host_reservation>& wanted) {
  auto& id = l.id;
  auto start = l.start;
  auto end = l.end;
  auto candidates = enrolled_hosts(st);
  for (std::size_t i = 0; i < wanted.size(); ++i) {
    auto chosen = st.book.choose(candidates, wanted[i], start, end);
    if (!chosen) {
      st.book.remove_lease(id);
      return false;
    }
    auto& r = l.reservations[i];
    r.hosts = host_refs(st, *chosen);
    for (auto& host : *chosen)
      st.book.add(host, allocation{id, r.id, start, end});
  }
  return true;
}

// The lease `next` moves to new dates: each reservation keeps its hosts
// where they are free over the new window; a lease that has not started may
// take others that fit its filters. Books the result, or restores the book.
lease_allocation reallocate(lease_registry_state& st, const std::string& id, lease next) {
  auto current = st.leases.snapshot(id);
  if (!current)
    return {refusal{404, "Lease " + id + " could not be found"}, {}};
  auto start = next.start;
  auto end = next.end;
  auto start_event = find_event(next, event_type::start_lease);
  auto started = start_event && start_event->status == event_status::done;
  auto candidates = enrolled_hosts(st);
  st.book.remove_lease(id);
  auto give_up = [&] {
    st.book.remove_lease(id);
    book_lease(st.book, *current->doc);
    return lease_allocation{refusal{409, no_hosts}, {}};
  };
  for (auto& r : next.reservations) {
    auto hosts = host_ids(r);
    bool free = std::all_of(hosts.begin(), hosts.end(),
                            [&](const std::string& h) { return st.book.is_free(h, start, end); });
    if (!free) {
      auto wanted = wanted_by(r);
      if (started || !wanted)
        return give_up();
      auto chosen = st.book.choose(candidates, *wanted, start, end);
      if (!chosen)
        return give_up();
      hosts = *chosen;
      r.hosts = host_refs(st, hosts);
    }
    for (auto& h : hosts)
      st.book.add(h, allocation{id, r.id, start, end});
  }
  return {std::nullopt, std::move(next)};
}

// Whether an earlier lease still holds one of the hosts of lease `id`.
bool held_back(const lease_registry_state& st, const std::string& id) {
  auto snap = st.leases.snapshot(id);
  if (!snap)
    return false;
  auto start = snap->doc->start;
  for (auto& [host, mine] : allocations_of(*snap->doc)) {
    for (auto& other : st.book.on_host(host))
      if (other.lease_id != id && other.end <= start)
        return true;
  }
  return false;
}

void release_starts(lease_registry_state& st) {
  auto& held = st.held_starts;
  for (auto i = held.begin(); i != held.end();) {
    if (held_back(st, i->first)) {
      ++i;
      continue;
    }
    i->second.deliver(atom::done_v);
    i = held.erase(i);
  }
}

// The lease's allocations follow its stored document.
void rebook(lease_registry_state& st, const lease_snapshot& snap) {
  st.shown.forget(snap.id);
  st.book.remove_lease(snap.id);
  book_lease(st.book, *snap.doc);
  release_starts(st);
}

void forget(lease_registry_state& st, const std::string& id) {
  st.shown.forget(id);
  st.leases.erase(id);
  st.book.remove_lease(id);
  release_starts(st);
}

json list_leases(const lease_registry_state& st, const access::caller& who) {
  std::vector<const lease*> leases;
  for (auto& [id, snap] : st.leases.snapshots())
    if (access::can_see_project(who, snap.project))
      leases.push_back(snap.doc.get());
  std::sort(leases.begin(), leases.end(), [](const lease* a, const lease* b) {
    return std::tie(a->created_at, a->id) < std::tie(b->created_at, b->id);
  });
  json out = json::array();
  for (auto l : leases)
    out.push_back(present(*l));
  return {{"leases", std::move(out)}};
}

caf::result<api_reply> create_lease(registry_ptr self, const request_context& ctx,
                                    const parsed<lease_fields>& body) {
  auto& st = self->state;
  if (body.refused)
    return *body.refused;
  std::string project;
  if (auto r = lease_project(ctx.who, body.value, project))
    return api_reply::fail(*r);
  lease l;
  std::vector<host_reservation> wanted;
  if (auto r = make_lease(body.value, now(), st.svc->leases.minutes_before_end, project,
                          ctx.who.user_id, l, wanted))
    return api_reply::fail(*r);
  if (!allocate_new(st, l, wanted))
    return api_reply::fail(409, no_hosts);
  auto a = spawn_lease(self, std::move(l));
  return self->delegate(a, atom::create_v);
}

// Answered once no earlier lease holds one of the hosts of lease `id`.
caf::result<atom::done> gate_start(registry_ptr self, const std::string& id) {
  auto& st = self->state;
  if (!held_back(st, id))
    return atom::done_v;
  LOG_INFO("lease-registry", id << ": start held until an earlier lease on its hosts ends");
  auto rp = self->make_response_promise<atom::done>();
  st.held_starts.emplace_back(id, rp);
  return rp;
}

// The lease `id` if the caller may see it.
std::optional<lease_actor_type> visible_lease(lease_registry_state& st,
                                             const request_context& ctx, const std::string& id) {
  auto snap = st.leases.snapshot(id);
  if (!snap || !access::can_see_project(ctx.who, snap->project))
    return std::nullopt;
  auto a = st.leases.actor(id);
  if (!a)
    return std::nullopt;
  return caf::actor_cast<lease_actor_type>(*a);
}

api_reply show_lease(lease_registry_state& st, const request_context& ctx,
                     const std::string& id) {
  auto snap = st.leases.snapshot(id);
  if (!snap || !access::can_see_project(ctx.who, snap->project))
    return not_found(id);
  api_reply r;
  r.text = st.shown.get(id, "", [&] { return "{\"lease\":" + present(*snap->doc).dump() + "}"; });
  return r;
}

// A request of /v1/os-hosts: operators only, once every host is known.
template <class Request>
caf::result<api_reply> serve_hosts(registry_ptr self, Request& r) {
  if (!access::is_staff(r.ctx.who))
    return api_reply::fail(403, "Managing reservable hosts is reserved to operators");
  if (!self->state.hosts_known)
    return api_reply::not_ready(hosts_loading);
  return serve(self, r);
}

} // namespace

lease_registry_actor::behavior_type
lease_registry(registry_ptr self, const actor_services* svc,
               std::vector<store::entity_record> recovered) {
  self->state.svc = svc;
  self->state.leases.set_starter([=](const lease_snapshot& snap) {
    start_entity(self, self->state.leases, lease_actor, snap, true);
  });
  start_registry(
    self, self->state.leases, "lease-registry", "leases", std::move(recovered),
    stored_rows(&from_stored),
    [=](lease l, int64_t version) {
      // Its allocations follow its stored value (at recovery, and again
      // when it is restarted after a failure).
      self->state.book.remove_lease(l.id);
      book_lease(self->state.book, l);
      add_stored_lease(self, std::move(l), version);
    },
    [=](const std::string& id) { forget(self->state, id); });
  self->send(svc->hosts, atom::inventory_v, caf::actor_cast<host_watcher_actor>(self));
  return guarded_behavior<lease_registry_actor::behavior_type>(
    "lease-registry",
    [=](lease_list& r) -> caf::result<api_reply> {
      return api_reply::ok(list_leases(self->state, r.ctx.who));
    },
    [=](lease_show& r) -> caf::result<api_reply> { return show_lease(self->state, r.ctx, r.id); },
    [=](lease_create& r) -> caf::result<api_reply> {
      if (!self->state.hosts_known)
        return api_reply::not_ready(hosts_loading);
      return create_lease(self, r.ctx, r.body);
    },
    [=](lease_update& r) -> caf::result<api_reply> {
      auto a = visible_lease(self->state, r.ctx, r.id);
      if (!a)
        return not_found(r.id);
      return self->delegate(*a, std::move(r));
    },
    [=](lease_delete& r) -> caf::result<api_reply> {
      auto a = visible_lease(self->state, r.ctx, r.id);
      if (!a)
        return not_found(r.id);
      return self->delegate(*a, std::move(r));
    },
    [=](reservable_host_list& r) { return serve_hosts(self, r); },
    [=](reservable_host_enroll& r) { return serve_hosts(self, r); },
    [=](reservable_host_show& r) { return serve_hosts(self, r); },
    [=](reservable_host_update& r) { return serve_hosts(self, r); },
    [=](reservable_host_withdraw& r) { return serve_hosts(self, r); },
    [=](host_allocation_list& r) { return serve_hosts(self, r); },
    [=](host_allocation_show& r) { return serve_hosts(self, r); },
    [=](host_property_list& r) { return serve_hosts(self, r); },
    [=](host_property_update& r) { return serve_hosts(self, r); },
    [=](lease_reallocation& r) -> caf::result<lease_allocation> {
      if (!self->state.hosts_known)
        return lease_allocation{refusal{503, hosts_loading}, {}};
      return reallocate(self->state, r.lease_id, std::move(r.lease));
    },
    [=](lease_start_request& r) { return gate_start(self, r.lease_id); },
    [=](atom::changed, lease_snapshot& snap) {
      self->state.leases.update(snap);
      rebook(self->state, snap);
    },
    [=](atom::removed, const std::string& id) { forget(self->state, id); },
    [=](atom::clock_jump) { fan_out_clock_jump(self, self->state.leases); },
    [=](atom::wake) { wake_due(self, self->state.leases); },
    [=](atom::inventory, std::vector<host_snapshot>& known) {
      for (auto& host : known)
        follow_host(self->state, std::move(host));
      self->state.hosts_known = true;
      if (svc->ready)
        svc->ready->set("lease", true);
    },
    [=](atom::inventory, host_snapshot& host) { follow_host(self->state, std::move(host)); },
    [=](atom::inventory, atom::removed, const std::string& id) { self->state.hosts.erase(id); });
}

} // namespace steward::lease
