// Reads the lease start events a timer benchmark produced from stewardd's
// SQLite store and prints how late they ran, and whether each lease started
// exactly once:
//   bench-timer-lateness DB N      N: the leases bench-load-store --timers wrote
// Lateness is the event's timestamp (taken when the lease actor completes the
// start, after its timer fired and the registry let it start) minus the start
// time in the lease. Prints one JSON object.
#include <algorithm>
#include <chrono>
#include <iostream>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include "common/time_format.hpp"

using nlohmann::json;

namespace {

std::string start_time_of(const json& lease) {
  for (auto& e : lease.value("events", json::array()))
    if (e.value("event_type", "") == "start_lease")
      return e.value("time", "");
  return "";
}

double micros_between(const std::string& from, const std::string& to) {
  auto a = steward::timefmt::parse_iso(from);
  auto b = steward::timefmt::parse_iso(to);
  if (!a || !b)
    throw std::runtime_error("unreadable time: " + from + " / " + to);
  return std::chrono::duration<double, std::micro>(*b - *a).count();
}

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty())
    return 0;
  auto i = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(i, sorted.size() - 1)];
}

} // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: bench-timer-lateness DB N\n";
    return 2;
  }
  auto expected = std::stoul(argv[2]);
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    std::cerr << "bench-timer-lateness: cannot open " << argv[1] << "\n";
    return 1;
  }
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "SELECT data FROM events WHERE type = 'lease.event.start_lease'", -1,
                     &stmt, nullptr);
  std::unordered_map<std::string, int> starts;  // lease id -> start events seen
  std::vector<double> lateness_us;
  try {
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      auto data = json::parse(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
      auto& lease = data["payload"];
      if (lease.value("name", "").rfind("timer-", 0) != 0)
        continue;
      ++starts[lease.value("id", "")];
      lateness_us.push_back(micros_between(start_time_of(lease), data.value("timestamp", "")));
    }
  } catch (const std::exception& e) {
    std::cerr << "bench-timer-lateness: " << e.what() << "\n";
    return 1;
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  std::size_t twice = 0;
  for (auto& [id, n] : starts)
    twice += static_cast<std::size_t>(n - 1);
  std::sort(lateness_us.begin(), lateness_us.end());
  json out = {{"expected", expected},
              {"started", starts.size()},
              {"lost", expected > starts.size() ? expected - starts.size() : 0},
              {"twice", twice},
              {"p50_ms", percentile(lateness_us, 0.50) / 1000},
              {"p99_ms", percentile(lateness_us, 0.99) / 1000},
              {"max_ms", lateness_us.empty() ? 0 : lateness_us.back() / 1000}};
  std::cout << out.dump() << std::endl;
}
