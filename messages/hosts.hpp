#pragma once
// What other actors ask of an inventory host, through the host registry.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/refusal.hpp"
#include "messages/entity.hpp"

namespace steward {

/// The lease registry enrolls a host as reservable, changes its extra
/// capabilities, or withdraws it.
struct host_enrollment {
  std::string host_id;
  nlohmann::json enrolled;  // Blazar's record of the host; null: withdrawn
  nlohmann::json extra;     // capabilities to merge into the host's; null: none
};

/// A maintenance session takes a host (no lease is handed it meanwhile), or
/// gives it back.
struct host_maintenance_mark {
  std::string host_id;
  std::string session_id;
  bool in_maintenance = false;
};

/// The answer to either: the host as stored, or why it was not changed.
struct host_change_outcome {
  std::optional<refusal> refused;
  document host;
};

} // namespace steward
