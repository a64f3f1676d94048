#include "actors/migration/migration_registry.hpp"

#include <algorithm>

#include "actors/guard.hpp"
#include "actors/migration/cloud_resources.hpp"
#include "actors/migration/migration_actor.hpp"
#include "actors/migration/migration_rules.hpp"
#include "common/access.hpp"
#include "common/ids.hpp"
#include "common/log.hpp"

namespace steward::migration {

namespace {

using registry_ptr = migration_registry_actor::stateful_pointer<migration_registry_state>;

migration_actor_type as_migration(const entity_actor& a) {
  return caf::actor_cast<migration_actor_type>(a);
}

api_reply operators_only() {
  return api_reply::fail(403, "Migrations between clouds are run by operators");
}

bool is_running(const operation& op) { return op.status == operation_status::running; }

// A started migration works on the view, once it is complete.
void give_view(registry_ptr self, const entity_actor& a) {
  auto& st = self->state;
  if (!st.synced())
    return;
  self->send(as_migration(a), atom::catalog_v, catalog_snapshot{st.cat});
  self->send(as_migration(a), atom::workload_v, st.world);
}

// Every running migration with an actor hears of a change to the view.
template <class... Ts>
void tell_running(registry_ptr self, const Ts&... xs) {
  auto& st = self->state;
  if (!st.synced())
    return;
  for (auto& [subject, id] : st.running)
    if (auto a = st.operations.actor(id))
      self->send(as_migration(*a), xs...);
}

void change_view(registry_ptr self, world_change c) {
  apply(self->state.world, c);
  tell_running(self, atom::workload_v, c);
}

void on_synced(registry_ptr self) {
  auto& st = self->state;
  if (!st.synced())
    return;
  if (st.svc->ready)
    st.svc->ready->set("migration", true);
  LOG_INFO("migration-registry", "view complete: " << st.world.hosts.size() << " hosts, "
                                   << st.world.instances.size() << " instances");
  st.operations.for_each_actor([=](const entity_actor& a) { give_view(self, a); });
}

void track(registry_ptr self, const operation& op) {
  auto& running = self->state.running;
  auto key = subject_of(op);
  if (is_running(op))
    running[key] = op.id;
  else if (auto i = running.find(key); i != running.end() && i->second == op.id)
    running.erase(i);
}

// A stored migration waits passive when it ended; a running one goes on at once.
void add_stored(registry_ptr self, operation op, int64_t version) {
  track(self, op);
  auto wake = is_running(op) ? std::optional<sys_time>{now()} : std::nullopt;
  add_passive(self, self->state.operations, migration_kind, std::move(op), version, wake);
}

operations_view operations_of(const migration_registry_state& st) {
  operations_view out;
  std::vector<const operation*> running;
  for (auto& [subject, id] : st.running)
    if (auto snap = st.operations.snapshot(id)) {
      running.push_back(snap->doc.get());
      if (snap->doc->kind == operation_kind::tenant)
        out.tenants[snap->doc->tenant] = "migration";
      if (snap->doc->kind == operation_kind::evacuation)
        out.hosts[snap->doc->host] = "evacuation";
    }
  std::sort(running.begin(), running.end(), [](auto* a, auto* b) {
    return std::tie(a->created, a->id) < std::tie(b->created, b->id);
  });
  for (auto* op : running)
    out.streams.push_back(op->id);
  return out;
}

migration_view view_of(const migration_registry_state& st) {
  return {st.world, *st.cat, st.svc->migrations, st.svc->maintenance.cpu_allocation_ratio};
}

// Why `op` cannot begin: the operation `running_id` works on its subject.
std::string already_running(const migration_registry_state& st, const operation& op,
                            const std::string& running_id) {
  auto snap = st.operations.snapshot(running_id);
  auto kind = snap ? snap->doc->kind : op.kind;
  std::string what = kind == operation_kind::tenant ? "Tenant " + op.tenant + " is already migrating"
                     : kind == operation_kind::evacuation
                       ? "Host " + op.host + " is being evacuated"
                       : "Host " + op.host + " is being reassigned";
  return what + " (its events: /events/" + running_id + ")";
}

// Starts operation `op`, planned just now, and answers its POST.
caf::result<api_reply> begin(registry_ptr self, operation op) {
  auto& st = self->state;
  if (auto i = st.running.find(reset_subject); i != st.running.end())
    return api_reply::fail(409, "The clouds are being reset (its events: /events/" + i->second
                                  + ")");
  if (auto i = st.running.find(subject_of(op)); i != st.running.end())
    return api_reply::fail(409, already_running(st, op, i->second));
  LOG_INFO("migration-registry", "began " << subject_of(op) << " (" << op.servers.size()
                                   << " servers) as " << op.id);
  track(self, op);
  auto a = spawn_entity(self, st.operations, migration_actor, migration_kind, std::move(op));
  give_view(self, a);
  return self->delegate(as_migration(a), atom::create_v);
}

} // namespace

migration_registry_actor::behavior_type
migration_registry(registry_ptr self, const actor_services* svc, catalog::catalog_ptr cat,
                   std::vector<store::entity_record> recovered) {
  auto& st = self->state;
  st.svc = svc;
  st.cat = std::move(cat);
  st.operations.set_starter([=](const migration_snapshot& snap) {
    give_view(self, start_entity(self, self->state.operations, migration_actor, snap, true));
  });
  start_registry(
    self, st.operations, "migration-registry", "migrations", std::move(recovered),
    stored_rows(&migration_from_stored),
    [=](operation op, int64_t version) { add_stored(self, std::move(op), version); },
    [=](const std::string& id) { self->state.operations.erase(id); });
  self->send(svc->hosts, atom::inventory_v, caf::actor_cast<host_watcher_actor>(self));
  self->send(svc->instances, atom::workload_v, caf::actor_cast<instance_watcher_actor>(self));
  auto staff_only = [](const request_context& ctx) {
    return access::is_staff(ctx.who) ? std::optional<api_reply>{} : operators_only();
  };
  auto not_ready = [=]() -> std::optional<api_reply> {
    if (self->state.synced())
      return std::nullopt;
    return api_reply::not_ready("The inventory is still loading; try again in a moment");
  };
  // A new operation, as `plan` makes it from the view, begins (or why not).
  auto start_planned = [=](const request_context& ctx, auto plan) -> caf::result<api_reply> {
    if (auto refused = staff_only(ctx))
      return *refused;
    if (auto wait = not_ready())
      return *wait;
    operation op;
    if (auto refused = plan(view_of(self->state), op))
      return api_reply::fail(*refused);
    return begin(self, std::move(op));
  };
  return guarded_behavior<migration_registry_actor::behavior_type>(
    "migration-registry",
    [=](resources_show& r) -> caf::result<api_reply> {
      if (auto refused = staff_only(r.ctx))
        return *refused;
      if (auto wait = not_ready())
        return *wait;
      auto& s = self->state;
      return api_reply::ok(resources_document(s.world, *s.cat, s.svc->migrations,
                                              operations_of(s)));
    },
    [=](tenant_migrate& r) {
      return start_planned(r.ctx, [&](const migration_view& v, operation& op) {
        return plan_migration(r.tenant, make_uuid(), v, now(), op);
      });
    },
    [=](host_reassign& r) {
      return start_planned(r.ctx, [&](const migration_view& v, operation& op) {
        return plan_reassignment(r.host, make_uuid(), v, now(), op);
      });
    },
    [=](host_evacuate& r) {
      return start_planned(r.ctx, [&](const migration_view& v, operation& op) {
        return plan_evacuation(r.host, make_uuid(), v, now(), op);
      });
    },
    [=](clouds_reset& r) -> caf::result<api_reply> {
      if (auto refused = staff_only(r.ctx))
        return *refused;
      auto& s = self->state;
      // Pumphouse's rule: no reset unless the state of the world offers it.
      if (!s.svc->migrations.reset)
        return api_reply::fail(404, "Reset is not offered ([migration] reset is false)");
      if (auto wait = not_ready())
        return *wait;
      if (!s.running.empty())
        return api_reply::fail(409, std::to_string(s.running.size())
                                      + " operation(s) under way: the clouds are reset once "
                                        "they end");
      std::vector<const operation*> done;
      for (auto& [id, snap] : s.operations.snapshots())
        done.push_back(snap.doc.get());
      return begin(self, plan_reset(done, make_uuid(), now()));
    },
    [=](tenant_plan& r) -> caf::result<api_reply> {
      if (auto refused = staff_only(r.ctx))
        return *refused;
      if (auto wait = not_ready())
        return *wait;
      nlohmann::json plan;
      if (auto refused = plan_document(r.tenant, view_of(self->state), plan))
        return api_reply::fail(*refused);
      return api_reply::ok(std::move(plan));
    },
    [=](migration_cancel& r) -> caf::result<api_reply> {
      if (auto refused = staff_only(r.ctx))
        return *refused;
      auto i = self->state.running.find(tenant_subject(r.tenant));
      auto a = i == self->state.running.end() ? nullptr : self->state.operations.actor(i->second);
      if (!a)
        return api_reply::fail(404, "Tenant " + r.tenant + " has no migration under way");
      return self->delegate(as_migration(*a), std::move(r));
    },
    [=](migration_events& r) -> caf::result<api_reply> {
      if (auto refused = staff_only(r.ctx))
        return *refused;
      if (!self->state.operations.snapshot(r.id))
        return api_reply::fail(404, "Event stream " + r.id + " is not found");
      return api_reply::ok(nlohmann::json::object());
    },
    [=](atom::changed, migration_snapshot& snap) {
      track(self, *snap.doc);
      self->state.operations.update(std::move(snap));
    },
    [=](atom::removed, const std::string& id) { self->state.operations.erase(id); },
    [=](atom::wake) { wake_due(self, self->state.operations); },
    // The compute layer refused a command: the operation that gave it
    // finds it its own.
    [=](atom::notify, bus::notification& note) -> caf::result<atom::done> {
      if (note.event_type == "compute.command.error")
        tell_running(self, atom::notify_v, note);
      return atom::done_v;
    },
    [=](atom::catalog, catalog_snapshot& snap) {
      self->state.cat = snap.value;
      tell_running(self, atom::catalog_v, snap);
    },
    [=](atom::inventory, std::vector<host_snapshot>& known) {
      for (auto& h : known)
        self->state.world.hosts[h.id] = std::move(h.doc);
      self->state.hosts_synced = true;
      on_synced(self);
    },
    [=](atom::inventory, host_snapshot& h) {
      change_view(self, {world_part::host, h.id, h.doc, nullptr, nullptr, nullptr});
    },
    [=](atom::inventory, atom::removed, const std::string& id) {
      change_view(self, {world_part::host, id, nullptr, nullptr, nullptr, nullptr});
    },
    [=](atom::workload, std::vector<instance_snapshot>& known) {
      for (auto& i : known)
        self->state.world.instances[i.id] = std::move(i.doc);
      self->state.instances_synced = true;
      on_synced(self);
    },
    [=](atom::workload, instance_snapshot& i) {
      change_view(self, {world_part::instance, i.id, nullptr, i.doc, nullptr, nullptr});
    },
    [=](atom::workload, atom::removed, const std::string& id) {
      change_view(self, {world_part::instance, id, nullptr, nullptr, nullptr, nullptr});
    });
}

} // namespace steward::migration
