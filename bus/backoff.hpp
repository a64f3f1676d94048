#pragma once
// How long the bus threads wait before they reconnect (private to the AMQP bus).
#include <chrono>

namespace steward::bus {

using std::chrono::milliseconds;

namespace detail {

// Exponential back-off with "equal jitter": the n-th wait is uniformly
// distributed in [d/2, d] with d = min(max, min * 2^n), so that many
// Steward nodes do not all knock on a restarted broker at the same instant.
class backoff {
public:
  backoff(milliseconds min, milliseconds max);

  milliseconds next();
  void reset() { next_ = min_; }

private:
  milliseconds min_, max_, next_;
};

} // namespace detail
} // namespace steward::bus
