#include "sim/attach.hpp"

#include <optional>

#include "bus/oslo.hpp"
#include "common/log.hpp"

namespace steward::sim {

void attach_to_inproc_bus(simulator& sim, bus::inproc_bus& bus,
                          const std::string& command_exchange, const std::string& nova_exchange) {
  bus.subscribe([&sim, command_exchange](const bus::outbound& row) {
    if (row.exchange != command_exchange) return;  // Steward's own notifications
    std::string error;
    std::optional<bus::notification> command = bus::decode(row.body, error);
    if (!command) {
      LOG_WARN("sim", "skipping a command that does not decode (" << row.message_id << "): "
                                                                   << error);
      return;
    }
    sim.handle(*command);
  });
  sim.on_emit([&bus, nova_exchange](const std::string& routing_key, const bus::notification& n) {
    bus.inject(nova_exchange, routing_key, bus::encode_v2(n));
  });
}

} // namespace steward::sim
