// Each family's body reader: JSON in, typed fields out, each field checked on
// its own in the family's words; what depends on state is left to the actors.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http/routes/instance_body.hpp"
#include "http/routes/inventory_body.hpp"
#include "http/routes/lease_body.hpp"
#include "http/routes/maintenance_body.hpp"

using namespace steward;
using namespace steward::http;
using nlohmann::json;

TEST(request_bodies, a_lease_date_of_now_is_resolved_when_served_not_when_read) {
  auto body = read_lease_create(
    {{"name", "l"}, {"start_date", "now"}, {"end_date", "2030-01-01 10:00"},
     {"reservations", {{{"resource_type", "physical:host"}, {"min", "1"}, {"max", 2}}}}});
  ASSERT_FALSE(body.refused) << body.refused->error;
  ASSERT_TRUE(body.value.start && body.value.end);
  EXPECT_TRUE(body.value.start->now);
  EXPECT_FALSE(body.value.end->now);
  EXPECT_FALSE(body.value.before_end);
  ASSERT_EQ(body.value.reservations.size(), 1u);
  EXPECT_EQ(body.value.reservations[0].min, 1) << "Blazar's count in a string";
  EXPECT_EQ(body.value.reservations[0].before_end, "default");
}

TEST(request_bodies, a_refusal_is_the_familys_answer) {
  auto lease = read_lease_create({{"name", "l"}, {"start_date", "soon"}});
  ASSERT_TRUE(lease.refused);
  EXPECT_EQ(lease.refused->status, 400);
  EXPECT_EQ(lease.refused->error, "soon is an invalid date. Required format: %Y-%m-%d %H:%M");
  auto update = read_lease_update({{"reservations", json::array()}});
  ASSERT_TRUE(update.refused);
  EXPECT_NE(update.refused->error.find("cannot be changed"), std::string::npos);
  auto resize = read_resize({{"disk_size", "big"}});
  ASSERT_TRUE(resize.refused);
  EXPECT_EQ(resize.refused->status, 400);
  EXPECT_EQ(resize.refused->body, (json{{"disk_size", "A valid integer is required."}}))
    << "Waldur's shape: by field";
  auto session = read_session_create({{"maintenance_at", "2030-01-01 10:00:00"},
                                      {"metadata", {{"move_seconds", 0}}}});
  ASSERT_TRUE(session.refused);
  EXPECT_EQ(session.refused->error, "metadata move_seconds must be a whole number of seconds "
                                    "(1 to 86400)");
  auto constraint = read_instance_constraint({{"instance_id", "other"}, {"project_id", "p"}}, "i-1");
  ASSERT_TRUE(constraint.refused);
  EXPECT_EQ(constraint.refused->error, "instance_id other differs from the URL's i-1");
  EXPECT_TRUE(read_host_update(json::object()).refused);
  EXPECT_TRUE(read_capability_update({{"values", json::object()}}).refused) << "nothing to update";
  EXPECT_TRUE(read_enrollment({{"name", "c-1"}, {"vcpus", 4}}).refused) << "a host column";
}

TEST(request_bodies, what_needs_state_is_left_to_the_actors) {
  // A past date, an unknown host: the route cannot know; the registry says.
  auto session = read_session_create({{"maintenance_at", "2001-01-01 10:00:00"},
                                      {"hosts", {"nowhere", "nowhere", "c-2"}},
                                      {"metadata", {{"reply_seconds", 30}}}});
  ASSERT_FALSE(session.refused) << session.refused->error;
  EXPECT_EQ(session.value.hosts, (std::vector<std::string>{"nowhere", "c-2"})) << "once each";
  EXPECT_EQ(session.value.reply_seconds, 30);
  EXPECT_FALSE(session.value.move_seconds) << "the configured one, chosen by the registry";
  // A catalog object is the id its URL names; the registry looks it up.
  auto instance = read_instance_create(
    {{"hostname", "vm"}, {"project", "http://h/api/projects/p-9/"}, {"flavor", 7},
     {"security_groups", {{{"url", "http://h/api/security-groups/sg-1/"}}, 7}}});
  EXPECT_EQ(instance.project, "p-9");
  EXPECT_EQ(instance.errors.at("flavor"),
            (std::vector<std::string>{"Incorrect type. Expected URL string."}));
  EXPECT_EQ(instance.errors.at("template"), (std::vector<std::string>{"This field is required."}));
  EXPECT_EQ(instance.security_groups, (std::vector<std::string>{"sg-1", ""}))
    << "an item that names no group stays, for the registry's error in its place";
  auto reply = read_project_reply({{"state", "ACK_PLANNED_MAINTENANCE"},
                                   {"instance_actions", {{"i-1", "LIVE_MIGRATE"}, {"i-2", 7}}}});
  ASSERT_FALSE(reply.refused);
  EXPECT_EQ(reply.value.instance_actions.at("i-1").action,
            maintenance::instance_action::live_migrate);
  EXPECT_FALSE(reply.value.instance_actions.at("i-2").action);
  EXPECT_EQ(reply.value.instance_actions.at("i-2").given, "7");
}
