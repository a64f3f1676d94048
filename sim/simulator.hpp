#pragma once
// The simulated cloud: takes the commands of the compute contract
// (docs/compute-contract.md), executes each after its configured duration on
// its own worker thread, and answers with Nova-style outcome notifications
// through an emit function. It knows no bus: attach.hpp connects it to the
// in-process bus, amqp_simulator.hpp to RabbitMQ.
//
// Commands on one instance (or host, or cloud) run in the order they
// arrived, each starting when the one before it finished, as Nova's
// instance lock serialises them. Commands are idempotent by request_id: a
// repeated one is answered again with the remembered outcome (the same
// notifications, message ids included) rather than executed twice.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "bus/bus.hpp"
#include "sim/commands.hpp"
#include "sim/usage.hpp"
#include "sim/world.hpp"

namespace steward::config {
class settings;
}

namespace steward::sim {

struct sim_options {
  workload initial_workload = default_workload();
  /// Where the workload came from, for the first screen.
  std::string workload_source = "the embedded default";
  /// Seconds a command takes unless `durations` names it (compute.sync and
  /// anything not simulated take none unless named).
  double default_duration = 1.0;
  std::map<std::string, double> durations;      // command -> seconds
  std::map<std::string, double> failure_rates;  // command -> probability 0..1
  /// Seconds between instance.usage samples; 0: none.
  int64_t usage_interval = 60;
  allocation_ratios ratios;
  /// Seed of the random failures and usage numbers; 0: a new one each start.
  uint64_t seed = 0;
  /// Outcomes go out with routing key <nova_topic>.info or .error.
  std::string nova_topic = "versioned_notifications";
};

/// The [simulator] keys (and [messaging] nova_topic) of a configuration.
/// Throws workload_error for a bad workload file, std::invalid_argument for
/// a bad value (an unknown command in durations, a rate above 1, ...).
sim_options options_from(const config::settings& settings);

/// Parses "name=number,name=number" into a map; `what` names the setting
/// in errors. Throws std::invalid_argument.
std::map<std::string, double> parse_number_map(const std::string& text, const std::string& what);

class simulator {
public:
  using emit_fn =
      std::function<void(const std::string& routing_key, const bus::notification& n)>;

  /// Builds the world; throws workload_error when it does not fit together
  /// (a host over capacity with these ratios).
  explicit simulator(sim_options options, emit_fn emit = nullptr);
  ~simulator();
  simulator(const simulator&) = delete;
  simulator& operator=(const simulator&) = delete;

  /// Where outcomes go. Set it before start(); it is called on the worker
  /// thread only, one notification at a time, and must not block for long.
  void on_emit(emit_fn emit);

  /// Starts the worker thread, which first publishes the full state of every
  /// cloud (catalog.update, service.update per host, instance.update per
  /// instance).
  void start();
  /// Joins the worker; commands still waiting are dropped. Idempotent.
  void stop();

  /// Takes a command, from any thread: it runs after its duration. Unknown
  /// event types are logged and ignored. simulator.fail_next ({"command":
  /// ..., "count": n, "lose": false}) is applied at once.
  void handle(const bus::notification& command);
  /// The next `count` executions of `command` fail; or, with `lose`, are
  /// lost: nothing is done and nothing reported, as a compute layer that
  /// dropped the command.
  void fail_next(const std::string& command, int count, bool lose = false);

  /// The world as JSON (any thread).
  nlohmann::json snapshot() const;
  /// The names of the clouds it serves.
  std::vector<std::string> clouds() const;
  const sim_options& options() const { return options_; }

private:
  struct emitted {
    std::string routing_key;
    bus::notification note;
  };
  struct queued {
    bus::notification command;
    std::string request_id;
    std::string subject;  // what it acts on ("" for a replay)
    bool replay = false;  // answer again with the remembered outcome
  };
  using clock = std::chrono::steady_clock;
  using queue_key = std::pair<clock::time_point, uint64_t>;  // due, arrival

  void worker_main();
  void publish_full_state();
  void sample_usage();
  void run(const queued& q);
  void replay(const std::string& request_id);
  bool take_failure(const std::string& command);
  bool take_loss(const std::string& command);
  clock::duration duration_of(const std::string& command) const;
  void enqueue(queued q, clock::duration duration);
  void remember(const std::string& request_id, const std::vector<emitted>& outcomes);
  std::vector<emitted> notifications_of(const std::vector<outcome>& outcomes) const;
  void emit_all(const std::vector<emitted>& notes);
  void apply_control(const bus::notification& command);

  const sim_options options_;
  emit_fn emit_;

  mutable std::mutex world_mtx_;  // the world: worker executes, snapshot() reads
  world world_;
  usage_meter usage_;  // worker thread only

  std::mutex mtx_;  // everything below
  std::condition_variable cv_;
  bool running_ = false;
  bool stopping_ = false;
  uint64_t arrivals_ = 0;
  std::map<queue_key, queued> queue_;
  std::map<std::string, clock::time_point> busy_until_;  // subject -> when its last command ends
  std::set<std::string> in_flight_;                      // request ids queued, not yet run
  std::map<std::string, std::vector<emitted>> answered_;  // request id -> its outcome
  std::deque<std::string> answered_order_;                // oldest first, for forgetting
  std::map<std::string, int> fail_next_;
  std::map<std::string, int> lose_next_;
  std::mt19937_64 rng_;

  std::thread worker_;
};

} // namespace steward::sim
