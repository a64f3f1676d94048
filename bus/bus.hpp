#pragma once
// The message bus as the rest of Steward sees it: notifications in, the outbox
// out. Two implementations: AMQP (rabbitmq-c, amqp_bus.hpp) and in-process
// (inproc_bus.hpp). No CAF, no rabbitmq-c in this header.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "messages/bus_storage.hpp"
#include "messages/notification.hpp"

namespace steward::bus {

/// Receives every well-formed inbound notification. Must not block.
using inbound_handler = std::function<void(inbound msg, ack_fn ack)>;

/// An exchange and routing key to consume from.
struct binding {
  std::string exchange;
  std::string routing_key;
};

class bus {
public:
  virtual ~bus() = default;
  /// Starts consuming (handing messages to `h`) and publishing the outbox.
  virtual void start(inbound_handler h) = 0;
  /// Stops both directions; returns when the threads are gone.
  virtual void stop() = 0;
  /// New rows are in the outbox: publish them soon.
  virtual void outbox_changed() = 0;
  /// True while the bus can carry messages both ways (for /readyz).
  virtual bool ready() const = 0;
  /// A short description for logs and the first screen.
  virtual std::string describe() const = 0;
};

} // namespace steward::bus
