#pragma once
// The date formats the API families and the bus speak, in one place.
#include <optional>
#include <string>

#include "common/clock.hpp"

namespace steward::timefmt {

/// "2024-05-01 12:00:00.123456": oslo.messaging's notification timestamp.
std::string oslo(sys_time t);
/// "2024-05-01T12:00:00.000000": ISO 8601 with microseconds, no zone.
std::string iso_micro(sys_time t);
/// "2024-05-01T12:00:00Z"
std::string iso_z(sys_time t);
/// "2024-05-01T12:00:00": to the second, no zone (Murano's dates).
std::string iso_seconds(sys_time t);
/// "2024-05-01 12:00:00"
std::string sql(sys_time t);
/// The last year a time can be in: the clock counts nanoseconds in 64 bits,
/// which end in April 2262. Later dates are refused by the parsers.
constexpr int last_year = 2261;

/// Parses strftime-style `format` (a subset: %Y %m %d %H %M %S, with
/// single-digit month/day/hour/minute accepted) as UTC; trailing input is an
/// error. Returns nothing on any mismatch or an impossible date.
std::optional<sys_time> parse(const std::string& text, const std::string& format);
/// Parses ISO 8601 ("2024-05-01T12:00:00", optional fraction, optional "Z"
/// or "+00:00"), the space-separated variant too.
std::optional<sys_time> parse_iso(const std::string& text);
/// Seconds since the epoch.
long long unix_seconds(sys_time t);
sys_time from_unix(long long seconds);

} // namespace steward::timefmt
