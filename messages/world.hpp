#pragma once
// What a maintenance session sees of the cloud: every host and instance of
// the inventory and every instance constraint, as immutable shared values
// (hosts and instances typed, constraints their documents), and one change
// to that view.
#include <map>
#include <string>

#include "messages/entity.hpp"
#include "messages/hosts.hpp"

namespace steward {

using instance_ptr = std::shared_ptr<const instance::instance>;

struct world_view {
  std::map<std::string, host_ptr> hosts;              // inventory id -> host
  std::map<std::string, instance_ptr> instances;      // uuid -> instance
  std::map<std::string, document> instance_constraints; // instance uuid -> constraint
  std::map<std::string, document> group_constraints;    // group id -> constraint
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
  document doc;           // of a constraint
  instance_ptr instance;  // of an instance
  host_ptr host;          // of a host
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
      return put(w.instance_constraints, c.doc);
    case world_part::group_constraint:
      return put(w.group_constraints, c.doc);
  }
}

} // namespace steward
