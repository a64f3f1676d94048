#include <gtest/gtest.h>

#include <set>

#include "common/access.hpp"
#include "common/clock.hpp"
#include "common/ids.hpp"

using namespace steward;

TEST(ids, uuids_are_canonical_and_distinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    auto u = make_uuid();
    EXPECT_TRUE(is_uuid(u)) << u;
    EXPECT_EQ(u[14], '4');
    seen.insert(u);
  }
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_FALSE(is_uuid("not-a-uuid"));
  EXPECT_EQ(random_hex(20).size(), 40u);
}

TEST(clock, advance_moves_now_and_tells_listeners) {
  steward_clock c;
  int heard = 0;
  c.on_jump([&] { ++heard; });
  auto before = c.now();
  c.advance(std::chrono::hours{2});
  EXPECT_GE(c.now() - before, std::chrono::hours{2});
  EXPECT_EQ(c.offset(), std::chrono::hours{2});
  EXPECT_EQ(heard, 1);
}

TEST(access, roles_and_visibility) {
  access::caller member{"m", false, {{"p1", access::role::member}}, {}};
  access::caller admin{"a", false, {{"p1", access::role::admin}}, {"c1"}};
  access::caller staff{"s", true, {}, {}};
  EXPECT_TRUE(access::can_see_project(member, "p1"));
  EXPECT_FALSE(access::can_see_project(member, "p2"));
  EXPECT_TRUE(access::can_see_project(staff, "p2"));
  EXPECT_FALSE(access::has_project_role(member, "p1", access::role::manager));
  EXPECT_TRUE(access::has_project_role(admin, "p1", access::role::manager));
  EXPECT_TRUE(access::owns_customer(admin, "c1"));
  EXPECT_FALSE(access::owns_customer(member, "c1"));
  EXPECT_FALSE(access::can_see_event(member, ""));
  EXPECT_TRUE(access::can_see_event(member, "p1"));
  EXPECT_TRUE(access::can_see_event(staff, ""));
  access::role r;
  EXPECT_FALSE(access::parse_role("owner", r));
}

TEST(access, customers_keys_and_the_sole_project) {
  access::caller member{"m", false, {{"p1", access::role::member}}, {}};
  access::caller owner{"o", false, {}, {"c1"}};
  access::caller two{"t", false, {{"p1", access::role::admin}, {"p2", access::role::member}}, {}};
  access::caller staff{"s", true, {}, {}};
  EXPECT_TRUE(access::can_see_customer_project(member, "p1", "c9"));
  EXPECT_TRUE(access::can_see_customer_project(owner, "p7", "c1")) << "the customer's owner";
  EXPECT_FALSE(access::can_see_customer_project(owner, "p7", "c2"));
  EXPECT_FALSE(access::can_see_customer_project(member, "p7", "")) << "a project of no customer";
  EXPECT_TRUE(access::can_see_customer_project(staff, "p7", ""));
  EXPECT_TRUE(access::is_self(member, "m"));
  EXPECT_FALSE(access::is_self(member, "o"));
  EXPECT_FALSE(access::is_self(access::caller{}, "")) << "nobody is the empty user";
  EXPECT_TRUE(access::is_self(staff, "o"));
  EXPECT_EQ(access::sole_project(member), "p1");
  EXPECT_EQ(access::sole_project(two), "");
  EXPECT_EQ(access::sole_project(staff), "");
}

TEST(access, what_a_customer_or_a_group_owns_is_seen_through_its_projects) {
  access::caller member{"m", false, {{"p1", access::role::member}}, {}};
  access::caller owner{"o", false, {}, {"c1"}};
  access::caller staff{"s", true, {}, {}};
  access::caller staff_in_project{"sp", true, {{"p1", access::role::admin}}, {}};
  EXPECT_TRUE(access::can_see_through_projects(member, "c9", {"p0", "p1"}));
  EXPECT_FALSE(access::can_see_through_projects(member, "c9", {"p0", "p2"}));
  EXPECT_FALSE(access::can_see_through_projects(member, "c9", {})) << "a customer of no project";
  EXPECT_TRUE(access::can_see_through_projects(owner, "c1", {})) << "its owner";
  EXPECT_FALSE(access::can_see_through_projects(owner, "c2", {"p1"}));
  EXPECT_FALSE(access::can_see_through_projects(owner, "", {})) << "no customer has no owner";
  EXPECT_TRUE(access::can_see_through_projects(staff, "", {}));
  EXPECT_TRUE(access::acts_for_no_project(staff));
  EXPECT_FALSE(access::acts_for_no_project(staff_in_project));
  EXPECT_FALSE(access::acts_for_no_project(owner)) << "not staff";
}
