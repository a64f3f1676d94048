#pragma once
// What the bus needs from durable storage, and the store provides: the
// outbox to publish, and a count of each message's deliveries. Declared here
// so that the bus and the store meet without including each other.
#include <cstdint>
#include <string>
#include <vector>

#include "messages/notification.hpp"

namespace steward::bus {

/// Where the publisher finds what to send.
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
class delivery_log {
public:
  virtual ~delivery_log() = default;
  /// One more delivery of `key` (a message id); returns how many there
  /// were, this one included, once that is on disk. Blocks.
  virtual int count_delivery(const std::string& key) = 0;
  /// `key` was settled (handled, or dead-lettered): its count goes.
  virtual void forget_delivery(const std::string& key) = 0;
};

} // namespace steward::bus
