// What one state change writes: its rows, and events in the order they were
// emitted, each with its payload in the event log and in the oslo envelope
// of the outbox.
#include <gtest/gtest.h>

#include "actors/change.hpp"

using namespace steward;
using nlohmann::json;

namespace {

json payload_of_event(const store::event_record& e) { return json::parse(e.data)["payload"]; }

json payload_of_notification(const bus::outbound& o) {
  auto outer = json::parse(o.body);
  return json::parse(outer["oslo.message"].get<std::string>())["payload"];
}

} // namespace

TEST(change, events_carry_their_payloads_in_emit_order) {
  actor_services svc;
  change c{svc};
  json doc = {{"id", "l1"}, {"name", "lease one"}};
  c.emit({"lease.event.start_lease", "p1", "blazar.lease", doc});
  c.emit({"note", "p1", "steward", {{"n", 1}}});
  c.upsert("lease", "l1", "p1", doc, 3);
  c.emit({"lease.update", "p1", "blazar.lease", doc});
  auto b = c.take();
  ASSERT_EQ(b.upserts.size(), 1u);
  EXPECT_EQ(json::parse(b.upserts[0].document), doc);
  ASSERT_EQ(b.events.size(), 3u);
  ASSERT_EQ(b.outbox.size(), 3u);
  EXPECT_EQ(b.events[0].type, "lease.event.start_lease");
  EXPECT_EQ(b.events[1].type, "note");
  EXPECT_EQ(b.events[2].type, "lease.update");
  EXPECT_EQ(payload_of_event(b.events[0]), doc);
  EXPECT_EQ(payload_of_event(b.events[1]), json({{"n", 1}}));
  EXPECT_EQ(payload_of_event(b.events[2]), doc);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(payload_of_notification(b.outbox[i]), payload_of_event(b.events[i])) << i;
    EXPECT_EQ(b.outbox[i].exchange, "openstack");
    EXPECT_EQ(json::parse(b.events[i].data)["message_id"], b.outbox[i].message_id);
  }
}

TEST(change, an_event_without_a_payload_carries_an_empty_object) {
  actor_services svc;
  change c{svc};
  c.emit({"lease.event.end_lease", "p1", "blazar.lease", nullptr});
  auto b = c.take();
  ASSERT_EQ(b.events.size(), 1u);
  EXPECT_EQ(payload_of_event(b.events[0]), json::object());
  EXPECT_EQ(payload_of_notification(b.outbox[0]), json::object());
}
