#include "actors/lease/lease_events.hpp"

#include <algorithm>
#include <set>

#include "actors/lease/lease_document.hpp"
#include "common/json_fields.hpp"
#include "common/time_format.hpp"

namespace steward::lease {

using nlohmann::json;

namespace {

// At equal times: before_end, end, start, so that back-to-back leases free a
// host before the next one takes it.
int rank(const std::string& type) {
  if (type == "before_end_lease")
    return 0;
  if (type == "end_lease")
    return 1;
  return 2;
}

bool undone(const json& event) {
  return text_field(event, "status") == "UNDONE";
}

} // namespace

std::optional<due_event> next_event(const json& lease) {
  if (auto start = find_event(lease, "start_lease"); start && undone(*start))
    return due_event{"start_lease", lease_time((*start)["time"])};
  std::optional<due_event> next;
  for (auto& e : lease.value("events", json::array())) {
    if (!undone(e))
      continue;
    due_event candidate{text_field(e, "event_type"), lease_time(e["time"])};
    if (!next || candidate.time < next->time
        || (candidate.time == next->time && rank(candidate.type) < rank(next->type)))
      next = candidate;
  }
  return next;
}

void complete_event(json& lease, const std::string& event_type, sys_time now) {
  auto stamp = timefmt::sql(now);
  for (auto& e : lease["events"])
    if (text_field(e, "event_type") == event_type) {
      e["status"] = "DONE";
      e["updated_at"] = stamp;
    }
  const char* reservation_status = event_type == "start_lease" ? "active"
                                   : event_type == "end_lease" ? "deleted"
                                                               : nullptr;
  if (reservation_status)
    for (auto& r : lease["reservations"]) {
      r["status"] = reservation_status;
      r["updated_at"] = stamp;
    }
  lease["status"] = stable_status(lease);
  lease["updated_at"] = stamp;
}

bool is_active(const json& lease) {
  return stable_status(lease) == "ACTIVE";
}

std::vector<std::string> lease_hostnames(const json& lease, bool snapshot_only,
                                         const std::string& default_action) {
  std::set<std::string> names;
  for (auto& r : lease.value("reservations", json::array())) {
    auto action = text_field(r, "before_end");
    if (action == "default")
      action = default_action;
    if (snapshot_only && action != "snapshot")
      continue;
    for (auto& h : r.value("hosts", json::array()))
      names.insert(text_field(h, "hypervisor_hostname"));
  }
  return {names.begin(), names.end()};
}

std::vector<std::pair<std::string, allocation>> allocations_of(const json& lease) {
  std::vector<std::pair<std::string, allocation>> out;
  auto end = find_event(lease, "end_lease");
  if (end && text_field(*end, "status") == "DONE")
    return out;
  auto start = lease_time(lease["start_date"]);
  auto finish = lease_time(lease["end_date"]);
  auto id = text_field(lease, "id");
  for (auto& r : lease.value("reservations", json::array()))
    for (auto& h : r.value("hosts", json::array()))
      out.push_back({text_field(h, "id"), allocation{id, text_field(r, "id"), start, finish}});
  return out;
}

} // namespace steward::lease
