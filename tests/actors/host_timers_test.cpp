// An inventory host's one timer on the test coordinator: a host disabled
// until a date is enabled again then, and a re-enabling that could not be
// stored is tried again (tests/actors/deterministic.hpp).
#include <chrono>
#include <set>

#include "http/routes/inventory_body.hpp"
#include "common/time_format.hpp"
#include "tests/actors/deterministic.hpp"
#include "tests/actors/typed_host.hpp"

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
                                            http::read_host_create({{"hypervisor_hostname", name},
                                             {"status", "disabled"},
                                             {"disabled_until",
                                              timefmt::iso_micro(now() + from_now)}})});
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

// Many stored rows are read on several threads at once (recover_entities):
// every readable one is recovered, each once, and an unreadable one (not
// JSON, no id, a later version) is skipped and kept.
struct many_hosts : test::deterministic_actors {};

TEST_F(many_hosts, every_readable_row_is_recovered_once) {
  constexpr int count = 9000;
  for (int i = 0; i < count; ++i) {
    auto name = "compute-" + std::to_string(i);
    auto row = inventory::to_stored(*test::typed_host(
      {{"id", "h-" + std::to_string(i)}, {"hypervisor_hostname", name}, {"vcpus", i}}));
    stored.rows[{"host", "h-" + std::to_string(i)}] = {"host", "h-" + std::to_string(i), "",
                                                       row.dump(), 1};
  }
  stored.rows[{"host", "broken"}] = {"host", "broken", "", "{not json", 1};
  stored.rows[{"host", "no-id"}] = {"host", "no-id", "", R"({"hypervisor_hostname": "x"})", 1};
  stored.rows[{"host", "later"}] = {"host", "later", "",
                                    R"({"id": "later", "hypervisor_hostname": "y", "schema": 9})", 1};
  start();
  auto listed = as_operator(hosts, host_list{});
  ASSERT_EQ(listed.status, 200);
  auto& all = listed.body["hosts"];
  ASSERT_EQ(all.size(), std::size_t(count));
  std::set<std::string> names;
  for (auto& h : all)
    names.insert(h["hypervisor_hostname"].get<std::string>());
  EXPECT_EQ(names.size(), std::size_t(count));
  auto one = as_operator(hosts, host_show{{}, "compute-8765"});
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(one.body["host"]["vcpus"], 8765) << "each row read into its own host";
  EXPECT_EQ(as_operator(hosts, host_show{{}, "y"}).status, 404);
  EXPECT_EQ(stored.rows.at({"host", "broken"}).document, "{not json") << "kept as it was";
}
