// The static methods Steward offers (POST /v1/actions), without actors.
#include <gtest/gtest.h>

#include "actors/environment/static_actions.hpp"

using namespace steward;
using namespace steward::environment;
using nlohmann::json;

namespace {

static_call call(json parameters = json::object(), std::string version = "=0") {
  return {"io.steward.Inventory", "listFlavors", "", std::move(version), std::move(parameters)};
}

int status_of(const std::optional<refusal>& r) { return r ? r->status : 200; }

} // namespace

TEST(static_actions, versions_are_checked_as_specs) {
  EXPECT_TRUE(meets("0.1.0", ""));
  EXPECT_TRUE(meets("0.1.0", "=0"));
  EXPECT_TRUE(meets("0.1.0", "=0.1"));
  EXPECT_TRUE(meets("0.1.0", "0.1.0"));
  EXPECT_FALSE(meets("0.1.0", "=1"));
  EXPECT_FALSE(meets("0.1.0", "=0.2"));
  EXPECT_TRUE(meets("0.1.0", ">=0.1"));
  EXPECT_FALSE(meets("0.1.0", ">0.1"));
  EXPECT_TRUE(meets("0.1.0", "<1"));
  EXPECT_FALSE(meets("0.1.0", "<=0.0.9"));
  for (auto bad : {"=", "=a", "1..2", "1.2.3.4", ">=x", "1."})
    EXPECT_EQ(status_of(check_version_spec(bad)), 400) << bad;
}

TEST(static_actions, calls_are_checked_class_version_method_then_parameters) {
  EXPECT_EQ(status_of(check_static_call(call())), 200);
  auto other = call();
  other.class_name = "io.murano.Nothing";
  EXPECT_EQ(status_of(check_static_call(other)), 404);
  auto package = call();
  package.package_name = "io.murano";
  EXPECT_EQ(status_of(check_static_call(package)), 404);
  package.package_name = "io.steward";
  EXPECT_EQ(status_of(check_static_call(package)), 200);
  EXPECT_EQ(status_of(check_static_call(call(json::object(), "=1"))), 404);
  EXPECT_EQ(status_of(check_static_call(call(json::object(), "=x"))), 400);
  auto method = call();
  method.method_name = "deleteEverything";
  EXPECT_EQ(status_of(check_static_call(method)), 404);
  EXPECT_EQ(status_of(check_static_call(call({{"colour", "red"}}))), 400);
  EXPECT_EQ(status_of(check_static_call(call({{"minCores", "two"}}))), 400);
  EXPECT_EQ(status_of(check_static_call(call({{"minRam", -1}}))), 400);
  EXPECT_EQ(status_of(check_static_call(call({{"minCores", 2}, {"minRam", 4096}}))), 200);
}

TEST(static_actions, list_flavors_filters_the_catalog_by_name) {
  json catalog = json::array(
    {{{"uuid", "f-3"}, {"name", "m1.large"}, {"cores", 4}, {"ram", 8192}, {"disk", 81920}},
     {{"uuid", "f-1"}, {"name", "m1.small"}, {"cores", 1}, {"ram", 2048}, {"disk", 20480}},
     {{"uuid", "f-2"}, {"name", "m1.medium"}, {"cores", 2}, {"ram", 4096}, {"disk", 40960}}});
  auto all = list_flavors(call(), catalog);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0]["name"], "m1.large");
  EXPECT_EQ(all[2]["id"], "f-1");
  auto big = list_flavors(call({{"minCores", 2}, {"minRam", 8000}}), catalog);
  ASSERT_EQ(big.size(), 1u);
  EXPECT_EQ(big[0]["name"], "m1.large");
  EXPECT_TRUE(list_flavors(call(), json::object()).empty());
}
