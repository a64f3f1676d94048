#pragma once
// The one clock of Steward. Every "now" in the daemon comes from here so that
// tests can move time instead of waiting for it.
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

namespace steward {

using sys_time = std::chrono::system_clock::time_point;

class clock_source {
public:
  virtual ~clock_source() = default;
  virtual sys_time now() const = 0;
};

/// Wall time plus an offset that tests (and only tests) may advance.
/// Listeners hear about every jump so that timers can be re-evaluated.
class steward_clock : public clock_source {
public:
  sys_time now() const override;
  /// Moves time forward by `d` and tells every listener.
  void advance(std::chrono::seconds d);
  std::chrono::seconds offset() const;
  void on_jump(std::function<void()> listener);
  /// Deterministic tests only: time stands still at `at` (plus the offset)
  /// until thaw(), and moves only by advance().
  void freeze(sys_time at);
  void thaw();

private:
  mutable std::mutex mtx_;
  std::chrono::seconds offset_{0};
  std::optional<sys_time> frozen_;
  std::vector<std::function<void()>> listeners_;
};

/// The process-wide clock.
steward_clock& global_clock();

inline sys_time now() { return global_clock().now(); }

/// `t` without its fraction: what a date shown in whole seconds reads back as.
inline sys_time whole_seconds(sys_time t) {
  return std::chrono::floor<std::chrono::seconds>(t);
}

} // namespace steward
