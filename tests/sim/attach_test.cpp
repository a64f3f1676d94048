// The simulator on the in-process bus: commands are outbox rows for the
// command exchange, outcomes reach the bus's handler as if Nova had sent
// them.
#include "sim/attach.hpp"

#include <gtest/gtest.h>

#include <mutex>

#include "bus/memory_outbox.hpp"
#include "sim_test_util.hpp"

namespace steward::sim::test {
namespace {

class inbound_log {
public:
  bus::inbound_handler handler() {
    return [this](bus::inbound msg, bus::ack_fn ack) {
      std::lock_guard<std::mutex> l(m_);
      seen_.push_back(std::move(msg));
      ack();
    };
  }

  /// Waits (60 s at most) for a message of `event_type`.
  std::optional<bus::inbound> wait_for(const std::string& event_type) const {
    auto end = std::chrono::steady_clock::now() + patience;
    while (std::chrono::steady_clock::now() < end) {
      {
        std::lock_guard<std::mutex> l(m_);
        for (const bus::inbound& m : seen_) {
          if (m.note.event_type == event_type) return m;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return std::nullopt;
  }

private:
  mutable std::mutex m_;
  std::vector<bus::inbound> seen_;
};

TEST(AttachToInprocBus, CommandsFromTheOutboxOutcomesIntoTheHandler) {
  bus::memory_outbox outbox;
  bus::inproc_bus inproc(outbox);
  simulator sim(quick_options());
  attach_to_inproc_bus(sim, inproc, "steward.compute", "nova");
  inbound_log log;
  inproc.start(log.handler());
  sim.start();

  auto catalog = log.wait_for("catalog.update");
  ASSERT_TRUE(catalog) << "the start-up state arrives";
  EXPECT_EQ(catalog->exchange, "nova");
  EXPECT_EQ(catalog->routing_key, "versioned_notifications.info");

  // Steward's own notifications go to another exchange: not for the cloud.
  outbox.add("openstack", "notifications.info",
             bus::make_notification("steward.inventory", "compute.instance.stop", "INFO",
                                    {{"instance_uuid", "i1"}, {"cloud", "c1"},
                                     {"request_id", "req-not-a-command"}},
                                    now()));
  bus::notification stop = command("compute.instance.stop", {{"instance_uuid", "i1"}});
  outbox.add("steward.compute", "compute.c1", stop);
  inproc.outbox_changed();

  auto done = log.wait_for("instance.power_off.end");
  ASSERT_TRUE(done);
  EXPECT_EQ(done->exchange, "nova");
  EXPECT_EQ(done->routing_key, "versioned_notifications.info");
  EXPECT_EQ(done->note.payload["nova_object.data"]["request_id"], stop.payload["request_id"]);
  EXPECT_EQ(done->note.payload["nova_object.data"]["state"], "stopped");
  EXPECT_EQ(sim.snapshot()["clouds"][0]["instances"][0]["state"], "stopped");

  // Failures come with the error routing key.
  outbox.add("steward.compute", "compute.c1",
             command("compute.instance.stop", {{"instance_uuid", "i1"}}));
  inproc.outbox_changed();
  auto failed = log.wait_for("instance.power_off.error");
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->routing_key, "versioned_notifications.error");

  sim.stop();  // the simulator before the bus
  inproc.stop();
  EXPECT_EQ(inproc.dead_lettered(), 0u);
}

} // namespace
} // namespace steward::sim::test
