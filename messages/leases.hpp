#pragma once
// What a lease asks of its registry, which keeps the allocations of every
// lease.
#include <optional>
#include <string>

#include "common/refusal.hpp"
#include "messages/lease.hpp"

namespace steward {

/// The lease's start is due: answered (atom::done) once no earlier lease
/// still holds one of its hosts.
struct lease_start_request {
  std::string lease_id;
};

/// The lease has new dates: its hosts are checked (and booked) over the new
/// window, or others found.
struct lease_reallocation {
  std::string lease_id;
  lease::lease lease;  // the lease with its new dates
};

/// The lease with the hosts it holds over its new window, or why none could
/// be found.
struct lease_allocation {
  std::optional<refusal> refused;
  lease::lease lease;
};

} // namespace steward
