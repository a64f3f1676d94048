#pragma once
// An entity's value as its registry keeps it for lists: one immutable copy
// shared between the entity actor and its registry. A typed kind (lease,
// instance, host) shares its C++ value; the others are still their API document.
#include <cstdint>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "messages/host.hpp"
#include "messages/instance.hpp"
#include "messages/lease.hpp"

namespace steward {

using document = std::shared_ptr<const nlohmann::json>;

template <class Value>
struct snapshot_of {
  std::string id;
  std::string project;
  std::shared_ptr<const Value> doc;
  int64_t version = 0;  // of the stored row; 0 before the first write
};

using entity_snapshot = snapshot_of<nlohmann::json>;
using lease_snapshot = snapshot_of<lease::lease>;
using instance_snapshot = snapshot_of<instance::instance>;
using host_snapshot = snapshot_of<inventory::host>;

} // namespace steward
