#include "actors/environment/environment_actor.hpp"

#include <algorithm>

#include "actors/environment/deployment_engine.hpp"
#include "actors/environment/environment_rules.hpp"
#include "actors/environment/object_model.hpp"
#include "actors/guard.hpp"
#include "actors/timers.hpp"
#include "common/log.hpp"

namespace steward::environment {

namespace {

using self_ptr = environment_actor_type::stateful_pointer<environment_state>;
using nlohmann::json;

// How long the instance registry may take to answer one command.
constexpr auto command_timeout = std::chrono::seconds{30};

const environment& value_of(self_ptr self) {
  return *self->state.doc;
}

std::chrono::seconds deploy_limit(self_ptr self) {
  return std::chrono::seconds{self->state.svc->environments.deploy_seconds};
}

void rearm(self_ptr self);

// What a show published of this environment is stale from the version just
// stored (or, `removing`, from its removal) on: marked before any answer
// leaves, so that no client reads what it has seen changed.
void unpublish(self_ptr self, bool removing = false) {
  auto& st = self->state;
  if (st.svc->environment_shows)
    st.svc->environment_shows->stored(value_of(self).id, st.version + (removing ? 1 : 0));
}

// After every write: the published show is stale; the deployment goes on.
void after_write(self_ptr self) {
  unpublish(self);
  rearm(self);
}

void take_progress(self_ptr self, const instance_progress& p, bool answered);

// Asks the instance registry for the next step of task `t` (unless a
// command for its instance is on its way); each answer says where the
// instance stands.
void send_command(self_ptr self, const instance_task& t) {
  auto& st = self->state;
  if (!st.in_flight.insert(t.instance_id).second)
    return;
  auto id = t.instance_id;
  auto answered = [=](instance_progress& p) {
    self->state.in_flight.erase(id);
    take_progress(self, p, true);
  };
  auto failed = [=](caf::error& e) {
    self->state.in_flight.erase(id);
    retry_timer_later(self, "environment",
                      value_of(self).id + ": instance " + id + " did not answer: " + to_string(e));
  };
  auto& instances = st.svc->instances;
  switch (t.step) {
    case instance_step::create:
      self
        ->request(instances, command_timeout,
                  deployment_instance{id, value_of(self).tenant_id, t.name, t.flavor, t.image,
                                      t.keyname, "Of environment " + value_of(self).name, ""})
        .then(answered, failed);
      break;
    case instance_step::resize:
      self->request(instances, command_timeout, deployment_instance_resize{id, t.flavor})
        .then(answered, failed);
      break;
    case instance_step::remove:
      self->request(instances, command_timeout, deployment_instance_delete{id})
        .then(answered, failed);
      break;
    case instance_step::restart:
    case instance_step::stop:
    case instance_step::start: {
      auto action = t.step == instance_step::restart ? power_action::restart
                    : t.step == instance_step::stop  ? power_action::stop
                                                     : power_action::start;
      self->request(instances, command_timeout, deployment_instance_power{id, action})
        .then(answered, failed);
      break;
    }
  }
}

// After every write (and at start): a running deployment has its deadline
// armed and a command on its way for every task still pending. Asking
// again is harmless: the registry answers an instance already made, or
// takes the step the instance's state calls for.
void rearm(self_ptr self) {
  auto& st = self->state;
  auto gen = ++st.timer_generation;
  auto d = running_deployment(value_of(self));
  if (!d) {
    st.heard.clear();
    return;
  }
  // One with nothing left to wait for (nothing to do, say) ends at once.
  arm_timer(self, settled(*d) ? now() : d->deadline, gen);
  for (auto& t : d->tasks)
    if (t.outcome == step_outcome::pending)
      send_command(self, t);
}

// The deployment news between the stored value and `next`, as events of
// their own beside the environment's update: a deployment that began, each
// new report, a deployment that ended. A client follows a deployment live
// on the event stream (or the bus) instead of polling it.
change with_deployment_events(self_ptr self, const environment& next) {
  change c{*self->state.svc};
  auto& before = value_of(self);
  auto emit = [&](const char* type, json doc) {
    doc["environment_id"] = next.id;
    c.emit({type, next.tenant_id, environment_kind.publisher, std::move(doc)});
  };
  for (auto& d : next.deployments) {
    auto was = std::find_if(before.deployments.begin(), before.deployments.end(),
                            [&](const deployment& x) { return x.id == d.id; });
    bool known = was != before.deployments.end();
    if (!known)
      emit("environment.deploy.start", deployment_document(next, d));
    for (auto i = known ? was->reports.size() : 0; i < d.reports.size(); ++i)
      emit("environment.deploy.report", report_document(d, d.reports[i]));
    if (d.finished && (!known || !was->finished))
      emit("environment.deploy.end", deployment_document(next, d));
  }
  return c;
}

void store_quietly(self_ptr self, environment next, const char* what) {
  auto c = with_deployment_events(self, next);
  store_document(self, environment_kind, std::move(c), std::move(next), after_write,
                 [=](commit_ack& ack) {
                   if (!ack.ok)
                     LOG_ERROR("environment", value_of(self).id << ": " << what
                                                << " could not be stored: " << ack.error);
                 });
}

// Ends the running deployment, which has settled: a destroy that succeeded
// removes the environment.
void finish(self_ptr self, environment next) {
  if (!finish_deployment(next, now()))
    return store_quietly(self, std::move(next), "the end of a deployment");
  unpublish(self, true);
  remove_document(self, environment_kind, with_deployment_events(self, next), [=](commit_ack& ack) {
    if (!ack.ok)
      LOG_ERROR("environment", value_of(self).id << ": could not be removed: " << ack.error);
  });
}

// News of an instance a task waits on: an answer to a command, or a change
// the registry passes on (taken only once a command was answered, and only
// when newer than what was heard).
void take_progress(self_ptr self, const instance_progress& p, bool answered) {
  auto& st = self->state;
  auto heard = st.heard.find(p.uuid);
  if (answered) {
    st.heard[p.uuid] = p.version;
  } else {
    if (heard == st.heard.end() || (!p.gone && p.version <= heard->second))
      return;
    heard->second = p.version;
  }
  auto next = value_of(self);
  if (record_progress(next, p, now())) {
    if (settled(*running_deployment(next)))
      return finish(self, std::move(next));
    return store_quietly(self, std::move(next), "a deployment's progress");
  }
  // Still pending: an instance at rest waits for its next step.
  if (answered || !p.at_rest())
    return;
  if (auto d = running_deployment(value_of(self)))
    for (auto& t : d->tasks)
      if (t.instance_id == p.uuid && t.outcome == step_outcome::pending)
        send_command(self, t);
}

// Stores `next`, with its deployment news, and answers `answer` once it is
// on disk.
caf::result<api_reply> store_and_answer(self_ptr self, environment next, api_reply answer) {
  auto c = with_deployment_events(self, next);
  return steward::store_and_answer(self, environment_kind, std::move(c), std::move(next),
                                   after_write, std::move(answer));
}

api_reply ok_without_body() {
  return api_reply::ok(nullptr, 200);  // Murano answers every success 200
}

// Edits the copy of the session a write names, or refuses. The session's
// `updated` moves; the environment's is its record's (a rename), as Murano
// shows it.
template <class Edit>
caf::result<api_reply> edit_session(self_ptr self, const std::string& session_id, Edit edit) {
  auto next = value_of(self);
  auto found = session_to_edit(next, session_id);
  if (auto* refused = std::get_if<refusal>(&found))
    return api_reply::fail(*refused);
  auto& s = *std::get<config_session*>(found);
  api_reply answer;
  if (auto refused = edit(s.model, answer))
    return api_reply::fail(*refused);
  s.updated = whole_seconds(now());
  return store_and_answer(self, std::move(next), std::move(answer));
}

// The model a read sees (the session's copy, or the deployed one), or why not.
template <class Read>
caf::result<api_reply> read_model(self_ptr self, const std::string& session_id, Read read) {
  auto found = model_to_read(value_of(self), session_id);
  if (auto* refused = std::get_if<refusal>(&found))
    return api_reply::fail(*refused);
  return read(*std::get<const json*>(found));
}

api_reply nothing_at(const std::string& where) {
  return api_reply::fail(404, "The object model has nothing at " + where);
}

caf::result<api_reply> rename(self_ptr self, const environment_rename& r) {
  if (r.body.refused)
    return *r.body.refused;
  auto why = check_name(r.body.value.name, false);
  if (!why.empty())
    return api_reply::fail(400, why);
  auto next = value_of(self);
  if (next.name == r.body.value.name)
    return api_reply::ok(basic_document(next));
  next.name = r.body.value.name;
  next.updated = whole_seconds(now());
  auto answer = api_reply::ok(basic_document(next));
  return store_and_answer(self, std::move(next), std::move(answer));
}

// An abandon removes the record at once (a running deployment stops with
// the actor); otherwise the instances the deployments made are destroyed
// first, and the record goes once they are.
caf::result<api_reply> remove(self_ptr self, const environment_delete& r) {
  auto status = status_of(value_of(self));
  if (!r.abandon
      && (status == environment_status::deploying || status == environment_status::deleting))
    return api_reply::fail(403, "Could not open session for environment <EnvId: "
                                  + value_of(self).id
                                  + ">, environment has deploying or deleting status.");
  if (!r.abandon && !value_of(self).instances.empty()) {
    auto next = value_of(self);
    begin_destruction(next, r.ctx.who.user_id, now(), deploy_limit(self));
    return store_and_answer(self, std::move(next), ok_without_body());
  }
  unpublish(self, true);
  return remove_and_answer(self, environment_kind, ok_without_body());
}

caf::result<api_reply> configure(self_ptr self, const environment_configure& r) {
  auto next = value_of(self);
  std::string id;
  if (auto refused = open_session(next, r.ctx.who.user_id, now(), id))
    return api_reply::fail(*refused);
  auto answer = api_reply::ok(session_document(next, *find_session(next, id)));
  return store_and_answer(self, std::move(next), std::move(answer));
}

caf::result<api_reply> show_session(self_ptr self, const configuration_show& r) {
  auto e = value_of(self);
  auto found = own_session(e, r.session_id, r.ctx.who);
  if (auto* refused = std::get_if<refusal>(&found))
    return api_reply::fail(*refused);
  auto& s = *std::get<config_session*>(found);
  if (!is_valid(e, s))
    return api_reply::fail(403, "Session <SessionId " + s.id + "> is invalid: environment has "
                                "been updated or updating right now with other session");
  return api_reply::ok(session_document(e, s));
}

caf::result<api_reply> delete_session(self_ptr self, const configuration_delete& r) {
  auto next = value_of(self);
  auto found = own_session(next, r.session_id, r.ctx.who);
  if (auto* refused = std::get_if<refusal>(&found))
    return api_reply::fail(*refused);
  auto& s = *std::get<config_session*>(found);
  if (s.state == session_state::deploying)
    return api_reply::fail(403, "Session <SessionId: " + s.id
                                  + "> is in deploying state and could not be deleted");
  auto id = s.id;
  next.sessions.erase(std::remove_if(next.sessions.begin(), next.sessions.end(),
                                     [&](const config_session& x) { return x.id == id; }),
                      next.sessions.end());
  return store_and_answer(self, std::move(next), ok_without_body());
}

caf::result<api_reply> deploy(self_ptr self, const session_deploy& r) {
  auto next = value_of(self);
  auto found = session_to_deploy(next, r.session_id, r.ctx.who);
  if (auto* refused = std::get_if<refusal>(&found))
    return api_reply::fail(*refused);
  begin_deployment(next, *std::get<config_session*>(found), now(), deploy_limit(self));
  return store_and_answer(self, std::move(next), ok_without_body());
}

caf::result<api_reply> call_action(self_ptr self, const action_call& r) {
  if (r.args.refused)
    return *r.args.refused;
  auto next = value_of(self);
  auto begun = begin_action(next, r.ctx.who.user_id, r.action_id, r.args.value, now(),
                            deploy_limit(self));
  if (auto* refused = std::get_if<refusal>(&begun))
    return api_reply::fail(*refused);
  auto answer = api_reply::ok({{"task_id", std::get<deployment*>(begun)->id}});
  return store_and_answer(self, std::move(next), std::move(answer));
}

} // namespace

environment_actor_type::behavior_type
environment_actor(self_ptr self, const actor_services* svc,
                  owner_of<environment_snapshot> registry,
                  std::shared_ptr<const environment> value, int64_t version, bool stored) {
  self->state.init(svc, std::move(registry), std::move(value), version, stored);
  log_failures(self, "environment", self->state.doc->id);
  if (stored)
    rearm(self);  // a deployment a restart interrupted goes on
  return guarded_behavior<environment_actor_type::behavior_type>(
    "environment",
    [=](atom::create) -> caf::result<api_reply> {
      return store_created(self, environment_kind, after_write,
                           [](const environment& e) { return api_reply::ok(basic_document(e)); });
    },
    // The running deployment's deadline, a retry of a command that got no
    // answer, or the end of one that has nothing left to wait for.
    [=](atom::timer, uint64_t generation) {
      if (generation != self->state.timer_generation)
        return;
      auto d = running_deployment(value_of(self));
      if (!d)
        return;
      if (!settled(*d) && d->deadline > now())
        return rearm(self);
      auto next = value_of(self);
      expire(*running_deployment(next), now());
      finish(self, std::move(next));
    },
    [=](instance_progress& p) { take_progress(self, p, false); },
    [=](session_deploy& r) { return deploy(self, r); },
    [=](action_call& r) { return call_action(self, r); },
    [=](environment_rename& r) { return rename(self, r); },
    [=](environment_delete& r) { return remove(self, r); },
    [=](environment_configure& r) { return configure(self, r); },
    [=](configuration_show& r) { return show_session(self, r); },
    [=](configuration_delete& r) { return delete_session(self, r); },
    [=](service_show& r) {
      return read_model(self, r.session_id, [&](const json& model) -> caf::result<api_reply> {
        auto found = services_at(model, r.path);
        if (!found)
          return nothing_at("services/" + r.path);
        return api_reply::ok(r.path.empty() ? shown_services(value_of(self), std::move(*found))
                                            : std::move(*found));
      });
    },
    [=](service_add& r) {
      return edit_session(self, r.session_id, [&](json& model, api_reply& answer) {
        answer = api_reply::ok(r.value);
        return add_service(model, r.path, r.value);
      });
    },
    [=](service_replace& r) {
      return edit_session(self, r.session_id, [&](json& model, api_reply& answer) {
        answer = api_reply::ok(r.value.is_null() ? json::array() : r.value);
        return replace_service(model, r.path, r.value);
      });
    },
    [=](service_remove& r) {
      return edit_session(self, r.session_id, [&](json& model, api_reply& answer) {
        answer = ok_without_body();
        return remove_service(model, r.path);
      });
    },
    [=](model_show& r) {
      return read_model(self, r.session_id, [&](const json& model) -> caf::result<api_reply> {
        auto found = select(model, path_tokens(r.path));
        if (!found)
          return nothing_at(r.path.empty() ? "its root" : r.path);
        return api_reply::ok(*found);
      });
    },
    [=](model_patch& r) -> caf::result<api_reply> {
      if (r.body.refused)
        return *r.body.refused;
      return edit_session(self, r.session_id, [&](json& model, api_reply& answer) {
        auto refused = apply_changes(model, r.body.value);
        answer = api_reply::ok(model);
        return refused;
      });
    });
}

} // namespace steward::environment
