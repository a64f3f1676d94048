#include "actors/lease/lease_document.hpp"

#include "common/ids.hpp"

namespace steward::lease {

sys_time stamp(sys_time now) {
  return std::chrono::time_point_cast<std::chrono::seconds>(now);
}

namespace {

lease_event make_event(event_type type, sys_time when, sys_time created) {
  lease_event e;
  e.id = make_uuid();
  e.type = type;
  e.time = when;
  e.created_at = created;
  return e;
}

reservation make_reservation(const host_reservation& r, sys_time created) {
  reservation out;
  out.id = make_uuid();
  out.min = r.min;
  out.max = r.max;
  out.hypervisor_properties = r.hypervisor_properties;
  out.resource_properties = r.resource_properties;
  out.before_end = r.before_end;
  out.created_at = created;
  return out;
}

} // namespace

std::optional<refusal> make_lease(const lease_fields& fields, sys_time now,
                                  int minutes_before_end, const std::string& project_id,
                                  const std::string& user_id, lease& out,
                                  std::vector<host_reservation>& reservations) {
  if (!fields.name || fields.name->empty())
    return refusal{400, "Missing parameter name"};
  lease_window window;
  if (auto refused = make_window(fields, now, minutes_before_end, window))
    return refused;
  if (fields.reservations.empty())
    return refusal{400, "Missing parameter reservations"};
  reservations.clear();
  for (auto& r : fields.reservations) {
    auto wanted = wanted_by(r);
    if (!wanted)
      return refusal{400, "Malformed parameter reservations"};
    reservations.push_back(std::move(*wanted));
  }
  auto created = stamp(now);
  lease l;
  l.id = make_uuid();
  l.name = *fields.name;
  l.project_id = project_id;
  l.user_id = user_id;
  l.start = window.start;
  l.end = window.end;
  l.before_end = window.before_end;
  for (auto& r : reservations)
    l.reservations.push_back(make_reservation(r, created));
  l.events = {make_event(event_type::start_lease, window.start, created),
              make_event(event_type::end_lease, window.end, created)};
  if (window.before_end)
    l.events.push_back(make_event(event_type::before_end_lease, *window.before_end, created));
  l.created_at = created;
  l.status = stable_status(l);
  out = std::move(l);
  return std::nullopt;
}

std::optional<refusal> update_lease(lease& current, const lease_fields& fields, sys_time now) {
  auto next = current;
  auto* start_event = find_event(next, event_type::start_lease);
  auto* end_event = find_event(next, event_type::end_lease);
  auto* before_event = find_event(next, event_type::before_end_lease);
  if (!start_event || !end_event)
    return refusal{500, "The lease has no start or end event"};
  bool started = start_event->status == event_status::done;
  bool ended = end_event->status == event_status::done;
  bool before_done = before_event && before_event->status == event_status::done;
  if (ended && fields.names_dates)
    return refusal{400, "Terminated leases can only be renamed"};
  if (fields.name)
    next.name = *fields.name;
  auto resolved = [&](const std::optional<lease_date>& d) -> std::optional<sys_time> {
    return d ? std::optional<sys_time>{resolve(*d, now)} : std::nullopt;
  };
  auto start = resolved(fields.start);
  auto end = resolved(fields.end);
  auto before_end = resolved(fields.before_end);
  if (start && *start != next.start) {
    if (started)
      return refusal{400, "Cannot modify the start date of already started leases"};
    if (*start < current_minute(now))
      return refusal{400, "Start date must be later than current date"};
  }
  auto new_start = start ? *start : next.start;
  auto new_end = end ? *end : next.end;
  bool end_now = fields.end && fields.end->now;
  if (end_now && !started)
    return refusal{400, "End date must be later than current and start date"};
  if (!end_now && (end || start) && (new_end <= new_start || (end && new_end <= now)))
    return refusal{400, "End date must be later than current and start date"};
  std::optional<sys_time> new_before;
  if (before_end) {
    if (*before_end <= new_start || *before_end >= new_end)
      return refusal{403, "Datetime is out of lease limits"};
    new_before = before_end;
  } else if (before_event && !before_done && (start || end)) {
    // The before-end event keeps its distance from the end, never before the start.
    auto offset = next.end - before_event->time;
    new_before = std::max(new_start, new_end - offset);
  }
  if (!started) {
    next.start = new_start;
    start_event->time = new_start;
  }
  next.end = new_end;
  end_event->time = new_end;
  if (new_before && before_event && !before_done) {
    before_event->time = *new_before;
    next.before_end = new_before;
  }
  if (next != current) {
    next.updated_at = stamp(now);
    current = std::move(next);
  }
  return std::nullopt;
}

} // namespace steward::lease
