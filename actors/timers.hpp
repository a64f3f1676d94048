#pragma once
// An entity's timer: a delayed message to itself, tagged with a generation so
// that re-arming (after a change or a clock jump) silently voids the old one.
// A due time in the past fires at once.
#include <chrono>
#include <string>

#include <caf/send.hpp>

#include "common/clock.hpp"
#include "common/log.hpp"
#include "messages/fwd.hpp"

namespace steward {

template <class Self>
void arm_timer(Self* self, sys_time due, uint64_t generation) {
  auto delay = due - now();
  if (delay <= sys_time::duration::zero())
    self->send(self, atom::timer_v, generation);
  else
    self->delayed_send(self, delay, atom::timer_v, generation);
}

/// What a timer fired for could not be done now (its change was not stored,
/// an actor it asked did not answer): the same timer fires again this much
/// later. A change meanwhile re-arms the entity under a new generation, and
/// the retry is void.
constexpr auto retry_after_failure = std::chrono::seconds{5};

template <class Self>
void retry_timer_later(Self* self, const char* component, const std::string& what) {
  log::write(log::level::error, component,
             what + "; tried again in " + std::to_string(retry_after_failure.count()) + " s");
  self->delayed_send(self, retry_after_failure, atom::timer_v, self->state.timer_generation);
}

} // namespace steward
