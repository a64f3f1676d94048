#include "bus/inproc_bus.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "bus/oslo.hpp"
#include "common/clock.hpp"
#include "bus/memory_outbox.hpp"
#include "tests/support/eventually.hpp"

namespace steward::bus {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

using steward::test::eventually;

notification note(const std::string& event_type) {
  return make_notification("steward", event_type, "INFO", json{{"k", event_type}}, now());
}

TEST(InprocBus, HandsOutboxRowsToSubscribersAndConfirmsThem) {
  memory_outbox outbox;
  inproc_bus b(outbox, 4);
  std::mutex m;
  std::vector<outbound> seen;
  b.subscribe([&](const outbound& row) {
    std::lock_guard<std::mutex> l(m);
    seen.push_back(row);
  });
  outbox.add("openstack", "notifications.info", note("before.start"));  // already there
  EXPECT_FALSE(b.ready());
  b.start([](inbound, ack_fn) {});
  EXPECT_TRUE(b.ready());
  std::set<std::string> expected;
  for (int i = 0; i < 10; ++i) {
    auto n = note("e" + std::to_string(i));
    expected.insert(n.message_id);
    outbox.add("openstack", "notifications.info", n);
    b.outbox_changed();
  }
  ASSERT_TRUE(eventually([&] { return outbox.size() == 0; }));
  b.stop();
  std::lock_guard<std::mutex> l(m);
  ASSERT_EQ(seen.size(), 11u);
  EXPECT_EQ(seen[0].routing_key, "notifications.info");
  std::string error;
  auto first = decode(seen[0].body, error);
  ASSERT_TRUE(first) << error;
  EXPECT_EQ(first->event_type, "before.start");
  for (std::size_t i = 1; i < seen.size(); ++i) expected.erase(seen[i].message_id);
  EXPECT_TRUE(expected.empty());
}

TEST(InprocBus, InjectDecodesLikeTheAmqpConsumer) {
  memory_outbox outbox;
  inproc_bus b(outbox);
  std::vector<inbound> got;
  int acks = 0;
  EXPECT_FALSE(b.inject("nova", "versioned_notifications.info", encode_v2(note("x"))));
  b.start([&](inbound msg, ack_fn ack) {
    got.push_back(std::move(msg));
    ack();
    ++acks;
  });
  auto n = note("instance.create.end");
  EXPECT_TRUE(b.inject("nova", "versioned_notifications.info", encode_v2(n)));
  EXPECT_TRUE(b.inject("murano", "notifications.info",
                       R"({"event_type": "environment.deploy.end", "priority": "info"})"));
  EXPECT_FALSE(b.inject("nova", "versioned_notifications.info", "not json"));
  EXPECT_FALSE(b.inject("nova", "versioned_notifications.info", R"({"payload": {}})"));
  EXPECT_FALSE(b.inject("nova", "versioned_notifications.info",
                        R"({"event_type": "a", "payload": []})"));
  EXPECT_EQ(b.dead_lettered(), 3u);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(acks, 2);
  EXPECT_EQ(got[0].exchange, "nova");
  EXPECT_EQ(got[0].routing_key, "versioned_notifications.info");
  EXPECT_EQ(got[0].note.message_id, n.message_id);
  EXPECT_EQ(got[0].note.payload, n.payload);
  EXPECT_EQ(got[1].note.event_type, "environment.deploy.end");
  EXPECT_EQ(got[1].note.priority, "INFO");
  b.stop();
  EXPECT_FALSE(b.inject("nova", "versioned_notifications.info", encode_v2(note("late"))));
}

TEST(InprocBus, ASubscriberMayInjectTheReply) {
  // The in-process cloud simulator answers a command with a notification.
  memory_outbox outbox;
  inproc_bus b(outbox);
  std::mutex m;
  std::condition_variable cv;
  std::vector<std::string> events;
  b.subscribe([&](const outbound& row) {
    std::string error;
    auto cmd = decode(row.body, error);
    ASSERT_TRUE(cmd) << error;
    b.inject("nova", "versioned_notifications.info", encode_v2(note(cmd->event_type + ".end")));
  });
  b.start([&](inbound msg, ack_fn ack) {
    ack();
    std::lock_guard<std::mutex> l(m);
    events.push_back(msg.note.event_type);
    cv.notify_all();
  });
  outbox.add("steward", "compute.commands", note("instance.create"));
  b.outbox_changed();
  std::unique_lock<std::mutex> l(m);
  ASSERT_TRUE(cv.wait_for(l, 60s, [&] { return !events.empty(); }));
  EXPECT_EQ(events[0], "instance.create.end");
  l.unlock();
  b.stop();
}

TEST(InprocBus, StopIsIdempotentAndRestartWorks) {
  memory_outbox outbox;
  inproc_bus b(outbox);
  b.stop();
  b.start([](inbound, ack_fn) {});
  b.stop();
  b.stop();
  EXPECT_FALSE(b.ready());
  b.start([](inbound, ack_fn) {});
  outbox.add("x", "y", note("z"));
  b.outbox_changed();
  ASSERT_TRUE(eventually([&] { return outbox.size() == 0; }));
}

} // namespace
} // namespace steward::bus
