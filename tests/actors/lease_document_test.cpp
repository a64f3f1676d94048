#include <gtest/gtest.h>

#include "actors/lease/lease_document.hpp"
#include "common/time_format.hpp"

using namespace steward;
using namespace steward::lease;
using nlohmann::json;

namespace {

const sys_time now_ = *timefmt::parse("2030-02-21 14:50", "%Y-%m-%d %H:%M");

json body() {
  return {{"name", "lease_foo"}, {"start_date", "2030-02-21 20:00"},
          {"end_date", "2030-02-24 20:00"}, {"before_end_date", "2030-02-22 20:00"},
          {"reservations", {{{"resource_type", "physical:host"}, {"min", 1}, {"max", 1},
                             {"hypervisor_properties", "[\"==\", \"$hypervisor_hostname\", \"compute\"]"},
                             {"resource_properties", ""}}}},
          {"events", json::array()}};
}

} // namespace

TEST(lease_document, built_as_the_seed_shows_it) {
  json doc;
  std::vector<host_reservation> rs;
  ASSERT_FALSE(make_lease(body(), now_, 60, "aa45", "alice", doc, rs));
  EXPECT_EQ(doc["status"], "PENDING");
  EXPECT_EQ(doc["start_date"], "2030-02-21T20:00:00.000000");
  EXPECT_EQ(doc["end_date"], "2030-02-24T20:00:00.000000");
  EXPECT_EQ(doc["created_at"], "2030-02-21 14:50:00");
  EXPECT_EQ(doc["project_id"], "aa45");
  ASSERT_EQ(doc["reservations"].size(), 1u);
  auto& r = doc["reservations"][0];
  EXPECT_EQ(r["status"], "pending");
  EXPECT_EQ(r["lease_id"], doc["id"]);
  EXPECT_EQ(r["before_end"], "default");
  ASSERT_EQ(doc["events"].size(), 3u);
  auto before = find_event(doc, "before_end_lease");
  ASSERT_TRUE(before);
  EXPECT_EQ((*before)["time"], "2030-02-22T20:00:00.000000");
  EXPECT_EQ((*before)["status"], "UNDONE");
  EXPECT_EQ(rs.size(), 1u);
  EXPECT_EQ(stable_status(doc), "PENDING");
}

TEST(lease_document, no_before_end_event_when_the_offset_is_zero) {
  auto b = body();
  b.erase("before_end_date");
  json doc;
  std::vector<host_reservation> rs;
  ASSERT_FALSE(make_lease(b, now_, 0, "p", "u", doc, rs));
  EXPECT_EQ(doc["events"].size(), 2u);
  EXPECT_TRUE(doc["before_end_date"].is_null());
}

TEST(lease_document, refusals) {
  json doc;
  std::vector<host_reservation> rs;
  auto refuse = [&](json b) {
    auto r = make_lease(b, now_, 60, "p", "u", doc, rs);
    return r ? r->message : std::string{};
  };
  auto b = body();
  b.erase("name");
  EXPECT_EQ(refuse(b), "Missing parameter name");
  b = body();
  b["reservations"] = json::array();
  EXPECT_EQ(refuse(b), "Missing parameter reservations");
  b = body();
  b["reservations"][0]["max"] = 0;
  EXPECT_NE(refuse(b).find("min/max"), std::string::npos);
  b = body();
  b.erase("end_date");
  EXPECT_EQ(refuse(b), "Missing parameter end_date");
  EXPECT_EQ(refuse(json::array()), "The request body must be a JSON object");
}

TEST(lease_document, stable_status_from_events) {
  auto with = [](const char* start, const char* end) {
    return json{{"events", {{{"event_type", "start_lease"}, {"status", start}},
                            {{"event_type", "end_lease"}, {"status", end}}}}};
  };
  EXPECT_EQ(stable_status(with("UNDONE", "UNDONE")), "PENDING");
  EXPECT_EQ(stable_status(with("DONE", "UNDONE")), "ACTIVE");
  EXPECT_EQ(stable_status(with("DONE", "DONE")), "TERMINATED");
  EXPECT_EQ(stable_status(with("ERROR", "UNDONE")), "ERROR");
  EXPECT_EQ(stable_status(with("UNDONE", "DONE")), "ERROR");
  EXPECT_EQ(stable_status(json::object()), "ERROR");
}
