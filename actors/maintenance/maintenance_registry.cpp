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

entity_actor spawn_session(registry_ptr self, json doc, int64_t version, bool stored) {
  auto a = spawn_entity(self, self->state.sessions, session_actor_impl, session_kind,
                        std::move(doc), version, stored);
  if (self->state.synced())
    self->send(as_session(a), atom::workload_v, self->state.world);
  return a;
}

// Every running session hears of a change to the view.
void tell_sessions(registry_ptr self, world_change c) {
  apply(self->state.world, c);
  if (!self->state.synced())
    return;
  for (auto& [id, snap] : self->state.sessions.snapshots())
    if (is_running(*snap.doc))
      if (auto a = self->state.sessions.find(id))
        self->send(as_session(*a), atom::workload_v, c);
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

caf::result<api_reply> create_session(registry_ptr self, api_command& cmd) {
  auto& st = self->state;
  if (!st.synced())
    return api_reply::not_ready("The inventory is still loading; try again in a moment");
  std::size_t running = 0;
  std::vector<std::string> busy;
  for (auto& [id, snap] : st.sessions.snapshots())
    if (is_running(*snap.doc)) {
      ++running;
      for (auto& h : (*snap.doc)["hosts"])
        busy.push_back(h.get<std::string>());
    }
  if (running >= static_cast<std::size_t>(st.svc->maintenance.max_sessions))
    return api_reply::fail(509, "Too many maintenance sessions running ("
                                  + std::to_string(running) + "); try again later");
  json doc;
  if (auto r = make_session(cmd.body, st.world, busy, now(), st.svc->maintenance, cmd.base_url, doc))
    return api_reply::fail(r->status, r->message);
  auto a = spawn_session(self, std::move(doc), 0, false);
  return self->delegate(a, std::move(cmd));
}

json show_session(const json& s) {
  return {{"session_id", s["session_id"]}, {"state", s["state"]}};
}

caf::result<api_reply> serve_sessions(registry_ptr self, api_command& cmd) {
  auto& st = self->state;
  bool project_route = cmd.verb == "project_show" || cmd.verb == "project_reply";
  if (project_route) {
    // The project itself, or staff.
    if (!access::can_see_project(cmd.who, cmd.param("project_id")))
      return api_reply::fail(403, "Only project " + cmd.param("project_id")
                                    + " or an operator may read or answer this");
  } else if (!access::is_staff(cmd.who)) {
    return operators_only();
  }
  if (cmd.verb == "list") {
    json ids = json::array();
    for (auto& [id, snap] : st.sessions.snapshots())
      ids.push_back(id);
    return api_reply::ok({{"sessions", ids}});
  }
  if (cmd.verb == "create")
    return create_session(self, cmd);
  auto a = st.sessions.find(cmd.id);
  auto snap = st.sessions.snapshot(cmd.id);
  if (!a || !snap)
    return api_reply::fail(404, "Session " + cmd.id + " could not be found");
  if (cmd.verb == "show")
    return api_reply::ok(show_session(*snap->doc));
  if (cmd.verb == "detail")
    return api_reply::ok(*snap->doc);
  return self->delegate(*a, std::move(cmd));
}

// Constraints: stored by the registry itself (they are data, not actors).
caf::result<api_reply> serve_constraints(registry_ptr self, api_command& cmd) {
  auto& st = self->state;
  bool group = cmd.scope == "group";
  auto kind = group ? group_constraint_kind : instance_constraint_kind;
  auto& table = group ? st.world.group_constraints : st.world.instance_constraints;
  auto found = table.find(cmd.id);
  auto what = std::string{group ? "Instance group " : "Instance "} + cmd.id;
  if (cmd.verb == "show" || cmd.verb == "delete") {
    if (found == table.end()
        || !access::can_see_project(cmd.who, text_field(*found->second, "project_id")))
      return api_reply::fail(404, what + " has no constraints");
    if (cmd.verb == "show")
      return api_reply::ok(*found->second);
  }
  json doc;
  if (cmd.verb == "put") {
    if (found != table.end()
        && !access::can_see_project(cmd.who, text_field(*found->second, "project_id")))
      return api_reply::fail(404, what + " has no constraints");
    auto r = group ? make_group_constraint(cmd.body, cmd.id, cmd.who, doc)
                   : make_instance_constraint(cmd.body, cmd.id, st.world, cmd.who, doc);
    if (r)
      return api_reply::fail(r->status, r->message);
  }
  change c{*st.svc};
  if (cmd.verb == "put")
    c.upsert(kind, cmd.id, text_field(doc, "project_id"), doc, 1);
  else
    c.remove(kind, cmd.id);
  auto rp = self->make_response_promise<api_reply>();
  auto id = cmd.id;
  bool removing = cmd.verb == "delete";
  persist(self, st.svc->store, std::move(c), [=](commit_ack& ack) mutable {
    if (!ack.ok) {
      rp.deliver(api_reply::fail(500, "The change could not be stored: " + ack.error));
      return;
    }
    tell_sessions(self, {kind, id, removing ? document{} : std::make_shared<const json>(doc)});
    rp.deliver(removing ? api_reply::ok(nullptr, 204) : api_reply::ok(doc));
  });
  return rp;
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
  start_registry(
    self, self->state.sessions, "maintenance-registry", "maintenance sessions",
    std::move(recovered), "session_id",
    [=](json doc, int64_t version) { spawn_session(self, std::move(doc), version, true); },
    [=](const std::string& id) { self->state.sessions.erase(id); });
  self->send(svc->hosts, atom::inventory_v, caf::actor_cast<host_watcher_actor>(self));
  self->send(svc->instances, atom::workload_v, caf::actor_cast<instance_watcher_actor>(self));
  return guarded_behavior<maintenance_registry_actor::behavior_type>(
    "maintenance-registry",
    [=](api_command& cmd) -> caf::result<api_reply> {
      if (cmd.scope == "instance" || cmd.scope == "group")
        return serve_constraints(self, cmd);
      return serve_sessions(self, cmd);
    },
    [=](atom::changed, entity_snapshot& snap) { self->state.sessions.update(std::move(snap)); },
    [=](atom::removed, const std::string& id) { self->state.sessions.erase(id); },
    [=](atom::clock_jump) { fan_out_clock_jump(self, self->state.sessions); },
    [=](atom::inventory, entity_snapshot& host) {
      tell_sessions(self, {"host", host.id, std::move(host.doc)});
    },
    [=](atom::inventory, atom::removed, const std::string& id) {
      tell_sessions(self, {"host", id, nullptr});
    },
    [=](atom::inventory, atom::done) {
      self->state.hosts_synced = true;
      on_synced(self);
    },
    [=](atom::workload, entity_snapshot& instance) {
      tell_sessions(self, {"instance", instance.id, std::move(instance.doc)});
    },
    [=](atom::workload, atom::removed, const std::string& id) {
      tell_sessions(self, {"instance", id, nullptr});
    },
    [=](atom::workload, atom::done) {
      self->state.instances_synced = true;
      on_synced(self);
    });
}

} // namespace steward::maintenance
