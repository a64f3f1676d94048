#include "actors/environment/environment_registry.hpp"

#include <algorithm>

#include "actors/environment/deployment_engine.hpp"
#include "actors/environment/environment_actor.hpp"
#include "actors/environment/environment_rules.hpp"
#include "actors/environment/static_actions.hpp"
#include "actors/guard.hpp"

namespace steward::environment {

namespace {

using registry_ptr = environment_registry_actor::stateful_pointer<environment_registry_state>;
using nlohmann::json;

const char* const duplicate = "Environment with specified name already exists";

// How long a static action or the statistics wait for what they read.
constexpr auto catalog_timeout = std::chrono::seconds{30};

environment_actor_type as_environment(const entity_actor& a) {
  return caf::actor_cast<environment_actor_type>(a);  // every entity here is one
}

void index_name(environment_registry_state& st, const environment& e) {
  st.names.index(e.tenant_id, e.name, e.id);
}

// The instances that environment `e`'s running deployment waits on are
// watched for it; no others of its.
void watch_instances(environment_registry_state& st, const environment& e) {
  for (auto i = st.watched.begin(); i != st.watched.end();)
    i = i->second == e.id ? st.watched.erase(i) : std::next(i);
  if (auto d = running_deployment(e))
    for (auto& t : d->tasks)
      if (t.outcome == step_outcome::pending)
        st.watched[t.instance_id] = e.id;
}

// Passes news of a watched instance to the environment waiting on it.
void pass_on(registry_ptr self, const instance_progress& p) {
  auto& st = self->state;
  auto w = st.watched.find(p.uuid);
  if (w == st.watched.end())
    return;
  if (auto a = st.environments.actor(w->second))
    self->send(as_environment(*a), p);
}

void forget(registry_ptr self, const std::string& id) {
  auto& st = self->state;
  st.shown.forget(id);
  st.listed.forget(id);
  for (auto i = st.watched.begin(); i != st.watched.end();)
    i = i->second == id ? st.watched.erase(i) : std::next(i);
  if (auto snap = st.environments.snapshot(id))
    st.names.forget(snap->doc->tenant_id, snap->doc->name);
  st.environments.erase(id);
  if (st.svc->environment_shows)
    st.svc->environment_shows->erase(id);
}

// The project a caller's environments belong to: its token's one project.
std::string tenant_of(const access::caller& who) {
  return access::sole_project(who);
}

api_reply no_project() {
  return api_reply::fail(403, "Environments belong to a project: the token must have a role in "
                              "exactly one");
}

// Why the caller may not see environment `id` (404, 403), without waking it.
std::optional<api_reply> refusal_for(const environment_registry_state& st,
                                     const request_context& ctx, const std::string& id) {
  auto snap = st.environments.snapshot(id);
  if (!snap)
    return api_reply::fail(404, "Environment with id " + id + " not found");
  if (!access::can_see_project(ctx.who, snap->doc->tenant_id))
    return api_reply::fail(403, "User is not authorized to access these tenant resources");
  return std::nullopt;
}

// The environment `id`'s actor (woken) if the caller may see it, or the refusal.
std::variant<entity_actor, api_reply> visible(registry_ptr self, const request_context& ctx,
                                              const std::string& id) {
  if (auto refused = refusal_for(self->state, ctx, id))
    return std::move(*refused);
  return *self->state.environments.actor(id);
}

// A show, from the snapshot: the deployed model's is made once until the
// environment changes; a session's copy is made each time.
api_reply show(environment_registry_state& st, const environment_show& r) {
  if (auto refused = refusal_for(st, r.ctx, r.id))
    return std::move(*refused);
  auto snap = st.environments.snapshot(r.id);
  auto& e = *snap->doc;
  api_reply reply;
  if (r.session_id.empty()) {
    reply.text = st.shown.get(r.id, "", [&] { return full_document(e, e.model).dump(); });
    // The next shows are answered by the io threads until it changes.
    if (st.svc->environment_shows && snap->version > 0)
      st.svc->environment_shows->offer(r.id, snap->version, e.tenant_id, reply.text);
    return reply;
  }
  auto found = model_to_read(e, r.session_id);
  if (auto* refused = std::get_if<refusal>(&found))
    return api_reply::fail(*refused);
  return api_reply::ok(full_document(e, *std::get<const json*>(found)));
}

// Hands a request to the environment it names, if the caller may see it.
template <class Request>
caf::result<api_reply> to_environment(registry_ptr self, Request& r) {
  auto found = visible(self, r.ctx, r.id);
  if (auto* refused = std::get_if<api_reply>(&found))
    return std::move(*refused);
  return self->delegate(as_environment(std::get<entity_actor>(found)), std::move(r));
}

api_reply list(environment_registry_state& st, const environment_list& r) {
  bool every_tenant = r.all_tenants || !r.tenant.empty();
  if (every_tenant && !access::is_staff(r.ctx.who))
    return api_reply::fail(403, "Access was denied to this resource.");
  auto tenant = r.all_tenants ? std::string{} : !r.tenant.empty() ? r.tenant : tenant_of(r.ctx.who);
  std::vector<const environment*> shown;
  for (auto& [id, snap] : st.environments.snapshots()) {
    auto& e = *snap.doc;
    if (r.all_tenants || (!tenant.empty() && e.tenant_id == tenant))
      shown.push_back(&e);
  }
  std::sort(shown.begin(), shown.end(), [](const environment* a, const environment* b) {
    return std::tie(a->created, a->id) < std::tie(b->created, b->id);
  });
  // Each entry as its text, made once until the environment changes.
  std::string out = "{\"environments\":[";
  for (auto e : shown) {
    if (out.back() != '[')
      out += ',';
    out += *st.listed.get(e->id, "", [&] { return listed_document(*e).dump(); });
  }
  out += "]}";
  api_reply reply;
  reply.text = std::make_shared<const std::string>(std::move(out));
  return reply;
}

json deployments_of(const std::vector<const environment*>& shown) {
  std::vector<std::pair<const environment*, const deployment*>> all;
  for (auto e : shown)
    for (auto& d : e->deployments)
      all.emplace_back(e, &d);
  std::stable_sort(all.begin(), all.end(), [](auto& a, auto& b) {
    return a.second->started > b.second->started;  // newest first
  });
  json out = json::array();
  for (auto& [e, d] : all)
    out.push_back(deployment_document(*e, *d));
  return {{"deployments", std::move(out)}};
}

// The deployments of one environment, or of every environment of the
// caller's project.
api_reply list_deployments(registry_ptr self, const deployment_list& r) {
  auto& st = self->state;
  std::vector<const environment*> shown;
  if (!r.id.empty()) {
    if (auto refused = refusal_for(st, r.ctx, r.id))
      return std::move(*refused);
    shown.push_back(st.environments.snapshot(r.id)->doc.get());
  } else {
    auto tenant = tenant_of(r.ctx.who);
    if (tenant.empty())
      return no_project();
    for (auto& [id, snap] : st.environments.snapshots())
      if (snap.doc->tenant_id == tenant)
        shown.push_back(snap.doc.get());
  }
  return api_reply::ok(deployments_of(shown));
}

// One deployment's reports; with a service id, those about its objects.
api_reply show_deployment(registry_ptr self, const deployment_show& r) {
  if (auto refused = refusal_for(self->state, r.ctx, r.id))
    return std::move(*refused);
  auto& e = *self->state.environments.snapshot(r.id)->doc;
  auto d = std::find_if(e.deployments.begin(), e.deployments.end(),
                        [&](const deployment& x) { return x.id == r.deployment_id; });
  if (d == e.deployments.end())
    return api_reply::fail(404, "Deployment with id " + r.deployment_id + " not found");
  std::set<std::string> about;
  if (!r.service_id.empty())
    for (auto& id : object_ids_of(d->description, r.service_id))
      about.insert(id);
  json reports = json::array();
  for (auto& report : d->reports)
    if (r.service_id.empty() || (report.entity_id && about.count(*report.entity_id)))
      reports.push_back(report_document(*d, report));
  return api_reply::ok({{"reports", std::move(reports)}});
}

// An action call's result, once its task ended.
api_reply action_outcome(registry_ptr self, const action_result& r) {
  if (auto refused = refusal_for(self->state, r.ctx, r.id))
    return std::move(*refused);
  auto& e = *self->state.environments.snapshot(r.id)->doc;
  for (auto& d : e.deployments)
    if (d.id == r.task_id && d.action == deployment_action::call && !d.result.is_null())
      return api_reply::ok(d.result);
  return api_reply::fail(404, "Result for task with environment_id: " + r.id
                                + " and task_id: " + r.task_id + " was not found.");
}

// A static method: checked here, then run on what it reads (the catalog,
// as the caller may see it).
caf::result<api_reply> call_static(registry_ptr self, const static_action_call& r) {
  if (r.body.refused)
    return *r.body.refused;
  if (auto refused = check_static_call(r.body.value))
    return api_reply::fail(*refused);
  auto rp = self->make_response_promise<api_reply>();
  auto call = r.body.value;
  self->request(self->state.svc->catalog, catalog_timeout, catalog_list{r.ctx, "flavors"})
    .then(
      [=](api_reply& flavors) mutable {
        rp.deliver(flavors.status == 200
                     ? api_reply::ok(list_flavors(call, flavors.body))
                     : api_reply::fail(503, "The catalog could not be read"));
      },
      [=](caf::error& e) mutable {
        rp.deliver(api_reply::fail(503, "The catalog did not answer: " + to_string(e)));
      });
  return rp;
}

// How long the environment's instances have run, from the instance
// registry: Murano's raw records (type 200: an instance), or their sum.
caf::result<api_reply> statistics(registry_ptr self, const instance_statistics& r) {
  if (auto refused = refusal_for(self->state, r.ctx, r.id))
    return std::move(*refused);
  auto e = self->state.environments.snapshot(r.id)->doc;
  uptime_query q;
  std::map<std::string, std::string> types;
  for (auto& i : e->instances)
    if (r.instance_id.empty() || i.instance_id == r.instance_id) {
      q.uuids.push_back(i.instance_id);
      types[i.instance_id] = object_type(e->model, i.object_id);
    }
  if (!r.instance_id.empty() && q.uuids.empty())
    return api_reply::fail(404, "Instance with id " + r.instance_id
                                  + " is not deployed in environment " + r.id);
  auto rp = self->make_response_promise<api_reply>();
  auto aggregated = r.aggregated;
  self->request(self->state.svc->instances, catalog_timeout, std::move(q))
    .then(
      [=](instance_uptimes& found) mutable {
        json out = json::array();
        int64_t total = 0;
        for (auto& u : found.instances) {
          total += u.seconds;
          out.push_back({{"type", 200},
                         {"type_name", types.at(u.uuid)},
                         {"instance_id", u.uuid},
                         {"active", u.active},
                         {"type_title", nullptr},
                         {"duration", u.seconds}});
        }
        if (aggregated)
          out = found.instances.empty()
                  ? json::array()
                  : json::array({{{"type", 200},
                                  {"duration", total},
                                  {"count", found.instances.size()}}});
        rp.deliver(api_reply::ok(std::move(out)));
      },
      [=](caf::error& err) mutable {
        rp.deliver(api_reply::fail(503, "The instances did not answer: " + to_string(err)));
      });
  return rp;
}

// A new environment of the caller's project, as `given` asks; or why not.
std::variant<environment, api_reply> new_environment(const environment_registry_state& st,
                                                     const request_context& ctx,
                                                     const environment_fields& given) {
  auto tenant = tenant_of(ctx.who);
  if (tenant.empty())
    return no_project();
  auto why = check_name(given.name, true);
  if (!why.empty())
    return api_reply::fail(400, why);
  if (st.names.taken(tenant, given.name))
    return api_reply::fail(409, duplicate);
  return make_environment(given.name, tenant, given.model, now());
}

// Spawns the actor of a new environment, which stores it when told to create.
environment_actor_type start_new(registry_ptr self, environment made) {
  auto& st = self->state;
  auto id = made.id;
  auto a = spawn_entity(self, st.environments, environment_actor, environment_kind,
                        std::move(made));
  index_name(st, *st.environments.snapshot(id)->doc);
  return as_environment(a);
}

caf::result<api_reply> create(registry_ptr self, environment_create& r) {
  if (r.body.refused)
    return *r.body.refused;
  auto made = new_environment(self->state, r.ctx, r.body.value);
  if (auto* refused = std::get_if<api_reply>(&made))
    return std::move(*refused);
  return self->delegate(start_new(self, std::move(std::get<environment>(made))), atom::create_v);
}

// A template's create-environment: the new environment's model is as a
// create makes it; the caller's configuration session on it holds the
// template's applications, to edit and deploy.
caf::result<api_reply> create_from_template(registry_ptr self, environment_from_template& r) {
  auto made = new_environment(self->state, r.ctx, r.fields);
  if (auto* refused = std::get_if<api_reply>(&made))
    return std::move(*refused);
  auto& e = std::get<environment>(made);
  auto& s = add_session(e, r.ctx.who.user_id, session_state::opened, now());
  s.model["services"] = std::move(r.services);
  json answer = {{"session_id", s.id}, {"environment_id", e.id}};
  auto rp = self->make_response_promise<api_reply>();
  self->request(start_new(self, std::move(e)), caf::infinite, atom::create_v)
    .then(
      [=](api_reply& reply) mutable {
        rp.deliver(reply.status == 200 ? api_reply::ok(answer) : std::move(reply));
      },
      [=](caf::error& err) mutable {
        rp.deliver(api_reply::fail(500, "The environment did not answer: " + to_string(err)));
      });
  return rp;
}

// A rename claims its new name until the environment answers.
caf::result<api_reply> rename(registry_ptr self, environment_rename& r) {
  auto& st = self->state;
  auto found = visible(self, r.ctx, r.id);
  if (auto* refused = std::get_if<api_reply>(&found))
    return std::move(*refused);
  if (r.body.refused)
    return *r.body.refused;
  auto& current = *st.environments.snapshot(r.id)->doc;
  auto claim = std::make_pair(current.tenant_id, r.body.value.name);
  if (current.name != claim.second && st.names.taken(claim.first, claim.second))
    return api_reply::fail(409, duplicate);
  return rename_claiming(self, st.names, claim, as_environment(std::get<entity_actor>(found)),
                         std::move(r));
}

} // namespace

environment_registry_actor::behavior_type
environment_registry(registry_ptr self, const actor_services* svc,
                     std::vector<store::entity_record> recovered) {
  self->state.svc = svc;
  if (svc->environment_shows)
    svc->environment_shows->clear();  // what a registry before it published
  self->state.environments.set_starter([=](const environment_snapshot& snap) {
    start_entity(self, self->state.environments, environment_actor, snap, true);
  });
  start_registry(
    self, self->state.environments, "environment-registry", "environments",
    std::move(recovered), stored_rows(&from_stored),
    [=](environment value, int64_t version) {
      // One with a deployment under way starts at once, to go on with it.
      auto wake = running_deployment(value) ? std::optional<sys_time>{now()} : std::nullopt;
      auto id = add_passive(self, self->state.environments, environment_kind, std::move(value),
                            version, wake);
      auto& e = *self->state.environments.snapshot(id)->doc;
      index_name(self->state, e);
      watch_instances(self->state, e);
    },
    [=](const std::string& id) { forget(self, id); });
  self->send(svc->instances, atom::workload_v, caf::actor_cast<instance_watcher_actor>(self));
  if (svc->ready)
    svc->ready->set("environment", true);
  return guarded_behavior<environment_registry_actor::behavior_type>(
    "environment-registry",
    [=](environment_list& r) -> caf::result<api_reply> { return list(self->state, r); },
    [=](environment_create& r) { return create(self, r); },
    [=](environment_show& r) -> caf::result<api_reply> { return show(self->state, r); },
    [=](environment_rename& r) { return rename(self, r); },
    [=](environment_delete& r) { return to_environment(self, r); },
    [=](environment_configure& r) { return to_environment(self, r); },
    [=](configuration_show& r) { return to_environment(self, r); },
    [=](configuration_delete& r) { return to_environment(self, r); },
    [=](session_deploy& r) { return to_environment(self, r); },
    [=](deployment_list& r) -> caf::result<api_reply> { return list_deployments(self, r); },
    [=](deployment_show& r) -> caf::result<api_reply> { return show_deployment(self, r); },
    [=](action_call& r) { return to_environment(self, r); },
    [=](action_result& r) -> caf::result<api_reply> { return action_outcome(self, r); },
    [=](static_action_call& r) { return call_static(self, r); },
    [=](instance_statistics& r) { return statistics(self, r); },
    [=](service_show& r) { return to_environment(self, r); },
    [=](service_add& r) { return to_environment(self, r); },
    [=](service_replace& r) { return to_environment(self, r); },
    [=](service_remove& r) { return to_environment(self, r); },
    [=](model_show& r) { return to_environment(self, r); },
    [=](model_patch& r) { return to_environment(self, r); },
    [=](environment_from_template& r) { return create_from_template(self, r); },
    [=](atom::changed, environment_snapshot& snap) {
      self->state.shown.forget(snap.id);
      self->state.listed.forget(snap.id);
      index_name(self->state, *snap.doc);
      watch_instances(self->state, *snap.doc);
      self->state.environments.update(std::move(snap));
    },
    [=](atom::removed, const std::string& id) { forget(self, id); },
    [=](atom::wake) { wake_due(self, self->state.environments); },
    [=](atom::workload, std::vector<instance_snapshot>& known) {
      for (auto& snap : known)
        pass_on(self, progress_of(*snap.doc, snap.version));
    },
    [=](atom::workload, instance_snapshot& snap) {
      pass_on(self, progress_of(*snap.doc, snap.version));
    },
    [=](atom::workload, atom::removed, const std::string& id) {
      instance_progress gone;
      gone.uuid = id;
      gone.gone = true;
      pass_on(self, gone);
    });
}

} // namespace steward::environment
