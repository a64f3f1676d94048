#include <gtest/gtest.h>

#include "tests/actors/bodies.hpp"
#include "actors/lease/lease_dates.hpp"
#include "common/time_format.hpp"

using namespace steward;
using namespace steward::lease;
using nlohmann::json;

namespace {

const sys_time now_ = *timefmt::parse("2030-02-21 14:50", "%Y-%m-%d %H:%M") + std::chrono::seconds{38};

std::optional<refusal> window(json body, lease_window& w, int minutes = 60) {
  return steward::test::window_from(body, now_, minutes, w);
}

} // namespace

TEST(lease_dates, formats_in_and_out) {
  lease_window w;
  ASSERT_FALSE(window({{"start_date", "2030-2-21 20:00"}, {"end_date", "2030-2-22 20:00"}}, w));
  EXPECT_EQ(show_date(w.start), "2030-02-21T20:00:00.000000");
  EXPECT_EQ(show_date(w.end), "2030-02-22T20:00:00.000000");
  ASSERT_TRUE(w.before_end);
  EXPECT_EQ(show_date(*w.before_end), "2030-02-22T19:00:00.000000") << "60 minutes before the end";
  ASSERT_FALSE(window({{"start_date", "now"}, {"end_date", "2030-02-21 15:30"}}, w));
  EXPECT_EQ(show_date(w.start), "2030-02-21T14:50:00.000000") << "now: the current minute";
  EXPECT_EQ(show_date(*w.before_end), "2030-02-21T14:50:00.000000") << "clamped to the start";
  ASSERT_FALSE(window({{"start_date", "2030-02-21 14:50"}, {"end_date", "2030-02-21 16:00"}}, w))
    << "the current minute is not the past";
  ASSERT_FALSE(window({{"start_date", "now"}, {"end_date", "2030-02-22 00:00"}}, w, 0));
  EXPECT_FALSE(w.before_end) << "0 minutes: no before-end event";
}

TEST(lease_dates, before_end_date_inside_the_lease_only) {
  lease_window w;
  json body = {{"start_date", "2030-03-01 10:00"}, {"end_date", "2030-03-01 12:00"},
               {"before_end_date", "2030-03-01 11:30"}};
  ASSERT_FALSE(window(body, w));
  EXPECT_EQ(show_date(*w.before_end), "2030-03-01T11:30:00.000000");
  for (auto outside : {"2030-03-01 10:00", "2030-03-01 12:00", "2030-03-01 09:00", "2030-03-02 11:00"}) {
    body["before_end_date"] = outside;
    auto r = window(body, w);
    ASSERT_TRUE(r) << outside;
    EXPECT_EQ(r->status, 403);
    EXPECT_EQ(r->message, "Datetime is out of lease limits");
  }
}

TEST(lease_dates, refusals_with_blazars_messages) {
  lease_window w;
  auto r = window({{"start_date", "now"}}, w);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->message, "Missing parameter end_date");
  r = window({{"end_date", "2030-03-01 12:00"}}, w);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->message, "Missing parameter start_date");
  r = window({{"start_date", "tomorrow"}, {"end_date", "2030-03-01 12:00"}}, w);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->message, "tomorrow is an invalid date. Required format: %Y-%m-%d %H:%M");
  // The clock counts nanoseconds: it ends in 2262, and says so.
  r = window({{"start_date", "2300-01-01 00:00"}, {"end_date", "2300-01-02 00:00"}}, w);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(r->message, "2300-01-01 00:00 is too far in the future: dates up to 2261-12-31 23:59 are supported");
  r = window({{"start_date", "2300-13-01 00:00"}, {"end_date", "2300-01-02 00:00"}}, w);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->message, "2300-13-01 00:00 is an invalid date. Required format: %Y-%m-%d %H:%M");
  lease_window ok;
  EXPECT_FALSE(window({{"start_date", "2261-12-31 22:00"}, {"end_date", "2261-12-31 23:59"}}, ok));
  r = window({{"start_date", "2030-02-30 10:00"}, {"end_date", "2030-03-01 12:00"}}, w);
  ASSERT_TRUE(r) << "no 30th of February";
  r = window({{"start_date", 5}, {"end_date", "2030-03-01 12:00"}}, w);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  r = window({{"start_date", "2030-02-21 14:49"}, {"end_date", "2030-03-01 12:00"}}, w);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->message, "Start date must be later than current date");
  r = window({{"start_date", "2030-03-01 12:00"}, {"end_date", "2030-03-01 12:00"}}, w);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->message, "End date must be later than start date.");
  r = window({{"start_date", "2030-03-01 12:00"}, {"end_date", "2030-03-01 11:00"}}, w);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->message, "End date must be later than start date.");
}
