#pragma once
// The dates of a lease, as Blazar takes them: "2017-2-21 20:00" (UTC,
// single-digit month and day accepted) or "now"; the before-end date by
// default `minutes_before_end` before the end, clamped to the start.
#include <optional>
#include <string>

#include "common/clock.hpp"
#include "common/refusal.hpp"
#include "messages/lease.hpp"

namespace steward::lease {

struct lease_window {
  sys_time start;
  sys_time end;
  std::optional<sys_time> before_end;  // none: no before-end event
};

/// One date as a request writes it: "now" or "%Y-%m-%d %H:%M"; none when
/// it is neither.
std::optional<lease_date> parse_lease_date(const std::string& text);
/// Why `text` is not a date, in Blazar's words.
std::string bad_lease_date(const std::string& text);

/// The current minute: Blazar's "now" for deciding whether a start is past.
sys_time current_minute(sys_time now);
/// The time a date stands for in a request served at `now`.
sys_time resolve(const lease_date& d, sys_time now);

/// The window of a create body's dates. `minutes_before_end` is the default
/// offset (0: no before-end event).
std::optional<refusal> make_window(const lease_fields& fields, sys_time now,
                                   int minutes_before_end, lease_window& out);

/// "2017-02-24T20:00:00.000000", as Blazar answers dates.
std::string show_date(sys_time t);

} // namespace steward::lease
