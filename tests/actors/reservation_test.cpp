#include <gtest/gtest.h>

#include "actors/lease/reservation.hpp"
#include "http/routes/lease_body.hpp"
#include "tests/actors/typed_host.hpp"

using namespace steward::lease;
using nlohmann::json;

namespace {

json good() {
  return {{"resource_type", "physical:host"}, {"min", 1}, {"max", "2"},
          {"hypervisor_properties", R"(["==", "$hypervisor_hostname", "compute"])"},
          {"resource_properties", ""}, {"before_end", "snapshot"}};
}

std::string refusal_of(json r) {
  reservation_request out;
  auto refused = steward::http::read_reservation(r, out);
  return refused ? refused->error : "";
}

// Read as the route reads it, then with its filters parsed.
host_reservation wanted(const json& r) {
  reservation_request asked;
  auto refused = steward::http::read_reservation(r, asked);
  EXPECT_FALSE(refused) << refused->error;
  auto out = wanted_by(asked);
  EXPECT_TRUE(out);
  return out.value_or(host_reservation{});
}

} // namespace

TEST(reservation, a_valid_host_reservation) {
  auto out = wanted(good());
  EXPECT_EQ(out.min, 1);
  EXPECT_EQ(out.max, 2) << "a number in a string is taken, as Blazar does";
  EXPECT_EQ(out.before_end, "snapshot");
  EXPECT_TRUE(out.hypervisor_filter.matches(
    *steward::test::typed_host({{"id", "h-1"}, {"hypervisor_hostname", "compute"}})));
  EXPECT_FALSE(out.hypervisor_filter.matches(
    *steward::test::typed_host({{"id", "h-2"}, {"hypervisor_hostname", "other"}})));
  EXPECT_TRUE(out.resource_filter.matches_everything());
  auto plain = good();
  plain.erase("before_end");
  auto fresh = wanted(plain);
  EXPECT_EQ(fresh.before_end, "default");
}

TEST(reservation, every_refusal) {
  auto without = [](const char* field) {
    auto r = good();
    r.erase(field);
    return r;
  };
  auto with = [](const char* field, json v) {
    auto r = good();
    r[field] = v;
    return r;
  };
  EXPECT_EQ(refusal_of(without("max")), "Missing parameter max");
  EXPECT_EQ(refusal_of(without("min")), "Missing parameter min");
  EXPECT_EQ(refusal_of(without("resource_type")), "Missing parameter resource_type");
  EXPECT_EQ(refusal_of(with("min", "one")), "Malformed parameter min");
  EXPECT_EQ(refusal_of(with("max", 1.5)), "Malformed parameter max");
  auto range = "Invalid values for min/max of hosts. Max must be equal to or larger than min.";
  EXPECT_EQ(refusal_of(with("min", 3)), range);
  EXPECT_EQ(refusal_of(with("min", 0)), range);
  EXPECT_EQ(refusal_of(with("resource_type", "virtual:instance")),
            "Unsupported resource type: virtual:instance");
  EXPECT_EQ(refusal_of(with("hypervisor_properties", "[\"~\", \"$a\", 1]")).rfind(
              "Malformed parameter hypervisor_properties", 0), 0u);
  EXPECT_EQ(refusal_of(with("resource_properties", 7)), "Malformed parameter resource_properties");
  EXPECT_NE(refusal_of(with("before_end", "explode")), "");
  EXPECT_EQ(refusal_of(json::array()), "Malformed parameter reservations");
}
