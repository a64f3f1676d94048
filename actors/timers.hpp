#pragma once
// An entity's timer: a delayed message to itself, tagged with a generation so
// that re-arming (after a change or a clock jump) silently voids the old one.
// A due time in the past fires at once.
#include <caf/send.hpp>

#include "common/clock.hpp"
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

} // namespace steward
