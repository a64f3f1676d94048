#include <algorithm>

#include <gtest/gtest.h>

#include "tests/actors/bodies.hpp"
#include "actors/lease/lease_document.hpp"
#include "actors/lease/lease_events.hpp"
#include "actors/lease/lease_json.hpp"
#include "common/time_format.hpp"

// Inside the namespace: `lease` is the type, as in the code under test.
namespace steward::lease {

using nlohmann::json;

namespace {

sys_time at(const char* t) { return *timefmt::parse(t, "%Y-%m-%d %H:%M"); }

const sys_time now_ = at("2030-02-21 14:50");

json reservation_body(const char* before_end = nullptr) {
  json r = {{"resource_type", "physical:host"}, {"min", 1}, {"max", 1},
            {"hypervisor_properties", ""}, {"resource_properties", ""}};
  if (before_end)
    r["before_end"] = before_end;
  return r;
}

json body(const char* start = "2030-02-21 20:00", const char* end = "2030-02-24 20:00") {
  return {{"name", "lease_foo"}, {"start_date", start}, {"end_date", end},
          {"reservations", json::array({reservation_body()})}};
}

lease make(const json& b, int minutes_before_end = 60) {
  lease l;
  std::vector<host_reservation> rs;
  auto refused = steward::test::make_lease_from(b, now_, minutes_before_end, "p", "u", l, rs);
  EXPECT_FALSE(refused) << (refused ? refused->message : "");
  return l;
}

lease_event& event(lease& l, event_type type) {
  auto e = find_event(l, type);
  if (!e) {
    ADD_FAILURE() << "no event " << name_of(type);
    static lease_event none;
    return none;
  }
  return *e;
}

// An event as Blazar shows it.
json shown_event(const lease& l, event_type type) {
  auto shown = present(l);
  for (auto& e : shown["events"])
    if (e["event_type"] == name_of(type))
      return e;
  return nullptr;
}

// Runs the lease's next event at its own time, returning its type.
std::string run_next(lease& l) {
  auto due = next_event(l);
  if (!due)
    return "";
  complete_event(l, due->type, due->time);
  return name_of(due->type);
}

// Gives each reservation of the lease its hosts, as the registry does.
void give_hosts(lease& l, const std::vector<std::vector<std::pair<const char*, const char*>>>& hosts) {
  ASSERT_EQ(l.reservations.size(), hosts.size());
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    l.reservations[i].hosts.clear();
    for (auto& [id, name] : hosts[i])
      l.reservations[i].hosts.push_back({id, name});
  }
}

} // namespace

TEST(lease_events, start_then_by_time) {
  auto lease = make(body());
  auto due = next_event(lease);
  ASSERT_TRUE(due);
  EXPECT_STREQ(name_of(due->type), "start_lease");
  EXPECT_EQ(due->time, at("2030-02-21 20:00"));
  complete_event(lease, event_type::start_lease, at("2030-02-21 20:00"));
  due = next_event(lease);
  ASSERT_TRUE(due);
  EXPECT_STREQ(name_of(due->type), "before_end_lease");
  EXPECT_EQ(due->time, at("2030-02-24 19:00"));
  complete_event(lease, event_type::before_end_lease, due->time);
  due = next_event(lease);
  ASSERT_TRUE(due);
  EXPECT_STREQ(name_of(due->type), "end_lease");
  EXPECT_EQ(due->time, at("2030-02-24 20:00"));
  complete_event(lease, event_type::end_lease, due->time);
  EXPECT_FALSE(next_event(lease)) << "every event is done";
}

TEST(lease_events, no_before_end_event_start_then_end) {
  auto lease = make(body(), 0);
  EXPECT_EQ(run_next(lease), "start_lease");
  EXPECT_EQ(run_next(lease), "end_lease");
  EXPECT_EQ(run_next(lease), "");
}

TEST(lease_events, start_first_even_when_the_before_end_is_clamped_to_it) {
  // A 30-minute lease with a 60-minute before-end offset: the before-end
  // event is clamped to the start, at the same time as it.
  auto lease = make(body("2030-02-21 20:00", "2030-02-21 20:30"), 60);
  ASSERT_EQ(shown_event(lease, event_type::before_end_lease)["time"], "2030-02-21T20:00:00.000000");
  ASSERT_EQ(shown_event(lease, event_type::start_lease)["time"], "2030-02-21T20:00:00.000000");
  auto due = next_event(lease);
  ASSERT_TRUE(due);
  EXPECT_STREQ(name_of(due->type), "start_lease") << "nothing of a lease runs before it starts";
  EXPECT_EQ(due->time, at("2030-02-21 20:00"));
  EXPECT_EQ(run_next(lease), "start_lease");
  EXPECT_EQ(run_next(lease), "before_end_lease");
  EXPECT_EQ(run_next(lease), "end_lease");
  EXPECT_EQ(run_next(lease), "");
}

TEST(lease_events, start_first_even_when_listed_last_and_later_than_others) {
  // A document whose events are out of order (e.g. hand-edited): the start
  // still comes first.
  auto lease = make(body());
  std::reverse(lease.events.begin(), lease.events.end());
  event(lease, event_type::before_end_lease).time = at("2030-02-21 19:00");
  auto due = next_event(lease);
  ASSERT_TRUE(due);
  EXPECT_STREQ(name_of(due->type), "start_lease");
}

TEST(lease_events, equal_times_before_end_then_end) {
  auto lease = make(body());
  complete_event(lease, event_type::start_lease, at("2030-02-21 20:00"));
  // The end event listed first, the before-end at the same time as the end.
  std::reverse(lease.events.begin(), lease.events.end());
  ASSERT_EQ(lease.events[0].type, event_type::before_end_lease);
  std::swap(lease.events[0], lease.events[1]);
  ASSERT_EQ(lease.events[0].type, event_type::end_lease);
  event(lease, event_type::before_end_lease).time = event(lease, event_type::end_lease).time;
  auto due = next_event(lease);
  ASSERT_TRUE(due);
  EXPECT_STREQ(name_of(due->type), "before_end_lease");
  EXPECT_EQ(due->time, at("2030-02-24 20:00"));
  complete_event(lease, event_type::before_end_lease, due->time);
  due = next_event(lease);
  ASSERT_TRUE(due);
  EXPECT_STREQ(name_of(due->type), "end_lease");
}

TEST(lease_events, equal_times_end_before_start_across_ranks) {
  // A hand-built lease with two start events, one done: at equal times the
  // end comes before the remaining start (rank end < start).
  lease l;
  auto day2 = at("2030-01-02 10:00");
  l.events = {lease_event{"s1", event_type::start_lease, at("2030-01-01 10:00"),
                          event_status::done, {}, {}},
              lease_event{"s2", event_type::start_lease, day2, event_status::undone, {}, {}},
              lease_event{"e", event_type::end_lease, day2, event_status::undone, {}, {}}};
  auto due = next_event(l);
  ASSERT_TRUE(due);
  EXPECT_STREQ(name_of(due->type), "end_lease");
}

TEST(lease_events, errored_events_are_not_run) {
  auto lease = make(body());
  complete_event(lease, event_type::start_lease, at("2030-02-21 20:00"));
  event(lease, event_type::before_end_lease).status = event_status::error;
  auto due = next_event(lease);
  ASSERT_TRUE(due);
  EXPECT_STREQ(name_of(due->type), "end_lease");
}

TEST(lease_events, complete_start_activates_the_reservations) {
  auto b = body();
  b["reservations"].push_back(reservation_body());
  auto lease = make(b);
  ASSERT_EQ(lease.status, lease_status::pending);
  EXPECT_FALSE(is_active(lease));
  complete_event(lease, event_type::start_lease, at("2030-02-21 20:00"));
  EXPECT_EQ(lease.status, lease_status::active);
  EXPECT_TRUE(is_active(lease));
  EXPECT_EQ(present(lease)["updated_at"], "2030-02-21 20:00:00");
  auto start = shown_event(lease, event_type::start_lease);
  EXPECT_EQ(start["status"], "DONE");
  EXPECT_EQ(start["updated_at"], "2030-02-21 20:00:00");
  EXPECT_EQ(shown_event(lease, event_type::end_lease)["status"], "UNDONE");
  EXPECT_TRUE(shown_event(lease, event_type::end_lease)["updated_at"].is_null());
  EXPECT_EQ(shown_event(lease, event_type::before_end_lease)["status"], "UNDONE");
  auto shown = present(lease);
  ASSERT_EQ(shown["reservations"].size(), 2u);
  for (auto& r : shown["reservations"]) {
    EXPECT_EQ(r["status"], "active");
    EXPECT_EQ(r["updated_at"], "2030-02-21 20:00:00");
  }
}

TEST(lease_events, complete_before_end_keeps_the_lease_active) {
  auto lease = make(body());
  complete_event(lease, event_type::start_lease, at("2030-02-21 20:00"));
  complete_event(lease, event_type::before_end_lease, at("2030-02-24 19:00"));
  auto shown = present(lease);
  EXPECT_EQ(shown["status"], "ACTIVE");
  EXPECT_EQ(shown_event(lease, event_type::before_end_lease)["status"], "DONE");
  EXPECT_EQ(shown_event(lease, event_type::before_end_lease)["updated_at"], "2030-02-24 19:00:00");
  EXPECT_EQ(shown["reservations"][0]["status"], "active");
  EXPECT_EQ(shown["reservations"][0]["updated_at"], "2030-02-21 20:00:00")
    << "the before-end event does not touch the reservations";
  EXPECT_EQ(shown["updated_at"], "2030-02-24 19:00:00");
}

TEST(lease_events, complete_end_terminates) {
  auto lease = make(body());
  complete_event(lease, event_type::start_lease, at("2030-02-21 20:00"));
  complete_event(lease, event_type::end_lease, at("2030-02-24 20:01"));
  auto shown = present(lease);
  EXPECT_EQ(shown["status"], "TERMINATED");
  EXPECT_FALSE(is_active(lease));
  EXPECT_EQ(shown_event(lease, event_type::end_lease)["status"], "DONE");
  EXPECT_EQ(shown_event(lease, event_type::end_lease)["updated_at"], "2030-02-24 20:01:00");
  EXPECT_EQ(shown_event(lease, event_type::start_lease)["updated_at"], "2030-02-21 20:00:00");
  EXPECT_EQ(shown["reservations"][0]["status"], "deleted");
  EXPECT_EQ(shown["reservations"][0]["updated_at"], "2030-02-24 20:01:00");
  EXPECT_EQ(shown["updated_at"], "2030-02-24 20:01:00");
}

TEST(lease_events, lease_hostnames_all_or_snapshot_only) {
  auto b = body();
  b["reservations"] = json::array({reservation_body("snapshot"), reservation_body("default"),
                                   reservation_body(""), reservation_body()});
  auto lease = make(b);
  give_hosts(lease, {{{"h2", "compute-2"}},
                     {{"h3", "compute-3"}, {"h1", "compute-1"}},
                     {{"h4", "compute-4"}},
                     {{"h5", "compute-5"}}});
  using names = std::vector<std::string>;
  EXPECT_EQ(lease_hostnames(lease, false, ""),
            (names{"compute-1", "compute-2", "compute-3", "compute-4", "compute-5"}));
  EXPECT_EQ(lease_hostnames(lease, true, ""), (names{"compute-2"}))
    << "\"default\" means no action when the default is none";
  EXPECT_EQ(lease_hostnames(lease, true, "snapshot"),
            (names{"compute-1", "compute-2", "compute-3", "compute-5"}))
    << "\"default\" (also when the reservation says nothing) maps to the default action";
  EXPECT_EQ(lease_hostnames(make(body()), false, ""), names{}) << "no hosts yet";
}

TEST(lease_events, allocations_of_a_lease_until_it_ends) {
  auto b = body();
  b["reservations"].push_back(reservation_body());
  auto lease = make(b);
  give_hosts(lease, {{{"h1", "compute-1"}, {"h2", "compute-2"}}, {{"h3", "compute-3"}}});
  auto check = [&] {
    auto got = allocations_of(lease);
    ASSERT_EQ(got.size(), 3u);
    const char* hosts[] = {"h1", "h2", "h3"};
    for (std::size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].first, hosts[i]);
      EXPECT_EQ(got[i].second.lease_id, lease.id);
      EXPECT_EQ(got[i].second.reservation_id, lease.reservations[i < 2 ? 0 : 1].id);
      EXPECT_EQ(got[i].second.start, at("2030-02-21 20:00"));
      EXPECT_EQ(got[i].second.end, at("2030-02-24 20:00"));
    }
  };
  check();
  complete_event(lease, event_type::start_lease, at("2030-02-21 20:00"));
  check();
  complete_event(lease, event_type::before_end_lease, at("2030-02-24 19:00"));
  check();
  complete_event(lease, event_type::end_lease, at("2030-02-24 20:00"));
  EXPECT_TRUE(allocations_of(lease).empty()) << "an ended lease holds no host";
}

} // namespace steward::lease
