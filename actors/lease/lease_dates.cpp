#include "actors/lease/lease_dates.hpp"

#include <algorithm>

#include "common/time_format.hpp"

namespace steward::lease {

namespace {

const char* const date_format = "%Y-%m-%d %H:%M";

// A date in the right format whose year is after the last the clock holds.
bool after_last_year(const std::string& text) {
  if (text.size() < 4
      || !std::all_of(text.begin(), text.begin() + 4, [](char c) { return c >= '0' && c <= '9'; }))
    return false;
  return std::stoi(text.substr(0, 4)) > timefmt::last_year
         && parse_lease_date("2000" + text.substr(4)).has_value();
}

} // namespace

sys_time current_minute(sys_time now) {
  return std::chrono::time_point_cast<std::chrono::minutes>(now);
}

std::optional<lease_date> parse_lease_date(const std::string& text) {
  if (text == "now")
    return lease_date{true, {}};
  auto t = timefmt::parse(text, date_format);
  if (!t)
    return std::nullopt;
  return lease_date{false, *t};
}

std::string bad_lease_date(const std::string& text) {
  if (after_last_year(text))
    return text + " is too far in the future: dates up to " + std::to_string(timefmt::last_year)
           + "-12-31 23:59 are supported";
  return text + " is an invalid date. Required format: " + date_format;
}

sys_time resolve(const lease_date& d, sys_time now) {
  return d.now ? current_minute(now) : d.at;  // Blazar takes "now" to the minute
}

std::optional<refusal> make_window(const lease_fields& fields, sys_time now,
                                   int minutes_before_end, lease_window& out) {
  if (!fields.start)
    return refusal{400, "Missing parameter start_date"};
  if (!fields.end)
    return refusal{400, "Missing parameter end_date"};
  auto start = resolve(*fields.start, now);
  auto end = resolve(*fields.end, now);
  // Blazar compares with the current minute: "now" and this minute are fine.
  if (start < current_minute(now))
    return refusal{400, "Start date must be later than current date"};
  if (end <= start)
    return refusal{400, "End date must be later than start date."};
  out.start = start;
  out.end = end;
  if (fields.before_end) {
    auto before_end = resolve(*fields.before_end, now);
    if (before_end <= start || before_end >= end)
      return refusal{403, "Datetime is out of lease limits"};
    out.before_end = before_end;
  } else if (minutes_before_end > 0) {
    out.before_end = std::max(start, end - std::chrono::minutes{minutes_before_end});
  } else {
    out.before_end.reset();
  }
  return std::nullopt;
}

std::string show_date(sys_time t) {
  return timefmt::iso_micro(t);
}

} // namespace steward::lease
