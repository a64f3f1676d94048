// stewardd: reads its configuration, starts, waits for SIGINT or SIGTERM.
#include <iostream>

#include "common/log.hpp"
#include "common/stop_signals.hpp"
#include "config/config.hpp"
#include "daemon/daemon.hpp"

int main(int argc, char** argv) {
  auto stop_signals = steward::block_stop_signals();

  std::vector<std::string> args(argv + 1, argv + argc);
  auto loaded = steward::config::load(args, steward::config::process_environment());
  if (loaded.help) {
    std::cout << steward::config::help_text();
    return 0;
  }
  if (!loaded.error.empty()) {
    std::cerr << "stewardd: " << loaded.error << "\n";
    return 2;
  }
  try {
    steward::daemon d{loaded.values};
    std::cout << d.first_screen() << std::flush;
    int sig = steward::wait_for_stop_signal(stop_signals);
    LOG_INFO("stewardd", "signal " << sig << ": stopping");
    d.stop();
    LOG_INFO("stewardd", "stopped");
  } catch (const std::exception& e) {
    std::cerr << "stewardd: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
