#pragma once
// An entity's value as its registry keeps it for lists: one immutable copy
// shared between the entity actor and its registry: its C++ value.
#include <cstdint>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "messages/environment.hpp"
#include "messages/host.hpp"
#include "messages/instance.hpp"
#include "messages/lease.hpp"
#include "messages/maintenance.hpp"
#include "messages/migration.hpp"

namespace steward {

template <class Value>
struct snapshot_of {
  std::string id;
  std::string project;
  std::shared_ptr<const Value> doc;
  int64_t version = 0;  // of the stored row; 0 before the first write
};

using lease_snapshot = snapshot_of<lease::lease>;
using instance_snapshot = snapshot_of<instance::instance>;
using host_snapshot = snapshot_of<inventory::host>;
using session_snapshot = snapshot_of<maintenance::session>;
using environment_snapshot = snapshot_of<environment::environment>;
using template_snapshot = snapshot_of<environment::environment_template>;
using migration_snapshot = snapshot_of<migration::operation>;

} // namespace steward
