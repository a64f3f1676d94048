#include "actors/lease/lease_json.hpp"

#include "actors/lease/lease_dates.hpp"
#include "common/json_fields.hpp"
#include "common/time_format.hpp"

namespace steward::lease {

using nlohmann::json;

namespace {

// -- Blazar's document ---------------------------------------------------------

json show_stamp(const std::optional<sys_time>& t) {
  return t ? json(timefmt::sql(*t)) : json(nullptr);
}

json show_event(const lease_event& e, const std::string& lease_id) {
  return {{"id", e.id},
          {"lease_id", lease_id},
          {"event_type", name_of(e.type)},
          {"time", show_date(e.time)},
          {"status", name_of(e.status)},
          {"created_at", timefmt::sql(e.created_at)},
          {"updated_at", show_stamp(e.updated_at)}};
}

json show_hosts(const std::vector<reserved_host>& hosts) {
  json out = json::array();
  for (auto& h : hosts)
    out.push_back({{"id", h.id}, {"hypervisor_hostname", h.hypervisor_hostname}});
  return out;
}

json show_reservation(const reservation& r, const std::string& lease_id) {
  return {{"id", r.id},
          {"lease_id", lease_id},
          {"resource_id", ""},
          {"resource_type", "physical:host"},
          {"min", r.min},
          {"max", r.max},
          {"hypervisor_properties", r.hypervisor_properties},
          {"resource_properties", r.resource_properties},
          {"before_end", r.before_end},
          {"status", name_of(r.status)},
          {"hosts", show_hosts(r.hosts)},
          {"created_at", timefmt::sql(r.created_at)},
          {"updated_at", show_stamp(r.updated_at)}};
}

// -- reading either form -------------------------------------------------------

// A required time: false when it is missing or not a time.
bool read_time(const json& row, const char* key, sys_time& out) {
  auto t = iso_time_field(row, key);
  if (t)
    out = *t;
  return t.has_value();
}

template <class Enum, std::size_t N>
bool read_enum(const json& row, const char* key, const Enum (&values)[N], Enum& out) {
  auto text = text_field(row, key);
  for (auto v : values)
    if (text == name_of(v)) {
      out = v;
      return true;
    }
  return false;
}

constexpr event_type event_types[] = {event_type::before_end_lease, event_type::end_lease,
                                      event_type::start_lease};
constexpr event_status event_statuses[] = {event_status::undone, event_status::in_progress,
                                          event_status::done, event_status::error};
constexpr reservation_status reservation_statuses[] = {
  reservation_status::pending, reservation_status::active, reservation_status::deleted};

std::vector<reserved_host> read_hosts(const json& hosts) {
  std::vector<reserved_host> out;
  if (hosts.is_array())
    for (auto& h : hosts)
      out.push_back({text_field(h, "id"), text_field(h, "hypervisor_hostname")});
  return out;
}

// The field names of each form: Blazar's document, or the stored row.
struct form {
  const char* event_type;
  const char* start;
  const char* end;
  const char* before_end;
};
constexpr form blazar_form{"event_type", "start_date", "end_date", "before_end_date"};
constexpr form stored_form{"type", "start", "end", "before_end"};

std::optional<lease> read_lease(const json& row, const form& f) {
  if (!row.is_object() || text_field(row, "id").empty())
    return std::nullopt;
  lease l;
  l.id = text_field(row, "id");
  l.name = text_field(row, "name");
  l.project_id = text_field(row, "project_id");
  l.user_id = text_field(row, "user_id");
  if (!read_time(row, f.start, l.start) || !read_time(row, f.end, l.end)
      || !read_time(row, "created_at", l.created_at))
    return std::nullopt;
  l.before_end = iso_time_field(row, f.before_end);
  l.updated_at = iso_time_field(row, "updated_at");
  for (auto& r : row.value("reservations", json::array())) {
    reservation out;
    out.id = text_field(r, "id");
    out.min = static_cast<int>(int_field(r, "min", 1));
    out.max = static_cast<int>(int_field(r, "max", 1));
    out.hypervisor_properties = text_field(r, "hypervisor_properties");
    out.resource_properties = text_field(r, "resource_properties");
    out.before_end = text_field(r, "before_end");
    if (!read_enum(r, "status", reservation_statuses, out.status)
        || !read_time(r, "created_at", out.created_at))
      return std::nullopt;
    out.updated_at = iso_time_field(r, "updated_at");
    out.hosts = read_hosts(r.value("hosts", json::array()));
    l.reservations.push_back(std::move(out));
  }
  for (auto& e : row.value("events", json::array())) {
    lease_event out;
    out.id = text_field(e, "id");
    if (!read_enum(e, f.event_type, event_types, out.type)
        || !read_enum(e, "status", event_statuses, out.status) || !read_time(e, "time", out.time)
        || !read_time(e, "created_at", out.created_at))
      return std::nullopt;
    out.updated_at = iso_time_field(e, "updated_at");
    l.events.push_back(std::move(out));
  }
  if (!find_event(l, event_type::start_lease) || !find_event(l, event_type::end_lease))
    return std::nullopt;
  l.status = stable_status(l);
  return l;
}

json stored_time(const std::optional<sys_time>& t) {
  return t ? json(timefmt::iso_micro(*t)) : json(nullptr);
}

} // namespace

json present(const lease& l) {
  json reservations = json::array();
  for (auto& r : l.reservations)
    reservations.push_back(show_reservation(r, l.id));
  json events = json::array();
  for (auto& e : l.events)
    events.push_back(show_event(e, l.id));
  return {{"id", l.id},
          {"name", l.name},
          {"project_id", l.project_id},
          {"user_id", l.user_id},
          {"start_date", show_date(l.start)},
          {"end_date", show_date(l.end)},
          {"before_end_date", l.before_end ? json(show_date(*l.before_end)) : json(nullptr)},
          {"status", name_of(l.status)},
          {"status_reason", nullptr},
          {"action", nullptr},
          {"trust_id", ""},
          {"reservations", std::move(reservations)},
          {"events", std::move(events)},
          {"created_at", timefmt::sql(l.created_at)},
          {"updated_at", show_stamp(l.updated_at)}};
}

json to_stored(const lease& l) {
  json reservations = json::array();
  for (auto& r : l.reservations)
    reservations.push_back({{"id", r.id},
                            {"min", r.min},
                            {"max", r.max},
                            {"hypervisor_properties", r.hypervisor_properties},
                            {"resource_properties", r.resource_properties},
                            {"before_end", r.before_end},
                            {"status", name_of(r.status)},
                            {"hosts", show_hosts(r.hosts)},
                            {"created_at", timefmt::iso_micro(r.created_at)},
                            {"updated_at", stored_time(r.updated_at)}});
  json events = json::array();
  for (auto& e : l.events)
    events.push_back({{"id", e.id},
                      {"type", name_of(e.type)},
                      {"time", timefmt::iso_micro(e.time)},
                      {"status", name_of(e.status)},
                      {"created_at", timefmt::iso_micro(e.created_at)},
                      {"updated_at", stored_time(e.updated_at)}});
  return {{"schema", stored_schema},
          {"id", l.id},
          {"name", l.name},
          {"project_id", l.project_id},
          {"user_id", l.user_id},
          {"start", timefmt::iso_micro(l.start)},
          {"end", timefmt::iso_micro(l.end)},
          {"before_end", stored_time(l.before_end)},
          {"reservations", std::move(reservations)},
          {"events", std::move(events)},
          {"created_at", timefmt::iso_micro(l.created_at)},
          {"updated_at", stored_time(l.updated_at)}};
}

std::optional<lease> from_stored(const json& row) {
  switch (stored_version(row, stored_schema)) {
    case row_version::unversioned:
      return read_lease(row, blazar_form);
    case row_version::current:
      return read_lease(row, stored_form);
    case row_version::other:
      break;
  }
  return std::nullopt;
}

} // namespace steward::lease
