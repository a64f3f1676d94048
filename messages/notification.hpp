#pragma once
// A bus message as the bus, the store's outbox and the actors all see it:
// declared below the three of them so that none needs another's headers.
#include <cstdint>
#include <functional>
#include <string>

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

} // namespace steward::bus
