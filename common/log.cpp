#include "common/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace steward::log {

namespace {
std::atomic<int> current_level{static_cast<int>(level::info)};
std::mutex out_mtx;
const char* names[] = {"DEBUG", "INFO", "WARNING", "ERROR"};
} // namespace

void set_level(level l) { current_level = static_cast<int>(l); }

bool enabled(level l) { return static_cast<int>(l) >= current_level.load(); }

bool parse_level(const std::string& text, level& out) {
  for (int i = 0; i < 4; ++i) {
    std::string n = names[i];
    for (auto& c : n)
      c = static_cast<char>(std::tolower(c));
    if (text == n) {
      out = static_cast<level>(i);
      return true;
    }
  }
  return false;
}

void write(level l, const std::string& component, const std::string& text) {
  if (!enabled(l)) // callers that skip the macros still honour the level
    return;
  // Log lines carry real wall time, not the test clock: they are for people.
  auto now = std::chrono::system_clock::now();
  auto secs = std::chrono::system_clock::to_time_t(now);
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                  now.time_since_epoch()).count() % 1000000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);
  std::lock_guard<std::mutex> guard{out_mtx};
  std::fprintf(stderr, "%s.%06ld %s %s: %s\n", stamp, static_cast<long>(micros),
               names[static_cast<int>(l)], component.c_str(), text.c_str());
}

} // namespace steward::log
