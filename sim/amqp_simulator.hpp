#pragma once
// The simulated cloud on RabbitMQ: what steward-sim runs, and what stewardd
// runs in-process when it has a transport_url. It has its own connections
// (an amqp_bus): commands come from its own durable queue, bound to the
// command exchange with compute.<cloud> for each cloud it serves; outcomes
// go to Nova's exchange through an outbox in memory, with publisher
// confirms. Its world lives in memory, so its outbox need not be durable.
#include <memory>
#include <string>
#include <vector>

#include "bus/amqp_bus.hpp"
#include "bus/memory_outbox.hpp"
#include "sim/simulator.hpp"

namespace steward::config {
class settings;
}

namespace steward::sim {

struct amqp_sim_options {
  bus::transport_url url;
  std::string command_exchange = "steward.compute";
  std::string nova_exchange = "nova";
  /// The dead-letter exchange and queue for commands that do not decode.
  std::string dead_letter = "steward.dead-letter";
  bool durable_exchanges = false;
  uint16_t prefetch = 256;
  int heartbeat_seconds = 30;
};

/// [messaging] transport_url, nova_exchange, dead_letter,
/// amqp_durable_queues, prefetch, heartbeat and [compute] command_exchange.
/// Throws std::invalid_argument when transport_url is empty or malformed.
amqp_sim_options amqp_sim_options_from(const config::settings& settings);

/// The durable queue the simulator consumes commands from:
/// "<command_exchange>.sim.<cloud>[.<cloud>...]". Two simulators serving the
/// same clouds share it (and split the commands); keep to one per cloud.
std::string command_queue_name(const std::string& command_exchange,
                               const std::vector<std::string>& clouds);

class amqp_simulator {
public:
  /// Throws workload_error like simulator's constructor.
  amqp_simulator(sim_options sim, amqp_sim_options amqp);
  ~amqp_simulator();
  amqp_simulator(const amqp_simulator&) = delete;
  amqp_simulator& operator=(const amqp_simulator&) = delete;

  /// Connects (in the background: the bus reconnects until the broker is
  /// there) and starts the simulator, whose start-up state waits in the
  /// outbox until it can be published.
  void start();
  /// Stops the simulator, then the bus. Idempotent.
  void stop();

  simulator& sim() { return sim_; }
  bool ready() const;
  /// The broker, without the password.
  std::string describe() const;
  const std::string& queue() const { return queue_; }
  /// compute.<cloud> for each cloud served.
  std::vector<std::string> routing_keys() const;
  const amqp_sim_options& options() const { return amqp_; }

private:
  void emit(const std::string& routing_key, const bus::notification& n);

  const amqp_sim_options amqp_;
  bus::memory_outbox outbox_;
  simulator sim_;
  std::string queue_;
  std::unique_ptr<bus::amqp_bus> bus_;
  bool started_ = false;
};

} // namespace steward::sim
