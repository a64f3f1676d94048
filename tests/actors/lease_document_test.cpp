#include <gtest/gtest.h>

#include "tests/actors/bodies.hpp"
#include "actors/lease/lease_document.hpp"
#include "actors/lease/lease_json.hpp"
#include "common/time_format.hpp"

// Inside the namespace: `lease` is the type, as in the code under test.
namespace steward::lease {

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
  lease l;
  std::vector<host_reservation> rs;
  ASSERT_FALSE(steward::test::make_lease_from(body(), now_, 60, "aa45", "alice", l, rs));
  auto doc = present(l);
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
  auto before = find_event(l, event_type::before_end_lease);
  ASSERT_TRUE(before);
  EXPECT_EQ(before->time, *timefmt::parse("2030-02-22 20:00", "%Y-%m-%d %H:%M"));
  EXPECT_EQ(before->status, event_status::undone);
  for (auto& e : doc["events"])
    if (e["event_type"] == "before_end_lease") {
      EXPECT_EQ(e["time"], "2030-02-22T20:00:00.000000");
      EXPECT_EQ(e["status"], "UNDONE");
    }
  EXPECT_EQ(rs.size(), 1u);
  EXPECT_EQ(stable_status(l), lease_status::pending);
}

TEST(lease_document, no_before_end_event_when_the_offset_is_zero) {
  auto b = body();
  b.erase("before_end_date");
  lease l;
  std::vector<host_reservation> rs;
  ASSERT_FALSE(steward::test::make_lease_from(b, now_, 0, "p", "u", l, rs));
  EXPECT_EQ(l.events.size(), 2u);
  EXPECT_TRUE(present(l)["before_end_date"].is_null());
}

TEST(lease_document, refusals) {
  lease doc;
  std::vector<host_reservation> rs;
  auto refuse = [&](json b) {
    auto r = steward::test::make_lease_from(b, now_, 60, "p", "u", doc, rs);
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
  auto with = [](event_status start, event_status end) {
    lease l;
    l.events = {lease_event{"s", event_type::start_lease, {}, start, {}, {}},
                lease_event{"e", event_type::end_lease, {}, end, {}, {}}};
    return l;
  };
  EXPECT_EQ(stable_status(with(event_status::undone, event_status::undone)),
            lease_status::pending);
  EXPECT_EQ(stable_status(with(event_status::done, event_status::undone)), lease_status::active);
  EXPECT_EQ(stable_status(with(event_status::done, event_status::done)),
            lease_status::terminated);
  EXPECT_EQ(stable_status(with(event_status::undone, event_status::done)), lease_status::error);
  EXPECT_EQ(stable_status(with(event_status::error, event_status::undone)), lease_status::error);
  EXPECT_EQ(stable_status(lease{}), lease_status::error) << "no events";
}

namespace {

lease created() {
  lease l;
  std::vector<host_reservation> rs;
  EXPECT_FALSE(steward::test::make_lease_from(body(), now_, 60, "p", "u", l, rs));
  return l;
}

void mark_done(lease& l, event_type type) {
  find_event(l, type)->status = event_status::done;
}

std::string update_refusal(lease& l, json b, sys_time when = now_) {
  auto r = steward::test::update_lease_from(l, b, when);
  return r ? r->message : std::string{};
}

// A field of the lease as Blazar shows it.
json shown(const lease& l, const char* field) {
  return present(l)[field];
}

std::string event_time(const lease& l, event_type type) {
  return show_date(find_event(l, type)->time);
}

} // namespace

TEST(lease_update, rename_and_move_a_pending_lease) {
  auto lease = created();
  EXPECT_EQ(update_refusal(lease, {{"name", "renamed"}}), "");
  EXPECT_EQ(lease.name, "renamed");
  EXPECT_FALSE(shown(lease, "updated_at").is_null());
  // Prolong by a day: the before-end event keeps its 2 days before the end.
  EXPECT_EQ(update_refusal(lease, {{"end_date", "2030-02-25 20:00"}}), "");
  EXPECT_EQ(shown(lease, "end_date"), "2030-02-25T20:00:00.000000");
  EXPECT_EQ(event_time(lease, event_type::end_lease), "2030-02-25T20:00:00.000000");
  EXPECT_EQ(shown(lease, "before_end_date"), "2030-02-23T20:00:00.000000");
  // Defer the start.
  EXPECT_EQ(update_refusal(lease, {{"start_date", "2030-02-22 08:00"}}), "");
  EXPECT_EQ(event_time(lease, event_type::start_lease), "2030-02-22T08:00:00.000000");
  // Shorten so much the before-end event would come before the start: clamped.
  EXPECT_EQ(update_refusal(lease, {{"end_date", "2030-02-22 09:00"}}), "");
  EXPECT_EQ(shown(lease, "before_end_date"), "2030-02-22T08:00:00.000000");
}

TEST(lease_update, refusals_leave_the_lease_unchanged) {
  auto lease = created();
  auto before = lease;
  EXPECT_EQ(update_refusal(lease, {{"end_date", "2030-02-21 19:00"}}),
            "End date must be later than current and start date");
  EXPECT_EQ(update_refusal(lease, {{"start_date", "2030-02-20 10:00"}}),
            "Start date must be later than current date");
  EXPECT_EQ(update_refusal(lease, {{"end_date", "soon"}}),
            "soon is an invalid date. Required format: %Y-%m-%d %H:%M");
  EXPECT_EQ(update_refusal(lease, {{"before_end_date", "2030-02-25 10:00"}}),
            "Datetime is out of lease limits");
  EXPECT_EQ(update_refusal(lease, {{"end_date", "now"}}),
            "End date must be later than current and start date") << "a pending lease cannot end now";
  EXPECT_EQ(update_refusal(lease, {{"name", ""}}), "Malformed parameter name");
  EXPECT_TRUE(lease == before);
}

TEST(lease_update, started_and_terminated_leases) {
  auto lease = created();
  mark_done(lease, event_type::start_lease);
  auto later = now_ + std::chrono::hours{10};
  EXPECT_EQ(update_refusal(lease, {{"start_date", "2030-02-22 10:00"}}, later),
            "Cannot modify the start date of already started leases");
  EXPECT_EQ(update_refusal(lease, {{"start_date", "2030-02-21 20:00"}}, later), "")
    << "the same start is no change";
  EXPECT_EQ(update_refusal(lease, {{"end_date", "now"}}, later), "");
  EXPECT_EQ(shown(lease, "end_date"), show_date(later)) << "ends at once";
  mark_done(lease, event_type::end_lease);
  EXPECT_EQ(update_refusal(lease, {{"end_date", "2030-03-01 10:00"}}, later),
            "Terminated leases can only be renamed");
  EXPECT_EQ(update_refusal(lease, {{"name", "old"}}, later), "");
  EXPECT_EQ(lease.name, "old");
}

} // namespace steward::lease
