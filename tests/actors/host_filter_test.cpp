#include <gtest/gtest.h>

#include "actors/lease/host_filter.hpp"
#include "tests/actors/typed_host.hpp"

using namespace steward::lease;
using nlohmann::json;

namespace {

const auto host = *steward::test::typed_host(
  {{"id", "h-1"}, {"hypervisor_hostname", "compute-1"}, {"vcpus", 16}, {"memory_mb", 65536},
   {"hypervisor_type", "QEMU"}, {"extra", {{"gpu", "true"}, {"rack", "r7"}}}});

bool passes(const std::string& text) {
  std::string err;
  auto f = host_filter::parse(text, err);
  EXPECT_TRUE(f) << text << ": " << err;
  return f && f->matches(host);
}

} // namespace

TEST(host_filter, empty_filters_match_every_host) {
  EXPECT_TRUE(passes(""));
  EXPECT_TRUE(passes("[]"));
  EXPECT_TRUE(passes("  "));
}

TEST(host_filter, every_operator_on_columns_and_capabilities) {
  EXPECT_TRUE(passes(R"(["==", "$hypervisor_hostname", "compute-1"])"));
  EXPECT_TRUE(passes(R"(["=", "$hypervisor_hostname", "compute-1"])"));
  EXPECT_FALSE(passes(R"(["==", "$hypervisor_hostname", "compute"])"));
  EXPECT_TRUE(passes(R"(["!=", "$hypervisor_type", "KVM"])"));
  EXPECT_TRUE(passes(R"([">=", "$vcpus", "16"])"));
  EXPECT_FALSE(passes(R"([">", "$vcpus", "16"])"));
  EXPECT_TRUE(passes(R"(["<", "$vcpus", "100"])")) << "numbers compare as numbers, not text";
  EXPECT_TRUE(passes(R"(["<=", "$memory_mb", 65536])"));
  EXPECT_TRUE(passes(R"(["==", "$gpu", "true"])"));
  EXPECT_TRUE(passes(R"(["==", "$gpu", true])"));
  EXPECT_FALSE(passes(R"(["==", "$colour", "blue"])")) << "a field the host lacks never matches";
  EXPECT_TRUE(passes(R"(["and", [">=", "$vcpus", "8"], ["==", "$rack", "r7"]])"));
  EXPECT_FALSE(passes(R"(["and", [">=", "$vcpus", "8"], ["==", "$rack", "r8"]])"));
  EXPECT_TRUE(passes(R"(["and", ["and", ["==", "$gpu", "true"]], ["<", "$vcpus", 32]])"));
}

TEST(host_filter, malformed_filters_say_why) {
  for (auto bad : {"[", "\"text\"", "[\"~\", \"$vcpus\", 1]", "[\"==\", \"vcpus\", 1]",
                   "[\"==\", \"$vcpus\"]", "[\"==\", \"$vcpus\", [1]]", "[\"and\"]",
                   "[\"and\", [\"==\", \"$a\"]]", "[\"or\", [\"==\", \"$a\", 1]]", "{}", "[1, 2, 3]"}) {
    std::string err;
    EXPECT_FALSE(host_filter::parse(bad, err)) << bad;
    EXPECT_FALSE(err.empty()) << bad;
  }
}
