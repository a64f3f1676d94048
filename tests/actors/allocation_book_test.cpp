#include <gtest/gtest.h>

#include "actors/lease/allocation_book.hpp"
#include "common/time_format.hpp"
#include "tests/actors/typed_host.hpp"

using namespace steward;
using namespace steward::lease;
using nlohmann::json;

namespace {

sys_time at(const char* t) { return *timefmt::parse(t, "%Y-%m-%d %H:%M"); }

inventory::host host(const std::string& id, const std::string& name, int vcpus,
                     const char* status = "enabled", const char* state = "up") {
  return *test::typed_host({{"id", id}, {"hypervisor_hostname", name}, {"vcpus", vcpus},
                            {"status", status}, {"state", state},
                            {"extra", {{"gpu", vcpus > 8 ? "true" : "false"}}}});
}

host_reservation wants(int min, int max, const std::string& filter = "") {
  host_reservation r;
  r.min = min;
  r.max = max;
  std::string err;
  r.hypervisor_filter = *host_filter::parse(filter, err);
  return r;
}

const std::vector<inventory::host> host_docs = {host("h3", "compute-3", 16), host("h1", "compute-1", 8),
                                     host("h2", "compute-2", 16), host("h4", "compute-4", 16, "disabled"),
                                     host("h5", "compute-5", 16, "enabled", "down")};

std::vector<const inventory::host*> pointers(const std::vector<inventory::host>& docs) {
  std::vector<const inventory::host*> out;
  for (auto& d : docs)
    out.push_back(&d);
  return out;
}

const std::vector<const inventory::host*> hosts = pointers(host_docs);

} // namespace

TEST(allocation_book, chooses_up_to_max_in_name_order_never_unusable_hosts) {
  allocation_book book;
  auto chosen = book.choose(hosts, wants(1, 10), at("2030-01-01 10:00"), at("2030-01-02 10:00"));
  ASSERT_TRUE(chosen);
  EXPECT_EQ(*chosen, (std::vector<std::string>{"h1", "h2", "h3"})) << "h4 disabled, h5 down";
  chosen = book.choose(hosts, wants(1, 2), at("2030-01-01 10:00"), at("2030-01-02 10:00"));
  EXPECT_EQ(chosen->size(), 2u);
  chosen = book.choose(hosts, wants(1, 5, R"([">=", "$vcpus", 16])"), at("2030-01-01 10:00"),
                       at("2030-01-02 10:00"));
  EXPECT_EQ(*chosen, (std::vector<std::string>{"h2", "h3"}));
  EXPECT_FALSE(book.choose(hosts, wants(4, 4), at("2030-01-01 10:00"), at("2030-01-02 10:00")))
    << "not enough hosts";
  auto maintained = host_docs;
  maintained[0].maintenance_session = "s-1";
  chosen = book.choose(pointers(maintained), wants(1, 5), at("2030-01-01 10:00"), at("2030-01-02 10:00"));
  EXPECT_EQ(*chosen, (std::vector<std::string>{"h1", "h2"})) << "a host in maintenance is never handed out";
}

TEST(allocation_book, no_host_in_two_overlapping_leases) {
  allocation_book book;
  book.add("h1", {"lease-a", "r-a", at("2030-01-01 10:00"), at("2030-01-02 10:00")});
  EXPECT_FALSE(book.is_free("h1", at("2030-01-01 20:00"), at("2030-01-03 10:00")));
  EXPECT_FALSE(book.is_free("h1", at("2030-01-01 08:00"), at("2030-01-01 10:01")));
  EXPECT_TRUE(book.is_free("h1", at("2030-01-02 10:00"), at("2030-01-03 10:00"))) << "back to back";
  EXPECT_TRUE(book.is_free("h1", at("2029-12-31 10:00"), at("2030-01-01 10:00")));
  EXPECT_TRUE(book.is_free("h1", at("2030-01-01 20:00"), at("2030-01-03 10:00"), "lease-a"))
    << "a lease moving its own dates";
  auto chosen = book.choose(hosts, wants(1, 3), at("2030-01-01 20:00"), at("2030-01-03 10:00"));
  EXPECT_EQ(*chosen, (std::vector<std::string>{"h2", "h3"}));
  EXPECT_TRUE(book.reserved("h1"));
  book.remove_lease("lease-a");
  EXPECT_FALSE(book.reserved("h1"));
  EXPECT_TRUE(book.is_free("h1", at("2030-01-01 20:00"), at("2030-01-03 10:00")));
}
