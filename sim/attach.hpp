#pragma once
// The simulated cloud on the in-process bus: what stewardd runs when it has
// no broker. Commands are the outbox rows Steward writes to the command
// exchange; outcomes are injected as if they had come from Nova's exchange,
// so Steward's ingest cannot tell them from the real thing.
#include <string>

#include "bus/inproc_bus.hpp"
#include "sim/simulator.hpp"

namespace steward::sim {

/// Connects `sim` to `bus`: every outbox row for `command_exchange` is
/// decoded and handed to simulator::handle (a row that does not decode is
/// logged and skipped); every outcome is injected with `nova_exchange` and
/// its routing key. Call it before either is started. Stop the simulator
/// before the bus: an outcome emitted after the bus stopped is dropped.
void attach_to_inproc_bus(simulator& sim, bus::inproc_bus& bus,
                          const std::string& command_exchange, const std::string& nova_exchange);

} // namespace steward::sim
