#include "actors/inventory/host_actor.hpp"

#include "actors/guard.hpp"
#include "actors/inventory/host_document.hpp"
#include "actors/timers.hpp"
#include "bus/oslo.hpp"
#include "common/log.hpp"

namespace steward::inventory {

namespace {

using self_ptr = host_actor_type::stateful_pointer<host_state>;

void arm(self_ptr self) {
  auto gen = ++self->state.timer_generation;
  if (auto due = enable_deadline(*self->state.doc))
    arm_timer(self, *due, gen);
}

// Stores `next`, then runs `then(ack)`.
template <class Then>
void commit(self_ptr self, host next, Then then) {
  store_document(self, host_kind, change{*self->state.svc}, std::move(next), arm, std::move(then));
}

api_reply stored_failure(const commit_ack& ack) {
  return steward::stored_failure(host_kind, ack);
}

api_reply host_reply(self_ptr self, int status = 200) {
  return api_reply::ok({{"host", to_document(*self->state.doc)}}, status);
}

// Stores `next` and answers with it.
caf::result<api_reply> store_and_show(self_ptr self, host next) {
  auto rp = self->make_response_promise<api_reply>();
  commit(self, std::move(next), [=](commit_ack& ack) mutable {
    rp.deliver(ack.ok ? host_reply(self) : stored_failure(ack));
  });
  return rp;
}

// Stores `next` for another kind's request and answers with the host as
// stored.
caf::result<host_change_outcome> store_for_request(self_ptr self, host next) {
  if (next == *self->state.doc)
    return host_change_outcome{std::nullopt, self->state.doc};
  auto rp = self->make_response_promise<host_change_outcome>();
  commit(self, std::move(next), [=](commit_ack& ack) mutable {
    if (ack.ok)
      rp.deliver(host_change_outcome{std::nullopt, self->state.doc});
    else
      rp.deliver(host_change_outcome{refusal{500, stored_failure(ack).error}, nullptr});
  });
  return rp;
}

} // namespace

host_actor_type::behavior_type
host_actor(self_ptr self, const actor_services* svc, owner_of<host_snapshot> registry,
           host_ptr value, int64_t version, bool stored) {
  self->state.init(svc, std::move(registry), std::move(value), version, stored);
  log_failures(self, "host", self->state.doc->id);
  arm(self);
  return guarded_behavior<host_actor_type::behavior_type>(
    "host",
    [=](atom::create) -> caf::result<api_reply> {
      return store_created(self, host_kind, arm,
                           [=](const host&) { return host_reply(self, 201); });
    },
    // A response promise takes over the answer: make one only when the
    // answer waits for the store.
    [=](host_show&) -> caf::result<api_reply> { return host_reply(self); },
    [=](host_update& r) -> caf::result<api_reply> {
      if (r.body.refused)
        return *r.body.refused;
      auto next = *self->state.doc;
      bool changed = false;
      auto err = update_host(next, r.body.value, now(), changed);
      if (!err.empty())
        return api_reply::fail(400, err);
      if (!changed)
        return host_reply(self);
      return store_and_show(self, std::move(next));
    },
    [=](host_delete&) -> caf::result<api_reply> {
      auto& st = self->state;
      // Leases hold reservable hosts: /v1/os-hosts withdraws one only
      // while no lease does, and the inventory must not go around that.
      if (st.doc->enrolled)
        return api_reply::fail(409, "Host " + st.doc->hypervisor_hostname
                                      + " is reservable (/v1/os-hosts/" + st.doc->enrolled->number
                                      + "); withdraw it there first, which is refused "
                                        "while a lease holds it");
      auto rp = self->make_response_promise<api_reply>();
      remove_document(self, host_kind, change{*st.svc}, [=](commit_ack& ack) mutable {
        rp.deliver(ack.ok ? api_reply::ok(nullptr, 204) : stored_failure(ack));
      });
      return rp;
    },
    [=](host_enrollment& e) -> caf::result<host_change_outcome> {
      auto next = *self->state.doc;
      merge_capabilities(next, e.extra, now());
      next.enrolled = std::move(e.enrolled);
      return store_for_request(self, std::move(next));
    },
    [=](host_maintenance_mark& m) -> caf::result<host_change_outcome> {
      if (m.in_maintenance && m.session_id.empty())
        return host_change_outcome{refusal{400, "A maintenance mark names its session"}, nullptr};
      auto next = *self->state.doc;
      next.maintenance_session = m.in_maintenance ? m.session_id : std::string{};
      return store_for_request(self, std::move(next));
    },
    [=](atom::notify, bus::notification& note) -> caf::result<atom::done> {
      auto next = *self->state.doc;
      bool is_delete = note.event_type == "service.delete";
      if (!is_delete && !apply_service_status(next, bus::object_data(note.payload), now())
          && self->state.stored)
        return atom::done_v;
      return apply_notification(self, host_kind, note, std::move(next), is_delete, arm);
    },
    [=](atom::timer, uint64_t generation) {
      auto& st = self->state;
      if (generation != st.timer_generation)
        return;
      auto due = enable_deadline(*st.doc);
      if (!due)
        return;
      if (*due > now())
        return arm(self); // fired early (the clock was moved): wait on
      auto next = *st.doc;
      enable(next, now());
      LOG_INFO("host", next.hypervisor_hostname << " re-enabled: its disabled_until passed");
      commit(self, std::move(next), [=](commit_ack& ack) {
        if (!ack.ok)
          retry_timer_later(self, "host",
                            self->state.doc->hypervisor_hostname
                              + ": re-enabling could not be stored: " + ack.error);
      });
    },
    [=](atom::clock_jump) { arm(self); });
}

} // namespace steward::inventory
