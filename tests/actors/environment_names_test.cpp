// The environment registry on CAF's test coordinator: names stay unique per
// project while a write is on its way to the disk, and environments come
// back from their stored rows.
#include <gtest/gtest.h>

#include <optional>

#include "http/routes/environment_body.hpp"
#include "tests/actors/deterministic.hpp"

using namespace steward;
using nlohmann::json;

namespace {

const std::string shop = "p-shop";

struct environment_names : test::deterministic_actors {
  void SetUp() override { start(); }

  static request_context wendy() {
    request_context ctx;
    ctx.who.user_id = "wendy";
    ctx.who.projects[shop] = access::role::admin;
    return ctx;
  }
  // Sends `request` and keeps its answer when it comes: the test runs the
  // actors itself, so that a write can be held on its way to the disk.
  template <class Request>
  void send(Request request, std::optional<api_reply>& answer) {
    auto to = environments;
    sys.spawn([to, request, &answer](caf::event_based_actor* self) {
      self->request(to, caf::infinite, request).then([&answer](api_reply& r) { answer = r; });
    });
  }
  api_reply create(const std::string& name) {
    return ask<api_reply>(environments,
                          environment_create{wendy(), http::read_environment({{"name", name}}, true)});
  }
};

} // namespace

TEST_F(environment_names, a_rename_on_its_way_to_the_disk_holds_its_name) {
  auto shop_id = create("shop").body.value("id", "");
  auto other_id = create("other").body.value("id", "");
  ASSERT_FALSE(other_id.empty());
  stored.answers = test::store_log::mode::hold;
  std::optional<api_reply> renamed, created, renamed_too;
  send(environment_rename{wendy(), other_id, http::read_environment({{"name", "store"}}, false)},
       renamed);
  run();
  ASSERT_EQ(stored.held.size(), 1u) << "the rename waits for the disk";
  EXPECT_FALSE(renamed);
  send(environment_create{wendy(), http::read_environment({{"name", "store"}}, true)}, created);
  send(environment_rename{wendy(), shop_id, http::read_environment({{"name", "store"}}, false)},
       renamed_too);
  run();
  ASSERT_TRUE(created && renamed_too);
  EXPECT_EQ(created->status, 409) << "the name is claimed by the rename under way";
  EXPECT_EQ(renamed_too->status, 409);
  stored.answers = test::store_log::mode::answer;
  release_held_writes();
  ASSERT_TRUE(renamed);
  EXPECT_EQ(renamed->status, 200);
  EXPECT_EQ(create("other").status, 200) << "the old name is free";
  EXPECT_EQ(create("store").status, 409);
}

TEST_F(environment_names, a_refused_rename_frees_its_claim) {
  auto id = create("shop").body.value("id", "");
  stored.answers = test::store_log::mode::fail;
  auto r = ask<api_reply>(environments,
                          environment_rename{wendy(), id, http::read_environment({{"name", "store"}}, false)});
  EXPECT_EQ(r.status, 500);
  stored.answers = test::store_log::mode::answer;
  EXPECT_EQ(create("store").status, 200) << "a rename that was not stored claims nothing";
}

TEST_F(environment_names, environments_come_back_with_their_names) {
  auto id = create("shop").body.value("id", "");
  auto session = ask<api_reply>(environments, environment_configure{wendy(), id});
  ASSERT_EQ(session.status, 200);
  stop();
  start();
  EXPECT_EQ(create("shop").status, 409) << "the recovered name is taken";
  auto shown = ask<api_reply>(environments, environment_show{wendy(), id, ""});
  ASSERT_EQ(shown.status, 200);
  // Shows and lists answer their text, serialized once.
  ASSERT_TRUE(shown.text);
  EXPECT_EQ(json::parse(*shown.text)["status"], "pending") << "its session came back";
  auto list = ask<api_reply>(environments, environment_list{wendy(), false, ""});
  ASSERT_TRUE(list.text);
  EXPECT_EQ(json::parse(*list.text)["environments"].size(), 1u);
}
