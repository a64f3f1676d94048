#pragma once
// What a maintenance session sees of the cloud: every host and instance of
// the inventory and every instance constraint, as immutable shared values
// (instances typed, the others their documents), and one change to that view.
#include <map>
#include <string>

#include "messages/entity.hpp"

namespace steward {

using instance_ptr = std::shared_ptr<const instance::instance>;

struct world_view {
  std::map<std::string, document> hosts;              // inventory id -> host
  std::map<std::string, instance_ptr> instances;      // uuid -> instance
  std::map<std::string, document> instance_constraints; // instance uuid -> constraint
  std::map<std::string, document> group_constraints;    // group id -> constraint
};

/// One entity of the view changed (its value set) or went away (none).
struct world_change {
  std::string kind;  // "host", "instance", "instance_constraint", "group_constraint"
  std::string id;
  document doc;           // of a host or a constraint
  instance_ptr instance;  // of an instance
};

/// Applies a change to a view.
inline void apply(world_view& w, const world_change& c) {
  auto put = [&](auto& table, const auto& value) {
    if (value)
      table[c.id] = value;
    else
      table.erase(c.id);
  };
  if (c.kind == "instance")
    put(w.instances, c.instance);
  else
    put(c.kind == "host"                  ? w.hosts
        : c.kind == "instance_constraint" ? w.instance_constraints
                                          : w.group_constraints,
        c.doc);
}

} // namespace steward
