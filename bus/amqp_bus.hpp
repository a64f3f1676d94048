#pragma once
// The bus over RabbitMQ (rabbitmq-c 0.11). Two plain threads, one connection
// each, because a rabbitmq-c connection must not be shared between threads:
// the consumer (own durable queue, manual ack, malformed -> dead letter) and
// the publisher (the outbox, publisher confirms). Both reconnect with
// exponential back-off and jitter and redeclare their topology.
// No rabbitmq-c types in this header.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bus/bus.hpp"
#include "bus/transport_url.hpp"
#include "common/json_limits.hpp"

namespace steward::bus {

struct amqp_options {
  explicit amqp_options(outbox_source& source) : outbox(source) {}

  transport_url url;
  /// Exchanges and routing keys our queue is bound to.
  std::vector<binding> bindings;
  /// Our own durable queue (never a shared oslo queue such as
  /// notifications.info: that would steal messages from other consumers).
  std::string queue = "steward.notifications";
  /// Malformed messages are rejected into this fanout exchange and kept in
  /// this durable queue.
  std::string dead_letter_exchange = "steward.dead-letter";
  std::string dead_letter_queue = "steward.dead-letter";
  /// oslo's amqp_durable_queues: the durability the topic exchanges are
  /// declared with. It must match how everybody else declares them.
  bool durable_exchanges = false;
  uint16_t prefetch = 256;
  /// A message whose handling failed (or whose delivery ended with the
  /// process) this many times in a row goes to the dead-letter queue.
  int max_attempts = 5;
  /// Where deliveries are counted durably; without one, in memory (a crash
  /// forgets them).
  delivery_log* deliveries = nullptr;
  /// Messages nesting deeper are dead-lettered unread.
  std::size_t max_json_depth = default_max_json_depth;
  int heartbeat_seconds = 30;
  std::chrono::milliseconds reconnect_min{1000};
  std::chrono::milliseconds reconnect_max{30000};
  /// Rows read from the outbox per query.
  std::size_t outbox_batch = 128;
  /// Published but not yet confirmed by the broker, at most.
  std::size_t max_unconfirmed = 1024;
  outbox_source& outbox;
};

class amqp_bus : public bus {
public:
  explicit amqp_bus(amqp_options options);
  ~amqp_bus() override;
  amqp_bus(const amqp_bus&) = delete;
  amqp_bus& operator=(const amqp_bus&) = delete;

  /// Starts both threads. May be called again after stop().
  void start(inbound_handler h) override;
  /// Idempotent. Flushes pending acks, closes both connections, joins.
  void stop() override;
  void outbox_changed() override;
  bool ready() const override;
  /// "amqp://guest@127.0.0.1:5672/steward-test" (no password).
  std::string describe() const override;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace steward::bus
