// The dates of a lease request: one date field on its own, and the whole
// window of a create body, read as its route reads it. Input: a date text, or a JSON body when it is one.
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "actors/lease/lease_dates.hpp"
#include "common/json_limits.hpp"
#include "tests/actors/bodies.hpp"

using namespace steward;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  // A fixed "now" (2026-12-01 12:00 UTC): runs repeat exactly.
  sys_time now{std::chrono::seconds{1796126400}};

  if (auto d = lease::parse_lease_date(text))
    (void)lease::show_date(lease::resolve(*d, now));  // whatever parses must also print

  // A body as the router reads it; any other text is each of the dates.
  std::string error;
  auto parsed = parse_json(text, default_max_json_depth, error);
  nlohmann::json body = parsed && parsed->is_object()
                          ? *parsed
                          : nlohmann::json{{"start_date", text}, {"end_date", text},
                                           {"before_end_date", text}};
  for (int minutes : {0, 60, 100000000}) {
    lease::lease_window window;
    if (!test::window_from(body, now, minutes, window)) {
      (void)lease::show_date(window.start);
      (void)lease::show_date(window.end);
      if (window.before_end)
        (void)lease::show_date(*window.before_end);
    }
  }
  return 0;
}
