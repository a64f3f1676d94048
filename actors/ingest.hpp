#pragma once
// Bus notifications in: drop duplicates by message_id, route by event type to
// the registry that owns the entity, acknowledge once its effect is stored.
#include <deque>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <caf/typed_event_based_actor.hpp>

#include "actors/interfaces.hpp"

namespace steward {

/// Event types starting with `prefix` go to `target`.
using ingest_route = std::pair<std::string, notification_actor>;

/// How one delivery of a message is settled: acked, or failed.
struct delivery_settler {
  bus::ack_fn ack;
  bus::fail_fn fail;
};

struct ingest_state {
  static inline const char* name = "ingest";
  std::vector<ingest_route> routes;
  // Ids whose effect is stored (newest `remembered` of them), and ids in
  // flight with every ack waiting for them (a redelivery while in flight).
  std::unordered_set<std::string> processed;
  std::deque<std::string> processed_order;
  std::unordered_map<std::string, std::vector<delivery_settler>> in_flight;
  std::size_t remembered = 100000;
  uint64_t duplicates = 0;
};

/// `known` are the ids the store already marked processed.
ingest_actor::behavior_type
ingest(ingest_actor::stateful_pointer<ingest_state> self, std::vector<ingest_route> routes,
       std::vector<std::string> known);

} // namespace steward
