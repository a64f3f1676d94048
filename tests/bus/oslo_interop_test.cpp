// What amqp_bus publishes is read by oslo.messaging's own notification
// listener (Debian's python3-oslo.messaging), as Ceilometer or Aodh would.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>

#include "amqp_broker_fixture.hpp"
#include "bus/amqp_bus.hpp"
#include "bus/oslo.hpp"
#include "common/clock.hpp"

namespace steward::bus::test {
namespace {

using json = nlohmann::json;

TEST_F(BrokerTest, OsloListenerReceivesWhatWePublish) {
  if (run_command("/usr/bin/python3 -c 'import oslo_messaging' >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "/usr/bin/python3 cannot import oslo_messaging";
  }
  // The listener's own pool is its own queue on exchange openstack.
  std::string pool = unique_name("steward.test.oslo-pool");
  delete_queue_later(pool);
  child_process listener({"/usr/bin/python3", STEWARD_BUS_TEST_DIR "/oslo_listener.py", "--url",
                          std::getenv("STEWARD_TEST_AMQP_URL"), "--pool", pool});
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  for (;;) {
    auto line = listener.read_line(deadline);
    ASSERT_TRUE(line) << "the oslo listener did not start";
    if (*line == "READY") break;
  }

  memory_outbox outbox;
  amqp_bus bus(options(outbox));
  bus.start([](inbound, ack_fn) {});
  std::map<std::string, notification> sent;
  const std::vector<std::pair<std::string, std::string>> kinds = {
      {"lease.create", "info"},  {"lease.event.start_lease", "INFO"},
      {"host.failure", "error"}, {"maintenance.session", "warn"},
      {"environment.deploy.end", "info"}};
  int i = 0;
  for (const auto& [event_type, priority] : kinds) {
    json payload = {{"id", "obj-" + std::to_string(i++)}, {"nested", {{"list", {1, 2}}}}};
    auto n = make_notification("steward.test", event_type, priority, payload, now());
    sent[n.message_id] = n;
    outbox.add("openstack", routing_key("notifications", priority), n);
  }
  bus.outbox_changed();

  std::map<std::string, json> got;
  while (got.size() < sent.size()) {
    auto line = listener.read_line(deadline);
    ASSERT_TRUE(line) << "the oslo listener got " << got.size() << " of " << sent.size();
    json j = json::parse(*line, nullptr, false);
    if (j.is_discarded() || !j.contains("message_id")) continue;
    if (!j["message_id"].is_string()) continue;
    std::string id = j["message_id"].get<std::string>();
    if (sent.count(id) != 0) got[id] = j;  // others' notifications are ignored
  }
  ASSERT_TRUE(eventually([&] { return outbox.size() == 0; }));
  bus.stop();

  for (const auto& [id, n] : sent) {
    const json& j = got.at(id);
    EXPECT_EQ(j["event_type"], n.event_type);
    EXPECT_EQ(j["publisher_id"], n.publisher_id);
    EXPECT_EQ(j["priority"], n.priority);
    EXPECT_EQ(j["payload"], n.payload);
    EXPECT_EQ(j["timestamp"], n.timestamp);
  }
}

} // namespace
} // namespace steward::bus::test
