#include "http/request_stats.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <thread>

#include <nlohmann/json.hpp>

#include "common/time_format.hpp"

namespace steward::http {

namespace {

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto secs = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return secs(u.ru_utime) + secs(u.ru_stime);
}

std::string host_name() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0)
    return "";
  return name;
}

} // namespace

request_stats::request_stats()
  : created_{now()}, started_{std::chrono::steady_clock::now()}, cpu_at_{started_},
    cpu_seconds_{cpu_seconds()} {}

void request_stats::record(const std::string& project, int status,
                           std::chrono::duration<double> took) {
  std::lock_guard<std::mutex> lock{mutex_};
  ++requests_;
  if (status >= 400)
    ++errors_;
  seconds_ += took.count();
  if (!project.empty())
    ++per_project_[project];
}

nlohmann::json request_stats::shown() const {
  std::lock_guard<std::mutex> lock{mutex_};
  auto at = std::chrono::steady_clock::now();
  double up = std::chrono::duration<double>(at - started_).count();
  // The CPU share since the last look (since the start for the first).
  double cpu = cpu_seconds();
  double wall = std::chrono::duration<double>(at - cpu_at_).count();
  double percent = wall > 0 ? 100.0 * (cpu - cpu_seconds_) / wall : 0.0;
  cpu_at_ = at;
  cpu_seconds_ = cpu;
  nlohmann::json per_project = per_project_;
  return {{"id", 1},
          {"host", host_name()},
          {"created", timefmt::iso_seconds(created_)},
          {"updated", timefmt::iso_seconds(now())},
          // A JSON text, as Murano stores and shows it.
          {"requests_per_tenant", per_project.dump()},
          {"request_count", requests_},
          {"error_count", errors_},
          {"requests_per_second", up > 0 ? requests_ / up : 0.0},
          {"errors_per_second", up > 0 ? errors_ / up : 0.0},
          {"average_response_time", requests_ > 0 ? seconds_ / requests_ : 0.0},
          {"cpu_count", std::thread::hardware_concurrency()},
          {"cpu_percent", percent}};
}

} // namespace steward::http
