#include "sim/amqp_simulator.hpp"

#include <stdexcept>

#include "common/log.hpp"
#include "config/config.hpp"

namespace steward::sim {

amqp_sim_options amqp_sim_options_from(const config::settings& s) {
  amqp_sim_options o;
  std::string url = s.text("messaging", "transport_url");
  if (url.empty()) {
    throw std::invalid_argument(
        "[messaging] transport_url is not set; the simulator needs RabbitMQ "
        "(rabbit://user:pass@host:port/vhost)");
  }
  std::string error;
  auto parsed = bus::parse_transport_url(url, error);
  if (!parsed) throw std::invalid_argument("[messaging] transport_url: " + error);
  o.url = *parsed;
  o.command_exchange = s.text("compute", "command_exchange");
  o.nova_exchange = s.text("messaging", "nova_exchange");
  o.dead_letter = s.text("messaging", "dead_letter");
  o.durable_exchanges = s.boolean("messaging", "amqp_durable_queues");
  o.prefetch = static_cast<uint16_t>(s.integer("messaging", "prefetch"));
  o.heartbeat_seconds = static_cast<int>(s.integer("messaging", "heartbeat"));
  return o;
}

std::string command_queue_name(const std::string& command_exchange,
                               const std::vector<std::string>& clouds) {
  std::string name = command_exchange + ".sim";
  for (const std::string& c : clouds) name += "." + c;
  return name;
}

amqp_simulator::amqp_simulator(sim_options sim, amqp_sim_options amqp)
    : amqp_(std::move(amqp)), sim_(std::move(sim)) {
  queue_ = command_queue_name(amqp_.command_exchange, sim_.clouds());
  bus::amqp_options opts(outbox_);
  opts.url = amqp_.url;
  for (const std::string& key : routing_keys()) {
    opts.bindings.push_back(bus::binding{amqp_.command_exchange, key});
  }
  opts.queue = queue_;
  opts.dead_letter_exchange = amqp_.dead_letter;
  opts.dead_letter_queue = amqp_.dead_letter;
  opts.durable_exchanges = amqp_.durable_exchanges;
  opts.prefetch = amqp_.prefetch;
  opts.heartbeat_seconds = amqp_.heartbeat_seconds;
  bus_ = std::make_unique<bus::amqp_bus>(std::move(opts));
  sim_.on_emit([this](const std::string& key, const bus::notification& n) { emit(key, n); });
}

amqp_simulator::~amqp_simulator() { stop(); }

void amqp_simulator::start() {
  if (started_) return;
  // The simulator's world is in memory: a command is acknowledged once it
  // is queued. Lost with the process, as the world is.
  bus_->start([this](bus::inbound msg, bus::ack_fn ack) {
    sim_.handle(msg.note);
    ack();
  });
  sim_.start();
  started_ = true;
}

void amqp_simulator::stop() {
  if (!started_) return;
  sim_.stop();  // nothing is emitted after this
  bus_->stop();
  started_ = false;
}

bool amqp_simulator::ready() const { return bus_->ready(); }

std::string amqp_simulator::describe() const { return bus_->describe(); }

std::vector<std::string> amqp_simulator::routing_keys() const {
  std::vector<std::string> keys;
  for (const std::string& c : sim_.clouds()) keys.push_back("compute." + c);
  keys.push_back("compute.all");  // compute.sync for every cloud
  return keys;
}

void amqp_simulator::emit(const std::string& routing_key, const bus::notification& n) {
  outbox_.add(amqp_.nova_exchange, routing_key, n);
  bus_->outbox_changed();
}

} // namespace steward::sim
