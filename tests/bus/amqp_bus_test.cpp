// amqp_bus against a real RabbitMQ (STEWARD_TEST_AMQP_URL; skipped without).
#include "bus/amqp_bus.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>

#include "amqp_broker_fixture.hpp"
#include "bus/oslo.hpp"
#include "common/clock.hpp"

namespace steward::bus::test {
namespace {

using json = nlohmann::json;

// Records what the handler got, holding the acks for the test to give.
struct recording_handler {
  std::mutex m;
  std::vector<inbound> messages;
  std::vector<ack_fn> acks;

  inbound_handler fn() {
    return [this](inbound msg, ack_fn ack) {
      std::lock_guard<std::mutex> l(m);
      messages.push_back(std::move(msg));
      acks.push_back(std::move(ack));
    };
  }
  std::size_t count() {
    std::lock_guard<std::mutex> l(m);
    return messages.size();
  }
  std::set<std::string> ids() {
    std::lock_guard<std::mutex> l(m);
    std::set<std::string> out;
    for (const auto& msg : messages) out.insert(msg.note.message_id);
    return out;
  }
  bool has_all(const std::set<std::string>& wanted) {
    auto seen = ids();
    for (const auto& id : wanted) {
      if (seen.count(id) == 0) return false;
    }
    return true;
  }
  // Acks every message whose id is in `which`.
  void ack(const std::set<std::string>& which) {
    std::lock_guard<std::mutex> l(m);
    for (std::size_t i = 0; i < messages.size(); ++i) {
      if (which.count(messages[i].note.message_id) != 0) acks[i]();
    }
  }
};

notification versioned(int i) {
  return make_notification("nova-compute:host" + std::to_string(i), "instance.create.end",
                           "INFO", json{{"nova_object.data", {{"uuid", "vm-" + std::to_string(i)}}}},
                           now());
}

TEST_F(BrokerTest, PublishesTheOutboxWithConfirms) {
  // A queue of our own on oslo's exchange, as any oslo listener would bind.
  std::string queue = unique_name("steward.test.published");
  admin().declare_exchange("openstack", "topic", false);
  admin().declare_queue(queue, false);
  delete_queue_later(queue);
  admin().bind(queue, "openstack", "notifications.info");
  queue_recorder recorder(url(), queue);

  memory_outbox outbox;
  std::map<std::string, notification> sent;
  auto add = [&](int i) {
    auto n = make_notification("steward", "lease.event." + std::to_string(i), "info",
                               json{{"i", i}}, now());
    sent[n.message_id] = n;
    outbox.add("openstack", routing_key("notifications", "INFO"), n);
  };
  for (int i = 0; i < 20; ++i) add(i);  // there before the bus starts

  amqp_options opts = options(outbox);
  opts.outbox_batch = 7;  // several reads
  amqp_bus bus(opts);
  bus.start([](inbound, ack_fn) {});
  ASSERT_TRUE(eventually([&] { return bus.ready(); }));
  for (int i = 20; i < 50; ++i) {
    add(i);
    bus.outbox_changed();
  }
  std::set<std::string> ids;
  for (const auto& [id, n] : sent) ids.insert(id);
  ASSERT_TRUE(recorder.wait_for(ids));
  ASSERT_TRUE(eventually([&] { return outbox.size() == 0; }));
  EXPECT_GE(outbox.confirmed(), 50u);
  bus.stop();

  for (const received& r : recorder.messages()) {
    auto it = sent.find(r.message_id);
    if (it == sent.end()) continue;  // somebody else's notification
    EXPECT_EQ(r.content_type, "application/json");
    EXPECT_EQ(r.delivery_mode, 2);
    EXPECT_EQ(r.exchange, "openstack");
    EXPECT_EQ(r.routing_key, "notifications.info");
    json outer = json::parse(r.body);
    EXPECT_EQ(outer["oslo.version"], "2.0");
    EXPECT_TRUE(outer["oslo.message"].is_string());
    std::string error;
    auto n = decode(r.body, error);
    ASSERT_TRUE(n) << error;
    EXPECT_EQ(n->message_id, it->second.message_id);
    EXPECT_EQ(n->event_type, it->second.event_type);
    EXPECT_EQ(n->priority, "INFO");
    EXPECT_EQ(n->payload, it->second.payload);
    EXPECT_EQ(n->timestamp, it->second.timestamp);
  }
}

TEST_F(BrokerTest, RepublishesWhatTheBrokerRefused) {
  // The queue takes 3 messages and has the broker nack the rest: those rows
  // stay in the outbox and go out again once there is room.
  std::string exchange = unique_name("steward.test.exchange");
  std::string queue = unique_name("steward.test.bounded");
  admin().declare_exchange(exchange, "topic", false);
  admin().declare_bounded_queue(queue, 3);
  admin().bind(queue, exchange, "#");
  delete_exchange_later(exchange);
  delete_queue_later(queue);

  memory_outbox outbox;
  std::set<std::string> ids;
  for (int i = 0; i < 10; ++i) {
    auto n = make_notification("steward", "e" + std::to_string(i), "info", json::object(), now());
    ids.insert(n.message_id);
    outbox.add(exchange, "notifications.info", n);
  }
  amqp_bus bus(options(outbox));
  bus.start([](inbound, ack_fn) {});
  ASSERT_TRUE(eventually([&] { return admin().message_count(queue) == 3; }));
  ASSERT_TRUE(eventually([&] { return outbox.size() == 7; }));

  queue_recorder recorder(url(), queue);  // makes room
  ASSERT_TRUE(recorder.wait_for(ids));
  ASSERT_TRUE(eventually([&] { return outbox.size() == 0; }));
  bus.stop();
}

TEST_F(BrokerTest, AcksOnlyWhenTheReceiverSaysSoAndUnackedComeBack) {
  memory_outbox outbox;
  amqp_options opts = options(outbox);
  opts.bindings = {{"nova", "versioned_notifications.info"}};

  recording_handler first;
  auto bus = std::make_unique<amqp_bus>(opts);
  bus->start(first.fn());
  ASSERT_TRUE(eventually([&] { return bus->ready(); }));

  reliable_publisher nova(url(), "nova", "versioned_notifications.info");
  std::vector<notification> notes;
  std::set<std::string> all, acked, unacked;
  for (int i = 0; i < 20; ++i) {
    notes.push_back(versioned(i));
    nova.send(notes.back().message_id, encode_v2(notes.back()));
    all.insert(notes.back().message_id);
    (i < 10 ? acked : unacked).insert(notes.back().message_id);
  }
  ASSERT_TRUE(nova.wait_all_delivered());
  ASSERT_TRUE(eventually([&] { return first.has_all(all); }));
  {
    std::lock_guard<std::mutex> l(first.m);
    const inbound& msg = first.messages.front();
    EXPECT_EQ(msg.exchange, "nova");
    EXPECT_EQ(msg.routing_key, "versioned_notifications.info");
    EXPECT_EQ(msg.note.event_type, "instance.create.end");
    EXPECT_EQ(msg.note.priority, "INFO");
    EXPECT_TRUE(msg.note.payload.contains("nova_object.data"));
  }
  first.ack(acked);
  bus->stop();

  // A new consumer gets back exactly what was not acked.
  recording_handler second;
  bus = std::make_unique<amqp_bus>(opts);
  bus->start(second.fn());
  ASSERT_TRUE(eventually([&] { return second.has_all(unacked); }));
  for (const auto& id : second.ids()) {
    EXPECT_EQ(acked.count(id), 0u) << "an acked message came back: " << id;
  }
  second.ack(unacked);
  bus->stop();
  EXPECT_EQ(admin().message_count(opts.queue), 0u);
}

TEST_F(BrokerTest, AcksFromAnEarlierConnectionAreDropped) {
  memory_outbox outbox;
  amqp_options opts = options(outbox);
  opts.bindings = {{"nova", "versioned_notifications.info"}};
  opts.reconnect_min = std::chrono::milliseconds(50);
  opts.reconnect_max = std::chrono::milliseconds(200);
  recording_handler h;
  amqp_bus bus(opts);
  bus.start(h.fn());
  ASSERT_TRUE(eventually([&] { return bus.ready(); }));
  reliable_publisher nova(url(), "nova", "versioned_notifications.info");

  auto m1 = versioned(1);
  nova.send(m1.message_id, encode_v2(m1));
  ASSERT_TRUE(eventually([&] { return h.has_all({m1.message_id}); }));

  // Deleting the queue cancels the consumer: the bus reconnects and
  // redeclares. The next delivery gets tag 1 again on the new channel.
  admin().delete_queue(opts.queue);
  auto m2 = versioned(2);
  nova.send(m2.message_id, encode_v2(m2));  // returned until the queue is back
  ASSERT_TRUE(nova.wait_all_delivered());
  ASSERT_TRUE(eventually([&] { return h.has_all({m2.message_id}); }));

  h.ack({m1.message_id});  // must not ack m2 by its number
  bus.stop();
  EXPECT_EQ(admin().message_count(opts.queue), 1u);
}

TEST_F(BrokerTest, MalformedMessagesGoToTheDeadLetterQueue) {
  memory_outbox outbox;
  amqp_options opts = options(outbox);
  opts.bindings = {{"nova", "versioned_notifications.info"}};
  recording_handler h;
  amqp_bus bus(opts);
  bus.start(h.fn());
  ASSERT_TRUE(eventually([&] { return bus.ready(); }));
  queue_recorder dead(url(), opts.dead_letter_queue);
  reliable_publisher nova(url(), "nova", "versioned_notifications.info");

  const std::vector<std::string> bad_bodies = {
      "not json at all",
      "[1, 2, 3]",
      R"({"payload": {"no": "event_type"}})",
      R"({"event_type": 42})",
      R"({"event_type": "a.b", "payload": [1]})",
      R"({"event_type": "a.b", "message_id": 5})",
      R"({"oslo.version": "2.0", "oslo.message": {"event_type": "a.b"}})",
      json{{"oslo.version", "2.0"}, {"oslo.message", "{broken"}}.dump(),
      // Nested past the limit: refused unread (walking it would overflow the stack).
      json{{"oslo.version", "2.0"},
           {"oslo.message", R"({"event_type": "a.b", "payload": {"x": )"
                              + std::string(60000, '[') + std::string(60000, ']') + "}}"}}
        .dump(),
      "{\"event_type\": \"a.b\xff\"}",
  };
  std::map<std::string, std::string> bad;  // AMQP message id -> body
  for (const auto& body : bad_bodies) {
    std::string id = unique_name("bad");
    bad[id] = body;
    nova.send(id, body);
  }
  auto good = versioned(7);  // the consumer goes on after the bad ones
  nova.send(good.message_id, encode_v2(good));
  ASSERT_TRUE(nova.wait_all_delivered());

  std::set<std::string> bad_ids;
  for (const auto& [id, body] : bad) bad_ids.insert(id);
  ASSERT_TRUE(dead.wait_for(bad_ids));
  ASSERT_TRUE(eventually([&] { return h.has_all({good.message_id}); }));
  for (const received& r : dead.messages()) {
    auto it = bad.find(r.message_id);
    ASSERT_NE(it, bad.end());
    EXPECT_EQ(r.body, it->second);
    auto reason = r.headers.find("x-steward-reason");
    ASSERT_NE(reason, r.headers.end()) << "a dead letter says why";
    EXPECT_EQ(reason->second.rfind("malformed: ", 0), 0u) << reason->second;
    EXPECT_EQ(r.headers.at("x-steward-attempts"), "1");
  }
  auto reasons = [&] {
    std::string all;
    for (const received& r : dead.messages()) all += r.headers.at("x-steward-reason") + "\n";
    return all;
  }();
  EXPECT_NE(reasons.find("nests deeper than 32 levels"), std::string::npos) << reasons;
  EXPECT_NE(reasons.find("not valid UTF-8"), std::string::npos) << reasons;
  for (const auto& id : h.ids()) EXPECT_EQ(bad.count(id), 0u);
  h.ack({good.message_id});
  bus.stop();
  EXPECT_EQ(admin().message_count(opts.queue), 0u);
}

// Counts kept outside the bus, as the store keeps them across restarts.
struct shared_delivery_log : delivery_log {
  std::mutex m;
  std::map<std::string, int> counts;
  int count_delivery(const std::string& key) override {
    std::lock_guard<std::mutex> l(m);
    return ++counts[key];
  }
  void forget_delivery(const std::string& key) override {
    std::lock_guard<std::mutex> l(m);
    counts.erase(key);
  }
};

const received* find_received(const std::vector<received>& all, const std::string& id) {
  for (const received& r : all)
    if (r.message_id == id) return &r;
  return nullptr;
}

TEST_F(BrokerTest, AMessageThatKeepsFailingIsDeadLetteredWithItsReasonAndCount) {
  memory_outbox outbox;
  amqp_options opts = options(outbox);
  opts.bindings = {{"nova", "versioned_notifications.info"}};
  opts.max_attempts = 3;
  shared_delivery_log log;
  opts.deliveries = &log;
  std::mutex m;
  std::map<std::string, int> seen;  // message id -> deliveries handed over
  amqp_bus bus(opts);
  auto poison = versioned(1);
  bus.start([&](inbound msg, ack_fn ack) {
    std::lock_guard<std::mutex> l(m);
    ++seen[msg.note.message_id];
    if (msg.note.message_id == poison.message_id)
      msg.fail("the registry refused it", false);
    else
      ack();
  });
  ASSERT_TRUE(eventually([&] { return bus.ready(); }));
  queue_recorder dead(url(), opts.dead_letter_queue);
  reliable_publisher nova(url(), "nova", "versioned_notifications.info");
  nova.send("poison", encode_v2(poison));
  auto good = versioned(2);
  nova.send("good", encode_v2(good));
  ASSERT_TRUE(nova.wait_all_delivered());
  ASSERT_TRUE(dead.wait_for({"poison"}));
  auto letters = dead.messages();
  auto letter = find_received(letters, "poison");
  ASSERT_NE(letter, nullptr);
  EXPECT_EQ(letter->headers.at("x-steward-reason"), "the registry refused it");
  EXPECT_EQ(letter->headers.at("x-steward-attempts"), "3");
  EXPECT_EQ(letter->headers.at("x-steward-exchange"), "nova");
  EXPECT_EQ(letter->body, encode_v2(poison));
  ASSERT_TRUE(eventually([&] {
    std::lock_guard<std::mutex> l(m);
    return seen[good.message_id] == 1;
  })) << "the message behind it went on";
  {
    std::lock_guard<std::mutex> l(m);
    EXPECT_EQ(seen[poison.message_id], 3) << "handed over once per attempt, then dead-lettered";
  }
  EXPECT_TRUE(eventually([&] {
    std::lock_guard<std::mutex> l(log.m);
    return log.counts.empty();
  })) << "a settled message's count is forgotten";
  bus.stop();
  EXPECT_EQ(admin().message_count(opts.queue), 0u);
}

TEST_F(BrokerTest, AFinalFailureIsDeadLetteredAtOnce) {
  memory_outbox outbox;
  amqp_options opts = options(outbox);
  opts.bindings = {{"nova", "versioned_notifications.info"}};
  std::atomic<int> handed{0};
  amqp_bus bus(opts);
  bus.start([&](inbound msg, ack_fn) {
    ++handed;
    msg.fail("'display_name' is longer than 80 characters", true);
  });
  ASSERT_TRUE(eventually([&] { return bus.ready(); }));
  queue_recorder dead(url(), opts.dead_letter_queue);
  reliable_publisher nova(url(), "nova", "versioned_notifications.info");
  nova.send("refused", encode_v2(versioned(3)));
  ASSERT_TRUE(nova.wait_all_delivered());
  ASSERT_TRUE(dead.wait_for({"refused"}));
  auto letters = dead.messages();
  auto letter = find_received(letters, "refused");
  ASSERT_NE(letter, nullptr);
  EXPECT_EQ(letter->headers.at("x-steward-reason"), "'display_name' is longer than 80 characters");
  EXPECT_EQ(letter->headers.at("x-steward-attempts"), "1");
  EXPECT_EQ(handed.load(), 1);
  bus.stop();
}

// A message whose handling ends the process is never settled: the broker
// delivers it again to the next process. The count that survives (here a
// log shared by every bus, as the store is shared by every start) stops the
// crash loop after max_attempts, and the queue goes on.
TEST_F(BrokerTest, AMessageThatEndsTheProcessEveryTimeIsDeadLetteredAfterItsLimit) {
  memory_outbox outbox;
  amqp_options opts = options(outbox);
  opts.bindings = {{"nova", "versioned_notifications.info"}};
  opts.max_attempts = 2;
  shared_delivery_log log;
  opts.deliveries = &log;
  auto killer = versioned(4);
  auto good = versioned(5);
  std::atomic<int> handed{0};
  std::atomic<bool> good_seen{false};
  queue_recorder dead(url(), opts.dead_letter_queue);
  {
    // The queue must exist before anything is published to it.
    amqp_bus first(opts);
    first.start([](inbound, ack_fn) {});
    ASSERT_TRUE(eventually([&] { return first.ready(); }));
    first.stop();
  }
  reliable_publisher nova(url(), "nova", "versioned_notifications.info");
  nova.send("killer", encode_v2(killer));
  nova.send("good", encode_v2(good));
  ASSERT_TRUE(nova.wait_all_delivered());
  for (int start = 0; start < 5 && dead.ids().count("killer") == 0; ++start) {
    amqp_bus bus(opts);
    std::atomic<bool> got_killer{false};
    bus.start([&](inbound msg, ack_fn ack) {
      if (msg.note.message_id == killer.message_id) {
        ++handed;
        got_killer = true;  // and never settled: the process "dies" here
        return;
      }
      good_seen = true;
      ack();
    });
    ASSERT_TRUE(eventually([&] { return got_killer.load() || dead.ids().count("killer") > 0; }));
    bus.stop();
  }
  ASSERT_TRUE(dead.wait_for({"killer"}));
  auto letters = dead.messages();
  auto letter = find_received(letters, "killer");
  ASSERT_NE(letter, nullptr);
  EXPECT_EQ(letter->headers.at("x-steward-attempts"), "2");
  EXPECT_NE(letter->headers.at("x-steward-reason").find("without being handled"), std::string::npos);
  EXPECT_EQ(handed.load(), 2) << "handed over on the first delivery and the first redelivery";
  amqp_bus last(opts);
  last.start([&](inbound msg, ack_fn ack) {
    if (msg.note.message_id == good.message_id) good_seen = true;
    ack();
  });
  EXPECT_TRUE(eventually([&] { return good_seen.load(); })) << "the queue went on";
  last.stop();
}

} // namespace
} // namespace steward::bus::test
