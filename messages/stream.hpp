#pragma once
// Messages of the event hub and the bus ingest path.
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/access.hpp"
#include "messages/notification.hpp"
#include "messages/records.hpp"

namespace steward {

class event_stream;

/// Which events a stream client wants.
struct event_filter {
  std::vector<std::string> type_prefixes;  // empty: every type
  std::set<std::string> projects;          // empty: every project the caller sees
  access::caller who;
  // One operation's stream (a migration's): only its events, each named by
  // its type after the family (`migration.server.migrate`: `server
  // migrate`) with its payload as data; the stream ends after the first
  // event of a type in `final_types`.
  std::string stream;
  std::set<std::string> final_types;

  bool matches(const store::event_record& e) const;
};

/// A new SSE client: replay from `last_event_id` (if set), then live.
struct stream_subscription {
  event_filter filter;
  std::shared_ptr<event_stream> stream;
  bool resume = false;
  uint64_t last_event_id = 0;
};

/// Events just committed, in commit order.
struct committed_events {
  std::vector<store::event_record> events;
};

/// A notification from the bus, with the way to acknowledge it.
struct inbound_notification {
  bus::inbound message;
  bus::ack_fn ack;
};

/// The store committed (or failed) one write.
struct commit_ack {
  bool ok = true;
  std::string error;
};

} // namespace steward
