#include "actors/migration/migration_actor.hpp"

#include <algorithm>
#include <limits>
#include <utility>

#include "actors/guard.hpp"
#include "actors/migration/migration_rules.hpp"
#include "actors/timers.hpp"
#include "bus/oslo.hpp"
#include "common/json_fields.hpp"

namespace steward::migration {

namespace {

using self_ptr = migration_actor_type::stateful_pointer<migration_state>;
using nlohmann::json;

// How long the instance registry may take to answer one request.
constexpr auto ask_timeout = std::chrono::seconds{30};

// After a step is stored, what comes in this long is stored together: a
// tenant's many servers report one after another, and a write per report
// would rewrite the whole operation once per report.
constexpr auto gather_window = std::chrono::milliseconds{10};

// The generation of the timer of a server's deadline (the gathering timers
// count up from 1).
constexpr uint64_t deadline_timer = std::numeric_limits<uint64_t>::max();

const operation& value_of(self_ptr self) {
  return *self->state.doc;
}

migration_view view_of(self_ptr self) {
  auto& st = self->state;
  return {st.world, *st.cat, st.svc->migrations, st.svc->maintenance.cpu_allocation_ratio};
}

void step(self_ptr self);

// A compute.command.error as a refusal (the bus's JSON ends here).
std::optional<command_failure> failure_of(const bus::notification& note) {
  if (note.event_type != "compute.command.error")
    return std::nullopt;
  auto& data = bus::object_data(note.payload);
  command_failure f{text_field(data, "cloud"), text_field(data, "command"),
                    text_field(data, "subject"), ""};
  if (auto fault = data.find("fault"); fault != data.end() && fault->is_object())
    f.message = text_field(bus::object_data(*fault), "exception_message");
  if (f.command.empty() || f.subject.empty())
    return std::nullopt;
  return f;
}

// What a step took in besides the view: the first `failures` refusals of
// the compute layer and `uploads` stages of uploads waiting in the state.
struct taken_in {
  std::size_t failures = 0;
  std::size_t uploads = 0;
};

// Drops the first `n` of `news`: they are in the stored operation.
template <class T>
void drop_first(std::vector<T>& news, std::size_t n) {
  news.erase(news.begin(), news.begin() + static_cast<std::ptrdiff_t>(std::min(n, news.size())));
}

// Stores `next` with the step's events (in the operation's stream) and
// commands, then asks for what the moving servers need. What it `took` in
// is dropped from the state once it is stored.
void store_step(self_ptr self, operation next, migration_effects fx, taken_in took = {}) {
  auto& st = self->state;
  change c{*st.svc};
  for (auto& e : fx.events)
    c.emit_in_stream(next.id, e);
  for (auto& cmd : fx.commands)
    c.command(cmd.cloud, cmd.type, std::move(cmd.payload));
  st.writing = true;
  store_document(
    self, migration_kind, std::move(c), std::move(next), [](self_ptr) {},
    [=](commit_ack& ack) {
      auto& s = self->state;
      s.writing = false;
      if (ack.ok && value_of(self).cancel_requested)
        for (auto& rp : std::exchange(s.cancel_waiters, {}))
          rp.deliver(api_reply::ok(began_document(value_of(self)), 202));
      if (ack.ok) {
        drop_first(s.failures, took.failures);
        drop_first(s.uploads, took.uploads);
      }
      if (!ack.ok) {
        s.cancel_wanted = s.cancel_wanted || !s.cancel_waiters.empty();
        retry_timer_later(self, "migration", value_of(self).id + ": a step was not stored: "
                                               + ack.error);
        return;
      }
      // What comes in the window is stored together (gather_window).
      s.gathering = true;
      self->delayed_send(self, gather_window, atom::timer_v, ++s.timer_generation);
    },
    announce::already_announced);
}

void refuse(self_ptr self, const std::string& instance_id, const std::string& why) {
  auto& st = self->state;
  if (st.writing || st.gathering)  // asked again after this write, and refused again
    return;
  auto next = value_of(self);
  migration_effects fx;
  refused(next, instance_id, why, view_of(self), now(), fx);
  if (fx.changed)
    store_step(self, std::move(next), std::move(fx));
}

// Asks the instance registry for `what` on instance `id`, unless a request
// for it is under way; the view tells how it went, a refusal fails the
// server.
template <class Request>
void ask(self_ptr self, const std::string& id, Request what) {
  auto& st = self->state;
  if (!st.in_flight.insert(id).second)
    return;
  self->request(st.svc->instances, ask_timeout, std::move(what))
    .then(
      [=](instance_progress& p) {
        self->state.in_flight.erase(id);
        if (!p.refused.empty())
          refuse(self, id, p.refused);
        else
          step(self);
      },
      [=](caf::error& e) {
        self->state.in_flight.erase(id);
        retry_timer_later(self, "migration",
                          value_of(self).id + ": instance " + id + " did not answer: "
                            + to_string(e));
      });
}

void ask_instances(self_ptr self) {
  auto v = view_of(self);
  auto& op = value_of(self);
  for (auto& s : op.servers) {
    switch (ask_for(s, v)) {
      case instance_ask::none: break;
      case instance_ask::stop_source:
        ask(self, s.source_id, deployment_instance_power{s.source_id, power_action::stop});
        break;
      case instance_ask::start_source:
        ask(self, s.source_id, deployment_instance_power{s.source_id, power_action::start});
        break;
      case instance_ask::boot:
        ask(self, s.destination_id,
            deployment_instance{s.destination_id, op.tenant, s.name, s.flavor, s.image,
                                s.key_name, "Migrated from " + s.source_id, s.target_host});
        break;
      case instance_ask::stop_destination:
        ask(self, s.destination_id,
            deployment_instance_power{s.destination_id, power_action::stop});
        break;
      case instance_ask::delete_source:
        ask(self, s.source_id, deployment_instance_delete{s.source_id});
        break;
      case instance_ask::delete_destination:
        ask(self, s.destination_id, deployment_instance_delete{s.destination_id});
        break;
    }
  }
}

// A server's deadline may pass with nothing else happening: the operation
// looks again then.
void arm_deadline(self_ptr self) {
  auto& st = self->state;
  auto due = next_deadline(value_of(self));
  if (!due || due == st.armed_deadline)
    return;
  st.armed_deadline = due;
  auto delay = std::max(*due - now(), sys_time::duration::zero());
  self->delayed_send(self, delay, atom::timer_v, deadline_timer);
}

// Moves the operation as far as the view lets it; stores that step, or
// asks for what the moving servers need.
void step(self_ptr self) {
  auto& st = self->state;
  if (!st.has_view || !st.cat || !st.stored)
    return;
  if (st.writing || st.gathering)  // the step after it sees this too
    return;
  auto next = value_of(self);
  migration_effects fx;
  if (st.cancel_wanted) {
    st.cancel_wanted = false;
    cancel(next, now(), fx);
  }
  taken_in took{st.failures.size(), st.uploads.size()};
  for (auto& f : st.failures)
    command_failed(next, f, view_of(self), now(), fx);
  report_uploads(next, st.uploads, st.svc->migrations, fx);
  advance(next, view_of(self), now(), fx);
  if (fx.changed)
    return store_step(self, std::move(next), std::move(fx), took);
  st.failures.clear();  // none of them was this operation's
  st.uploads.clear();   // nor any stage it had not told
  ask_instances(self);
  arm_deadline(self);
}

} // namespace

json began_document(const operation& op) {
  json out = {{"id", op.id}, {"events", "/events/" + op.id}};
  if (op.kind == operation_kind::reassignment || op.kind == operation_kind::evacuation)
    out["host"] = op.host;
  else if (op.kind == operation_kind::tenant)
    out["tenant_id"] = op.tenant;
  return out;
}

migration_actor_type::behavior_type
migration_actor(self_ptr self, const actor_services* svc, owner_of<migration_snapshot> registry,
                std::shared_ptr<const operation> value, int64_t version, bool stored) {
  self->state.init(svc, std::move(registry), std::move(value), version, stored);
  log_failures(self, "migration", self->state.doc->id);
  return guarded_behavior<migration_actor_type::behavior_type>(
    "migration",
    [=](atom::create) -> caf::result<api_reply> {
      auto rp = self->make_response_promise<api_reply>();
      auto& op = value_of(self);
      change c{*self->state.svc};
      c.emit_in_stream(op.id, started_event(op, self->state.svc->migrations));
      self->state.writing = true;
      store_document(
        self, migration_kind, std::move(c), op, [](self_ptr) {},
        [=](commit_ack& ack) mutable {
          self->state.writing = false;
          rp.deliver(ack.ok ? api_reply::ok(began_document(value_of(self)), 201)
                            : stored_failure(migration_kind, ack));
          if (!ack.ok)
            return self->quit();
          step(self);
        },
        announce::already_announced);
      return rp;
    },
    [=](atom::timer, uint64_t generation) {
      if (generation == deadline_timer)
        self->state.armed_deadline.reset();
      else if (generation == self->state.timer_generation)
        self->state.gathering = false;
      step(self);
    },
    [=](atom::workload, world_view& w) {
      self->state.world = std::move(w);
      self->state.has_view = true;
      step(self);
    },
    [=](atom::workload, world_change& c) {
      apply(self->state.world, c);
      step(self);
    },
    [=](atom::catalog, catalog_snapshot& snap) {
      auto& st = self->state;
      st.cat = std::move(snap.value);
      watch_uploads(value_of(self), view_of(self), st.uploads);
      step(self);
    },
    [=](atom::notify, bus::notification& note) {
      if (auto f = failure_of(note)) {
        self->state.failures.push_back(std::move(*f));
        step(self);
      }
    },
    [=](migration_cancel&) -> caf::result<api_reply> {
      auto& st = self->state;
      auto& op = value_of(self);
      if (op.status != operation_status::running)
        return api_reply::fail(409, "The migration of tenant " + op.tenant + " has ended ("
                                      + name_of(op.status) + ")");
      if (op.cancel_requested)
        return api_reply::ok(began_document(op), 202);
      // Answered once the step that stops it is stored.
      st.cancel_wanted = true;
      st.cancel_waiters.push_back(self->make_response_promise<api_reply>());
      step(self);
      return st.cancel_waiters.back();
    });
}

} // namespace steward::migration
