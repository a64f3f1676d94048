#include "common/time_format.hpp"

#include <cctype>
#include <cstdio>
#include <ctime>

namespace steward::timefmt {

namespace {

std::tm to_tm(sys_time t) {
  auto secs = std::chrono::system_clock::to_time_t(
    std::chrono::time_point_cast<std::chrono::seconds>(t));
  if (t < std::chrono::time_point_cast<std::chrono::seconds>(t))
    --secs;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return tm;
}

long micros_of(sys_time t) {
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(
              t.time_since_epoch()).count() % 1000000;
  return static_cast<long>(us < 0 ? us + 1000000 : us);
}

std::string format(sys_time t, const char* fmt, bool micros) {
  auto tm = to_tm(t);
  char buf[48];
  auto n = std::strftime(buf, sizeof buf, fmt, &tm);
  std::string out{buf, n};
  if (micros) {
    char frac[16];
    std::snprintf(frac, sizeof frac, ".%06ld", micros_of(t));
    out += frac;
  }
  return out;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : d[m - 1];
}

std::optional<sys_time> make_time(int y, int mo, int d, int h, int mi, int s,
                                  long micros) {
  if (y < 1970 || y > last_year || mo < 1 || mo > 12 || d < 1
      || d > days_in_month(y, mo) || h < 0 || h > 23 || mi < 0 || mi > 59
      || s < 0 || s > 59)
    return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  auto secs = timegm(&tm);
  return std::chrono::system_clock::from_time_t(secs)
         + std::chrono::microseconds{micros};
}

// Reads 1..max digits at `pos`.
bool read_int(const std::string& s, std::size_t& pos, std::size_t min_digits,
              std::size_t max_digits, int& out) {
  std::size_t start = pos;
  out = 0;
  while (pos < s.size() && pos - start < max_digits
         && std::isdigit(static_cast<unsigned char>(s[pos])))
    out = out * 10 + (s[pos++] - '0');
  return pos - start >= min_digits;
}

} // namespace

std::string oslo(sys_time t) { return format(t, "%Y-%m-%d %H:%M:%S", true); }
std::string iso_micro(sys_time t) { return format(t, "%Y-%m-%dT%H:%M:%S", true); }
std::string iso_z(sys_time t) { return format(t, "%Y-%m-%dT%H:%M:%SZ", false); }
std::string iso_seconds(sys_time t) { return format(t, "%Y-%m-%dT%H:%M:%S", false); }
std::string sql(sys_time t) { return format(t, "%Y-%m-%d %H:%M:%S", false); }

std::optional<sys_time> parse(const std::string& text, const std::string& fmt) {
  int y = 1970, mo = 1, d = 1, h = 0, mi = 0, s = 0;
  std::size_t pos = 0;
  for (std::size_t i = 0; i < fmt.size(); ++i) {
    if (fmt[i] == '%' && i + 1 < fmt.size()) {
      char spec = fmt[++i];
      bool ok = false;
      switch (spec) {
        case 'Y': ok = read_int(text, pos, 4, 4, y); break;
        case 'm': ok = read_int(text, pos, 1, 2, mo); break;
        case 'd': ok = read_int(text, pos, 1, 2, d); break;
        case 'H': ok = read_int(text, pos, 1, 2, h); break;
        case 'M': ok = read_int(text, pos, 1, 2, mi); break;
        case 'S': ok = read_int(text, pos, 1, 2, s); break;
        default: return std::nullopt;
      }
      if (!ok)
        return std::nullopt;
    } else {
      if (pos >= text.size() || text[pos] != fmt[i])
        return std::nullopt;
      ++pos;
    }
  }
  if (pos != text.size())
    return std::nullopt;
  return make_time(y, mo, d, h, mi, s, 0);
}

std::optional<sys_time> parse_iso(const std::string& text) {
  int y, mo, d, h = 0, mi = 0, s = 0;
  std::size_t pos = 0;
  auto expect = [&](char c) {
    if (pos < text.size() && text[pos] == c) {
      ++pos;
      return true;
    }
    return false;
  };
  if (!read_int(text, pos, 4, 4, y) || !expect('-')
      || !read_int(text, pos, 2, 2, mo) || !expect('-')
      || !read_int(text, pos, 2, 2, d))
    return std::nullopt;
  long micros = 0;
  if (pos < text.size()) {
    if (!(expect('T') || expect(' ')))
      return std::nullopt;
    if (!read_int(text, pos, 2, 2, h) || !expect(':')
        || !read_int(text, pos, 2, 2, mi))
      return std::nullopt;
    if (expect(':') && !read_int(text, pos, 2, 2, s))
      return std::nullopt;
    if (expect('.')) {
      std::size_t start = pos;
      long scale = 100000;
      while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
        micros += (text[pos] - '0') * scale;
        scale /= 10;
        ++pos;
      }
      if (pos == start)
        return std::nullopt;
    }
    if (expect('Z')) {
    } else if (pos < text.size()) {
      auto rest = text.substr(pos);
      if (rest != "+00:00" && rest != "+0000")
        return std::nullopt;
      pos = text.size();
    }
  }
  if (pos != text.size())
    return std::nullopt;
  return make_time(y, mo, d, h, mi, s, micros);
}

long long unix_seconds(sys_time t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

sys_time from_unix(long long seconds) {
  return sys_time{std::chrono::seconds{seconds}};
}

} // namespace steward::timefmt
