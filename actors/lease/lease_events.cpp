#include "actors/lease/lease_events.hpp"

#include <set>

#include "actors/lease/lease_document.hpp"

namespace steward::lease {

std::optional<due_event> next_event(const lease& l) {
  if (auto start = find_event(l, event_type::start_lease);
      start && start->status == event_status::undone)
    return due_event{event_type::start_lease, start->time};
  // At equal times the order of event_type (before_end, end, start), so that
  // back-to-back leases free a host before the next one takes it.
  std::optional<due_event> next;
  for (auto& e : l.events) {
    if (e.status != event_status::undone)
      continue;
    if (!next || e.time < next->time || (e.time == next->time && e.type < next->type))
      next = due_event{e.type, e.time};
  }
  return next;
}

void complete_event(lease& l, event_type type, sys_time now) {
  auto at = stamp(now);
  for (auto& e : l.events)
    if (e.type == type) {
      e.status = event_status::done;
      e.updated_at = at;
    }
  std::optional<reservation_status> status;
  if (type == event_type::start_lease)
    status = reservation_status::active;
  else if (type == event_type::end_lease)
    status = reservation_status::deleted;
  if (status)
    for (auto& r : l.reservations) {
      r.status = *status;
      r.updated_at = at;
    }
  l.status = stable_status(l);
  l.updated_at = at;
}

bool is_active(const lease& l) {
  return stable_status(l) == lease_status::active;
}

std::vector<std::string> lease_hostnames(const lease& l, bool snapshot_only,
                                         const std::string& default_action) {
  std::set<std::string> names;
  for (auto& r : l.reservations) {
    auto action = r.before_end == "default" ? default_action : r.before_end;
    if (snapshot_only && action != "snapshot")
      continue;
    for (auto& h : r.hosts)
      names.insert(h.hypervisor_hostname);
  }
  return {names.begin(), names.end()};
}

std::vector<std::pair<std::string, allocation>> allocations_of(const lease& l) {
  std::vector<std::pair<std::string, allocation>> out;
  auto end = find_event(l, event_type::end_lease);
  if (end && end->status == event_status::done)
    return out;
  for (auto& r : l.reservations)
    for (auto& h : r.hosts)
      out.push_back({h.id, allocation{l.id, r.id, l.start, l.end}});
  return out;
}

} // namespace steward::lease
