#include "bus/backoff.hpp"

#include <algorithm>
#include <random>

namespace steward::bus::detail {

backoff::backoff(milliseconds min, milliseconds max)
    : min_(std::max(min, milliseconds(1))), max_(std::max(max, min_)), next_(min_) {}

milliseconds backoff::next() {
  milliseconds d = next_;
  next_ = std::min(max_, next_ * 2);
  thread_local std::mt19937 gen{std::random_device{}()};
  std::uniform_int_distribution<long long> jitter(0, d.count() / 2);
  return d - milliseconds(jitter(gen));
}

} // namespace steward::bus::detail
