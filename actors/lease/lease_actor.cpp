#include "actors/lease/lease_actor.hpp"

#include "actors/guard.hpp"
#include "actors/lease/lease_document.hpp"
#include "actors/lease/lease_events.hpp"
#include "actors/timers.hpp"
#include "common/log.hpp"

namespace steward::lease {

namespace {

using lease_ptr = lease_actor_type::stateful_pointer<lease_state>;
using nlohmann::json;

constexpr auto instance_query_timeout = std::chrono::seconds{30};
const std::vector<hosted_instance> no_instances;

const lease& doc_of(lease_ptr self) { return *self->state.doc; }

void arm(lease_ptr self) {
  auto gen = ++self->state.timer_generation;
  if (auto due = next_event(doc_of(self)))
    arm_timer(self, due->time, gen);
}

api_reply lease_reply(const lease& l, int status) {
  return api_reply::ok({{"lease", present(l)}}, status);
}

api_reply stored_failure(const commit_ack& ack) {
  return steward::stored_failure(lease_kind, ack);
}

// An event could not run now: the same timer tries again a little later.
void retry_later(lease_ptr self, const std::string& why) {
  retry_timer_later(self, "lease", doc_of(self).id + ": event postponed: " + why);
}

// The instances now on `hostnames`, from the instance registry; the lease
// handles nothing else meanwhile.
template <class Then, class Failed>
void ask_instances(lease_ptr self, std::vector<std::string> hostnames, Then then, Failed failed) {
  if (hostnames.empty())
    return then(no_instances);
  self->request(self->state.svc->instances, instance_query_timeout,
                instances_on_hosts{std::move(hostnames)})
    .await([=](hosted_instances& r) mutable { then(r.instances); },
           [=](caf::error& e) mutable { failed(to_string(e)); });
}

// One compute command per instance: a snapshot or a deletion.
void command_each(change& c, const std::vector<hosted_instance>& instances,
                  const std::string& command, const std::string& lease_name) {
  for (auto& i : instances) {
    json payload = {{"instance_uuid", i.uuid}};
    if (command == "compute.instance.snapshot")
      payload["snapshot_name"] = i.hostname + "-" + lease_name + "-before-end";
    c.command(i.cloud, command, std::move(payload));
  }
}

// Completes the event in one transaction with its compute commands.
void finish_event(lease_ptr self, event_type type,
                  const std::vector<hosted_instance>& instances, const std::string& command) {
  auto next = doc_of(self);
  complete_event(next, type, now());
  change c{*self->state.svc};
  command_each(c, instances, command, next.name);
  auto shown = present(next);
  auto event = std::string{"lease.event."} + name_of(type);
  c.emit({event, next.project_id, lease_kind.publisher, shown});
  if (type == event_type::before_end_lease)
    c.emit({event + ".stop", next.project_id, lease_kind.publisher, std::move(shown)});
  LOG_INFO("lease", next.id << ": " << name_of(type) << " done, " << instances.size()
                            << " instance command(s)");
  // The event's notification carries the lease as it now is; Blazar sends
  // no lease.update with it.
  store_document(
    self, lease_kind, std::move(c), std::move(next), arm,
    [=](commit_ack& ack) {
      if (!ack.ok)
        retry_later(self, ack.error);
    },
    announce::already_announced);
}

void run_event(lease_ptr self, const due_event& due) {
  auto failed = [=](const std::string& why) { retry_later(self, why); };
  if (due.type == event_type::start_lease) {
    // The registry answers once no earlier lease still holds the hosts,
    // which may take as long as that lease lasts: meanwhile this lease goes
    // on answering (an update, a delete). An answer that comes after the
    // lease was re-armed (new dates) is for a start that is no longer due:
    // the new timer asks again.
    auto generation = self->state.timer_generation;
    self->request(self->state.leases(), caf::infinite,
                  lease_start_request{doc_of(self).id})
      .then(
        [=](atom::done) {
          if (generation == self->state.timer_generation)
            finish_event(self, event_type::start_lease, no_instances, "");
        },
        [=](caf::error& e) {
          if (generation == self->state.timer_generation)
            failed(to_string(e));
        });
    return;
  }
  bool before_end = due.type == event_type::before_end_lease;
  auto hosts = lease_hostnames(doc_of(self), before_end, self->state.svc->leases.default_before_end);
  auto command = before_end ? "compute.instance.snapshot" : "compute.instance.delete";
  ask_instances(
    self, std::move(hosts),
    [=](const std::vector<hosted_instance>& instances) {
      finish_event(self, due.type, instances, command);
    },
    failed);
}

// Stores `next` and answers with it (202, as the seed answers updates).
void store_update(lease_ptr self, lease next, caf::typed_response_promise<api_reply> rp,
                  bool reallocated) {
  store_document(self, lease_kind, change{*self->state.svc}, std::move(next), arm,
                 [=](commit_ack& ack) mutable {
                   if (ack.ok) {
                     rp.deliver(lease_reply(doc_of(self), 202));
                     return;
                   }
                   if (reallocated) // the registry booked the new dates: undo
                     self->send(self->state.registry, atom::changed_v,
                                lease_snapshot{doc_of(self).id, doc_of(self).project_id,
                                               self->state.doc, self->state.version});
                   rp.deliver(stored_failure(ack));
                 });
}

caf::result<api_reply> update(lease_ptr self, const parsed<lease_fields>& body) {
  if (body.refused)
    return *body.refused;
  auto next = doc_of(self);
  if (auto refused = update_lease(next, body.value, now()))
    return api_reply::fail(*refused);
  if (next == doc_of(self))
    return lease_reply(next, 202);
  auto rp = self->make_response_promise<api_reply>();
  if (next.start == doc_of(self).start && next.end == doc_of(self).end) {
    store_update(self, std::move(next), rp, false);
    return rp;
  }
  // New dates: the registry checks the hosts over the new window.
  auto id = next.id;
  self->request(self->state.leases(), caf::infinite, lease_reallocation{id, std::move(next)})
    .await(
      [=](lease_allocation& r) mutable {
        if (!r.refused)
          store_update(self, std::move(r.lease), rp, true);
        else if (r.refused->status == 503)  // the registry is still loading its hosts
          rp.deliver(api_reply::not_ready(r.refused->message));
        else
          rp.deliver(api_reply::fail(*r.refused));
      },
      [=](caf::error& e) mutable {
        rp.deliver(api_reply::fail(500, "The lease could not be reallocated: " + to_string(e)));
      });
  return rp;
}

caf::result<api_reply> remove(lease_ptr self) {
  auto rp = self->make_response_promise<api_reply>();
  auto finish = [=](const std::vector<hosted_instance>& instances) mutable {
    // An active lease ends with its deletion: its hosts are emptied too.
    change c{*self->state.svc};
    command_each(c, instances, "compute.instance.delete", doc_of(self).name);
    remove_document(self, lease_kind, std::move(c), [=](commit_ack& ack) mutable {
      rp.deliver(ack.ok ? api_reply::ok(nullptr, 204) : stored_failure(ack));
    });
  };
  if (!is_active(doc_of(self))) {
    finish(no_instances);
    return rp;
  }
  ask_instances(self, lease_hostnames(doc_of(self), false, ""), finish,
                [=](const std::string& why) mutable {
                  rp.deliver(api_reply::fail(503, "The instances on the lease's hosts could "
                                                  "not be listed: " + why));
                });
  return rp;
}

} // namespace

lease_actor_type::behavior_type
lease_actor(lease_ptr self, const actor_services* svc, owner_of<lease_snapshot> registry,
            std::shared_ptr<const lease> value, int64_t version, bool stored) {
  self->state.init(svc, std::move(registry), std::move(value), version, stored);
  log_failures(self, "lease", self->state.doc->id);
  if (stored)
    arm(self);
  return guarded_behavior<lease_actor_type::behavior_type>(
    "lease",
    [=](atom::create) -> caf::result<api_reply> {
      return store_created(self, lease_kind, arm,
                           [](const lease& l) { return lease_reply(l, 202); });
    },
    [=](lease_update& r) { return update(self, r.body); },
    [=](lease_delete&) { return remove(self); },
    [=](atom::timer, uint64_t generation) {
      if (generation != self->state.timer_generation)
        return;
      auto due = next_event(doc_of(self));
      if (!due)
        return;
      if (due->time > now())
        return arm(self); // fired early (the clock was moved): wait on
      run_event(self, *due);
    },
    [=](atom::clock_jump) { arm(self); });
}

} // namespace steward::lease
