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
  return {world_part::host, std::move(s.id), std::move(s.doc), nullptr, nullptr, nullptr};
}

world_change instance_changed(instance_snapshot s) {
  return {world_part::instance, std::move(s.id), nullptr, std::move(s.doc), nullptr, nullptr};
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
  if (r.body.refused)
    return *r.body.refused;
  session made;
  if (auto refused = make_session(r.body.value, st.world, busy, now(), st.svc->maintenance,
                                  r.ctx.base_url, made))
    return api_reply::fail(*refused);
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
// What differs between an instance's and a group's:
struct instance_rules {
  using value = instance_constraint;
  static constexpr const char* kind = "instance_constraint";  // in the store
  static auto& table(world_view& w) { return w.instance_constraints; }
  static std::string what(const std::string& id) { return "Instance " + id; }
  static world_change changed(const std::string& id, std::shared_ptr<const value> v) {
    return {world_part::instance_constraint, id, nullptr, nullptr, std::move(v), nullptr};
  }
  using put = instance_constraint_put;
  static std::optional<refusal> make(const put& r, const world_view& w, value& out) {
    return make_instance_constraint(r.body.value, w, r.ctx.who, out);
  }
};

struct group_rules {
  using value = group_constraint;
  static constexpr const char* kind = "group_constraint";
  static auto& table(world_view& w) { return w.group_constraints; }
  static std::string what(const std::string& id) { return "Instance group " + id; }
  static world_change changed(const std::string& id, std::shared_ptr<const value> v) {
    return {world_part::group_constraint, id, nullptr, nullptr, nullptr, std::move(v)};
  }
  using put = group_constraint_put;
  static std::optional<refusal> make(const put& r, const world_view&, value& out) {
    return make_group_constraint(r.body.value, r.ctx.who, out);
  }
};

// The constraint on `id` if the caller may see it (a caller that may not is
// told there is none).
template <class Rules>
const typename Rules::value* visible_constraint(registry_ptr self, const request_context& ctx,
                                                const std::string& id) {
  auto& table = Rules::table(self->state.world);
  auto found = table.find(id);
  if (found == table.end() || !access::can_see_project(ctx.who, found->second->project_id))
    return nullptr;
  return found->second.get();
}

template <class Rules>
api_reply no_constraint(const std::string& id) {
  return api_reply::fail(404, Rules::what(id) + " has no constraints");
}

// Stores `value` as the constraint on `id` (or removes it, when none).
template <class Rules>
caf::result<api_reply> store_constraint(registry_ptr self, const std::string& id,
                                        std::shared_ptr<const typename Rules::value> value) {
  auto& st = self->state;
  change c{*st.svc};
  if (value)
    c.upsert(Rules::kind, id, value->project_id,
             versioned_row(constraint_document(*value), constraint_schema), 1);
  else
    c.remove(Rules::kind, id);
  auto rp = self->make_response_promise<api_reply>();
  persist(self, st.svc->store, std::move(c), [=](commit_ack& ack) mutable {
    if (!ack.ok) {
      rp.deliver(api_reply::fail(500, "The change could not be stored: " + ack.error));
      return;
    }
    tell_sessions(self, Rules::changed(id, value));
    rp.deliver(value ? api_reply::ok(constraint_document(*value)) : api_reply::ok(nullptr, 204));
  });
  return rp;
}

template <class Rules>
caf::result<api_reply> show_constraint(registry_ptr self, const constraint_show& r) {
  auto found = visible_constraint<Rules>(self, r.ctx, r.id);
  if (!found)
    return no_constraint<Rules>(r.id);
  return api_reply::ok(constraint_document(*found));
}

template <class Rules>
caf::result<api_reply> put_constraint(registry_ptr self, const typename Rules::put& r) {
  if (Rules::table(self->state.world).count(r.id) && !visible_constraint<Rules>(self, r.ctx, r.id))
    return no_constraint<Rules>(r.id);
  if (r.body.refused)
    return *r.body.refused;
  typename Rules::value made;
  if (auto refused = Rules::make(r, self->state.world, made))
    return api_reply::fail(*refused);
  return store_constraint<Rules>(self, r.id,
                                 std::make_shared<const typename Rules::value>(std::move(made)));
}

template <class Rules>
caf::result<api_reply> delete_constraint(registry_ptr self, const constraint_delete& r) {
  if (!visible_constraint<Rules>(self, r.ctx, r.id))
    return no_constraint<Rules>(r.id);
  return store_constraint<Rules>(self, r.id, nullptr);
}

// The stored constraints of one kind, into the view.
template <class Rules, class Read>
void recover_constraints(maintenance_registry_state& st,
                         const std::vector<store::entity_record>& rows, Read read) {
  for (auto& r : rows) {
    if (r.kind != Rules::kind)
      continue;
    auto value = read(json::parse(r.document, nullptr, false));
    if (!value) {
      LOG_ERROR("maintenance-registry", "stored " << r.kind << " " << r.id
                                                  << " is unreadable; skipped");
      continue;
    }
    Rules::table(st.world)[r.id] = std::make_shared<const typename Rules::value>(std::move(*value));
  }
}

} // namespace

maintenance_registry_actor::behavior_type
maintenance_registry(registry_ptr self, const actor_services* svc,
                     std::vector<store::entity_record> recovered,
                     std::vector<store::entity_record> constraints) {
  self->state.svc = svc;
  recover_constraints<instance_rules>(self->state, constraints, read_instance_constraint);
  recover_constraints<group_rules>(self->state, constraints, read_group_constraint);
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
    [=](constraint_show& r) {
      return r.scope == constraint_scope::group ? show_constraint<group_rules>(self, r)
                                                : show_constraint<instance_rules>(self, r);
    },
    [=](instance_constraint_put& r) { return put_constraint<instance_rules>(self, r); },
    [=](group_constraint_put& r) { return put_constraint<group_rules>(self, r); },
    [=](constraint_delete& r) {
      return r.scope == constraint_scope::group ? delete_constraint<group_rules>(self, r)
                                                : delete_constraint<instance_rules>(self, r);
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
      tell_sessions(self, {world_part::host, id, nullptr, nullptr, nullptr, nullptr});
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
      tell_sessions(self, {world_part::instance, id, nullptr, nullptr, nullptr, nullptr});
    });
}

} // namespace steward::maintenance
