#pragma once
// The dates of a lease, as Blazar takes them: "2017-2-21 20:00" (UTC,
// single-digit month and day accepted) or "now"; the before-end date by
// default `minutes_before_end` before the end, clamped to the start.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "common/refusal.hpp"

namespace steward::lease {

struct lease_window {
  sys_time start;
  sys_time end;
  std::optional<sys_time> before_end;  // none: no before-end event
};

/// One date field: "now" (the current minute) or "%Y-%m-%d %H:%M".
std::optional<sys_time> parse_lease_date(const std::string& text, sys_time now);

/// Reads one optional date field of a request body into `out` (left empty
/// when the field is absent); a malformed date is refused with Blazar's message.
std::optional<refusal> read_lease_date(const nlohmann::json& body, const char* field,
                                             sys_time now, std::optional<sys_time>& out);

/// The current minute: Blazar's "now" for deciding whether a start is past.
sys_time current_minute(sys_time now);

/// Reads start_date, end_date and before_end_date of a create body.
/// `minutes_before_end` is the default offset (0: no before-end event).
std::optional<refusal> parse_window(const nlohmann::json& body, sys_time now,
                                         int minutes_before_end, lease_window& out);

/// "2017-02-24T20:00:00.000000", as Blazar answers dates.
std::string show_date(sys_time t);

} // namespace steward::lease
