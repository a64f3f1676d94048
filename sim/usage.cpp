#include "sim/usage.hpp"

#include <algorithm>
#include <cmath>

namespace steward::sim {

usage_meter::usage_meter(uint64_t seed) : rng_(seed) {}

double usage_meter::uniform(double low, double high) {
  return std::uniform_real_distribution<double>(low, high)(rng_);
}

usage_meter::walk usage_meter::start() {
  walk w;
  w.cpu = uniform(5, 60);
  w.memory = uniform(0.3, 0.8);
  w.disk = uniform(0.1, 0.5);
  return w;
}

usage_sample usage_meter::next(const instance& i) {
  auto it = walks_.find(i.uuid);
  if (it == walks_.end()) {
    it = walks_.emplace(i.uuid, start()).first;
  } else {
    walk& w = it->second;
    w.cpu = std::clamp(w.cpu + uniform(-10, 10), 1.0, 100.0);
    w.memory = std::clamp(w.memory + uniform(-0.03, 0.03), 0.1, 0.95);
    w.disk = std::min(w.disk + uniform(0, 0.005), 0.98);  // disks fill, rarely empty
  }
  const walk& w = it->second;
  usage_sample s;
  s.cpu_util = w.cpu;
  s.memory_mb = static_cast<int64_t>(std::llround(w.memory * static_cast<double>(i.size.memory_mb)));
  s.disk_gb = static_cast<int64_t>(std::llround(w.disk * static_cast<double>(i.demand().disk_gb)));
  return s;
}

void usage_meter::keep_only(const std::set<std::string>& uuids) {
  for (auto it = walks_.begin(); it != walks_.end();) {
    it = uuids.count(it->first) == 0 ? walks_.erase(it) : std::next(it);
  }
}

} // namespace steward::sim
