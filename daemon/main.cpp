// stewardd: reads its configuration, starts, waits for SIGINT or SIGTERM.
#include <csignal>
#include <cstdio>
#include <iostream>
#include <pthread.h>

#include "common/log.hpp"
#include "config/config.hpp"
#include "daemon/daemon.hpp"

int main(int argc, char** argv) {
  // Block the stop signals in every thread; main waits for them below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

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
    int sig = 0;
    sigwait(&stop_signals, &sig);
    LOG_INFO("stewardd", "signal " << sig << ": stopping");
    d.stop();
    LOG_INFO("stewardd", "stopped");
  } catch (const std::exception& e) {
    std::cerr << "stewardd: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
