// Outside JSON is read through parse_json: UTF-8 and nesting checked first.
#include "common/json_limits.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace steward {
namespace {

TEST(JsonLimits, WellFormedUtf8IsValid) {
  for (std::string s : {"", "plain", "caf\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
                        "\xed\x9f\xbf", "\xf4\x8f\xbf\xbf", "\xc2\x80"})
    EXPECT_TRUE(valid_utf8(s)) << s;
}

TEST(JsonLimits, EveryKindOfBadUtf8IsRefused) {
  for (std::string s : {"\xff", "\xfe", "\x80", "a\xbf", "\xc0\xaf", "\xc1\xbf", "\xe0\x80\xaf",
                        "\xe0\xa4", "\xed\xa0\x80", "\xf0\x80\x80\xaf", "\xf4\x90\x80\x80",
                        "\xf5\x80\x80\x80", "\xc3", "\xe2\x82", "\xf0\x9f\x98", "\xc3\x28"})
    EXPECT_FALSE(valid_utf8(s)) << "byte " << int(static_cast<unsigned char>(s[0]));
}

TEST(JsonLimits, DepthCountsArraysAndObjectsButNotStrings) {
  EXPECT_EQ(json_depth("1", 10), 0u);
  EXPECT_EQ(json_depth("[]", 10), 1u);
  EXPECT_EQ(json_depth(R"({"a": [{"b": []}], "c": {}})", 10), 4u);
  EXPECT_EQ(json_depth(R"({"a": "[[[[{{{{\"]]"})", 10), 1u) << "brackets inside strings";
  EXPECT_EQ(json_depth(std::string(100000, '['), 10), 11u) << "counting stops past the limit";
}

TEST(JsonLimits, ParseRefusesWhatIsTooDeepOrNotText) {
  std::string error;
  auto ok = parse_json(R"({"a": [1, {"b": null}]})", 3, error);
  ASSERT_TRUE(ok) << error;
  EXPECT_EQ((*ok)["a"][1]["b"], nullptr);
  EXPECT_FALSE(parse_json(R"({"a": [1, {"b": null}]})", 2, error));
  EXPECT_EQ(error, "nests deeper than 2 levels");
  EXPECT_FALSE(parse_json(std::string(60000, '[') + std::string(60000, ']'), 32, error));
  EXPECT_EQ(error, "nests deeper than 32 levels");
  EXPECT_FALSE(parse_json("{\"a\": \"\xff\"}", 32, error));
  EXPECT_EQ(error, "is not valid UTF-8");
  EXPECT_FALSE(parse_json("{\"a\": ", 32, error));
  EXPECT_EQ(error, "is not valid JSON");
}

} // namespace
} // namespace steward
