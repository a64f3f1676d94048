// Placement and capacity: allocation ratios, disabled and down hosts, the
// least-loaded choice and its tie-break, a full cloud.
#include "sim/world.hpp"

#include <gtest/gtest.h>

#include "sim_test_util.hpp"

namespace steward::sim::test {
namespace {

world small_world(allocation_ratios ratios = {}) {
  return world(parse_workload(small_workload()), ratios);
}

instance small_instance(const std::string& uuid) {
  instance i;
  i.uuid = uuid;
  i.cloud = "c1";
  i.size = flavor{"f-small", "small", 1, 2048, 20};
  return i;
}

TEST(World, AllowedIsCapacityTimesTheRatios) {
  world w = small_world({4, 1.5, 0.5});
  const host* h1 = w.find_host("c1", "h1");
  ASSERT_NE(h1, nullptr);
  resources a = w.allowed(*h1);
  EXPECT_EQ(a.vcpus, 32);
  EXPECT_EQ(a.memory_mb, 24576);
  EXPECT_EQ(a.disk_gb, 100);
}

TEST(World, UsedCountsFlavorAndDataVolume) {
  world w = small_world();
  resources u = w.used(*w.find_host("c1", "h1"));
  EXPECT_EQ(u.vcpus, 1);
  EXPECT_EQ(u.memory_mb, 2048);
  EXPECT_EQ(u.disk_gb, 30);  // 20 GB root (20480 MiB) + 10 GB volume
  EXPECT_EQ(w.used(*w.find_host("c1", "h3")).vcpus, 0);
}

TEST(World, TheLeastLoadedHostWinsAndTiesGoByName) {
  world w = small_world();
  resources small{1, 2048, 20};
  EXPECT_EQ(w.choose_host("c1", small), "h1") << "h1 and h2 carry the same: the first name";
  instance extra = small_instance("x1");
  extra.host = "h1";
  w.add_instance(extra);
  EXPECT_EQ(w.choose_host("c1", small), "h2") << "h1 is now fuller";
  EXPECT_EQ(w.choose_host("c1", small, "h2"), "h1") << "except the current host";
}

TEST(World, DisabledAndDownHostsAreNeverChosen) {
  world w = small_world();
  resources small{1, 2048, 20};
  w.find_host("c1", "h1")->disabled = true;
  EXPECT_EQ(w.choose_host("c1", small), "h2");
  w.find_host("c1", "h2")->forced_down = true;
  EXPECT_EQ(w.choose_host("c1", small), "") << "h3 is disabled too";
  EXPECT_NE(w.refusal(*w.find_host("c1", "h3"), small).find("disabled"), std::string::npos);
  EXPECT_NE(w.refusal(*w.find_host("c1", "h2"), small).find("down"), std::string::npos);
  w.find_host("c1", "h3")->disabled = false;
  EXPECT_EQ(w.choose_host("c1", small), "h3");
}

TEST(World, AFullCloudHasNoHost) {
  world w = small_world();
  resources big{8, 16384, 100};
  EXPECT_EQ(w.choose_host("c1", big), "") << "h1 and h2 hold 2048 MiB each, h3 is disabled";
  EXPECT_NE(w.refusal(*w.find_host("c1", "h1"), big).find("no room"), std::string::npos);
  w.find_host("c1", "h3")->disabled = false;
  EXPECT_EQ(w.choose_host("c1", big), "h3");
}

TEST(World, TheRatiosDecideWhatFits) {
  resources cores{40, 1024, 10};  // more vCPUs than 8 cores x 4
  EXPECT_EQ(small_world().choose_host("c1", cores), "");
  EXPECT_EQ(small_world({6, 1, 1}).choose_host("c1", cores), "h1");
  resources memory{1, 20000, 10};
  EXPECT_EQ(small_world().choose_host("c1", memory), "");
  EXPECT_EQ(small_world({4, 1.5, 1}).choose_host("c1", memory), "h1");
}

TEST(World, ShrinkingAlwaysFitsAndGrowingMayNot) {
  world w = small_world();
  const host& h1 = *w.find_host("c1", "h1");
  EXPECT_TRUE(w.fits(h1, {-1, -2048, -30}));
  EXPECT_TRUE(w.fits(h1, {0, 14336, 0}));
  EXPECT_FALSE(w.fits(h1, {0, 14337, 0}));
}

TEST(World, AnUnconfirmedMigrationHoldsBothHosts) {
  world w = small_world();
  instance* i1 = w.find_instance("i1");
  i1->migration_source = "h1";
  i1->host = "h2";
  EXPECT_EQ(w.used(*w.find_host("c1", "h1")).memory_mb, 2048);
  EXPECT_EQ(w.used(*w.find_host("c1", "h2")).memory_mb, 4096);
  i1->migration_source.clear();
  EXPECT_EQ(w.used(*w.find_host("c1", "h1")).memory_mb, 0);
}

TEST(World, FreeInternalAddressesAreNotTaken) {
  world w = small_world();
  std::string a = w.free_internal_ip("c1");
  instance x = small_instance("x1");
  x.host = "h1";
  x.ips.push_back({a, "internal"});
  w.add_instance(x);
  EXPECT_NE(w.free_internal_ip("c1"), a);
}

TEST(World, TheSnapshotShowsHostsAndInstances) {
  world w = small_world();
  json s = w.snapshot();
  ASSERT_EQ(s["clouds"].size(), 1u);
  const json& c = s["clouds"][0];
  EXPECT_EQ(c["name"], "c1");
  EXPECT_EQ(c["hosts"].size(), 3u);
  EXPECT_EQ(c["hosts"][0]["name"], "h1");
  EXPECT_EQ(c["hosts"][0]["instances"], json({"i1"}));
  EXPECT_EQ(c["hosts"][0]["used"]["memory_mb"], 2048);
  EXPECT_EQ(c["instances"].size(), 3u);
  EXPECT_EQ(s["allocation_ratios"]["cpu"], 4.0);
}

} // namespace
} // namespace steward::sim::test
