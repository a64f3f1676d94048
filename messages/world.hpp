#pragma once
// What a maintenance session sees of the cloud: every host and instance of
// the inventory and every instance constraint, as immutable shared
// documents, and one change to that view.
#include <map>
#include <string>

#include "messages/entity.hpp"

namespace steward {

struct world_view {
  std::map<std::string, document> hosts;              // inventory id -> host
  std::map<std::string, document> instances;          // uuid -> instance
  std::map<std::string, document> instance_constraints; // instance uuid -> constraint
  std::map<std::string, document> group_constraints;    // group id -> constraint
};

/// One entity of the view changed (`doc` set) or went away (`doc` null).
struct world_change {
  std::string kind;  // "host", "instance", "instance_constraint", "group_constraint"
  std::string id;
  document doc;
};

/// Applies a change to a view.
inline void apply(world_view& w, const world_change& c) {
  auto& table = c.kind == "host"                  ? w.hosts
                : c.kind == "instance"            ? w.instances
                : c.kind == "instance_constraint" ? w.instance_constraints
                                                  : w.group_constraints;
  if (c.doc)
    table[c.id] = c.doc;
  else
    table.erase(c.id);
}

} // namespace steward
