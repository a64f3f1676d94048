#pragma once
// One environment template (Murano): the only writer of its value, its
// fields and applications. Requests about it reach it through its
// registry, which has checked that the caller may change it.
#include <caf/typed_event_based_actor.hpp>

#include "actors/entity_support.hpp"
#include "actors/environment/template_json.hpp"

namespace steward::environment {

inline const entity_kind template_kind{"environment_template", "murano"};

// What the registry and entity skeletons need of a template (entity_kind.hpp).
inline std::string entity_id(const entity_kind&, const environment_template& t) { return t.id; }
inline std::string entity_project(const entity_kind&, const environment_template& t) {
  return t.tenant_id;
}
inline nlohmann::json presented(const environment_template& t) { return template_to_stored(t); }
inline void stage(change& c, const entity_kind& k, const environment_template& t,
                  int64_t version, const std::string& event_type) {
  stage_typed(c, k, t, version, event_type, template_schema);
}

struct template_state : entity_core_of<environment_template> {
  static inline const char* name = "environment-template";
};

template_actor_type::behavior_type
template_actor(template_actor_type::stateful_pointer<template_state> self,
               const actor_services* svc, owner_of<template_snapshot> registry,
               std::shared_ptr<const environment_template> value, int64_t version, bool stored);

} // namespace steward::environment
