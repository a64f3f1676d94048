#pragma once
// Putting one message in the outbox outside any entity change: control
// messages to the compute layer (compute.sync at start, the simulator's
// failure injection).
#include <string>

#include "bus/bus.hpp"
#include "store/store.hpp"

namespace steward::store {

/// Queues `note` for `exchange`/`routing_key`; the publisher sends it once
/// stored. `done` (optional) hears whether it was stored.
void enqueue(store& db, const std::string& exchange, const std::string& routing_key,
             const bus::notification& note, commit_fn done = nullptr);

} // namespace steward::store
