#pragma once
// What other actors ask of an inventory host, through the host registry.
#include <memory>
#include <optional>
#include <string>

#include "common/refusal.hpp"
#include "messages/host.hpp"

namespace steward {

using host_ptr = std::shared_ptr<const inventory::host>;

/// The lease registry enrolls a host as reservable, changes its extra
/// capabilities, or withdraws it.
struct host_enrollment {
  std::string host_id;
  std::optional<inventory::enrollment> enrolled;  // none: withdrawn
  inventory::capability_changes extra;            // to merge into the host's
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
  host_ptr host;
};

} // namespace steward
