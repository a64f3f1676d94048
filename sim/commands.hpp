#pragma once
// Executing one command of the compute contract on the world, and what it
// answers: the outcome notifications of docs/compute-contract.md's table.
// No threads and no clock here: the simulator decides when a command runs
// and whether it is made to fail; this decides what it does.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bus/bus.hpp"
#include "sim/world.hpp"

namespace steward::sim {

/// One notification an executed command produces (the simulator gives it
/// its message id and timestamp).
struct outcome {
  std::string event_type;
  std::string priority;  // "INFO" for success, "ERROR" for failure
  std::string publisher_id;
  nlohmann::json payload;
};

/// Every command event type the simulator executes, compute.sync included.
const std::vector<std::string>& command_names();
bool is_command(const std::string& event_type);

/// What a command acts on, so that commands on one thing run one after the
/// other: "instance:<uuid>", "host:<cloud>/<name>" or "cloud:<cloud>".
std::string subject_of(const bus::notification& command);

/// The exception of an injected failure.
constexpr const char* injected_exception = "SimulatedFailure";

/// Executes `command` on `w` and returns its outcomes. `injected`: the
/// simulator decided it fails (failure_rates or fail_next); it then fails
/// with SimulatedFailure, unless it names something unknown (NotFound).
/// compute.sync ignores `injected`.
std::vector<outcome> execute(world& w, const bus::notification& command, bool injected);

/// compute.reset: the world goes back to `initial`. Every instance not in it
/// is reported deleted (instance.delete.end), then every cloud's whole state
/// as compute.sync reports it.
std::vector<outcome> reset_world(world& w, const workload& initial,
                                 const std::string& request_id);

/// Everything `cloud` knows: one catalog.update, one service.update per
/// host, one instance.update per instance. Empty for an unknown cloud.
std::vector<outcome> full_state(const world& w, const std::string& cloud,
                                const std::string& request_id);

} // namespace steward::sim
