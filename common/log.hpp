#pragma once
// Line-oriented logging to stderr: one line per record, safe from any thread.
#include <sstream>
#include <string>

namespace steward::log {

enum class level { debug = 0, info = 1, warning = 2, error = 3 };

void set_level(level l);
bool enabled(level l);
/// Writes a line when `l` is enabled.
void write(level l, const std::string& component, const std::string& text);
/// Parses "debug", "info", "warning", "error"; returns false for anything else.
bool parse_level(const std::string& text, level& out);

} // namespace steward::log

#define STEWARD_LOG(lvl, component, expr)                                      \
  do {                                                                         \
    if (::steward::log::enabled(lvl)) {                                        \
      std::ostringstream steward_log_os_;                                      \
      steward_log_os_ << expr;                                                 \
      ::steward::log::write(lvl, component, steward_log_os_.str());            \
    }                                                                          \
  } while (false)
#define LOG_DEBUG(c, e) STEWARD_LOG(::steward::log::level::debug, c, e)
#define LOG_INFO(c, e) STEWARD_LOG(::steward::log::level::info, c, e)
#define LOG_WARN(c, e) STEWARD_LOG(::steward::log::level::warning, c, e)
#define LOG_ERROR(c, e) STEWARD_LOG(::steward::log::level::error, c, e)
