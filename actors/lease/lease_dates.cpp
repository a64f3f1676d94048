#include "actors/lease/lease_dates.hpp"

#include <algorithm>

#include "common/time_format.hpp"

namespace steward::lease {

namespace {

const char* const date_format = "%Y-%m-%d %H:%M";

// A date in the right format whose year is after the last the clock holds.
bool after_last_year(const std::string& text, sys_time now) {
  if (text.size() < 4
      || !std::all_of(text.begin(), text.begin() + 4, [](char c) { return c >= '0' && c <= '9'; }))
    return false;
  return std::stoi(text.substr(0, 4)) > timefmt::last_year
         && parse_lease_date("2000" + text.substr(4), now).has_value();
}

} // namespace

sys_time current_minute(sys_time now) {
  return std::chrono::time_point_cast<std::chrono::minutes>(now);
}

std::optional<refusal> read_lease_date(const nlohmann::json& body, const char* field,
                                             sys_time now, std::optional<sys_time>& out) {
  auto i = body.find(field);
  if (i == body.end() || i->is_null())
    return std::nullopt;
  auto text = i->is_string() ? i->get<std::string>() : i->dump();
  out = i->is_string() ? parse_lease_date(text, now) : std::nullopt;
  if (out)
    return std::nullopt;
  if (after_last_year(text, now))
    return refusal{400, text + " is too far in the future: dates up to "
                                  + std::to_string(timefmt::last_year) + "-12-31 23:59 are supported"};
  return refusal{400, text + " is an invalid date. Required format: " + date_format};
}

std::optional<sys_time> parse_lease_date(const std::string& text, sys_time now) {
  if (text == "now")
    return current_minute(now); // Blazar takes "now" to the minute
  return timefmt::parse(text, date_format);
}

std::optional<refusal> parse_window(const nlohmann::json& body, sys_time now,
                                         int minutes_before_end, lease_window& out) {
  std::optional<sys_time> start, end, before_end;
  for (auto [field, slot] : {std::pair{"start_date", &start}, std::pair{"end_date", &end},
                             std::pair{"before_end_date", &before_end}})
    if (auto refused = read_lease_date(body, field, now, *slot))
      return refused;
  if (!start)
    return refusal{400, "Missing parameter start_date"};
  if (!end)
    return refusal{400, "Missing parameter end_date"};
  // Blazar compares with the current minute: "now" and this minute are fine.
  if (*start < current_minute(now))
    return refusal{400, "Start date must be later than current date"};
  if (*end <= *start)
    return refusal{400, "End date must be later than start date."};
  out.start = *start;
  out.end = *end;
  if (before_end) {
    if (*before_end <= *start || *before_end >= *end)
      return refusal{403, "Datetime is out of lease limits"};
    out.before_end = before_end;
  } else if (minutes_before_end > 0) {
    out.before_end = std::max(*start, *end - std::chrono::minutes{minutes_before_end});
  } else {
    out.before_end.reset();
  }
  return std::nullopt;
}

std::string show_date(sys_time t) {
  return timefmt::iso_micro(t);
}

} // namespace steward::lease
