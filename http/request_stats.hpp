#pragma once
// stewardd's own request counters, as Murano's `GET /v1/stats` shows them:
// requests per project, errors, rates, average response time, and the
// process's CPU use. The router records every answer; any thread may.
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "common/clock.hpp"

namespace steward::http {

class request_stats {
public:
  request_stats();
  /// One answer: the project it was for ("" none), its status, how long it took.
  void record(const std::string& project, int status, std::chrono::duration<double> took);
  /// Murano's statistics record of this host (an error is an answer of 400 or more).
  nlohmann::json shown() const;

private:
  mutable std::mutex mutex_;
  sys_time created_;
  std::chrono::steady_clock::time_point started_;
  std::map<std::string, int64_t> per_project_;
  int64_t requests_ = 0;
  int64_t errors_ = 0;
  double seconds_ = 0;  // summed response times
  // The process's CPU time when last shown, for the share since then.
  mutable std::chrono::steady_clock::time_point cpu_at_;
  mutable double cpu_seconds_ = 0;
};

} // namespace steward::http
