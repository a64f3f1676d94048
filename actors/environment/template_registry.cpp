#include "actors/environment/template_registry.hpp"

#include <algorithm>

#include "actors/environment/object_model.hpp"
#include "actors/environment/template_actor.hpp"
#include "actors/environment/template_rules.hpp"
#include "actors/guard.hpp"

namespace steward::environment {

namespace {

using registry_ptr = template_registry_actor::stateful_pointer<template_registry_state>;
using nlohmann::json;

const char* const duplicate = "Env Template with specified name already exists";
const char* const no_access = "User has no access to these resources.";

template_actor_type as_template(const entity_actor& a) {
  return caf::actor_cast<template_actor_type>(a);  // every entity here is one
}

void forget(registry_ptr self, const std::string& id) {
  auto& st = self->state;
  if (auto snap = st.templates.snapshot(id))
    st.names.forget(snap->doc->tenant_id, snap->doc->name);
  st.templates.erase(id);
}

api_reply unknown(const std::string& id) {
  return api_reply::fail(404, "EnvTemplate <TempId " + id + "> is not found");
}

// Template `id` if the caller may read it (or, `changing`, change it).
std::variant<const environment_template*, api_reply>
found(const template_registry_state& st, const request_context& ctx, const std::string& id,
      bool changing) {
  auto snap = st.templates.snapshot(id);
  if (!snap)
    return unknown(id);
  auto& t = *snap->doc;
  if (changing ? !can_change(ctx.who, t) : !can_read(ctx.who, t))
    return api_reply::fail(403, no_access);
  return &t;
}

// The project new templates of the caller belong to: its token's one.
std::variant<std::string, api_reply> project_of(const request_context& ctx) {
  auto tenant = access::sole_project(ctx.who);
  if (tenant.empty())
    return api_reply::fail(403, "Templates belong to a project: the token must have a role in "
                                "exactly one");
  return tenant;
}

api_reply list(const template_registry_state& st, const template_list& r) {
  auto tenant = access::sole_project(r.ctx.who);
  std::vector<const environment_template*> shown;
  for (auto& [id, snap] : st.templates.snapshots()) {
    auto& t = *snap.doc;
    bool own = !tenant.empty() && t.tenant_id == tenant;
    bool wanted = !r.is_public       ? t.is_public || own
                  : *r.is_public     ? t.is_public
                                     : !t.is_public && own;
    if (wanted)
      shown.push_back(&t);
  }
  std::sort(shown.begin(), shown.end(), [](auto* a, auto* b) {
    return std::tie(a->created, a->id) < std::tie(b->created, b->id);
  });
  json out = json::array();
  for (auto t : shown)
    out.push_back(template_document(*t));
  return api_reply::ok({{"templates", std::move(out)}});
}

// Spawns and stores a new template (made, or cloned) and answers `shown`
// of it once it is on disk.
template <class Shown>
caf::result<api_reply> start_new(registry_ptr self, environment_template made, Shown shown) {
  auto& st = self->state;
  auto id = made.id;
  st.names.index(made.tenant_id, made.name, id);
  auto a = spawn_entity(self, st.templates, template_actor, template_kind, std::move(made));
  auto rp = self->make_response_promise<api_reply>();
  self->request(as_template(a), caf::infinite, atom::create_v)
    .then(
      [=](api_reply& reply) mutable {
        auto snap = self->state.templates.snapshot(id);
        rp.deliver(reply.status == 200 && snap ? api_reply::ok(shown(*snap->doc))
                                               : std::move(reply));
      },
      [=](caf::error& e) mutable {
        rp.deliver(api_reply::fail(500, "The template did not answer: " + to_string(e)));
      });
  return rp;
}

// Why a new template of `tenant` may not be named `name`, if it may not.
std::optional<api_reply> refuse_name(const template_registry_state& st,
                                     const std::string& tenant, const std::string& name) {
  auto why = check_template_name(name, true);
  if (!why.empty())
    return api_reply::fail(400, why);
  if (st.names.taken(tenant, name))
    return api_reply::fail(409, duplicate);
  return std::nullopt;
}

caf::result<api_reply> create(registry_ptr self, const template_create& r) {
  if (r.body.refused)
    return *r.body.refused;
  auto tenant = project_of(r.ctx);
  if (auto* refused = std::get_if<api_reply>(&tenant))
    return std::move(*refused);
  auto& given = r.body.value;
  if (auto refused = refuse_name(self->state, std::get<std::string>(tenant), given.name))
    return std::move(*refused);
  if (given.services)
    if (auto refused = check_applications(*given.services))
      return api_reply::fail(*refused);
  return start_new(self, make_template(given, std::get<std::string>(tenant), now()),
                   template_document);
}

// A clone: of a public template only (even the caller's own private one is
// refused, as in Murano), into the caller's project.
caf::result<api_reply> clone(registry_ptr self, const template_clone& r) {
  auto source = found(self->state, r.ctx, r.id, false);
  if (auto* refused = std::get_if<api_reply>(&source))
    return std::move(*refused);
  if (!std::get<const environment_template*>(source)->is_public)
    return api_reply::fail(403, no_access);
  if (r.body.refused)
    return *r.body.refused;
  auto tenant = project_of(r.ctx);
  if (auto* refused = std::get_if<api_reply>(&tenant))
    return std::move(*refused);
  if (auto refused = refuse_name(self->state, std::get<std::string>(tenant), r.body.value.name))
    return std::move(*refused);
  return start_new(self,
                   clone_template(*std::get<const environment_template*>(source), r.body.value,
                                  std::get<std::string>(tenant), now()),
                   full_template_document);
}

// An update that renames claims the new name until the template answers.
caf::result<api_reply> update(registry_ptr self, template_update& r) {
  auto& st = self->state;
  auto t = found(st, r.ctx, r.id, true);
  if (auto* refused = std::get_if<api_reply>(&t))
    return std::move(*refused);
  if (r.body.refused)
    return *r.body.refused;
  auto& current = *std::get<const environment_template*>(t);
  auto claim = std::make_pair(current.tenant_id, r.body.value.name);
  if (current.name != claim.second && st.names.taken(claim.first, claim.second))
    return api_reply::fail(409, duplicate);
  auto entity = as_template(*st.templates.actor(r.id));
  return rename_claiming(self, st.names, claim, entity, std::move(r));
}

// Hands a change to the template it names, if the caller may change it.
template <class Request>
caf::result<api_reply> to_template(registry_ptr self, Request& r) {
  auto t = found(self->state, r.ctx, r.id, true);
  if (auto* refused = std::get_if<api_reply>(&t))
    return std::move(*refused);
  auto entity = as_template(*self->state.templates.actor(r.id));
  return self->delegate(entity, std::move(r));
}

api_reply show_services(const template_registry_state& st, const template_service_show& r) {
  auto t = found(st, r.ctx, r.id, false);
  if (auto* refused = std::get_if<api_reply>(&t))
    return std::move(*refused);
  auto shown = services_at({{"services", std::get<const environment_template*>(t)->services}},
                           r.path);
  if (!shown)
    return api_reply::fail(404, "The template has nothing at services/" + r.path);
  return api_reply::ok(std::move(*shown));
}

// The environment registry makes the environment, in the caller's project,
// with the template's applications in the caller's session.
caf::result<api_reply> create_environment(registry_ptr self, template_create_environment& r) {
  auto t = found(self->state, r.ctx, r.id, false);
  if (auto* refused = std::get_if<api_reply>(&t))
    return std::move(*refused);
  if (r.body.refused)
    return *r.body.refused;
  return self->delegate(self->state.environments,
                        environment_from_template{r.ctx, std::move(r.body.value),
                                                  std::get<const environment_template*>(t)
                                                    ->services});
}

} // namespace

template_registry_actor::behavior_type
template_registry(registry_ptr self, const actor_services* svc,
                  environment_registry_actor environments,
                  std::vector<store::entity_record> recovered) {
  self->state.svc = svc;
  self->state.environments = std::move(environments);
  self->state.templates.set_starter([=](const template_snapshot& snap) {
    start_entity(self, self->state.templates, template_actor, snap, true);
  });
  start_registry(
    self, self->state.templates, "template-registry", "environment templates",
    std::move(recovered), stored_rows(&template_from_stored),
    [=](environment_template value, int64_t version) {
      auto id = add_passive(self, self->state.templates, template_kind, std::move(value), version,
                            std::nullopt);
      auto& t = *self->state.templates.snapshot(id)->doc;
      self->state.names.index(t.tenant_id, t.name, t.id);
    },
    [=](const std::string& id) { forget(self, id); });
  if (svc->ready)
    svc->ready->set("environment_template", true);
  return guarded_behavior<template_registry_actor::behavior_type>(
    "template-registry",
    [=](template_list& r) -> caf::result<api_reply> { return list(self->state, r); },
    [=](template_create& r) { return create(self, r); },
    [=](template_show& r) -> caf::result<api_reply> {
      auto t = found(self->state, r.ctx, r.id, false);
      if (auto* refused = std::get_if<api_reply>(&t))
        return std::move(*refused);
      return api_reply::ok(full_template_document(*std::get<const environment_template*>(t)));
    },
    [=](template_update& r) { return update(self, r); },
    [=](template_delete& r) { return to_template(self, r); },
    [=](template_service_show& r) -> caf::result<api_reply> {
      return show_services(self->state, r);
    },
    [=](template_service_add& r) { return to_template(self, r); },
    [=](template_service_replace& r) { return to_template(self, r); },
    [=](template_service_remove& r) { return to_template(self, r); },
    [=](template_create_environment& r) { return create_environment(self, r); },
    [=](template_clone& r) { return clone(self, r); },
    [=](atom::changed, template_snapshot& snap) {
      self->state.names.index(snap.doc->tenant_id, snap.doc->name, snap.id);
      self->state.templates.update(std::move(snap));
    },
    [=](atom::removed, const std::string& id) { forget(self, id); },
    [=](atom::wake) { wake_due(self, self->state.templates); });
}

} // namespace steward::environment
