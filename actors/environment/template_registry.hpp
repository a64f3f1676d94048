#pragma once
// The environment templates (Murano): spawns, finds and recovers their
// actors, answers lists, shows and clones from their snapshots, keeps names
// unique per project, checks who may read or change each template, and
// hands a create-environment to the environment registry.
#include <string>
#include <vector>

#include <caf/typed_event_based_actor.hpp>

#include "actors/entity_table.hpp"
#include "actors/environment/project_names.hpp"
#include "actors/services.hpp"

namespace steward::environment {

struct template_registry_state {
  static inline const char* name = "template-registry";
  const actor_services* svc = nullptr;
  environment_registry_actor environments;  // makes what create-environment asks for
  entity_table_of<environment_template> templates;
  project_names names;
};

template_registry_actor::behavior_type template_registry(
  template_registry_actor::stateful_pointer<template_registry_state> self,
  const actor_services* svc, environment_registry_actor environments,
  std::vector<store::entity_record> recovered);

} // namespace steward::environment
