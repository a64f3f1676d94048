// A lease's timers on the test coordinator: what runs when time moves, and
// only then. Steward's clock stands at 2030-01-01 00:00 UTC when each test
// begins (tests/actors/deterministic.hpp).
#include <chrono>

#include "http/routes/lease_body.hpp"
#include "http/routes/inventory_body.hpp"
#include "tests/actors/deterministic.hpp"

using namespace steward;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

struct lease_timers : test::deterministic_actors {
  void SetUp() override {
    start();
    ASSERT_EQ(as_operator(hosts, host_create{{}, http::read_host_create({{"hypervisor_hostname", "c-1"}, {"vcpus", 8}})}).status,
              201);
    auto enrolled = as_operator(leases, reservable_host_enroll{{}, http::read_enrollment({{"name", "c-1"}})});
    ASSERT_EQ(enrolled.status, 202) << enrolled.error;
  }

  // A lease of the one host, from `start` to `end` ("HH:MM" on 2030-01-01).
  std::string create_lease(const std::string& name, const std::string& start,
                           const std::string& end) {
    json body = {{"name", name},
                 {"start_date", "2030-01-01 " + start},
                 {"end_date", "2030-01-01 " + end},
                 {"reservations",
                  {{{"resource_type", "physical:host"}, {"min", 1}, {"max", 1},
                    {"hypervisor_properties", ""}, {"resource_properties", ""}}}},
                 {"events", json::array()}};
    auto r = as_operator(leases, lease_create{{}, http::read_lease_create(body)});
    EXPECT_EQ(r.status, 202) << r.error;
    return r.status == 202 ? r.body["lease"]["id"].get<std::string>() : "";
  }

  // How many batches stored the event `type` of the leases.
  std::size_t stored_events(const std::string& type) const {
    std::size_t n = 0;
    for (auto& b : stored.batches)
      for (auto& e : b.events)
        n += e.type == type;
    return n;
  }
};

} // namespace

TEST_F(lease_timers, an_event_runs_when_its_time_comes_and_not_before) {
  auto id = create_lease("a", "01:00", "02:00");
  advance(59min);
  EXPECT_EQ(event_status(id, "start_lease"), "UNDONE");
  advance(1min);
  EXPECT_EQ(event_status(id, "start_lease"), "DONE");
  EXPECT_EQ(event_status(id, "end_lease"), "UNDONE");
  advance(1h);
  EXPECT_EQ(event_status(id, "end_lease"), "DONE");
  EXPECT_EQ(stored_events("lease.event.start_lease"), 1u);
  EXPECT_EQ(stored_events("lease.event.end_lease"), 1u);
}

TEST_F(lease_timers, new_dates_void_the_timer_armed_for_the_old_ones) {
  auto id = create_lease("a", "01:00", "02:00");
  auto moved = as_operator(leases, lease_update{{}, id,
                                                  http::read_lease_update({{"start_date", "2030-01-01 03:00"},
                                                   {"end_date", "2030-01-01 04:00"}})});
  ASSERT_EQ(moved.status, 202) << moved.error;
  advance(61min);
  EXPECT_EQ(event_status(id, "start_lease"), "UNDONE") << "the old timer fired";
  advance(2h);
  EXPECT_EQ(event_status(id, "start_lease"), "DONE");
  EXPECT_EQ(stored_events("lease.event.start_lease"), 1u);
}

TEST_F(lease_timers, a_clock_jump_runs_what_fell_due) {
  auto id = create_lease("a", "05:00", "06:00");
  jump(5h);  // only Steward's clock: no delayed message fell due
  EXPECT_EQ(event_status(id, "start_lease"), "DONE");
  EXPECT_EQ(event_status(id, "end_lease"), "UNDONE");
}

TEST_F(lease_timers, overdue_events_run_once_at_recovery) {
  auto id = create_lease("a", "01:00", "02:00");
  stop();
  global_clock().advance(3h);  // while stewardd was down
  start();
  EXPECT_EQ(event_status(id, "start_lease"), "DONE");
  EXPECT_EQ(event_status(id, "end_lease"), "DONE");
  EXPECT_EQ(stored_events("lease.event.start_lease"), 1u);
  EXPECT_EQ(stored_events("lease.event.end_lease"), 1u);
}

TEST_F(lease_timers, a_start_waits_for_the_earlier_lease_and_answers_meanwhile) {
  auto first = create_lease("first", "01:00", "02:00");
  auto second = create_lease("second", "02:00", "03:00");
  ASSERT_FALSE(second.empty()) << "back-to-back leases share a host";
  advance(1h);
  ASSERT_EQ(event_status(first, "start_lease"), "DONE");
  // The first lease's end is slow to be stored: the second's start waits.
  stored.answers = test::store_log::mode::hold;
  advance(1h);
  ASSERT_EQ(stored.held.size(), 1u) << "the first lease's end, waiting for the disk";
  stored.answers = test::store_log::mode::answer;
  EXPECT_EQ(event_status(second, "start_lease"), "UNDONE");
  // Meanwhile the second lease answers.
  auto renamed = as_operator(leases, lease_update{{}, second, http::read_lease_update({{"name", "renamed"}})});
  EXPECT_EQ(renamed.status, 202) << renamed.error;
  EXPECT_EQ(event_status(second, "start_lease"), "UNDONE");
  release_held_writes();
  EXPECT_EQ(event_status(first, "end_lease"), "DONE");
  EXPECT_EQ(event_status(second, "start_lease"), "DONE");
  EXPECT_EQ(lease(second)["name"], "renamed");
}

TEST_F(lease_timers, a_lease_whose_start_waits_can_be_deleted) {
  auto first = create_lease("first", "01:00", "02:00");
  auto second = create_lease("second", "02:00", "03:00");
  advance(1h);
  stored.answers = test::store_log::mode::hold;
  advance(1h);
  stored.answers = test::store_log::mode::answer;
  EXPECT_EQ(as_operator(leases, lease_delete{{}, second}).status, 204);
  EXPECT_TRUE(lease(second).is_null());
  release_held_writes();
  EXPECT_EQ(event_status(first, "end_lease"), "DONE");
  EXPECT_EQ(stored_events("lease.event.start_lease"), 1u) << "only the first lease started";
}

TEST_F(lease_timers, an_event_that_could_not_be_stored_is_tried_again) {
  auto id = create_lease("a", "01:00", "02:00");
  stored.answers = test::store_log::mode::fail;
  advance(1h);
  EXPECT_EQ(event_status(id, "start_lease"), "UNDONE");
  stored.answers = test::store_log::mode::answer;
  advance(4s);
  EXPECT_EQ(event_status(id, "start_lease"), "UNDONE") << "tried again before 5 s";
  advance(1s);
  EXPECT_EQ(event_status(id, "start_lease"), "DONE");
  EXPECT_EQ(stored_events("lease.event.start_lease"), 2u) << "the failed write, then the good one";
}

TEST_F(lease_timers, a_lease_stored_before_rows_had_a_version_recovers_and_runs) {
  auto id = create_lease("a", "01:00", "02:00");
  auto shown = lease(id);
  stop();
  // As an older Steward stored it: the lease as Blazar shows it.
  auto& row = stored.rows.at({"lease", id});
  ASSERT_EQ(json::parse(row.document)["schema"], 1);
  row.document = shown.dump();
  start();
  EXPECT_EQ(lease(id), shown) << "read back field for field";
  advance(1h);
  EXPECT_EQ(event_status(id, "start_lease"), "DONE");
  EXPECT_EQ(json::parse(stored.rows.at({"lease", id}).document)["schema"], 1)
    << "its next write is of the current version";
}

TEST_F(lease_timers, a_row_of_a_later_version_is_skipped_and_kept) {
  auto id = create_lease("a", "01:00", "02:00");
  stop();
  auto& row = stored.rows.at({"lease", id});
  auto later = json::parse(row.document);
  later["schema"] = 2;
  row.document = later.dump();
  start();
  EXPECT_TRUE(lease(id).is_null()) << "not guessed at";
  advance(3h);
  EXPECT_EQ(stored.rows.at({"lease", id}).document, later.dump()) << "nor overwritten";
}

TEST_F(lease_timers, a_recovered_lease_has_no_actor_until_it_is_asked_or_due) {
  auto first = create_lease("a", "01:00", "02:00");
  auto second = create_lease("b", "03:00", "04:00");
  stop();
  start();
  auto idle = sys.registry().running();
  EXPECT_EQ(lease(second)["name"], "b") << "shown from the registry's value";
  EXPECT_EQ(sys.registry().running(), idle) << "a read starts no actor";
  advance(1h);
  EXPECT_EQ(event_status(first, "start_lease"), "DONE") << "woken at its time";
  EXPECT_EQ(sys.registry().running(), idle + 1);
  EXPECT_EQ(event_status(second, "start_lease"), "UNDONE");
  EXPECT_EQ(as_operator(leases, lease_update{{}, second, http::read_lease_update({{"name", "renamed"}})}).status, 202);
  EXPECT_EQ(sys.registry().running(), idle + 2) << "a change starts it";
  EXPECT_EQ(lease(second)["name"], "renamed");
  advance(2h);
  EXPECT_EQ(event_status(second, "start_lease"), "DONE") << "then it keeps its own timer";
}

TEST_F(lease_timers, a_clock_jump_wakes_a_recovered_lease_whose_time_it_passed) {
  auto id = create_lease("a", "05:00", "06:00");
  stop();
  start();
  jump(5h);
  EXPECT_EQ(event_status(id, "start_lease"), "DONE");
  EXPECT_EQ(event_status(id, "end_lease"), "UNDONE");
  jump(1h);
  EXPECT_EQ(event_status(id, "end_lease"), "DONE");
}

TEST_F(lease_timers, a_recovered_lease_is_deleted_without_waiting_for_its_time) {
  auto id = create_lease("a", "05:00", "06:00");
  stop();
  start();
  EXPECT_EQ(as_operator(leases, lease_delete{{}, id}).status, 204);
  EXPECT_TRUE(lease(id).is_null());
  advance(6h);
  EXPECT_EQ(stored_events("lease.event.start_lease"), 0u) << "its wake-up woke nothing";
}
