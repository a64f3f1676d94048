#pragma once
// A domain event: what happened to an entity, for the event log (SSE replay),
// the event hub and, as an oslo notification, the bus.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace steward {

struct domain_event {
  std::string type;          // "host.update", "lease.create", ...
  std::string project;       // owning project, "" for operator-only events
  std::string publisher;     // oslo publisher_id, e.g. "blazar.lease"
  nlohmann::json payload;
};

} // namespace steward
