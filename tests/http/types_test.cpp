#include "http/types.hpp"

#include <gtest/gtest.h>

namespace steward::http {
namespace {

TEST(UrlDecode, DecodesPercentEscapes) {
  EXPECT_EQ(url_decode("/a%20b/c%2Fd", false), "/a b/c/d");
  EXPECT_EQ(url_decode("%41%62%7e", false), "Ab~");
  EXPECT_EQ(url_decode("%e2%82%ac", false), "\xe2\x82\xac");
}

TEST(UrlDecode, PlusIsSpaceOnlyWhenAsked) {
  EXPECT_EQ(url_decode("a+b", true), "a b");
  EXPECT_EQ(url_decode("a+b", false), "a+b");
  EXPECT_EQ(url_decode("a%2Bb", true), "a+b");
}

TEST(UrlDecode, KeepsBrokenEscapes) {
  EXPECT_EQ(url_decode("100%", false), "100%");
  EXPECT_EQ(url_decode("%4", false), "%4");
  EXPECT_EQ(url_decode("%zz%41", false), "%zzA");
  EXPECT_EQ(url_decode("", false), "");
}

TEST(ParseQuery, SplitsAndDecodesPairs) {
  auto q = parse_query("a=1&b=hello+world&a=2&c=%26%3D&flag&&=v&empty=");
  ASSERT_EQ(q.count("a"), 2u);
  auto [first, last] = q.equal_range("a");
  EXPECT_EQ(first->second, "1");
  EXPECT_EQ(std::next(first)->second, "2");
  EXPECT_EQ(q.find("b")->second, "hello world");
  EXPECT_EQ(q.find("c")->second, "&=");
  EXPECT_EQ(q.find("flag")->second, "");
  EXPECT_EQ(q.find("")->second, "v");
  EXPECT_EQ(q.find("empty")->second, "");
  EXPECT_EQ(q.size(), 7u);
}

TEST(ParseQuery, EmptyTextGivesNothing) {
  EXPECT_TRUE(parse_query("").empty());
  EXPECT_TRUE(parse_query("&&").empty());
}

TEST(ParseQuery, EncodedKeysAreDecoded) {
  auto q = parse_query("na%6De=x%20y");
  ASSERT_EQ(q.count("name"), 1u);
  EXPECT_EQ(q.find("name")->second, "x y");
}

TEST(Request, HeaderLookup) {
  request req;
  req.headers["x-auth-token"] = "secret";
  EXPECT_EQ(req.header("x-auth-token"), "secret");
  EXPECT_EQ(req.header("X-Auth-Token"), "secret");
  EXPECT_EQ(req.header("missing"), "");
}

TEST(Request, ParamAndParams) {
  request req;
  req.query = parse_query("tag=a&tag=b&limit=10");
  ASSERT_NE(req.param("limit"), nullptr);
  EXPECT_EQ(*req.param("limit"), "10");
  ASSERT_NE(req.param("tag"), nullptr);
  EXPECT_EQ(*req.param("tag"), "a");
  EXPECT_EQ(req.param("marker"), nullptr);
  EXPECT_EQ(req.params("tag"), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(req.params("marker").empty());
}

} // namespace
} // namespace steward::http
