#include "actors/maintenance/maintenance_registry.hpp"

#include "actors/guard.hpp"
#include "actors/maintenance/constraints.hpp"
#include "actors/maintenance/session_actor.hpp"
#include "actors/maintenance/session_document.hpp"
#include "common/access.hpp"
#include "common/json_fields.hpp"
#include "common/log.hpp"

namespace steward::maintenance {

namespace {

using registry_ptr = maintenance_registry_actor::stateful_pointer<maintenance_registry_state>;
using nlohmann::json;

const char* const instance_constraint_kind = "instance_constraint";
const char* const group_constraint_kind = "group_constraint";

session_actor as_session(const entity_actor& a) {
  return caf::actor_cast<session_actor>(a);
}

// A started session works on the view, once it is complete.
void give_view(registry_ptr self, const entity_actor& a) {
  if (self->state.synced())
    self->send(as_session(a), atom::workload_v, self->state.world);
}

// A new session, started.
entity_actor spawn_session(registry_ptr self, session s) {
  auto a = spawn_entity(self, self->state.sessions, session_actor_impl, session_kind,
                        std::move(s));
  give_view(self, a);
  return a;
}

// A stored session waits passive until a request; a running one starts at
// once (it follows the view, and may owe its hosts their marks).
void add_stored_session(registry_ptr self, session s, int64_t version) {
  auto wake = is_running(s) ? std::optional<sys_time>{now()} : std::nullopt;
  add_passive(self, self->state.sessions, session_kind, std::move(s), version, wake);
}

// Every running session hears of a change to the view.
void tell_sessions(registry_ptr self, world_change c) {
  apply(self->state.world, c);
  if (!self->state.synced())
    return;
  for (auto& [id, snap] : self->state.sessions.snapshots())
    if (is_running(*snap.doc))
      if (auto a = self->state.sessions.actor(id))
        self->send(as_session(*a), atom::workload_v, c);
}

world_change host_changed(host_snapshot s) {
  return {world_part::host, std::move(s.id), nullptr, nullptr, std::move(s.doc)};
}

world_change instance_changed(instance_snapshot s) {
  return {world_part::instance, std::move(s.id), nullptr, std::move(s.doc), nullptr};
}

// Once hosts and instances are all known, the recovered sessions go on.
void on_synced(registry_ptr self) {
  if (!self->state.synced())
    return;
  if (self->state.svc->ready)
    self->state.svc->ready->set("maintenance", true);
  LOG_INFO("maintenance-registry", "view complete: " << self->state.world.hosts.size()
                                     << " hosts, " << self->state.world.instances.size()
                                     << " instances");
  self->state.sessions.for_each_actor(
    [=](const entity_actor& a) { self->send(as_session(a), atom::workload_v, self->state.world); });
}

api_reply operators_only() {
  return api_reply::fail(403, "Maintenance sessions are managed by operators");
}

caf::result<api_reply> create_session(registry_ptr self, maintenance_create& r) {
  auto& st = self->state;
  if (!st.synced())
    return api_reply::not_ready("The inventory is still loading; try again in a moment");
  std::size_t running = 0;
  std::vector<std::string> busy;
  for (auto& [id, snap] : st.sessions.snapshots())
    if (is_running(*snap.doc)) {
      ++running;
      busy.insert(busy.end(), snap.doc->hosts.begin(), snap.doc->hosts.end());
    }
  if (running >= static_cast<std::size_t>(st.svc->maintenance.max_sessions))
    return api_reply::fail(509, "Too many maintenance sessions running ("
                                  + std::to_string(running) + "); try again later");
  session made;
  if (auto refused = make_session(r.body, st.world, busy, now(), st.svc->maintenance,
                                  r.ctx.base_url, made))
    return api_reply::fail(refused->status, refused->message);
  auto a = spawn_session(self, std::move(made));
  return self->delegate(as_session(a), atom::create_v);
}

json show_session(const session& s) {
  return {{"session_id", s.session_id}, {"state", name_of(s.state)}};
}

api_reply no_session(const std::string& id) {
  return api_reply::fail(404, "Session " + id + " could not be found");
}

// Who may ask about a session: operators; a project only its own part.
std::optional<api_reply> refuse_caller(const request_context& ctx) {
  if (!access::is_staff(ctx.who))
    return operators_only();
  return std::nullopt;
}
std::optional<api_reply> refuse_caller(const request_context& ctx, const std::string& project) {
  if (!access::can_see_project(ctx.who, project))
    return api_reply::fail(403, "Only project " + project
                                  + " or an operator may read or answer this");
  return std::nullopt;
}

// Session `id` as it was last stored, for the registry's own answers.
template <class Request>
caf::result<api_reply> from_snapshot(registry_ptr self, const Request& r,
                                     json (*show)(const session&)) {
  if (auto refused = refuse_caller(r.ctx))
    return *refused;
  auto snap = self->state.sessions.snapshot(r.id);
  if (!snap)
    return no_session(r.id);
  return api_reply::ok(show(*snap->doc));
}

// Hands a request about one session to it.
template <class Request, class... Project>
caf::result<api_reply> to_session(registry_ptr self, Request& r, const Project&... project) {
  if (auto refused = refuse_caller(r.ctx, project...))
    return *refused;
  auto a = self->state.sessions.actor(r.id);
  if (!a)
    return no_session(r.id);
  return self->delegate(as_session(*a), std::move(r));
}

// Constraints: stored by the registry itself (they are data, not actors).
struct constraint_place {
  const char* kind;  // in the store
  world_part part;
  std::map<std::string, document>* table;
  std::string what;  // "Instance <id>"
};

constraint_place place_of(maintenance_registry_state& st, constraint_scope scope,
                          const std::string& id) {
  if (scope == constraint_scope::group)
    return {group_constraint_kind, world_part::group_constraint, &st.world.group_constraints,
            "Instance group " + id};
  return {instance_constraint_kind, world_part::instance_constraint, &st.world.instance_constraints,
          "Instance " + id};
}

// The constraint on `id` if the caller may see it (a caller that may not is
// told there is none).
const json* visible_constraint(const constraint_place& place, const request_context& ctx,
                               const std::string& id) {
  auto found = place.table->find(id);
  if (found == place.table->end()
      || !access::can_see_project(ctx.who, text_field(*found->second, "project_id")))
    return nullptr;
  return found->second.get();
}

// Stores the constraint `doc` on `id` (or removes it, when null).
caf::result<api_reply> store_constraint(registry_ptr self, const constraint_place& place,
                                        const std::string& id, json doc) {
  auto& st = self->state;
  bool removing = doc.is_null();
  change c{*st.svc};
  if (removing)
    c.remove(place.kind, id);
  else
    c.upsert(place.kind, id, text_field(doc, "project_id"), doc, 1);
  auto rp = self->make_response_promise<api_reply>();
  auto part = place.part;
  persist(self, st.svc->store, std::move(c), [=](commit_ack& ack) mutable {
    if (!ack.ok) {
      rp.deliver(api_reply::fail(500, "The change could not be stored: " + ack.error));
      return;
    }
    tell_sessions(self, {part, id, removing ? document{} : std::make_shared<const json>(doc),
                         nullptr, nullptr});
    rp.deliver(removing ? api_reply::ok(nullptr, 204) : api_reply::ok(doc));
  });
  return rp;
}

caf::result<api_reply> put_constraint(registry_ptr self, constraint_put& r) {
  auto& st = self->state;
  auto place = place_of(st, r.scope, r.id);
  if (place.table->count(r.id) && !visible_constraint(place, r.ctx, r.id))
    return api_reply::fail(404, place.what + " has no constraints");
  json doc;
  auto refused = r.scope == constraint_scope::group
                   ? make_group_constraint(r.body, r.id, r.ctx.who, doc)
                   : make_instance_constraint(r.body, r.id, st.world, r.ctx.who, doc);
  if (refused)
    return api_reply::fail(refused->status, refused->message);
  return store_constraint(self, place, r.id, std::move(doc));
}

} // namespace

maintenance_registry_actor::behavior_type
maintenance_registry(registry_ptr self, const actor_services* svc,
                     std::vector<store::entity_record> recovered,
                     std::vector<store::entity_record> constraints) {
  self->state.svc = svc;
  for (auto& r : constraints) {
    auto doc = json::parse(r.document, nullptr, false);
    if (doc.is_discarded())
      continue;
    auto& table = r.kind == group_constraint_kind ? self->state.world.group_constraints
                                                  : self->state.world.instance_constraints;
    table[r.id] = std::make_shared<const json>(std::move(doc));
  }
  self->state.sessions.set_starter([=](const session_snapshot& snap) {
    give_view(self, start_entity(self, self->state.sessions, session_actor_impl, snap, true));
  });
  start_registry(
    self, self->state.sessions, "maintenance-registry", "maintenance sessions",
    std::move(recovered), stored_rows(&from_stored),
    [=](session s, int64_t version) { add_stored_session(self, std::move(s), version); },
    [=](const std::string& id) { self->state.sessions.erase(id); });
  self->send(svc->hosts, atom::inventory_v, caf::actor_cast<host_watcher_actor>(self));
  self->send(svc->instances, atom::workload_v, caf::actor_cast<instance_watcher_actor>(self));
  return guarded_behavior<maintenance_registry_actor::behavior_type>(
    "maintenance-registry",
    [=](maintenance_list& r) -> caf::result<api_reply> {
      if (auto refused = refuse_caller(r.ctx))
        return *refused;
      json ids = json::array();
      for (auto& [id, snap] : self->state.sessions.snapshots())
        ids.push_back(id);
      return api_reply::ok({{"sessions", ids}});
    },
    [=](maintenance_create& r) -> caf::result<api_reply> {
      if (auto refused = refuse_caller(r.ctx))
        return *refused;
      return create_session(self, r);
    },
    [=](maintenance_show& r) { return from_snapshot(self, r, show_session); },
    [=](maintenance_detail& r) { return from_snapshot(self, r, to_document); },
    [=](maintenance_update& r) { return to_session(self, r); },
    [=](maintenance_delete& r) { return to_session(self, r); },
    [=](project_maintenance_show& r) { return to_session(self, r, r.project_id); },
    [=](project_maintenance_reply& r) { return to_session(self, r, r.project_id); },
    [=](constraint_show& r) -> caf::result<api_reply> {
      auto place = place_of(self->state, r.scope, r.id);
      auto found = visible_constraint(place, r.ctx, r.id);
      if (!found)
        return api_reply::fail(404, place.what + " has no constraints");
      return api_reply::ok(*found);
    },
    [=](constraint_put& r) { return put_constraint(self, r); },
    [=](constraint_delete& r) -> caf::result<api_reply> {
      auto place = place_of(self->state, r.scope, r.id);
      if (!visible_constraint(place, r.ctx, r.id))
        return api_reply::fail(404, place.what + " has no constraints");
      return store_constraint(self, place, r.id, nullptr);
    },
    [=](atom::changed, session_snapshot& snap) { self->state.sessions.update(std::move(snap)); },
    [=](atom::removed, const std::string& id) { self->state.sessions.erase(id); },
    [=](atom::clock_jump) { fan_out_clock_jump(self, self->state.sessions); },
    [=](atom::wake) { wake_due(self, self->state.sessions); },
    [=](atom::inventory, std::vector<host_snapshot>& known) {
      for (auto& host : known)
        tell_sessions(self, host_changed(std::move(host)));
      self->state.hosts_synced = true;
      on_synced(self);
    },
    [=](atom::inventory, host_snapshot& host) {
      tell_sessions(self, host_changed(std::move(host)));
    },
    [=](atom::inventory, atom::removed, const std::string& id) {
      tell_sessions(self, {world_part::host, id, nullptr, nullptr, nullptr});
    },
    [=](atom::workload, std::vector<instance_snapshot>& known) {
      for (auto& instance : known)
        tell_sessions(self, instance_changed(std::move(instance)));
      self->state.instances_synced = true;
      on_synced(self);
    },
    [=](atom::workload, instance_snapshot& instance) {
      tell_sessions(self, instance_changed(std::move(instance)));
    },
    [=](atom::workload, atom::removed, const std::string& id) {
      tell_sessions(self, {world_part::instance, id, nullptr, nullptr, nullptr});
    });
}

} // namespace steward::maintenance
