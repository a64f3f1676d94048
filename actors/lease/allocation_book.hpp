#pragma once
// Which host is reserved when: the allocations of every lease, and the choice
// of hosts for a new reservation (its filters, no overlap with another lease,
// never a disabled, down or in-maintenance host). No actors here: the lease
// registry owns one book, so concurrent creates are decided one at a time.
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "actors/lease/reservation.hpp"
#include "common/clock.hpp"

namespace steward::lease {

struct allocation {
  std::string lease_id;
  std::string reservation_id;
  sys_time start;
  sys_time end;   // the window is [start, end)
};

class allocation_book {
public:
  /// Whether `host` has no allocation overlapping [start, end), not counting
  /// those of `ignore_lease` (a lease moving its own dates).
  bool is_free(const std::string& host, sys_time start, sys_time end,
               const std::string& ignore_lease = "") const;
  /// Chooses up to `r.max` and at least `r.min` hosts among `hosts`
  /// (inventory hosts) for [start, end), in name order. Returns the host
  /// ids, or nothing when fewer than `r.min` qualify.
  std::optional<std::vector<std::string>>
  choose(const std::vector<const inventory::host*>& hosts, const host_reservation& r,
         sys_time start, sys_time end, const std::string& ignore_lease = "") const;
  void add(const std::string& host, allocation a);
  void remove_lease(const std::string& lease_id);
  /// True when some lease holds `host` at any time.
  bool reserved(const std::string& host) const;
  /// The allocations of `host`, by start.
  std::vector<allocation> on_host(const std::string& host) const;

private:
  // Per host by start: a lookup costs the log of the host's allocations, so
  // that creates stay as fast with 100k leases as with ten. The windows of
  // one host never overlap (choose and is_free keep it so).
  using by_start = std::multimap<sys_time, allocation>;
  std::map<std::string, by_start> by_host_;
  std::unordered_map<std::string, std::vector<std::pair<std::string, by_start::iterator>>>
    by_lease_;
};

/// Whether an inventory host may be handed out at all.
bool allocatable(const inventory::host& h);

} // namespace steward::lease
