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

std::optional<lease_refusal> make_lease(const json& body, sys_time now, int minutes_before_end,
                                        const std::string& project_id, const std::string& user_id,
                                        json& doc, std::vector<host_reservation>& reservations) {
  if (!body.is_object())
    return lease_refusal{400, "The request body must be a JSON object"};
  auto name = text_field(body, "name");
  if (name.empty())
    return lease_refusal{400, "Missing parameter name"};
  lease_window window;
  if (auto refused = parse_window(body, now, minutes_before_end, window))
    return refused;
  auto rs = body.find("reservations");
  if (rs == body.end() || !rs->is_array() || rs->empty())
    return lease_refusal{400, "Missing parameter reservations"};
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
