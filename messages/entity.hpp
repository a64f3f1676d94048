#pragma once
// An entity's public document as its registry keeps it for lists: one
// immutable copy shared between the entity actor and its registry.
#include <cstdint>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

namespace steward {

using document = std::shared_ptr<const nlohmann::json>;

struct entity_snapshot {
  std::string id;
  std::string project;
  document doc;
  int64_t version = 0;  // of the stored document; 0 before the first write
};

} // namespace steward
