// The simulator as the compute contract describes it: every command's
// success and failure outcome, idempotency by request_id, failure injection,
// usage samples, sync, ordering, and the options from the configuration.
// Commands take no time here (durations 0) unless a test says otherwise;
// nothing asserts on timing.
#include "sim/simulator.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>

#include "config/config.hpp"
#include "sim_test_util.hpp"

namespace steward::sim::test {
namespace {

std::function<bool(const emitted&)> is(const std::string& event_type) {
  return [event_type](const emitted& e) { return e.note.event_type == event_type; };
}

class SimulatorTest : public ::testing::Test {
protected:
  void start(sim_options options = quick_options()) {
    sim_ = std::make_unique<simulator>(std::move(options), rec_.fn());
    sim_->start();
    // The start-up state ends with the instances.
    ASSERT_EQ(rec_.wait_for(is("instance.update"), 3).size(), 3u);
  }

  void TearDown() override {
    if (sim_) sim_->stop();
  }

  /// Sends a command and returns its first outcome.
  emitted ask(const std::string& event_type, json payload = json::object()) {
    bus::notification n = command(event_type, std::move(payload));
    sim_->handle(n);
    return answer_to(n);
  }

  emitted answer_to(const bus::notification& n) {
    std::optional<emitted> a = rec_.answer(n.payload["request_id"].get<std::string>());
    if (!a) throw std::runtime_error("no answer to " + n.event_type);
    return *a;
  }

  /// An instance command on `uuid` with more fields.
  emitted act(const std::string& event_type, const std::string& uuid,
              json fields = json::object()) {
    fields["instance_uuid"] = uuid;
    return ask(event_type, fields);
  }

  json create_payload(const std::string& uuid, json flavor) {
    return {{"instance_uuid", uuid},         {"display_name", "web-" + uuid},
            {"project_id", "p1"},            {"flavor", std::move(flavor)},
            {"image_uuid", "t-centos"},      {"key_name", "alice-key"},
            {"security_groups", {"ssh"}},    {"data_volume_gb", 5}};
  }

  json small() { return flavor_object("f-small", "small", 1, 2048, 20); }
  json big() { return flavor_object("f-big", "big", 8, 16384, 100); }

  /// The instance in the simulator's world, or null.
  json instance_now(const std::string& uuid) {
    json world = sim_->snapshot();  // kept: the loop refers into it
    for (const json& i : world["clouds"][0]["instances"]) {
      if (i["uuid"] == uuid) return i;
    }
    return nullptr;
  }

  json host_now(const std::string& name) {
    json world = sim_->snapshot();
    for (const json& h : world["clouds"][0]["hosts"]) {
      if (h["name"] == name) return h;
    }
    return nullptr;
  }

  recorder rec_;
  std::unique_ptr<simulator> sim_;
};

void expect_success(const emitted& e, const std::string& event_type) {
  EXPECT_EQ(e.note.event_type, event_type);
  EXPECT_EQ(e.note.priority, "INFO");
  EXPECT_EQ(e.routing_key, "versioned_notifications.info");
  EXPECT_FALSE(e.note.message_id.empty());
  EXPECT_FALSE(e.note.timestamp.empty());
  const json& d = e.data();
  EXPECT_TRUE(!d.contains("fault") || d["fault"].is_null()) << e.note.payload.dump();
}

void expect_failure(const emitted& e, const std::string& event_type, const std::string& exception) {
  EXPECT_EQ(e.note.event_type, event_type);
  EXPECT_EQ(e.note.priority, "ERROR");
  EXPECT_EQ(e.routing_key, "versioned_notifications.error");
  const json& fault = e.data()["fault"];
  ASSERT_TRUE(fault.is_object()) << e.note.payload.dump();
  EXPECT_EQ(fault["nova_object.name"], "ExceptionPayload");
  EXPECT_EQ(fault["nova_object.data"]["exception"], exception) << e.note.payload.dump();
  EXPECT_FALSE(fault["nova_object.data"]["exception_message"].get<std::string>().empty());
}

// --- the start-up state and sync ------------------------------------------------

TEST_F(SimulatorTest, StartPublishesTheFullState) {
  start();
  auto catalogs = rec_.of_type("catalog.update");
  ASSERT_EQ(catalogs.size(), 1u);
  const json& c = catalogs[0].note.payload;
  EXPECT_EQ(catalogs[0].note.publisher_id, "steward-sim:c1");
  EXPECT_EQ(c["cloud"], json({{"uuid", "cloud-1"}, {"name", "c1"}, {"customer", "cust-1"}}));
  ASSERT_EQ(c["flavors"].size(), 2u);
  EXPECT_EQ(c["flavors"][0],
            json({{"uuid", "f-small"}, {"name", "small"}, {"cores", 1}, {"ram", 2048},
                  {"disk", 20480}}));
  EXPECT_EQ(c["templates"][0]["os"], "CentOS 7.9");
  EXPECT_EQ(c["keys"][0]["fingerprint"], "aa:bb");
  EXPECT_EQ(c["security_groups"][0]["rules"][0]["from_port"], 22);
  EXPECT_EQ(c["customers"][0]["abbreviation"], "C1");
  EXPECT_EQ(c["project_groups"][0]["customer"], "cust-1");
  EXPECT_EQ(c["projects"][0]["clouds"], json({"cloud-1"}));
  EXPECT_EQ(c["projects"][0]["project_groups"], json({"pg-1"}));
  EXPECT_TRUE(c["request_id"].is_null());

  auto services = rec_.of_type("service.update");
  ASSERT_EQ(services.size(), 3u);
  for (const emitted& s : services) {
    EXPECT_EQ(s.note.payload["nova_object.name"], "ServiceStatusPayload");
    const json& d = s.data();
    EXPECT_EQ(s.note.publisher_id, "nova-compute:" + d["host"].get<std::string>());
    EXPECT_EQ(d["binary"], "nova-compute");
    EXPECT_EQ(d["cloud"], "c1");
    EXPECT_EQ(d["vcpus"], 8);
    EXPECT_EQ(d["memory_mb"], 16384);
    EXPECT_EQ(d["local_gb"], 200);
    EXPECT_EQ(d["hypervisor_type"], "QEMU");
    EXPECT_TRUE(d["hypervisor_version"].is_number_integer());
    EXPECT_EQ(d["forced_down"], false);
    EXPECT_EQ(d["disabled"], d["host"] == "h3");
  }

  auto instances = rec_.of_type("instance.update");
  ASSERT_EQ(instances.size(), 3u);
  std::map<std::string, json> by_uuid;
  for (const emitted& i : instances) by_uuid[i.data()["uuid"]] = i.data();
  EXPECT_EQ(by_uuid["i1"]["state"], "active");
  EXPECT_EQ(by_uuid["i1"]["power_state"], "running");
  EXPECT_EQ(by_uuid["i1"]["host"], "h1");
  EXPECT_EQ(by_uuid["i1"]["tenant_id"], "p1");
  EXPECT_EQ(by_uuid["i1"]["ip_addresses"][0]["nova_object.data"]["address"], "10.1.0.1");
  EXPECT_EQ(by_uuid["i2"]["state"], "stopped");
  EXPECT_EQ(by_uuid["i2"]["power_state"], "shutdown");
  EXPECT_EQ(by_uuid["i3"]["state"], "error");
  EXPECT_TRUE(by_uuid["i3"]["host"].is_null());
}

TEST_F(SimulatorTest, SyncRepublishesTheStateOfTheMoment) {
  start();
  act("compute.instance.stop", "i1");
  bus::notification sync = command("compute.sync");
  std::string rid = sync.payload["request_id"];
  sim_->handle(sync);
  auto answers = rec_.wait_for([&](const emitted& e) { return e.request_id() == rid; }, 7);
  ASSERT_EQ(answers.size(), 7u);
  EXPECT_EQ(answers[0].note.event_type, "catalog.update");
  int services = 0;
  for (const emitted& a : answers) {
    services += a.note.event_type == "service.update";
    if (a.note.event_type == "instance.update" && a.data()["uuid"] == "i1") {
      EXPECT_EQ(a.data()["state"], "stopped");
    }
  }
  EXPECT_EQ(services, 3);
}

TEST_F(SimulatorTest, UnknownEventTypesAndCloudsAreIgnored) {
  start();
  bus::notification fly = command("compute.instance.fly", {{"instance_uuid", "i1"}});
  bus::notification elsewhere = command("compute.sync", {{"cloud", "c9"}});
  sim_->handle(fly);
  sim_->handle(elsewhere);
  ask("compute.sync");  // answered: the simulator went on
  for (const emitted& e : rec_.all()) {
    EXPECT_NE(e.request_id(), fly.payload["request_id"]);
    EXPECT_NE(e.request_id(), elsewhere.payload["request_id"]);
  }
}

// --- create ---------------------------------------------------------------------

TEST_F(SimulatorTest, CreatePlacesOnTheLeastLoadedHost) {
  start();
  bus::notification n = command("compute.instance.create", create_payload("new-1", small()));
  sim_->handle(n);
  emitted e = answer_to(n);
  expect_success(e, "instance.create.end");
  EXPECT_EQ(e.note.publisher_id, "nova-compute:h1");
  EXPECT_EQ(e.note.payload["nova_object.name"], "InstanceActionPayload");
  EXPECT_EQ(e.note.payload["nova_object.namespace"], "nova");
  EXPECT_EQ(e.note.payload["nova_object.version"], "1.8");
  const json& d = e.data();
  EXPECT_EQ(d["uuid"], "new-1");
  EXPECT_EQ(d["display_name"], "web-new-1");
  EXPECT_EQ(d["host"], "h1") << "h1 and h2 are equally loaded: the first name";
  EXPECT_EQ(d["node"], "h1");
  EXPECT_EQ(d["cloud"], "c1");
  EXPECT_EQ(d["state"], "active");
  EXPECT_EQ(d["power_state"], "running");
  EXPECT_TRUE(d["task_state"].is_null());
  EXPECT_EQ(d["tenant_id"], "p1");
  EXPECT_EQ(d["flavor"]["nova_object.name"], "FlavorPayload");
  EXPECT_EQ(d["flavor"]["nova_object.data"]["flavorid"], "f-small");
  EXPECT_EQ(d["flavor"]["nova_object.data"]["vcpus"], 1);
  EXPECT_EQ(d["flavor"]["nova_object.data"]["memory_mb"], 2048);
  EXPECT_EQ(d["flavor"]["nova_object.data"]["root_gb"], 20);
  EXPECT_EQ(d["image_uuid"], "t-centos");
  EXPECT_EQ(d["key_name"], "alice-key");
  EXPECT_EQ(d["security_groups"], json({"ssh"}));
  EXPECT_EQ(d["data_volume_gb"], 5);
  ASSERT_EQ(d["ip_addresses"].size(), 1u);
  EXPECT_EQ(d["ip_addresses"][0]["nova_object.data"]["label"], "internal");
  EXPECT_EQ(d["request_id"], n.payload["request_id"]);

  emitted second = ask("compute.instance.create", create_payload("new-2", small()));
  expect_success(second, "instance.create.end");
  EXPECT_EQ(second.data()["host"], "h2") << "h1 is fuller now";
  EXPECT_NE(second.data()["ip_addresses"][0]["nova_object.data"]["address"],
            d["ip_addresses"][0]["nova_object.data"]["address"]);
  EXPECT_EQ(instance_now("new-2")["state"], "active");
}

TEST_F(SimulatorTest, CreateOnTheHostTheCommandNames) {
  start();
  json p = create_payload("new-1", small());
  p["host"] = "h2";
  emitted e = ask("compute.instance.create", p);
  expect_success(e, "instance.create.end");
  EXPECT_EQ(e.data()["host"], "h2");
}

TEST_F(SimulatorTest, CreateTakesWhatTheCommandLeavesOutFromTheCatalog) {
  start();
  emitted e = ask("compute.instance.create",
                  create_payload("new-1", {{"flavorid", "f-small"}}));
  expect_success(e, "instance.create.end");
  const json& f = e.data()["flavor"]["nova_object.data"];
  EXPECT_EQ(f["name"], "small");
  EXPECT_EQ(f["vcpus"], 1);
  EXPECT_EQ(f["memory_mb"], 2048);
  EXPECT_EQ(f["root_gb"], 20);
}

TEST_F(SimulatorTest, CreateWithoutRoomFailsWithNoValidHostAndLeavesAnErrorInstance) {
  start();
  emitted e = ask("compute.instance.create", create_payload("new-1", big()));
  expect_failure(e, "instance.create.error", "NoValidHost");
  EXPECT_EQ(e.data()["uuid"], "new-1");
  EXPECT_EQ(e.data()["state"], "error");
  EXPECT_TRUE(e.data()["host"].is_null());
  EXPECT_EQ(e.note.publisher_id, "steward-sim:c1");
  json now = instance_now("new-1");
  EXPECT_EQ(now["state"], "error");
  EXPECT_EQ(now["host"], "");
  // It can only be deleted.
  expect_failure(act("compute.instance.start", "new-1"), "instance.power_on.error",
                 "InstanceInvalidState");
  expect_success(act("compute.instance.delete", "new-1"), "instance.delete.end");
}

TEST_F(SimulatorTest, CreateRefusesDisabledUnknownAndTakenPlaces) {
  start();
  json p = create_payload("new-1", small());
  p["host"] = "h3";
  emitted disabled = ask("compute.instance.create", p);
  expect_failure(disabled, "instance.create.error", "NoValidHost");
  EXPECT_NE(disabled.data()["fault"]["nova_object.data"]["exception_message"]
                .get<std::string>()
                .find("disabled"),
            std::string::npos);
  p = create_payload("new-2", small());
  p["host"] = "h9";
  expect_failure(ask("compute.instance.create", p), "instance.create.error", "NotFound");
  expect_failure(ask("compute.instance.create", create_payload("i1", small())),
                 "instance.create.error", "InstanceExists");
  EXPECT_EQ(instance_now("i1")["state"], "active") << "the existing one is untouched";
  expect_failure(ask("compute.instance.create", create_payload("new-3", {{"flavorid", "nope"}})),
                 "instance.create.error", "FlavorNotFound");
  json elsewhere = create_payload("new-4", small());
  elsewhere["cloud"] = "c9";
  expect_failure(ask("compute.instance.create", elsewhere), "instance.create.error", "NotFound");
}

// --- power --------------------------------------------------------------------------

TEST_F(SimulatorTest, StartStopAndRestart) {
  start();
  emitted on = act("compute.instance.start", "i2");
  expect_success(on, "instance.power_on.end");
  EXPECT_EQ(on.data()["state"], "active");
  EXPECT_EQ(on.data()["power_state"], "running");
  EXPECT_EQ(on.note.publisher_id, "nova-compute:h2");

  emitted off = act("compute.instance.stop", "i1");
  expect_success(off, "instance.power_off.end");
  EXPECT_EQ(off.data()["state"], "stopped");
  EXPECT_EQ(off.data()["power_state"], "shutdown");

  emitted reboot = act("compute.instance.restart", "i1");
  expect_success(reboot, "instance.reboot.end");
  EXPECT_EQ(reboot.data()["state"], "active");
  EXPECT_EQ(instance_now("i1")["state"], "active");
}

TEST_F(SimulatorTest, PowerCommandsFromTheWrongStateFail) {
  start();
  emitted e = act("compute.instance.start", "i1");
  expect_failure(e, "instance.power_on.error", "InstanceInvalidState");
  EXPECT_EQ(e.data()["state"], "active");
  expect_failure(act("compute.instance.stop", "i2"), "instance.power_off.error",
                 "InstanceInvalidState");
  expect_failure(act("compute.instance.restart", "i3"), "instance.reboot.error",
                 "InstanceInvalidState");
}

TEST_F(SimulatorTest, InjectedPowerFailuresLeaveTheStateAlone) {
  start();
  sim_->fail_next("compute.instance.stop", 1);
  sim_->fail_next("compute.instance.start", 1);
  sim_->fail_next("compute.instance.restart", 1);
  emitted off = act("compute.instance.stop", "i1");
  expect_failure(off, "instance.power_off.error", "SimulatedFailure");
  EXPECT_EQ(off.data()["state"], "active");
  expect_failure(act("compute.instance.start", "i2"), "instance.power_on.error",
                 "SimulatedFailure");
  expect_failure(act("compute.instance.restart", "i1"), "instance.reboot.error",
                 "SimulatedFailure");
  EXPECT_EQ(instance_now("i2")["state"], "stopped");
  expect_success(act("compute.instance.stop", "i1"), "instance.power_off.end");
}

TEST_F(SimulatorTest, EveryInstanceCommandOnAnUnknownInstanceFailsWithNotFound) {
  start();
  const std::vector<std::pair<std::string, std::string>> failures = {
      {"compute.instance.start", "instance.power_on.error"},
      {"compute.instance.stop", "instance.power_off.error"},
      {"compute.instance.restart", "instance.reboot.error"},
      {"compute.instance.resize", "instance.resize.error"},
      {"compute.instance.migrate", "instance.resize.error"},
      {"compute.instance.migrate_confirm", "instance.resize_confirm.error"},
      {"compute.instance.live_migrate", "instance.live_migration_abort.end"},
      {"compute.instance.snapshot", "instance.snapshot.error"},
      {"compute.instance.delete", "instance.delete.error"},
  };
  for (const auto& [command_type, failure] : failures) {
    SCOPED_TRACE(command_type);
    emitted e = act(command_type, "nope", {{"data_volume_gb", 1}});
    expect_failure(e, failure, "NotFound");
    EXPECT_EQ(e.data()["uuid"], "nope");
  }
  json elsewhere = {{"instance_uuid", "i1"}, {"cloud", "c9"}};
  expect_failure(ask("compute.instance.stop", elsewhere), "instance.power_off.error", "NotFound");
}

// --- resize ----------------------------------------------------------------------------

TEST_F(SimulatorTest, ResizeChangesTheFlavorInPlace) {
  start();
  emitted e = act("compute.instance.resize", "i1",
                  {{"flavor", flavor_object("f-mid", "mid", 2, 4096, 40)}});
  expect_success(e, "instance.resize_confirm.end");
  const json& f = e.data()["flavor"]["nova_object.data"];
  EXPECT_EQ(f["flavorid"], "f-mid");
  EXPECT_EQ(f["vcpus"], 2);
  EXPECT_EQ(f["memory_mb"], 4096);
  EXPECT_EQ(e.data()["state"], "active") << "state unchanged";
  EXPECT_EQ(e.data()["host"], "h1");
  EXPECT_EQ(host_now("h1")["used"]["memory_mb"], 4096);
}

TEST_F(SimulatorTest, ResizeChangesTheDataVolume) {
  start();
  emitted e = act("compute.instance.resize", "i2", {{"data_volume_gb", 50}});
  expect_success(e, "instance.resize_confirm.end");
  EXPECT_EQ(e.data()["data_volume_gb"], 50);
  EXPECT_EQ(e.data()["state"], "stopped");
  EXPECT_EQ(host_now("h2")["used"]["disk_gb"], 70);
}

TEST_F(SimulatorTest, ResizeFailures) {
  start();
  emitted full = act("compute.instance.resize", "i1",
                     {{"flavor", flavor_object("f-huge", "huge", 8, 32768, 100)}});
  expect_failure(full, "instance.resize.error", "NoValidHost");
  EXPECT_EQ(full.data()["flavor"]["nova_object.data"]["flavorid"], "f-small") << "unchanged";
  expect_failure(act("compute.instance.resize", "i1"), "instance.resize.error", "InvalidRequest");
  sim_->fail_next("compute.instance.resize", 1);
  expect_failure(act("compute.instance.resize", "i1", {{"data_volume_gb", 20}}),
                 "instance.resize.error", "SimulatedFailure");
  EXPECT_EQ(instance_now("i1")["data_volume_gb"], 10);
}

// --- cold migration --------------------------------------------------------------------

TEST_F(SimulatorTest, MigrateMovesAndConfirmRestoresTheState) {
  start();
  emitted moved = act("compute.instance.migrate", "i1");
  expect_success(moved, "instance.resize_finish.end");
  EXPECT_EQ(moved.data()["host"], "h2") << "h3 is disabled";
  EXPECT_EQ(moved.data()["state"], "resized");
  EXPECT_EQ(moved.note.publisher_id, "nova-compute:h2");
  EXPECT_EQ(host_now("h1")["used"]["memory_mb"], 2048) << "held on the source until confirmed";

  emitted confirmed = act("compute.instance.migrate_confirm", "i1");
  expect_success(confirmed, "instance.resize_confirm.end");
  EXPECT_EQ(confirmed.data()["state"], "active");
  EXPECT_EQ(confirmed.data()["host"], "h2");
  EXPECT_EQ(host_now("h1")["used"]["memory_mb"], 0);

  emitted stopped = act("compute.instance.migrate", "i2");
  expect_success(stopped, "instance.resize_finish.end");
  EXPECT_EQ(stopped.data()["host"], "h1");
  EXPECT_EQ(stopped.data()["power_state"], "shutdown");
  EXPECT_EQ(act("compute.instance.migrate_confirm", "i2").data()["state"], "stopped");
}

TEST_F(SimulatorTest, MigrateToATargetHost) {
  start();
  expect_success(ask("compute.host.enable", {{"host", "h3"}}), "service.update");
  emitted e = act("compute.instance.migrate", "i1", {{"target_host", "h3"}});
  expect_success(e, "instance.resize_finish.end");
  EXPECT_EQ(e.data()["host"], "h3");
}

TEST_F(SimulatorTest, MigrateFailuresKeepTheInstanceWhereItWas) {
  start();
  emitted disabled = act("compute.instance.migrate", "i1", {{"target_host", "h3"}});
  expect_failure(disabled, "instance.resize.error", "NoValidHost");
  EXPECT_EQ(disabled.data()["host"], "h1");
  EXPECT_EQ(disabled.data()["state"], "active");
  expect_failure(act("compute.instance.migrate", "i1", {{"target_host", "h1"}}),
                 "instance.resize.error", "UnableToMigrateToSelf");
  expect_failure(act("compute.instance.migrate", "i1", {{"target_host", "h9"}}),
                 "instance.resize.error", "NotFound");
  sim_->fail_next("compute.instance.migrate", 1);
  emitted injected = act("compute.instance.migrate", "i1");
  expect_failure(injected, "instance.resize.error", "SimulatedFailure");
  EXPECT_EQ(injected.data()["host"], "h1");
  EXPECT_EQ(instance_now("i1")["host"], "h1");
  EXPECT_EQ(instance_now("i1")["state"], "active");
}

TEST_F(SimulatorTest, MigrateWithoutAnotherHostFails) {
  start();
  ask("compute.host.disable", {{"host", "h2"}, {"reason", "full"}});
  expect_failure(act("compute.instance.migrate", "i1"), "instance.resize.error", "NoValidHost");
}

TEST_F(SimulatorTest, ConfirmingWithoutAMigrationFails) {
  start();
  expect_failure(act("compute.instance.migrate_confirm", "i1"), "instance.resize_confirm.error",
                 "InstanceInvalidState");
  act("compute.instance.migrate", "i1");
  sim_->fail_next("compute.instance.migrate_confirm", 1);
  emitted e = act("compute.instance.migrate_confirm", "i1");
  expect_failure(e, "instance.resize_confirm.error", "SimulatedFailure");
  EXPECT_EQ(e.data()["state"], "resized");
}

// --- live migration --------------------------------------------------------------------

TEST_F(SimulatorTest, LiveMigrateMovesAndKeepsTheState) {
  start();
  emitted e = act("compute.instance.live_migrate", "i1");
  expect_success(e, "instance.live_migration_post.end");
  EXPECT_EQ(e.data()["host"], "h2");
  EXPECT_EQ(e.data()["state"], "active");
  EXPECT_EQ(host_now("h1")["used"]["memory_mb"], 0) << "nothing held on the source";
  emitted back = act("compute.instance.live_migrate", "i1", {{"target_host", "h1"}});
  expect_success(back, "instance.live_migration_post.end");
  EXPECT_EQ(back.data()["host"], "h1");
}

TEST_F(SimulatorTest, AFailedLiveMigrationAborts) {
  start();
  sim_->fail_next("compute.instance.live_migrate", 1);
  emitted e = act("compute.instance.live_migrate", "i1");
  expect_failure(e, "instance.live_migration_abort.end", "SimulatedFailure");
  EXPECT_EQ(e.data()["host"], "h1");
  EXPECT_EQ(e.data()["state"], "active");
  expect_failure(act("compute.instance.live_migrate", "i2"), "instance.live_migration_abort.end",
                 "InstanceInvalidState");
  expect_failure(act("compute.instance.live_migrate", "i1", {{"target_host", "h3"}}),
                 "instance.live_migration_abort.end", "NoValidHost");
}

// --- snapshot and delete -----------------------------------------------------------

TEST_F(SimulatorTest, SnapshotNamesTheNewImageAndTheCatalogOffersIt) {
  start();
  bus::notification n =
      command("compute.instance.snapshot", {{"instance_uuid", "i1"}, {"snapshot_name", "i1-bak"}});
  sim_->handle(n);
  std::string rid = n.payload["request_id"];
  auto answers = rec_.wait_for([&](const emitted& e) { return e.request_id() == rid; }, 2);
  ASSERT_EQ(answers.size(), 2u);
  const emitted& done = answers[0];
  expect_success(done, "instance.snapshot.end");
  EXPECT_EQ(done.note.payload["nova_object.name"], "InstanceActionSnapshotPayload");
  std::string image = done.data()["snapshot_image_id"];
  EXPECT_FALSE(image.empty());
  EXPECT_EQ(done.data()["state"], "active");
  ASSERT_EQ(answers[1].note.event_type, "catalog.update");
  bool offered = false;
  for (const json& t : answers[1].note.payload["templates"]) {
    if (t["uuid"] == image) {
      offered = true;
      EXPECT_EQ(t["name"], "i1-bak");
      EXPECT_EQ(t["os"], "CentOS 7.9");
    }
  }
  EXPECT_TRUE(offered);

  sim_->fail_next("compute.instance.snapshot", 1);
  expect_failure(act("compute.instance.snapshot", "i1"), "instance.snapshot.error",
                 "SimulatedFailure");
}

TEST_F(SimulatorTest, DeleteRemovesTheInstance) {
  start();
  sim_->fail_next("compute.instance.delete", 1);
  expect_failure(act("compute.instance.delete", "i1"), "instance.delete.error", "SimulatedFailure");
  EXPECT_FALSE(instance_now("i1").is_null());

  emitted e = act("compute.instance.delete", "i1");
  expect_success(e, "instance.delete.end");
  EXPECT_EQ(e.data()["state"], "deleted");
  EXPECT_TRUE(instance_now("i1").is_null());
  EXPECT_EQ(host_now("h1")["used"]["memory_mb"], 0);
  expect_failure(act("compute.instance.delete", "i1"), "instance.delete.error", "NotFound");
  expect_success(act("compute.instance.delete", "i3"), "instance.delete.end");
}

// --- hosts ---------------------------------------------------------------------------

TEST_F(SimulatorTest, DisableAndEnableAHost) {
  start();
  bus::notification n = command("compute.host.disable", {{"host", "h1"}, {"reason", "maintenance"}});
  sim_->handle(n);
  emitted off = answer_to(n);
  expect_success(off, "service.update");
  EXPECT_EQ(off.note.publisher_id, "nova-compute:h1");
  EXPECT_EQ(off.data()["host"], "h1");
  EXPECT_EQ(off.data()["disabled"], true);
  EXPECT_EQ(off.data()["disabled_reason"], "maintenance");
  EXPECT_EQ(off.data()["request_id"], n.payload["request_id"]);
  EXPECT_EQ(off.data()["vcpus"], 8);
  EXPECT_EQ(ask("compute.instance.create", create_payload("new-1", small())).data()["host"], "h2");

  emitted on = ask("compute.host.enable", {{"host", "h1"}});
  expect_success(on, "service.update");
  EXPECT_EQ(on.data()["disabled"], false);
  EXPECT_TRUE(on.data()["disabled_reason"].is_null());
}

TEST_F(SimulatorTest, HostCommandsFailWithComputeCommandError) {
  start();
  bus::notification n = command("compute.host.disable", {{"host", "h9"}, {"reason", "x"}});
  sim_->handle(n);
  emitted unknown = answer_to(n);
  expect_failure(unknown, "compute.command.error", "NotFound");
  EXPECT_EQ(unknown.data()["command"], "compute.host.disable");
  EXPECT_EQ(unknown.data()["host"], "h9");
  EXPECT_EQ(unknown.data()["request_id"], n.payload["request_id"]);
  sim_->fail_next("compute.host.enable", 1);
  expect_failure(ask("compute.host.enable", {{"host", "h3"}}), "compute.command.error",
                 "SimulatedFailure");
  EXPECT_EQ(host_now("h3")["disabled"], true);
}

TEST_F(SimulatorTest, ALostCommandIsNeitherDoneNorAnswered) {
  start();
  sim_->fail_next("compute.host.disable", 1, true);
  bus::notification lost = command("compute.host.disable", {{"host", "h3"}, {"reason", "x"}});
  sim_->handle(lost);
  // The next command on the same host runs after it: by its answer the lost
  // one has had its turn.
  expect_success(ask("compute.host.enable", {{"host", "h3"}}), "service.update");
  std::string rid = lost.payload["request_id"];
  for (auto& e : rec_.all())
    EXPECT_NE(e.request_id(), rid) << e.note.event_type;
  EXPECT_EQ(host_now("h3")["disabled"], false);
  // Only the next one is lost.
  expect_success(ask("compute.host.disable", {{"host", "h3"}, {"reason", "x"}}), "service.update");
}

TEST_F(SimulatorTest, ARefusedCatalogCommandNamesWhatItWasAbout) {
  start();
  sim_->fail_next("compute.image.create", 1);
  auto refused = ask("compute.image.create", {{"image", {{"uuid", "img-9"}, {"name", "x"}}}});
  expect_failure(refused, "compute.command.error", "SimulatedFailure");
  EXPECT_EQ(refused.data()["subject"], "img-9");
  EXPECT_TRUE(refused.data()["host"].is_null());
}

TEST_F(SimulatorTest, AnImageIsUploadedInStagesANetworkIsATenantsAndAKeyIsAdded) {
  start();
  bus::notification upload =
      command("compute.image.create", {{"image", {{"uuid", "img-1"}, {"name", "Debian"}}}});
  sim_->handle(upload);
  std::string rid = upload.payload["request_id"];
  auto stages = rec_.wait_for([&](const emitted& e) { return e.request_id() == rid; }, 4);
  ASSERT_EQ(stages.size(), 4u);
  std::vector<json> told;
  for (const emitted& e : stages) {
    EXPECT_EQ(e.note.event_type, "catalog.update");
    for (const json& t : e.note.payload["templates"])
      if (t["uuid"] == "img-1") told.push_back({t["status"], t["progress"]});
  }
  EXPECT_EQ(told, (std::vector<json>{{"saving", 25}, {"saving", 50}, {"saving", 75}, {"active", 100}}));
  auto again = ask("compute.image.create", {{"image", {{"uuid", "img-1"}, {"name", "Debian"}}}});
  EXPECT_EQ(again.note.event_type, "catalog.update") << "made once: answered with the catalog";

  auto refused = ask("compute.network.create",
                     {{"network", {{"uuid", "net-1"}, {"name", "n"}, {"project_id", "p9"}}}});
  expect_failure(refused, "compute.command.error", "NotFound");
  EXPECT_EQ(refused.data()["subject"], "net-1");
  auto made = ask("compute.network.create",
                  {{"network", {{"uuid", "net-1"}, {"name", "p1-net"}, {"project_id", "p1"},
                                {"cidr", "10.9.0.0/24"}}}});
  EXPECT_EQ(made.note.event_type, "catalog.update");
  EXPECT_EQ(made.note.payload["networks"],
            json({{{"uuid", "net-1"}, {"name", "p1-net"}, {"project", "p1"}, {"cidr", "10.9.0.0/24"}}}));
  auto keyed = ask("compute.keypair.create",
                   {{"keypair", {{"uuid", "k-2"}, {"name", "bob-key"}, {"user", "bob"}}}});
  EXPECT_EQ(keyed.note.event_type, "catalog.update");
  EXPECT_EQ(keyed.note.payload["keys"].size(), 2u);
  expect_failure(ask("compute.keypair.create", {{"keypair", {{"uuid", "k-3"}}}}),
                 "compute.command.error", "InvalidRequest");
}

// --- idempotency, injection, order ------------------------------------------------

TEST_F(SimulatorTest, ARepeatedRequestIsAnsweredAgainNotExecutedAgain) {
  start();
  bus::notification create = command("compute.instance.create", create_payload("new-1", small()));
  sim_->handle(create);
  emitted first = answer_to(create);
  sim_->handle(create);  // redelivered after a broker failure
  std::string rid = create.payload["request_id"];
  auto both = rec_.wait_for([&](const emitted& e) { return e.request_id() == rid; }, 2);
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(both[1].note.event_type, "instance.create.end") << "not InstanceExists";
  EXPECT_EQ(both[1].note.message_id, first.note.message_id) << "the same outcome";
  EXPECT_EQ(both[1].note.payload, first.note.payload);
  int copies = 0;
  json world = sim_->snapshot();
  for (const json& i : world["clouds"][0]["instances"]) copies += i["uuid"] == "new-1";
  EXPECT_EQ(copies, 1);
}

TEST_F(SimulatorTest, ARequestRepeatedWhileQueuedRunsOnce) {
  sim_options o = quick_options();
  o.durations["compute.instance.stop"] = 0.2;
  start(o);
  bus::notification stop = command("compute.instance.stop", {{"instance_uuid", "i1"}});
  sim_->handle(stop);
  sim_->handle(stop);
  answer_to(stop);
  sim_->handle(stop);
  // A later command on the same instance runs after every earlier one.
  expect_success(act("compute.instance.start", "i1"), "instance.power_on.end");
  std::string rid = stop.payload["request_id"];
  std::set<std::string> ids;
  for (const emitted& e : rec_.all()) {
    if (e.request_id() != rid) continue;
    EXPECT_EQ(e.note.event_type, "instance.power_off.end") << "executed twice";
    ids.insert(e.note.message_id);
  }
  EXPECT_EQ(ids.size(), 1u);
}

TEST_F(SimulatorTest, FailNextArrivesAsACommand) {
  start();
  sim_->handle(command("simulator.fail_next",
                       {{"command", "compute.instance.migrate"}, {"count", 2}}));
  expect_failure(act("compute.instance.migrate", "i1"), "instance.resize.error", "SimulatedFailure");
  expect_failure(act("compute.instance.migrate", "i1"), "instance.resize.error", "SimulatedFailure");
  expect_success(act("compute.instance.migrate", "i1"), "instance.resize_finish.end");
}

TEST_F(SimulatorTest, AFailureRateOfOneAlwaysFails) {
  sim_options o = quick_options();
  o.failure_rates["compute.instance.stop"] = 1.0;
  start(o);
  for (int n = 0; n < 3; ++n) {
    expect_failure(act("compute.instance.stop", "i1"), "instance.power_off.error",
                   "SimulatedFailure");
  }
  expect_success(act("compute.instance.restart", "i1"), "instance.reboot.end");
}

TEST_F(SimulatorTest, CommandsOnOneInstanceRunInArrivalOrder) {
  sim_options o = quick_options();
  o.durations["compute.instance.stop"] = 0.3;  // longer than the start behind it
  start(o);
  std::vector<bus::notification> sent = {
      command("compute.instance.stop", {{"instance_uuid", "i1"}}),
      command("compute.instance.start", {{"instance_uuid", "i1"}}),
      command("compute.instance.stop", {{"instance_uuid", "i1"}}),
  };
  for (const auto& n : sent) sim_->handle(n);
  for (const auto& n : sent) answer_to(n);
  std::vector<std::string> order;
  for (const emitted& e : rec_.all()) {
    for (const auto& n : sent) {
      if (e.request_id() == n.payload["request_id"]) order.push_back(e.note.event_type);
    }
  }
  EXPECT_EQ(order, (std::vector<std::string>{"instance.power_off.end", "instance.power_on.end",
                                             "instance.power_off.end"}));
}

TEST_F(SimulatorTest, OutcomesUseTheConfiguredTopic) {
  sim_options o = quick_options();
  o.nova_topic = "vn";
  sim_ = std::make_unique<simulator>(std::move(o), rec_.fn());
  sim_->start();
  sim_->fail_next("compute.instance.stop", 1);
  EXPECT_EQ(act("compute.instance.stop", "i1").routing_key, "vn.error");
  EXPECT_EQ(act("compute.instance.stop", "i1").routing_key, "vn.info");
}

// --- usage ---------------------------------------------------------------------------

TEST_F(SimulatorTest, UsageSamplesArriveForRunningInstances) {
  sim_options o = quick_options();
  o.usage_interval = 1;
  start(o);
  auto samples = rec_.wait_for(is("instance.usage"), 2);
  ASSERT_EQ(samples.size(), 2u);
  for (const emitted& s : samples) {
    EXPECT_EQ(s.note.priority, "INFO");
    EXPECT_EQ(s.routing_key, "versioned_notifications.info");
    const json& d = s.data();
    EXPECT_EQ(d["uuid"], "i1") << "i2 is stopped, i3 in error";
    EXPECT_EQ(s.note.publisher_id, "nova-compute:h1");
    EXPECT_GE(d["cpu_util"].get<double>(), 0.0);
    EXPECT_LE(d["cpu_util"].get<double>(), 100.0);
    EXPECT_GT(d["memory_mb"].get<int>(), 0);
    EXPECT_LE(d["memory_mb"].get<int>(), 2048);
    EXPECT_LE(d["disk_gb"].get<int>(), 30);
  }
}

// --- options -------------------------------------------------------------------------

TEST(SimulatorOptions, FromTheDefaults) {
  sim_options o = options_from(config::settings::defaults());
  EXPECT_EQ(o.initial_workload.clouds.at(0).name, "default");
  EXPECT_EQ(o.default_duration, 1.0);
  EXPECT_TRUE(o.durations.empty());
  EXPECT_TRUE(o.failure_rates.empty());
  EXPECT_EQ(o.usage_interval, 60);
  EXPECT_EQ(o.ratios.cpu, 4.0);
  EXPECT_EQ(o.ratios.ram, 1.0);
  EXPECT_EQ(o.ratios.disk, 1.0);
  EXPECT_EQ(o.nova_topic, "versioned_notifications");
}

TEST(SimulatorOptions, FromTheSimulatorSection) {
  config::settings s = config::settings::defaults();
  ASSERT_EQ(s.set("simulator", "durations",
                  "compute.instance.create=3, compute.instance.migrate=0.5", "file"),
            "");
  ASSERT_EQ(s.set("simulator", "failure_rates", "compute.instance.migrate=0.1", "file"), "");
  ASSERT_EQ(s.set("simulator", "default_duration", "0.25", "file"), "");
  ASSERT_EQ(s.set("simulator", "cpu_allocation_ratio", "16", "file"), "");
  ASSERT_EQ(s.set("simulator", "seed", "7", "file"), "");
  ASSERT_EQ(s.set("messaging", "nova_topic", "vn", "file"), "");
  sim_options o = options_from(s);
  EXPECT_EQ(o.durations, (std::map<std::string, double>{{"compute.instance.create", 3},
                                                        {"compute.instance.migrate", 0.5}}));
  EXPECT_EQ(o.failure_rates.at("compute.instance.migrate"), 0.1);
  EXPECT_EQ(o.default_duration, 0.25);
  EXPECT_EQ(o.ratios.cpu, 16.0);
  EXPECT_EQ(o.seed, 7u);
  EXPECT_EQ(o.nova_topic, "vn");
}

TEST(SimulatorOptions, BadValuesAreRefused) {
  config::settings typo = config::settings::defaults();
  ASSERT_EQ(typo.set("simulator", "durations", "compute.instance.migrat=5", "file"), "");
  EXPECT_THROW(options_from(typo), std::invalid_argument);
  config::settings rate = config::settings::defaults();
  ASSERT_EQ(rate.set("simulator", "failure_rates", "compute.instance.stop=1.5", "file"), "");
  EXPECT_THROW(options_from(rate), std::invalid_argument);
  config::settings file = config::settings::defaults();
  ASSERT_EQ(file.set("simulator", "workload_file", "/nonexistent.json", "file"), "");
  EXPECT_THROW(options_from(file), workload_error);
  EXPECT_THROW(parse_number_map("a", "x"), std::invalid_argument);
  EXPECT_THROW(parse_number_map("a=b", "x"), std::invalid_argument);
  EXPECT_EQ(parse_number_map("", "x").size(), 0u);
  EXPECT_EQ(parse_number_map(" a = 1 ,b=2,", "x"),
            (std::map<std::string, double>{{"a", 1}, {"b", 2}}));
}

} // namespace
} // namespace steward::sim::test
