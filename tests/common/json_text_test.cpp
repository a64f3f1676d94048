// json_string() writes what nlohmann's dump writes for a string, byte for byte.
#include "common/json_text.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace steward {
namespace {

std::string by_nlohmann(const std::string& s) {
  return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

TEST(JsonText, QuotesAsNlohmannDoes) {
  std::string every_control;
  for (int c = 0; c < 0x20; ++c)
    every_control += static_cast<char>(c);
  for (std::string s : {std::string{}, std::string{"plain"}, std::string{"say \"hi\""},
                        std::string{"back\\slash/"}, std::string{"line\nbreak\r\ttab"},
                        every_control, std::string{"del \x7f"},
                        std::string{"{\"nested\":\"json \\\"text\\\"\"}"},
                        std::string{"caf\xc3\xa9 \xe2\x82\xac"},       // UTF-8
                        std::string{"broken \xc3 utf-8 \xff"}})  // not UTF-8: replaced
    EXPECT_EQ(json_string(s), by_nlohmann(s)) << s;
}

TEST(JsonText, AppendsToWhatIsThere) {
  std::string out = "{\"a\":";
  append_json_string(out, "x\"y");
  EXPECT_EQ(out, "{\"a\":\"x\\\"y\"");
}

} // namespace
} // namespace steward
