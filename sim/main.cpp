// steward-sim: the simulated cloud as its own process, on RabbitMQ. Reads
// the same configuration as stewardd ([simulator], [messaging], [compute]),
// prints what it simulates and where it connects, and runs until SIGINT or
// SIGTERM.

#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "common/log.hpp"
#include "common/stop_signals.hpp"
#include "config/config.hpp"
#include "sim/amqp_simulator.hpp"

namespace {

using json = nlohmann::json;
using namespace steward;

// A list of hosts with their instances is useful up to this many instances;
// beyond, the first screen gives counts.
constexpr std::size_t listed_instances = 40;

// "1 instance", "2 instances".
std::string count_of(std::size_t n, const std::string& thing) {
  return std::to_string(n) + " " + thing + (n == 1 ? "" : "s");
}

std::string number_map(const std::map<std::string, double>& m) {
  if (m.empty()) return "none";
  std::ostringstream out;
  const char* sep = "";
  for (const auto& [name, value] : m) {
    out << sep << name << "=" << value;
    sep = ", ";
  }
  return out.str();
}

void print_cloud(std::ostream& out, const json& cloud) {
  const json& instances = cloud["instances"];
  out << "  cloud " << cloud["name"].get<std::string>() << ": "
      << count_of(cloud["hosts"].size(), "host") << ", " << count_of(instances.size(), "instance")
      << "\n";
  std::map<std::string, const json*> by_uuid;
  for (const json& i : instances) by_uuid[i["uuid"].get<std::string>()] = &i;
  for (const json& h : cloud["hosts"]) {
    out << "    " << h["name"].get<std::string>() << ": " << h["vcpus"] << " vCPUs, "
        << h["memory_mb"] << " MiB, " << h["local_gb"] << " GB"
        << (h["disabled"].get<bool>() ? ", disabled" : "") << "; in use "
        << h["used"]["vcpus"] << " vCPUs, " << h["used"]["memory_mb"] << " MiB, "
        << h["used"]["disk_gb"] << " GB by " << count_of(h["instances"].size(), "instance") << "\n";
    if (instances.size() > listed_instances) continue;
    for (const json& uuid : h["instances"]) {
      const json& i = *by_uuid[uuid.get<std::string>()];
      out << "      " << i["display_name"].get<std::string>() << " (" << i["uuid"].get<std::string>()
          << ") " << i["flavor"].get<std::string>() << ", " << i["state"].get<std::string>()
          << "\n";
    }
  }
  for (const json& i : instances) {
    if (instances.size() > listed_instances || !i["host"].get<std::string>().empty()) continue;
    out << "    on no host: " << i["display_name"].get<std::string>() << " ("
        << i["uuid"].get<std::string>() << ") " << i["state"].get<std::string>() << "\n";
  }
}

std::string first_screen(sim::amqp_simulator& cloud) {
  const sim::sim_options& o = cloud.sim().options();
  const sim::amqp_sim_options& a = cloud.options();
  std::ostringstream out;
  out << "steward-sim: the simulated cloud\n";
  out << "  workload: " << o.workload_source << "\n";
  json world = cloud.sim().snapshot();
  for (const json& c : world["clouds"]) print_cloud(out, c);
  out << "  allocation ratios: cpu " << o.ratios.cpu << ", ram " << o.ratios.ram << ", disk "
      << o.ratios.disk << "\n";
  out << "  durations: " << o.default_duration << " s unless named: " << number_map(o.durations)
      << "\n";
  out << "  failure rates: " << number_map(o.failure_rates) << "\n";
  out << "  usage samples: ";
  if (o.usage_interval > 0) {
    out << "every " << o.usage_interval << " s per running instance\n";
  } else {
    out << "none\n";
  }
  out << "  broker: " << cloud.describe() << "\n";
  out << "  commands: exchange " << a.command_exchange << ", queue " << cloud.queue() << ", keys";
  for (const std::string& k : cloud.routing_keys()) out << " " << k;
  out << "\n";
  out << "  outcomes: exchange " << a.nova_exchange << ", keys " << o.nova_topic << ".info and "
      << o.nova_topic << ".error\n";
  out << "steward-sim: running; SIGINT or SIGTERM stops it\n";
  return out.str();
}

} // namespace

int main(int argc, char** argv) {
  auto stop_signals = steward::block_stop_signals();

  std::vector<std::string> args(argv + 1, argv + argc);
  auto loaded = config::load(args, config::process_environment());
  if (loaded.help) {
    std::cout << "steward-sim reads stewardd's configuration: [simulator], [messaging] "
                 "and [compute].\n\n"
              << config::help_text();
    return 0;
  }
  if (!loaded.error.empty()) {
    std::cerr << "steward-sim: " << loaded.error << "\n";
    return 2;
  }
  log::level lvl;
  if (log::parse_level(loaded.values.text("DEFAULT", "log_level"), lvl)) log::set_level(lvl);

  std::unique_ptr<sim::amqp_simulator> cloud;
  try {
    cloud = std::make_unique<sim::amqp_simulator>(sim::options_from(loaded.values),
                                                  sim::amqp_sim_options_from(loaded.values));
  } catch (const std::exception& e) {  // the configuration or the workload: the user's to fix
    std::cerr << "steward-sim: " << e.what() << "\n";
    return 2;
  }
  try {
    cloud->start();
    std::cout << first_screen(*cloud) << std::flush;
    int sig = steward::wait_for_stop_signal(stop_signals);
    LOG_INFO("steward-sim", "signal " << sig << ": stopping");
    cloud->stop();
    LOG_INFO("steward-sim", "stopped");
  } catch (const std::exception& e) {
    std::cerr << "steward-sim: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
