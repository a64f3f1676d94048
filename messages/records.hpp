#pragma once
// The rows of durable state, as the store writes and reads them and the
// actors build them: declared below both.
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "messages/notification.hpp"

namespace steward::store {

struct entity_record {
  std::string kind;      // "host", "lease", ...
  std::string id;
  std::string project;   // "" for entities that belong to no project
  std::string document;  // JSON text
  int64_t version = 0;
};

/// One domain event, as kept for replay to SSE clients.
struct event_record {
  uint64_t id = 0;       // assigned at commit, strictly increasing
  std::string type;      // "host.update", "lease.create", ...
  std::string project;   // "" for operator-only events
  std::string time;      // ISO 8601 with microseconds
  std::string data;      // JSON text
  std::string stream;    // the event stream of one operation it belongs to ("" none)
};

/// Everything one state change writes, committed atomically.
struct write_batch {
  std::vector<entity_record> upserts;
  std::vector<std::pair<std::string, std::string>> deletes; // kind, id
  std::vector<event_record> events;
  std::vector<bus::outbound> outbox;
  std::vector<std::string> processed; // message ids consumed by this change
  std::vector<int64_t> confirmed;     // outbox rows the broker confirmed
  std::vector<std::string> deliveries_counted;    // one more delivery of each
  std::vector<std::string> deliveries_forgotten;  // settled: their counts go

  bool empty() const {
    return upserts.empty() && deletes.empty() && events.empty() && outbox.empty()
           && processed.empty() && confirmed.empty() && deliveries_counted.empty()
           && deliveries_forgotten.empty();
  }
};

struct commit_result {
  bool ok = true;
  std::string error;
  std::vector<event_record> events;   // with their ids
  bool outbox_written = false;
};

using commit_fn = std::function<void(const commit_result&)>;

} // namespace steward::store
