#pragma once
// What a maintenance session sees of the cloud: every host and instance of
// the inventory and every instance and group constraint, as immutable
// shared values, and one change to that view.
#include <map>
#include <string>

#include "messages/entity.hpp"
#include "messages/hosts.hpp"
#include "messages/maintenance.hpp"

namespace steward {

using instance_ptr = std::shared_ptr<const instance::instance>;
using instance_constraint_ptr = std::shared_ptr<const maintenance::instance_constraint>;
using group_constraint_ptr = std::shared_ptr<const maintenance::group_constraint>;

struct world_view {
  std::map<std::string, host_ptr> hosts;          // inventory id -> host
  std::map<std::string, instance_ptr> instances;  // uuid -> instance
  std::map<std::string, instance_constraint_ptr> instance_constraints;  // by instance uuid
  std::map<std::string, group_constraint_ptr> group_constraints;        // by group id
};

/// The tables of a view.
enum class world_part : char {
  host = 'h',
  instance = 'i',
  instance_constraint = 'c',
  group_constraint = 'g',
};

/// One entity of the view changed (its value set) or went away (none).
struct world_change {
  world_part part = world_part::host;
  std::string id;
  host_ptr host;
  instance_ptr instance;
  instance_constraint_ptr instance_rule;  // an instance's constraint
  group_constraint_ptr group_rule;        // a group's constraint
};

/// Applies a change to a view.
inline void apply(world_view& w, const world_change& c) {
  auto put = [&](auto& table, const auto& value) {
    if (value)
      table[c.id] = value;
    else
      table.erase(c.id);
  };
  switch (c.part) {
    case world_part::host:
      return put(w.hosts, c.host);
    case world_part::instance:
      return put(w.instances, c.instance);
    case world_part::instance_constraint:
      return put(w.instance_constraints, c.instance_rule);
    case world_part::group_constraint:
      return put(w.group_constraints, c.group_rule);
  }
}

} // namespace steward
