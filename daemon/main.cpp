// stewardd: reads its configuration, starts, waits for SIGINT or SIGTERM.
#include <iostream>

#include <malloc.h>

#include "common/log.hpp"
#include "common/stop_signals.hpp"
#include "config/config.hpp"
#include "daemon/daemon.hpp"

// glibc gives the free memory at the top of a heap back to the system as soon
// as it passes 128 KB, and the next burst of work faults it in again page by
// page (zeroing pages was a tenth of the CPU while lease events fell due).
// stewardd keeps what it freed; it returns memory explicitly after recovery.
void keep_freed_memory() {
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  mallopt(M_TOP_PAD, 16 << 20);
}

int main(int argc, char** argv) {
  keep_freed_memory();
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
