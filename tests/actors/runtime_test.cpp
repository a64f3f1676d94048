// The actors against a real SQLite file: every answer comes after the change
// is stored, entities and timers come back after a restart, notifications are
// applied once.
#include <gtest/gtest.h>

#include <future>

#include "http/routes/lease_body.hpp"
#include "http/routes/inventory_body.hpp"
#include "actors/runtime.hpp"
#include "store/store.hpp"
#include "bus/oslo.hpp"
#include "common/event_stream.hpp"
#include "common/time_format.hpp"
#include "tests/support/support.hpp"

using namespace steward;
using nlohmann::json;

namespace {

struct world {
  explicit world(const test::temp_dir& dir) {
    store::store_options o;
    o.connection = "sqlite:///" + dir.file("actors.db");
    db = store::open_store(o);
    actors = std::make_unique<runtime>(runtime_options{}, *db);
  }
  ~world() {
    actors->shutdown();
    db->close();
  }
  template <class Request>
  api_reply ask(Request request, bool staff = true) {
    request.ctx.who.user_id = staff ? "root" : "alice";
    request.ctx.who.staff = staff;
    std::promise<api_reply> p;
    actors->ask(std::move(request), [&](api_reply r) { p.set_value(std::move(r)); });
    return p.get_future().get();
  }
  // Delivers a notification and waits for its acknowledgement.
  void notify(const bus::notification& n) {
    std::promise<void> acked;
    actors->deliver(bus::inbound{"nova", "versioned_notifications.info", n,
                                 [](const std::string& why, bool) {
                                   ADD_FAILURE() << "the notification failed: " << why;
                                 }},
                    [&] { acked.set_value(); });
    ASSERT_EQ(acked.get_future().wait_for(test::patience), std::future_status::ready);
  }
  std::unique_ptr<store::store> db;
  std::unique_ptr<runtime> actors;
};

bus::notification service_update(const std::string& host, bool disabled) {
  json payload = {{"nova_object.name", "ServiceStatusPayload"},
                  {"nova_object.data",
                   {{"host", host}, {"binary", "nova-compute"}, {"disabled", disabled},
                    {"forced_down", false}, {"disabled_reason", disabled ? "maint" : ""}}}};
  return bus::make_notification("nova-compute:" + host, "service.update", "INFO", payload, now());
}

} // namespace

TEST(runtime, host_life_is_stored_before_each_answer) {
  test::temp_dir dir;
  std::string id;
  {
    world w{dir};
    auto created = w.ask(host_create{{}, http::read_host_create({{"hypervisor_hostname", "c-1"}, {"vcpus", 16}})});
    ASSERT_EQ(created.status, 201) << created.error;
    id = created.body["host"]["id"];
    EXPECT_EQ(w.db->load_kind("host").size(), 1u) << "stored before the answer";
    EXPECT_EQ(w.ask(host_create{{}, http::read_host_create({{"hypervisor_hostname", "c-1"}})}).status, 409);
    EXPECT_EQ(w.ask(host_show{{}, "c-1"}).body["host"]["id"], id) << "found by name too";
    auto updated = w.ask(host_update{{}, id, http::read_host_update({{"vcpus", 32}})});
    ASSERT_EQ(updated.status, 200);
    EXPECT_EQ(json::parse(w.db->load_kind("host")[0].document)["vcpus"], 32);
    EXPECT_EQ(w.ask(host_update{{}, id, http::read_host_update({{"vcpus", "lots"}})}).status, 400);
    // A body the route could not read is answered where the actors reach it:
    // an unknown host, a caller who may not manage hosts, answer first.
    EXPECT_EQ(w.ask(host_update{{}, "nope", http::read_host_update({{"vcpus", "lots"}})}).status,
              404);
    EXPECT_EQ(w.ask(host_create{{}, http::read_host_create(json::array())}, false).status, 403);
    EXPECT_EQ(w.ask(host_list{}, false).status, 403);
    auto list = w.ask(host_list{});
    ASSERT_EQ(list.body["hosts"].size(), 1u);
    EXPECT_EQ(list.body["hosts"][0]["vcpus"], 32);
    EXPECT_EQ(w.ask(host_show{{}, "nope"}).status, 404);
    // Three events and three notifications so far: create, update... and the
    // refused update wrote nothing.
    auto events = w.db->events_after(0, 100);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].type, "host.create");
    EXPECT_EQ(events[1].type, "host.update");
    EXPECT_EQ(w.db->pending_outbox(0, 100).size(), 2u) << "nothing drains the outbox here";
  }
  {
    world w{dir};
    auto shown = w.ask(host_show{{}, id});
    ASSERT_EQ(shown.status, 200) << "recovered after restart";
    EXPECT_EQ(shown.body["host"]["vcpus"], 32);
    EXPECT_EQ(w.ask(host_delete{{}, id}).status, 204);
    EXPECT_EQ(w.ask(host_show{{}, id}).status, 404);
    EXPECT_TRUE(w.db->load_kind("host").empty());
  }
}

TEST(runtime, overdue_timer_fires_after_restart) {
  test::temp_dir dir;
  {
    world w{dir};
    auto until = timefmt::iso_micro(now() + std::chrono::hours{1});
    auto r = w.ask(host_create{{}, http::read_host_create({{"hypervisor_hostname", "c-2"}, {"status", "disabled"},
                                  {"disabled_until", until}})});
    ASSERT_EQ(r.status, 201) << r.error;
  }
  // While "down", time passes beyond disabled_until.
  global_clock().advance(std::chrono::hours{2});
  world w{dir};
  ASSERT_TRUE(test::eventually([&] {
    return w.ask(host_show{{}, "c-2"}).body["host"]["status"] == "enabled";
  }));
}

TEST(runtime, clock_jump_fires_a_pending_timer) {
  test::temp_dir dir;
  world w{dir};
  auto until = timefmt::iso_micro(now() + std::chrono::hours{5});
  ASSERT_EQ(w.ask(host_create{{}, http::read_host_create({{"hypervisor_hostname", "c-3"}, {"status", "disabled"},
                                 {"disabled_until", until}})}).status, 201);
  EXPECT_EQ(w.ask(host_show{{}, "c-3"}).body["host"]["status"], "disabled");
  global_clock().advance(std::chrono::hours{6});
  w.actors->clock_jumped();
  ASSERT_TRUE(test::eventually([&] {
    return w.ask(host_show{{}, "c-3"}).body["host"]["status"] == "enabled";
  }));
}

TEST(runtime, notifications_learn_hosts_once) {
  test::temp_dir dir;
  world w{dir};
  auto n = service_update("c-7", true);
  w.notify(n);
  auto shown = w.ask(host_show{{}, "c-7"});
  ASSERT_EQ(shown.status, 200) << "learned from the notification";
  EXPECT_EQ(shown.body["host"]["status"], "disabled");
  auto events_before = w.db->events_after(0, 100).size();
  w.notify(n); // a redelivery: acknowledged, not applied again
  EXPECT_EQ(w.db->events_after(0, 100).size(), events_before);
  EXPECT_EQ(w.db->processed_ids(10).front(), n.message_id);
  w.notify(service_update("c-7", false));
  EXPECT_EQ(w.ask(host_show{{}, "c-7"}).body["host"]["status"], "enabled");
  auto other = bus::make_notification("x", "compute.metrics.update", "INFO", json::object(), now());
  w.notify(other); // nobody handles it: acknowledged all the same
}

TEST(runtime, processed_ids_survive_a_restart) {
  test::temp_dir dir;
  auto n = service_update("c-8", true);
  {
    world w{dir};
    w.notify(n);
  }
  world w{dir};
  auto before = w.db->events_after(0, 100).size();
  w.notify(n);
  EXPECT_EQ(w.db->events_after(0, 100).size(), before);
}

namespace {

// A lease of one host over the same hour tomorrow: every such lease wants
// the same window.
lease_create tomorrows_lease(const std::string& name) {
  auto day = now() + std::chrono::hours{24};
  auto minute = [](sys_time t) { return timefmt::sql(t).substr(0, 16); };
  return lease_create{{},
                      http::read_lease_create({{"name", name},
                       {"start_date", minute(day)},
                       {"end_date", minute(day + std::chrono::hours{1})},
                       {"reservations",
                        {{{"resource_type", "physical:host"}, {"min", 1}, {"max", 1},
                          {"hypervisor_properties", ""}, {"resource_properties", ""}}}},
                       {"events", json::array()}})};
}

} // namespace

TEST(runtime, a_dead_registry_is_restarted_with_what_it_stored) {
  test::temp_dir dir;
  world w{dir};
  ASSERT_TRUE(w.actors->wait_until_ready(test::patience));
  for (auto name : {"c-1", "c-2"})
    ASSERT_EQ(w.ask(host_create{{}, http::read_host_create({{"hypervisor_hostname", name}, {"vcpus", 8}})}).status, 201);
  ASSERT_EQ(w.ask(reservable_host_enroll{{}, http::read_enrollment({{"name", "c-1"}})}).status, 202);
  auto first = w.ask(tomorrows_lease("first"));
  ASSERT_EQ(first.status, 202) << first.error;
  auto first_id = first.body["lease"]["id"].get<std::string>();

  // The host registry dies: it comes back from the store, and so does the
  // lease registry that follows its hosts.
  w.actors->fail_actor("host");
  ASSERT_TRUE(test::eventually([&] { return w.actors->restarts() == 1; }));
  ASSERT_TRUE(w.actors->wait_until_ready(test::patience));
  EXPECT_EQ(w.ask(host_show{{}, "c-1"}).status, 200);
  EXPECT_EQ(w.ask(lease_show{{}, first_id}).status, 200);
  // The new lease registry knows every host (c-2 enrols) and every booking
  // (c-1 is taken in that window).
  ASSERT_EQ(w.ask(reservable_host_enroll{{}, http::read_enrollment({{"name", "c-2"}})}).status, 202);
  EXPECT_EQ(w.ask(tomorrows_lease("second")).status, 202);
  EXPECT_EQ(w.ask(tomorrows_lease("third")).status, 409) << "both hosts are booked";

  // The lease registry alone dies: its leases and bookings come back.
  w.actors->fail_actor("lease");
  ASSERT_TRUE(test::eventually([&] { return w.actors->restarts() == 2; }));
  ASSERT_TRUE(w.actors->wait_until_ready(test::patience));
  EXPECT_EQ(w.ask(lease_show{{}, first_id}).status, 200);
  EXPECT_EQ(w.ask(tomorrows_lease("fourth")).status, 409);

  // Notifications reach the new host registry.
  w.notify(service_update("c-1", true));
  EXPECT_EQ(w.ask(host_show{{}, "c-1"}).body["host"]["status"], "disabled");
  EXPECT_TRUE(w.actors->not_ready().empty());
}

// The gateway, the ingest and the event hub are restarted too: requests,
// notifications and streams go on through the new ones.
TEST(runtime, the_gateway_ingest_and_event_hub_are_restarted) {
  test::temp_dir dir;
  world w{dir};
  ASSERT_TRUE(w.actors->wait_until_ready(test::patience));
  event_filter everything;
  everything.who.staff = true;  // hosts' events have no project: staff's
  auto stream = std::make_shared<event_stream>(100);
  w.actors->subscribe({everything, stream});
  ASSERT_EQ(w.ask(host_create{{}, http::read_host_create({{"hypervisor_hostname", "c-1"}})}).status, 201);
  ASSERT_TRUE(test::eventually([&] {
    std::string text;
    stream->drain(text);
    return text.find("host.create") != std::string::npos;
  })) << "the stream works before";

  w.actors->fail_actor("events");
  ASSERT_TRUE(test::eventually([&] { return w.actors->restarts() == 1; }));
  ASSERT_TRUE(test::eventually([&] { return stream->closed(); }))
    << "a client of the hub that died is told its stream ended";
  auto again = std::make_shared<event_stream>(100);
  w.actors->subscribe({everything, again});

  w.actors->fail_actor("gateway");
  ASSERT_TRUE(test::eventually([&] { return w.actors->restarts() == 2; }));
  ASSERT_EQ(w.ask(host_create{{}, http::read_host_create({{"hypervisor_hostname", "c-2"}})}).status, 201);
  ASSERT_TRUE(test::eventually([&] {
    std::string text;
    again->drain(text);
    return text.find("c-2") != std::string::npos;
  })) << "the new hub streams what was stored after";

  w.actors->fail_actor("ingest");
  ASSERT_TRUE(test::eventually([&] { return w.actors->restarts() == 3; }));
  w.notify(service_update("c-1", true));
  EXPECT_EQ(w.ask(host_show{{}, "c-1"}).body["host"]["status"], "disabled");
  ASSERT_TRUE(w.actors->wait_until_ready(test::patience));
}
