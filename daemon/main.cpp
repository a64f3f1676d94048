// stewardd: reads its configuration, starts, waits for SIGINT or SIGTERM.
#include <cstdlib>
#include <iostream>
#include <string>

#include <malloc.h>
#include <unistd.h>

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

// The heap on transparent huge pages: a start that recovers 200k entities
// faults in some 100k pages of 4 KB, and page faults and TLB misses were a
// quarter of its CPU; on 2 MB pages it starts 15% sooner for 3% more memory
// (docs/performance.md). glibc reads its tunables only as a process starts,
// so stewardd starts itself once more with GLIBC_TUNABLES set to
// glibc.malloc.hugetlb=1, unless the environment sets GLIBC_TUNABLES: then
// the operator's tunables stand as they are (glibc 2.36 does not read a
// second tunable of the list reliably, so none is added to theirs).
void exec_with_huge_page_heap(char** argv) {
  const char* const name = "GLIBC_TUNABLES";
  if (std::getenv(name))
    return;
  setenv(name, "glibc.malloc.hugetlb=1", 1);
  execv("/proc/self/exe", argv);
  // Not started again (no /proc here): go on as it is.
}

int main(int argc, char** argv) {
  exec_with_huge_page_heap(argv);
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
    if (loaded.migrate) {
      std::cout << "stewardd: " << steward::migrate_database(loaded.values) << "\n";
      return 0;
    }
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
