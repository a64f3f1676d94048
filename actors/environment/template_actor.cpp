#include "actors/environment/template_actor.hpp"

#include "actors/environment/object_model.hpp"
#include "actors/environment/template_rules.hpp"
#include "actors/guard.hpp"

namespace steward::environment {

namespace {

using self_ptr = template_actor_type::stateful_pointer<template_state>;
using nlohmann::json;

const environment_template& value_of(self_ptr self) {
  return *self->state.doc;
}

void no_timers(self_ptr) {
  // A template has nothing due at a date.
}

caf::result<api_reply> store(self_ptr self, environment_template next, api_reply answer) {
  return store_and_answer(self, template_kind, change{*self->state.svc}, std::move(next),
                          no_timers, std::move(answer));
}

// Edits the template's applications with `edit` (the object model's
// services functions, on a model that holds only them); the result must
// still be applications a template may hold.
template <class Edit>
caf::result<api_reply> edit_services(self_ptr self, Edit edit, api_reply answer) {
  auto next = value_of(self);
  json model = {{"services", next.services}};
  if (auto refused = edit(model))
    return api_reply::fail(*refused);
  if (auto refused = check_applications(model["services"]))
    return api_reply::fail(*refused);
  next.services = std::move(model["services"]);
  touch(next, now());
  return store(self, std::move(next), std::move(answer));
}

// Name checks and claims are the registry's; the body's types, its reader's.
caf::result<api_reply> update(self_ptr self, const template_update& r) {
  auto why = check_template_name(r.body.value.name, false);
  if (!why.empty())
    return api_reply::fail(400, why);
  if (r.body.value.services)
    if (auto refused = check_applications(*r.body.value.services))
      return api_reply::fail(*refused);
  auto next = value_of(self);
  update_template(next, r.body.value, now());
  auto answer = api_reply::ok(template_document(next));
  return store(self, std::move(next), std::move(answer));
}

} // namespace

template_actor_type::behavior_type
template_actor(self_ptr self, const actor_services* svc, owner_of<template_snapshot> registry,
               std::shared_ptr<const environment_template> value, int64_t version, bool stored) {
  self->state.init(svc, std::move(registry), std::move(value), version, stored);
  log_failures(self, "environment-template", self->state.doc->id);
  return guarded_behavior<template_actor_type::behavior_type>(
    "environment-template",
    [=](atom::create) -> caf::result<api_reply> {
      return store_created(self, template_kind, no_timers, [](const environment_template& t) {
        return api_reply::ok(template_document(t));
      });
    },
    [=](atom::timer, uint64_t) {},
    [=](template_update& r) -> caf::result<api_reply> {
      if (r.body.refused)
        return *r.body.refused;
      return update(self, r);
    },
    [=](template_delete&) {
      return remove_and_answer(self, template_kind, api_reply::ok(nullptr));
    },
    [=](template_service_add& r) {
      return edit_services(self, [&](json& model) { return add_service(model, r.path, r.value); },
                           api_reply::ok(r.value));
    },
    [=](template_service_replace& r) {
      auto shown = r.value.is_null() && r.path.empty() ? json::array() : r.value;
      return edit_services(
        self, [&](json& model) { return replace_service(model, r.path, r.value); },
        api_reply::ok(std::move(shown)));
    },
    [=](template_service_remove& r) {
      return edit_services(self, [&](json& model) { return remove_service(model, r.path); },
                           api_reply::ok(nullptr));
    });
}

} // namespace steward::environment
