// Messages flow both ways while RabbitMQ restarts: nothing is lost (every
// message arrives at least once on each side) and the outbox ends empty.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "amqp_broker_fixture.hpp"
#include "bus/amqp_bus.hpp"
#include "bus/oslo.hpp"
#include "common/clock.hpp"

namespace steward::bus::test {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

const char* const rabbitmqctl = "rabbitmqctl -q -n rabbit@localhost ";

// Stops and starts the RabbitMQ application on its own thread; makes sure it
// is started again whatever happens to the test.
class broker_restart {
public:
  void begin() {
    thread_ = std::thread([this] {
      stop_status_ = run_command(std::string(rabbitmqctl) + "stop_app >/dev/null");
      std::this_thread::sleep_for(1s);  // down for a while, with traffic knocking
      start_status_ = run_command(std::string(rabbitmqctl) + "start_app >/dev/null");
      done_ = true;
    });
  }
  bool done() const { return done_; }
  int stop_status() const { return stop_status_; }
  int start_status() const { return start_status_; }
  ~broker_restart() {
    if (thread_.joinable()) thread_.join();
    run_command(std::string(rabbitmqctl) + "start_app >/dev/null 2>&1");  // no-op when running
  }

private:
  std::thread thread_;
  std::atomic<bool> done_{false};
  std::atomic<int> stop_status_{-1};
  std::atomic<int> start_status_{-1};
};

TEST_F(BrokerTest, NothingIsLostAcrossABrokerRestart) {
  if (run_command(std::string(rabbitmqctl) + "status >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "rabbitmqctl cannot reach rabbit@localhost";
  }
  // Durable exchanges of this test's own: a binding to a non-durable
  // exchange would not survive the restart.
  const std::string in_exchange = unique_name("nova");
  const std::string out_exchange = unique_name("openstack");
  const std::string out_queue = unique_name("steward.test.restart-out");
  admin().declare_exchange(in_exchange, "topic", true);
  admin().declare_exchange(out_exchange, "topic", true);
  admin().declare_queue(out_queue, true);
  admin().bind(out_queue, out_exchange, "notifications.info");
  delete_exchange_later(in_exchange);
  delete_exchange_later(out_exchange);
  delete_queue_later(out_queue);
  reset_admin();  // the restart would kill it

  memory_outbox outbox;
  amqp_options opts = options(outbox);
  opts.durable_exchanges = true;
  opts.bindings = {{in_exchange, "versioned_notifications.info"}};
  opts.reconnect_min = 100ms;
  opts.reconnect_max = 1000ms;

  std::mutex m;
  std::set<std::string> handled;  // unique message ids the handler saw
  amqp_bus bus(opts);
  bus.start([&](inbound msg, ack_fn ack) {
    {
      std::lock_guard<std::mutex> l(m);
      handled.insert(msg.note.message_id);
    }
    ack();
  });
  ASSERT_TRUE(eventually([&] { return bus.ready(); }));
  queue_recorder out(url(), out_queue);
  reliable_publisher in(url(), in_exchange, "versioned_notifications.info");

  std::set<std::string> in_ids, out_ids;
  broker_restart restart;
  int after_restart = 0;
  for (int i = 0; after_restart < 100; ++i) {
    auto a = make_notification("nova-compute:h", "instance.update", "INFO", json{{"i", i}}, now());
    in.send(a.message_id, encode_v2(a));
    in_ids.insert(a.message_id);
    auto b = make_notification("steward", "lease.update", "INFO", json{{"i", i}}, now());
    outbox.add(out_exchange, "notifications.info", b);
    out_ids.insert(b.message_id);
    bus.outbox_changed();
    if (i == 100) restart.begin();
    if (restart.done()) ++after_restart;  // keep streaming once it is back
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(restart.stop_status(), 0);
  EXPECT_EQ(restart.start_status(), 0);

  EXPECT_TRUE(in.wait_all_delivered(90s)) << in.delivered() << " of " << in_ids.size();
  EXPECT_TRUE(eventually(
      [&] {
        std::lock_guard<std::mutex> l(m);
        for (const auto& id : in_ids) {
          if (handled.count(id) == 0) return false;
        }
        return true;
      },
      90s))
      << "the handler is missing messages";
  EXPECT_TRUE(out.wait_for(out_ids, 90s)) << "the test queue is missing messages";
  EXPECT_TRUE(eventually([&] { return outbox.size() == 0; }, 90s)) << outbox.size() << " left";
  EXPECT_TRUE(eventually([&] { return bus.ready(); }, 90s));
  bus.stop();
}

} // namespace
} // namespace steward::bus::test
