#include <gtest/gtest.h>

#include "common/time_format.hpp"

using namespace steward;

TEST(time_format, oslo_and_iso_forms) {
  auto t = timefmt::parse_iso("2024-05-01T12:00:00.123456");
  ASSERT_TRUE(t);
  EXPECT_EQ(timefmt::oslo(*t), "2024-05-01 12:00:00.123456");
  EXPECT_EQ(timefmt::iso_micro(*t), "2024-05-01T12:00:00.123456");
  EXPECT_EQ(timefmt::iso_z(*t), "2024-05-01T12:00:00Z");
  EXPECT_EQ(timefmt::sql(*t), "2024-05-01 12:00:00");
}

TEST(time_format, parse_with_format_accepts_single_digits) {
  auto t = timefmt::parse("2017-2-21 20:00", "%Y-%m-%d %H:%M");
  ASSERT_TRUE(t);
  EXPECT_EQ(timefmt::sql(*t), "2017-02-21 20:00:00");
}

TEST(time_format, parse_rejects_bad_dates) {
  for (auto bad : {"2017-02-30 20:00", "2017-13-01 20:00", "2017-02-21 24:00", "2017-02-21",
                   "2017-02-21 20:00x", "garbage", ""})
    EXPECT_FALSE(timefmt::parse(bad, "%Y-%m-%d %H:%M")) << bad;
  EXPECT_TRUE(timefmt::parse("2024-02-29 00:00", "%Y-%m-%d %H:%M"));
  EXPECT_FALSE(timefmt::parse("2023-02-29 00:00", "%Y-%m-%d %H:%M"));
}

TEST(time_format, parse_iso_variants) {
  EXPECT_TRUE(timefmt::parse_iso("2030-01-02T10:00:00Z"));
  EXPECT_TRUE(timefmt::parse_iso("2030-01-02 10:00:00"));
  EXPECT_TRUE(timefmt::parse_iso("2030-01-02T10:00:00+00:00"));
  EXPECT_TRUE(timefmt::parse_iso("2030-01-02"));
  EXPECT_FALSE(timefmt::parse_iso("2030-01-02T10:00:00+02:00"));
  EXPECT_FALSE(timefmt::parse_iso("2030-01-02T"));
  EXPECT_FALSE(timefmt::parse_iso("yesterday"));
}

TEST(time_format, unix_round_trip) {
  auto t = timefmt::from_unix(1700000000);
  EXPECT_EQ(timefmt::unix_seconds(t), 1700000000);
}
