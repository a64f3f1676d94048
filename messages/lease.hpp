#pragma once
// A lease as Steward holds it: Blazar's lease with real times, its host
// reservations and its three events with their statuses. A value: the lease
// actor owns one, its registry shares it read-only. JSON is only at its
// edges (actors/lease/lease_json.hpp: Blazar's document, the stored row).
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"

namespace steward::lease {

/// Blazar's event types, in the order of their rank at equal times.
enum class event_type { before_end_lease, end_lease, start_lease };
/// Blazar's event statuses; Steward runs only UNDONE events.
enum class event_status { undone, in_progress, done, error };
enum class reservation_status { pending, active, deleted };
/// Derived from the start and end events (stable_status).
enum class lease_status { pending, active, terminated, error };

struct lease_event {
  std::string id;
  event_type type = event_type::start_lease;
  sys_time time;
  event_status status = event_status::undone;
  sys_time created_at;
  std::optional<sys_time> updated_at;
};

struct reserved_host {
  std::string id;                   // inventory host id
  std::string hypervisor_hostname;
};

struct reservation {
  std::string id;
  int min = 1;
  int max = 1;
  std::string hypervisor_properties;  // as the client gave them
  std::string resource_properties;
  std::string before_end = "default"; // "", "default" or "snapshot"
  reservation_status status = reservation_status::pending;
  std::vector<reserved_host> hosts;
  sys_time created_at;
  std::optional<sys_time> updated_at;
};

struct lease {
  std::string id;
  std::string name;
  std::string project_id;  // "" for an operator's own lease
  std::string user_id;
  sys_time start;
  sys_time end;
  std::optional<sys_time> before_end;  // none: no before-end event
  lease_status status = lease_status::pending;
  std::vector<reservation> reservations;
  std::vector<lease_event> events;
  sys_time created_at;     // to the second, as Blazar shows it
  std::optional<sys_time> updated_at;
};

/// A date a lease request gives: "now" (the current minute when the
/// request is served) or a minute.
struct lease_date {
  bool now = false;
  sys_time at;  // when not "now"
};

/// A host reservation a create body asks for (`physical:host`), its filters
/// as given (the route checked that they parse).
struct reservation_request {
  int min = 1;
  int max = 1;
  std::string hypervisor_properties;
  std::string resource_properties;
  std::string before_end = "default";  // "", "default" or "snapshot"
};

/// What a create or update body of /v1/leases gives, each field read on its
/// own by the route; the lease's rules check them together.
struct lease_fields {
  std::optional<std::string> name;
  std::optional<std::string> project_id;  // a create's: the project it is for
  std::optional<lease_date> start, end, before_end;
  std::vector<reservation_request> reservations;  // a create's
  bool names_dates = false;  // an update's: a date or the reservations named, even as null
};

inline bool operator==(const lease_event& a, const lease_event& b) {
  return a.id == b.id && a.type == b.type && a.time == b.time && a.status == b.status
         && a.created_at == b.created_at && a.updated_at == b.updated_at;
}
inline bool operator==(const reserved_host& a, const reserved_host& b) {
  return a.id == b.id && a.hypervisor_hostname == b.hypervisor_hostname;
}
inline bool operator==(const reservation& a, const reservation& b) {
  return a.id == b.id && a.min == b.min && a.max == b.max
         && a.hypervisor_properties == b.hypervisor_properties
         && a.resource_properties == b.resource_properties && a.before_end == b.before_end
         && a.status == b.status && a.hosts == b.hosts && a.created_at == b.created_at
         && a.updated_at == b.updated_at;
}
inline bool operator==(const lease& a, const lease& b) {
  return a.id == b.id && a.name == b.name && a.project_id == b.project_id
         && a.user_id == b.user_id && a.start == b.start && a.end == b.end
         && a.before_end == b.before_end && a.status == b.status
         && a.reservations == b.reservations && a.events == b.events
         && a.created_at == b.created_at && a.updated_at == b.updated_at;
}
inline bool operator!=(const lease& a, const lease& b) { return !(a == b); }

/// Blazar's names: "start_lease", "DONE", "active", "PENDING".
inline const char* name_of(event_type t) {
  switch (t) {
    case event_type::before_end_lease: return "before_end_lease";
    case event_type::end_lease: return "end_lease";
    case event_type::start_lease: return "start_lease";
  }
  return "?";
}
inline const char* name_of(event_status s) {
  switch (s) {
    case event_status::undone: return "UNDONE";
    case event_status::in_progress: return "IN_PROGRESS";
    case event_status::done: return "DONE";
    case event_status::error: return "ERROR";
  }
  return "?";
}
inline const char* name_of(reservation_status s) {
  switch (s) {
    case reservation_status::pending: return "pending";
    case reservation_status::active: return "active";
    case reservation_status::deleted: return "deleted";
  }
  return "?";
}
inline const char* name_of(lease_status s) {
  switch (s) {
    case lease_status::pending: return "PENDING";
    case lease_status::active: return "ACTIVE";
    case lease_status::terminated: return "TERMINATED";
    case lease_status::error: return "ERROR";
  }
  return "?";
}

/// The event of a type, or nullptr.
inline const lease_event* find_event(const lease& l, event_type t) {
  for (auto& e : l.events)
    if (e.type == t)
      return &e;
  return nullptr;
}
inline lease_event* find_event(lease& l, event_type t) {
  return const_cast<lease_event*>(find_event(static_cast<const lease&>(l), t));
}

/// The stable status from the start and end events (REFERENCE.md): UNDONE,
/// UNDONE -> PENDING; DONE, UNDONE -> ACTIVE; DONE, DONE -> TERMINATED; else ERROR.
inline lease_status stable_status(const lease& l) {
  auto start = find_event(l, event_type::start_lease);
  auto end = find_event(l, event_type::end_lease);
  if (!start || !end)
    return lease_status::error;
  auto s = start->status;
  auto e = end->status;
  if (s == event_status::undone && e == event_status::undone)
    return lease_status::pending;
  if (s == event_status::done && e == event_status::undone)
    return lease_status::active;
  if (s == event_status::done && e == event_status::done)
    return lease_status::terminated;
  return lease_status::error;
}

} // namespace steward::lease
