#include "actors/environment/environment_registry.hpp"

#include <algorithm>

#include "actors/environment/environment_actor.hpp"
#include "actors/environment/environment_rules.hpp"
#include "actors/guard.hpp"

namespace steward::environment {

namespace {

using registry_ptr = environment_registry_actor::stateful_pointer<environment_registry_state>;
using nlohmann::json;

const char* const duplicate = "Environment with specified name already exists";

void index_name(environment_registry_state& st, const environment& e) {
  auto& names = st.names[e.tenant_id];
  for (auto i = names.begin(); i != names.end(); ++i)
    if (i->second == e.id) {
      names.erase(i);
      break;
    }
  names[e.name] = e.id;
}

void forget(registry_ptr self, const std::string& id) {
  auto& st = self->state;
  if (auto snap = st.environments.snapshot(id)) {
    auto& names = st.names[snap->doc->tenant_id];
    names.erase(snap->doc->name);
    if (names.empty())
      st.names.erase(snap->doc->tenant_id);
  }
  st.environments.erase(id);
}

bool name_taken(const environment_registry_state& st, const std::string& tenant,
                const std::string& name) {
  if (st.claimed.count({tenant, name}))
    return true;
  auto t = st.names.find(tenant);
  return t != st.names.end() && t->second.count(name);
}

environment_actor_type as_environment(const entity_actor& a) {
  return caf::actor_cast<environment_actor_type>(a);  // every entity here is one
}

// The project a caller's environments belong to: its token's one project.
std::string tenant_of(const access::caller& who) {
  return access::sole_project(who);
}

api_reply no_project() {
  return api_reply::fail(403, "Environments belong to a project: the token must have a role in "
                              "exactly one");
}

// The environment `id` if the caller may see it, or the refusal.
std::variant<entity_actor, api_reply> visible(registry_ptr self, const request_context& ctx,
                                              const std::string& id) {
  auto& st = self->state;
  auto snap = st.environments.snapshot(id);
  if (!snap)
    return api_reply::fail(404, "Environment with id " + id + " not found");
  if (!access::can_see_project(ctx.who, snap->doc->tenant_id))
    return api_reply::fail(403, "User is not authorized to access these tenant resources");
  return *st.environments.actor(id);
}

// Hands a request to the environment it names, if the caller may see it.
template <class Request>
caf::result<api_reply> to_environment(registry_ptr self, Request& r) {
  auto found = visible(self, r.ctx, r.id);
  if (auto* refused = std::get_if<api_reply>(&found))
    return std::move(*refused);
  return self->delegate(as_environment(std::get<entity_actor>(found)), std::move(r));
}

api_reply list(const environment_registry_state& st, const environment_list& r) {
  bool every_tenant = r.all_tenants || !r.tenant.empty();
  if (every_tenant && !access::is_staff(r.ctx.who))
    return api_reply::fail(403, "Access was denied to this resource.");
  auto tenant = r.all_tenants ? std::string{} : !r.tenant.empty() ? r.tenant : tenant_of(r.ctx.who);
  std::vector<const environment*> shown;
  for (auto& [id, snap] : st.environments.snapshots()) {
    auto& e = *snap.doc;
    if (r.all_tenants ? true : !tenant.empty() && e.tenant_id == tenant)
      shown.push_back(&e);
  }
  std::sort(shown.begin(), shown.end(), [](const environment* a, const environment* b) {
    return std::tie(a->created, a->id) < std::tie(b->created, b->id);
  });
  json out = json::array();
  for (auto e : shown)
    out.push_back(listed_document(*e));
  return api_reply::ok({{"environments", std::move(out)}});
}

caf::result<api_reply> create(registry_ptr self, environment_create& r) {
  auto& st = self->state;
  if (r.body.refused)
    return *r.body.refused;
  auto tenant = tenant_of(r.ctx.who);
  if (tenant.empty())
    return no_project();
  auto& name = r.body.value.name;
  auto why = check_name(name, true);
  if (!why.empty())
    return api_reply::fail(400, why);
  if (name_taken(st, tenant, name))
    return api_reply::fail(409, duplicate);
  auto made = make_environment(name, tenant, r.body.value.model, now());
  auto id = made.id;
  auto a = spawn_entity(self, st.environments, environment_actor, environment_kind,
                        std::move(made));
  index_name(st, *st.environments.snapshot(id)->doc);
  return self->delegate(as_environment(a), atom::create_v);
}

// A rename claims its new name until the environment answers, so that two
// renames (or a create) cannot both take it.
caf::result<api_reply> rename(registry_ptr self, environment_rename& r) {
  auto& st = self->state;
  auto found = visible(self, r.ctx, r.id);
  if (auto* refused = std::get_if<api_reply>(&found))
    return std::move(*refused);
  if (r.body.refused)
    return *r.body.refused;
  auto& current = *st.environments.snapshot(r.id)->doc;
  auto claim = std::make_pair(current.tenant_id, r.body.value.name);
  if (current.name != claim.second && name_taken(st, claim.first, claim.second))
    return api_reply::fail(409, duplicate);
  st.claimed.insert(claim);
  auto rp = self->make_response_promise<api_reply>();
  self->request(as_environment(std::get<entity_actor>(found)), caf::infinite, std::move(r))
    .then(
      [=](api_reply& reply) mutable {
        self->state.claimed.erase(claim);
        rp.deliver(std::move(reply));
      },
      [=](caf::error& e) mutable {
        self->state.claimed.erase(claim);
        rp.deliver(api_reply::fail(500, "The environment did not answer: " + to_string(e)));
      });
  return rp;
}

} // namespace

environment_registry_actor::behavior_type
environment_registry(registry_ptr self, const actor_services* svc,
                     std::vector<store::entity_record> recovered) {
  self->state.svc = svc;
  self->state.environments.set_starter([=](const environment_snapshot& snap) {
    start_entity(self, self->state.environments, environment_actor, snap, true);
  });
  start_registry(
    self, self->state.environments, "environment-registry", "environments",
    std::move(recovered), stored_rows(&from_stored),
    [=](environment value, int64_t version) {
      auto id = add_passive(self, self->state.environments, environment_kind, std::move(value),
                            version, std::nullopt);
      index_name(self->state, *self->state.environments.snapshot(id)->doc);
    },
    [=](const std::string& id) { forget(self, id); });
  if (svc->ready)
    svc->ready->set("environment", true);
  return guarded_behavior<environment_registry_actor::behavior_type>(
    "environment-registry",
    [=](environment_list& r) -> caf::result<api_reply> { return list(self->state, r); },
    [=](environment_create& r) { return create(self, r); },
    [=](environment_show& r) { return to_environment(self, r); },
    [=](environment_rename& r) { return rename(self, r); },
    [=](environment_delete& r) { return to_environment(self, r); },
    [=](environment_configure& r) { return to_environment(self, r); },
    [=](configuration_show& r) { return to_environment(self, r); },
    [=](configuration_delete& r) { return to_environment(self, r); },
    [=](service_show& r) { return to_environment(self, r); },
    [=](service_add& r) { return to_environment(self, r); },
    [=](service_replace& r) { return to_environment(self, r); },
    [=](service_remove& r) { return to_environment(self, r); },
    [=](model_show& r) { return to_environment(self, r); },
    [=](model_patch& r) { return to_environment(self, r); },
    [=](atom::changed, environment_snapshot& snap) {
      index_name(self->state, *snap.doc);
      self->state.environments.update(std::move(snap));
    },
    [=](atom::removed, const std::string& id) { forget(self, id); },
    [=](atom::wake) { wake_due(self, self->state.environments); });
}

} // namespace steward::environment
