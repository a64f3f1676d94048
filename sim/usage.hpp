#pragma once
// Plausible, varying usage numbers for instance.usage samples: per instance
// a random walk of CPU utilisation, memory in use as a share of the flavor
// that drifts, and disk in use that slowly grows. Not thread-safe.
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>

#include "sim/world.hpp"

namespace steward::sim {

struct usage_sample {
  double cpu_util = 0;    // percent
  int64_t memory_mb = 0;  // in use
  int64_t disk_gb = 0;    // in use
};

class usage_meter {
public:
  explicit usage_meter(uint64_t seed);

  /// The next sample of `i` (the first one starts the walk somewhere random).
  usage_sample next(const instance& i);
  /// Forgets the instances not in `uuids` (deleted ones).
  void keep_only(const std::set<std::string>& uuids);

private:
  struct walk {
    double cpu = 0;     // percent
    double memory = 0;  // share of the flavor's memory
    double disk = 0;    // share of root disk plus data volume
  };
  double uniform(double low, double high);
  walk start();

  std::mt19937_64 rng_;
  std::map<std::string, walk> walks_;
};

} // namespace steward::sim
