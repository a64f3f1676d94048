#pragma once
// The message bus as the rest of Steward sees it: notifications in, the outbox
// out. Two implementations: AMQP (rabbitmq-c, amqp_bus.hpp) and in-process
// (inproc_bus.hpp). No CAF, no rabbitmq-c in this header.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace steward::bus {

/// One row of the outbox: a fully encoded message waiting for the broker.
struct outbound {
  int64_t outbox_id = 0;
  std::string exchange;
  std::string routing_key;
  std::string message_id;
  std::string body;          // the wire body (oslo v2 envelope, JSON)
};

/// The inner oslo.messaging document of a received notification.
struct notification {
  std::string message_id;    // "" when the sender set none (1.0 bodies)
  std::string publisher_id;
  std::string event_type;
  std::string priority;      // upper case, e.g. "INFO"
  std::string timestamp;
  nlohmann::json payload;    // always an object
};

/// Called instead of the ack when the receiver could not handle a message.
/// `final`: it never will (the message breaks a rule), so it goes to the
/// dead-letter queue at once, with `reason`. Otherwise it is delivered again,
/// and dead-lettered once it failed the bus's limit of attempts in a row.
/// Safe to call from any thread; the ack or the fail, once.
using fail_fn = std::function<void(const std::string& reason, bool final)>;

struct inbound {
  std::string exchange;
  std::string routing_key;
  notification note;
  fail_fn fail;              // set by the bus for every message it hands over
};

/// Called once the receiver has persisted the effect of a message. Safe to
/// call from any thread, at most once.
using ack_fn = std::function<void()>;
/// Receives every well-formed inbound notification. Must not block.
using inbound_handler = std::function<void(inbound msg, ack_fn ack)>;

/// Where the publisher finds what to send. Implemented by the store.
class outbox_source {
public:
  virtual ~outbox_source() = default;
  /// Up to `limit` rows with outbox_id > after_id, oldest first. May block
  /// (it is called on the publisher's own thread).
  virtual std::vector<outbound> pending_outbox(int64_t after_id, std::size_t limit) = 0;
  /// The broker confirmed these rows: remove them from the outbox.
  virtual void confirm_outbox(const std::vector<int64_t>& ids) = 0;
};

/// Where the consumer counts deliveries of a message, durably: a message
/// that took the process down is delivered again after the restart, and
/// only a count that survived the crash tells it from a new one.
/// Implemented by the store.
class delivery_log {
public:
  virtual ~delivery_log() = default;
  /// One more delivery of `key` (a message id); returns how many there
  /// were, this one included, once that is on disk. Blocks.
  virtual int count_delivery(const std::string& key) = 0;
  /// `key` was settled (handled, or dead-lettered): its count goes.
  virtual void forget_delivery(const std::string& key) = 0;
};

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
