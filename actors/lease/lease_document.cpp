#include "actors/lease/lease_document.hpp"

#include "common/ids.hpp"
#include "common/json_fields.hpp"
#include "common/time_format.hpp"

namespace steward::lease {

using nlohmann::json;

namespace {

json make_event(const std::string& lease_id, const char* type, sys_time when,
                const std::string& created) {
  return {{"id", make_uuid()}, {"lease_id", lease_id}, {"event_type", type},
          {"time", show_date(when)}, {"status", "UNDONE"}, {"created_at", created},
          {"updated_at", nullptr}};
}

json show_reservation(const host_reservation& r, const std::string& lease_id,
                      const std::string& created) {
  return {{"id", make_uuid()}, {"lease_id", lease_id}, {"resource_id", ""},
          {"resource_type", "physical:host"}, {"min", r.min}, {"max", r.max},
          {"hypervisor_properties", r.hypervisor_properties},
          {"resource_properties", r.resource_properties}, {"before_end", r.before_end},
          {"status", "pending"}, {"created_at", created}, {"updated_at", nullptr}};
}

} // namespace

std::optional<refusal> make_lease(const json& body, sys_time now, int minutes_before_end,
                                        const std::string& project_id, const std::string& user_id,
                                        json& doc, std::vector<host_reservation>& reservations) {
  if (!body.is_object())
    return refusal{400, "The request body must be a JSON object"};
  auto name = text_field(body, "name");
  if (name.empty())
    return refusal{400, "Missing parameter name"};
  lease_window window;
  if (auto refused = parse_window(body, now, minutes_before_end, window))
    return refused;
  auto rs = body.find("reservations");
  if (rs == body.end() || !rs->is_array() || rs->empty())
    return refusal{400, "Missing parameter reservations"};
  reservations.clear();
  for (auto& r : *rs) {
    host_reservation parsed;
    if (auto refused = parse_reservation(r, parsed))
      return refused;
    reservations.push_back(std::move(parsed));
  }
  auto id = make_uuid();
  auto created = timefmt::sql(now);
  json shown = json::array();
  for (auto& r : reservations)
    shown.push_back(show_reservation(r, id, created));
  json events = json::array({make_event(id, "start_lease", window.start, created),
                             make_event(id, "end_lease", window.end, created)});
  if (window.before_end)
    events.push_back(make_event(id, "before_end_lease", *window.before_end, created));
  doc = {{"id", id},
         {"name", name},
         {"project_id", project_id},
         {"user_id", user_id},
         {"start_date", show_date(window.start)},
         {"end_date", show_date(window.end)},
         {"before_end_date", window.before_end ? json(show_date(*window.before_end)) : json(nullptr)},
         {"status", "PENDING"},
         {"status_reason", nullptr},
         {"action", nullptr},
         {"trust_id", ""},
         {"reservations", shown},
         {"events", events},
         {"created_at", created},
         {"updated_at", nullptr}};
  return std::nullopt;
}

namespace {

json* event_of(json& lease, const std::string& event_type) {
  return const_cast<json*>(find_event(lease, event_type));
}

bool done(const json* event) {
  return event && text_field(*event, "status") == "DONE";
}

} // namespace

std::optional<refusal> update_lease(json& lease, const json& body, sys_time now) {
  if (!body.is_object())
    return refusal{400, "The request body must be a JSON object"};
  auto next = lease;
  auto* start_event = event_of(next, "start_lease");
  auto* end_event = event_of(next, "end_lease");
  auto* before_event = event_of(next, "before_end_lease");
  if (!start_event || !end_event)
    return refusal{500, "The lease has no start or end event"};
  bool started = done(start_event);
  bool ended = done(end_event);
  bool changes_dates = body.contains("start_date") || body.contains("end_date")
                       || body.contains("before_end_date") || body.contains("reservations");
  if (ended && changes_dates)
    return refusal{400, "Terminated leases can only be renamed"};
  if (auto n = body.find("name"); n != body.end()) {
    if (!n->is_string() || n->get<std::string>().empty())
      return refusal{400, "Malformed parameter name"};
    next["name"] = *n;
  }
  std::optional<sys_time> start, end, before_end;
  for (auto [field, slot] : {std::pair{"start_date", &start}, std::pair{"end_date", &end},
                             std::pair{"before_end_date", &before_end}})
    if (auto refused = read_lease_date(body, field, now, *slot))
      return refused;
  auto old_start = lease_time(next["start_date"]);
  auto old_end = lease_time(next["end_date"]);
  if (start && *start != old_start) {
    if (started)
      return refusal{400, "Cannot modify the start date of already started leases"};
    if (*start < current_minute(now))
      return refusal{400, "Start date must be later than current date"};
  }
  auto new_start = start ? *start : old_start;
  auto new_end = end ? *end : old_end;
  bool end_now = text_field(body, "end_date") == "now";
  if (end_now && !started)
    return refusal{400, "End date must be later than current and start date"};
  if (!end_now && (end || start) && (new_end <= new_start || (end && new_end <= now)))
    return refusal{400, "End date must be later than current and start date"};
  std::optional<sys_time> new_before;
  if (before_end) {
    if (*before_end <= new_start || *before_end >= new_end)
      return refusal{403, "Datetime is out of lease limits"};
    new_before = before_end;
  } else if (before_event && !done(before_event) && (start || end)) {
    // The before-end event keeps its distance from the end, never before the start.
    auto offset = old_end - lease_time((*before_event)["time"]);
    new_before = std::max(new_start, new_end - offset);
  }
  if (!started) {
    next["start_date"] = show_date(new_start);
    (*start_event)["time"] = show_date(new_start);
  }
  next["end_date"] = show_date(new_end);
  (*end_event)["time"] = show_date(new_end);
  if (new_before && before_event && !done(before_event)) {
    (*before_event)["time"] = show_date(*new_before);
    next["before_end_date"] = show_date(*new_before);
  }
  if (next != lease) {
    next["updated_at"] = timefmt::sql(now);
    lease = std::move(next);
  }
  return std::nullopt;
}

const json* find_event(const json& lease, const std::string& event_type) {
  auto events = lease.find("events");
  if (events == lease.end() || !events->is_array())
    return nullptr;
  for (auto& e : *events)
    if (text_field(e, "event_type") == event_type)
      return &e;
  return nullptr;
}

std::string stable_status(const json& lease) {
  auto start = find_event(lease, "start_lease");
  auto end = find_event(lease, "end_lease");
  auto s = start ? text_field(*start, "status") : "";
  auto e = end ? text_field(*end, "status") : "";
  if (s == "UNDONE" && e == "UNDONE")
    return "PENDING";
  if (s == "DONE" && e == "UNDONE")
    return "ACTIVE";
  if (s == "DONE" && e == "DONE")
    return "TERMINATED";
  return "ERROR";
}

} // namespace steward::lease
