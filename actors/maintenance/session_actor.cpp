#include "actors/maintenance/session_actor.hpp"

#include "actors/guard.hpp"
#include "actors/maintenance/workflow.hpp"
#include "actors/timers.hpp"
#include "common/log.hpp"

namespace steward::maintenance {

namespace {

using session_ptr = session_actor::stateful_pointer<session_state>;

constexpr auto host_registry_timeout = std::chrono::seconds{30};

const session& value_of(session_ptr self) { return *self->state.doc; }

void arm(session_ptr self) {
  auto gen = ++self->state.timer_generation;
  if (auto due = wake_at(value_of(self)))
    arm_timer(self, *due, gen);
}

void mark_host(session_ptr self, const std::string& host_id, bool in_maintenance) {
  host_maintenance_mark mark{host_id, value_of(self).session_id, in_maintenance};
  self->request(self->state.svc->hosts, host_registry_timeout, std::move(mark))
    .then([](host_change_outcome& r) {
      if (r.refused)
        LOG_ERROR("maintenance", "marking a host failed: " << r.refused->message);
    },
          [](caf::error& e) { LOG_ERROR("maintenance", "marking a host failed: " << to_string(e)); });
}

// The inventory says which hosts are under maintenance; when the session gets
// its view (after a restart too) the marks of a step whose write landed but
// whose marks did not are sent again.
void reconcile_marks(session_ptr self) {
  auto& s = value_of(self);
  auto& id = s.session_id;
  auto held = is_running(s) ? s.host.value_or("") : "";
  for (auto& [host_id, host] : self->state.world.hosts) {
    auto& name = host->hypervisor_hostname;
    bool marked = host->maintenance_session == id;
    if (name == held && !inventory::in_maintenance(*host))
      mark_host(self, host_id, true);
    else if (name != held && marked)
      mark_host(self, host_id, false);
  }
}

// Stores `next` with what the step asks of the world; then `then(ack)`.
template <class Then>
void commit(session_ptr self, session next, const effects& fx, Then then) {
  change c{*self->state.svc};
  for (auto& order : fx.commands)
    c.command(order.cloud, order.type, order.payload);
  for (auto& n : fx.notices)
    c.emit({n.type, n.project, session_kind.publisher, n.payload});
  store_document(self, session_kind, std::move(c), std::move(next), arm,
                 [=](commit_ack& ack) mutable {
                   if (ack.ok)
                     for (auto& m : fx.marks)
                       mark_host(self, m.host_id, m.in_maintenance);
                   then(ack);
                 });
}

// Moves the session on as far as the view and the time allow.
void look(session_ptr self) {
  auto& st = self->state;
  if (!st.has_world || !st.stored)
    return;
  auto next = value_of(self);
  effects fx;
  if (!advance(next, st.world, now(), st.svc->maintenance, fx))
    return arm(self);
  LOG_INFO("maintenance", next.session_id << ": " << name_of(next.state));
  commit(self, std::move(next), fx, [=](commit_ack& ack) {
    if (ack.ok)
      return look(self);
    retry_timer_later(self, "maintenance",
                      value_of(self).session_id + ": a step could not be stored: "
                        + ack.error);
  });
}

api_reply stored_failure(const commit_ack& ack) {
  return steward::stored_failure(session_kind, ack);
}

// A change of the session asked by a request: stored with its effects,
// answered, then the workflow goes on.
caf::result<api_reply> store_request(session_ptr self, session next, effects fx,
                                     api_reply answer) {
  auto rp = self->make_response_promise<api_reply>();
  commit(self, std::move(next), fx, [=](commit_ack& ack) mutable {
    rp.deliver(ack.ok ? answer : stored_failure(ack));
    if (ack.ok)
      look(self);
  });
  return rp;
}

caf::result<api_reply> resume_session(session_ptr self) {
  auto next = value_of(self);
  effects fx;
  if (auto r = resume(next, now(), fx))
    return api_reply::fail(r->status, r->message);
  auto answer = api_reply::ok({{"session_id", next.session_id}, {"state", name_of(next.state)}});
  return store_request(self, std::move(next), std::move(fx), std::move(answer));
}

caf::result<api_reply> answer_for_project(session_ptr self, const project_maintenance_reply& r) {
  if (r.body.refused)
    return *r.body.refused;
  auto next = value_of(self);
  if (auto refused = record_reply(next, r.project_id, r.body.value, now()))
    return api_reply::fail(*refused);
  return store_request(self, std::move(next), {}, api_reply::ok(nullptr));
}

// The session's removal; a running one is abandoned first (its hosts leave
// maintenance, what it asked of the compute layer is undone).
caf::result<api_reply> remove_session(session_ptr self) {
  auto& st = self->state;
  auto next = value_of(self);
  effects fx;
  if (is_running(next))
    abandon(next, st.world, fx);
  change c{*st.svc};
  for (auto& order : fx.commands)
    c.command(order.cloud, order.type, order.payload);
  auto rp = self->make_response_promise<api_reply>();
  remove_document(self, session_kind, std::move(c), [=](commit_ack& ack) mutable {
    if (ack.ok)
      for (auto& m : fx.marks)
        mark_host(self, m.host_id, m.in_maintenance);
    rp.deliver(ack.ok ? api_reply::ok(nullptr, 204) : stored_failure(ack));
  });
  return rp;
}

} // namespace

session_actor::behavior_type
session_actor_impl(session_ptr self, const actor_services* svc, owner_of<session_snapshot> registry,
                   std::shared_ptr<const session> value, int64_t version, bool stored) {
  self->state.init(svc, std::move(registry), std::move(value), version, stored);
  log_failures(self, "maintenance-session", self->state.doc->session_id);
  return guarded_behavior<session_actor::behavior_type>(
    "maintenance-session",
    [=](atom::create) -> caf::result<api_reply> {
      auto id = value_of(self).session_id;
      return store_created(self, session_kind, [=](session_ptr s) { look(s); },
                           [id](const session&) { return api_reply::ok({{"session_id", id}}); });
    },
    [=](project_maintenance_show& r) -> caf::result<api_reply> {
      return api_reply::ok({{"instance_ids", project_instances(value_of(self), r.project_id)}});
    },
    [=](project_maintenance_reply& r) { return answer_for_project(self, r); },
    [=](maintenance_update&) { return resume_session(self); },
    [=](maintenance_delete&) { return remove_session(self); },
    [=](atom::timer, uint64_t generation) {
      if (generation == self->state.timer_generation)
        look(self);
    },
    [=](atom::clock_jump) { look(self); },
    [=](atom::workload, world_view& view) {
      self->state.world = std::move(view);
      self->state.has_world = true;
      reconcile_marks(self); // once: a restart may have come between a step and its marks
      look(self);
    },
    [=](atom::workload, world_change& c) {
      apply(self->state.world, c);
      if (is_running(value_of(self)))
        look(self);
    });
}

} // namespace steward::maintenance
