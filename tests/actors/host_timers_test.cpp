// An inventory host's one timer on the test coordinator: a host disabled
// until a date is enabled again then, and a re-enabling that could not be
// stored is tried again (tests/actors/deterministic.hpp).
#include <chrono>

#include "common/time_format.hpp"
#include "tests/actors/deterministic.hpp"

using namespace steward;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

struct host_timers : test::deterministic_actors {
  void SetUp() override { start(); }

  std::string status_of(const std::string& name) {
    auto r = as_operator(hosts, host_show{{}, name});
    return r.status == 200 ? r.body["host"].value("status", "") : "";
  }
  void create_disabled_until(const std::string& name, std::chrono::seconds from_now) {
    auto r = as_operator(hosts, host_create{{},
                                            {{"hypervisor_hostname", name},
                                             {"status", "disabled"},
                                             {"disabled_until",
                                              timefmt::iso_micro(now() + from_now)}}});
    ASSERT_EQ(r.status, 201) << r.error;
  }
};

} // namespace

TEST_F(host_timers, a_host_is_enabled_when_its_disabled_until_passes) {
  create_disabled_until("c-1", 2h);
  advance(2h - 1s);
  EXPECT_EQ(status_of("c-1"), "disabled");
  advance(1s);
  EXPECT_EQ(status_of("c-1"), "enabled");
}

TEST_F(host_timers, a_re_enabling_that_could_not_be_stored_is_tried_again) {
  create_disabled_until("c-1", 1h);
  stored.answers = test::store_log::mode::fail;
  advance(1h);
  EXPECT_EQ(status_of("c-1"), "disabled");
  advance(5s);
  EXPECT_EQ(status_of("c-1"), "disabled") << "the disk still fails";
  stored.answers = test::store_log::mode::answer;
  advance(5s);
  EXPECT_EQ(status_of("c-1"), "enabled");
}

TEST_F(host_timers, a_clock_jump_enables_a_host_at_once) {
  create_disabled_until("c-1", 5h);
  jump(6h);
  EXPECT_EQ(status_of("c-1"), "enabled");
}

TEST_F(host_timers, a_recovered_host_wakes_to_enable_itself) {
  create_disabled_until("c-1", 2h);
  stop();
  start();
  // Read from the store: asking the host would start its actor.
  auto stored_status = [&] {
    for (auto& [key, row] : stored.rows)
      if (key.first == "host")
        return nlohmann::json::parse(row.document).value("status", "");
    return std::string{};
  };
  advance(2h - 1s);
  EXPECT_EQ(stored_status(), "disabled");
  advance(1s);
  EXPECT_EQ(stored_status(), "enabled") << "woken by its registry at its time";
}
