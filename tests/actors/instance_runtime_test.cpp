// Instances through the actors, against a real SQLite file. The test plays
// the compute layer: it reads the commands from the outbox and answers with
// Nova outcome notifications, as docs/compute-contract.md says.
#include <gtest/gtest.h>

#include <future>

#include "http/routes/instance_body.hpp"
#include "actors/runtime.hpp"
#include "store/store.hpp"
#include "bus/oslo.hpp"
#include "tests/support/support.hpp"

using namespace steward;
using nlohmann::json;

namespace {

const char* catalog_payload = R"({
  "cloud": {"uuid": "cl1", "name": "default", "customer": "cu1"},
  "flavors": [{"uuid": "f1", "name": "small", "cores": 1, "ram": 2048, "disk": 20480},
              {"uuid": "f2", "name": "large", "cores": 4, "ram": 8192, "disk": 81920}],
  "templates": [{"uuid": "t1", "name": "CentOS", "os": "CentOS 6.5"}],
  "keys": [{"uuid": "k1", "name": "alice-key", "fingerprint": "aa:bb", "user": "alice"}],
  "security_groups": [],
  "customers": [{"uuid": "cu1", "name": "Acme", "abbreviation": "AC"}],
  "project_groups": [],
  "projects": [{"uuid": "p1", "name": "Web", "customer": "cu1", "clouds": ["cl1"]},
               {"uuid": "p2", "name": "Other", "customer": "cu1", "clouds": ["cl1"]}]})";

access::caller staff() { return {"root", true, {}, {}}; }
access::caller admin() { return {"alice", false, {{"p1", access::role::admin}}, {}}; }
access::caller manager() { return {"mary", false, {{"p1", access::role::manager}}, {}}; }
access::caller outsider() { return {"olga", false, {{"p2", access::role::admin}}, {}}; }
access::caller owner() { return {"oscar", false, {}, {"cu1"}}; }

struct world {
  explicit world(const test::temp_dir& dir) {
    store::store_options o;
    o.connection = "sqlite:///" + dir.file("instances.db");
    db = store::open_store(o);
    actors = std::make_unique<runtime>(runtime_options{}, *db);
  }
  ~world() {
    actors->shutdown();
    db->close();
  }
  template <class Request>
  api_reply ask(Request request, access::caller who = staff()) {
    request.ctx = {std::move(who), "http://h"};
    std::promise<api_reply> p;
    actors->ask(std::move(request), [&](api_reply r) { p.set_value(std::move(r)); });
    auto r = p.get_future().get();
    if (r.text)  // already serialized for the client: read it as the client would
      r.body = json::parse(*r.text);
    return r;
  }
  void notify(const std::string& event_type, json payload, const std::string& priority = "INFO") {
    auto n = bus::make_notification("nova-compute:c1", event_type, priority, std::move(payload), now());
    std::promise<void> acked;
    actors->deliver(bus::inbound{"nova", "versioned_notifications.info", n,
                                 [](const std::string& why, bool) {
                                   ADD_FAILURE() << "the notification failed: " << why;
                                 }}, [&] { acked.set_value(); });
    ASSERT_EQ(acked.get_future().wait_for(test::patience), std::future_status::ready) << event_type;
  }
  // The next compute command after those already seen.
  std::optional<bus::notification> next_command() {
    std::optional<bus::notification> found;
    test::eventually([&] {
      for (auto& row : db->pending_outbox(seen_outbox, 1000)) {
        seen_outbox = row.outbox_id;
        if (row.exchange != "steward.compute")
          continue;
        std::string err;
        found = bus::decode(row.body, err);
        return true;
      }
      return false;
    });
    return found;
  }
  std::string state(const std::string& id) {
    return ask(instance_show{{}, id}).body.value("state", "?");
  }
  // The outbox (read directly) may be a moment ahead of what the registry
  // shows: wait for the state a command's commit set.
  bool reaches(const std::string& id, const std::string& wanted) {
    return test::eventually([&] { return state(id) == wanted; });
  }
  std::unique_ptr<store::store> db;
  std::unique_ptr<runtime> actors;
  int64_t seen_outbox = 0;
};

json outcome(const std::string& uuid, const std::string& vm_state, const std::string& request_id,
             json extra = json::object()) {
  json data = {{"uuid", uuid}, {"host", "c1"}, {"state", vm_state}, {"tenant_id", "p1"},
               {"display_name", "vm"}, {"cloud", "default"}, {"request_id", request_id}};
  data.update(extra);
  return {{"nova_object.name", "InstanceActionPayload"}, {"nova_object.data", data}};
}

json create_body() {
  return {{"hostname", "web-1"}, {"template", "http://h/api/iaas-templates/t1/"},
          {"flavor", "http://h/api/flavors/f1/"}, {"project", "http://h/api/projects/p1/"},
          {"ssh_public_key", "http://h/api/keys/k1/"}};
}

// Creates an instance and completes its provisioning.
std::string online_instance(world& w) {
  auto r = w.ask(instance_create{{}, http::read_instance_create(create_body())}, admin());
  EXPECT_EQ(r.status, 201) << r.body.dump();
  auto id = r.body["uuid"].get<std::string>();
  auto cmd = w.next_command();
  EXPECT_TRUE(cmd);
  EXPECT_EQ(cmd->event_type, "compute.instance.create");
  w.notify("instance.create.end", outcome(id, "active", cmd->payload["request_id"]));
  EXPECT_EQ(w.state(id), "Online");
  return id;
}

} // namespace

TEST(instances, a_whole_life_through_the_state_machine) {
  test::temp_dir dir;
  world w{dir};
  w.notify("catalog.update", json::parse(catalog_payload));
  auto created = w.ask(instance_create{{}, http::read_instance_create(create_body())}, admin());
  ASSERT_EQ(created.status, 201) << created.body.dump();
  EXPECT_EQ(created.body["state"], "Provisioning Scheduled");
  auto id = created.body["uuid"].get<std::string>();
  auto create = w.next_command();
  ASSERT_TRUE(create);
  EXPECT_EQ(create->event_type, "compute.instance.create");
  EXPECT_EQ(create->payload["instance_uuid"], id);
  EXPECT_EQ(create->payload["flavor"]["vcpus"], 1);
  EXPECT_TRUE(w.reaches(id, "Provisioning"));
  w.notify("instance.create.end", outcome(id, "active", create->payload["request_id"]));
  EXPECT_EQ(w.state(id), "Online");
  EXPECT_EQ(w.ask(instance_show{{}, id}).body["start_time"].is_string(), true);

  auto wrong = w.ask(instance_start{{}, id}, admin());
  EXPECT_EQ(wrong.status, 409);
  EXPECT_EQ(wrong.body["status"], "Performing start operation from instance state 'Online' is not allowed");
  EXPECT_EQ(w.ask(instance_resize{{}, id, http::read_resize({{"disk_size", 99999}})}, admin()).body["detail"], "Instance must be offline");
  EXPECT_EQ(w.ask(instance_delete{{}, id}, admin()).status, 409);

  auto stop = w.ask(instance_stop{{}, id}, admin());
  EXPECT_EQ(stop.status, 202);
  EXPECT_EQ(stop.body["status"], "stop was scheduled");
  auto stop_cmd = w.next_command();
  ASSERT_TRUE(stop_cmd);
  EXPECT_EQ(stop_cmd->event_type, "compute.instance.stop");
  EXPECT_TRUE(w.reaches(id, "Stopping"));
  w.notify("instance.power_off.end", outcome(id, "stopped", stop_cmd->payload["request_id"]));
  EXPECT_EQ(w.state(id), "Offline");

  EXPECT_EQ(w.ask(instance_resize{{}, id, http::read_resize({{"flavor", "http://h/api/flavors/f2/"}})}, admin()).status, 202);
  auto resize = w.next_command();
  ASSERT_TRUE(resize);
  EXPECT_EQ(resize->event_type, "compute.instance.resize");
  EXPECT_EQ(resize->payload["flavor"]["vcpus"], 4);
  EXPECT_TRUE(w.reaches(id, "Resizing"));
  w.notify("instance.resize_confirm.end", outcome(id, "stopped", resize->payload["request_id"]));
  EXPECT_EQ(w.state(id), "Offline");
  EXPECT_EQ(w.ask(instance_show{{}, id}).body["cores"], 4);

  EXPECT_EQ(w.ask(instance_start{{}, id}, admin()).status, 202);
  auto start = w.next_command();
  ASSERT_TRUE(start);
  EXPECT_EQ(start->event_type, "compute.instance.start");
  w.notify("instance.power_on.end", outcome(id, "active", start->payload["request_id"]));
  EXPECT_EQ(w.state(id), "Online");

  EXPECT_EQ(w.ask(instance_stop{{}, id}, admin()).status, 202);
  auto stop2 = w.next_command();
  w.notify("instance.power_off.end", outcome(id, "stopped", stop2->payload["request_id"]));
  auto del = w.ask(instance_delete{{}, id}, admin());
  EXPECT_EQ(del.status, 202);
  EXPECT_EQ(del.body["status"], "destroy was scheduled");
  auto delete_cmd = w.next_command();
  ASSERT_TRUE(delete_cmd);
  EXPECT_EQ(delete_cmd->event_type, "compute.instance.delete");
  EXPECT_TRUE(w.reaches(id, "Deleting"));
  w.notify("instance.delete.end", outcome(id, "deleted", delete_cmd->payload["request_id"]));
  EXPECT_EQ(w.ask(instance_show{{}, id}).status, 404);
}

TEST(instances, restart_is_a_stop_then_a_start_and_failures_err) {
  test::temp_dir dir;
  world w{dir};
  w.notify("catalog.update", json::parse(catalog_payload));
  auto id = online_instance(w);
  auto restart = w.ask(instance_restart{{}, id}, admin());
  EXPECT_EQ(restart.status, 202);
  EXPECT_EQ(restart.body["status"], "restart was scheduled");
  auto stop = w.next_command();
  ASSERT_TRUE(stop);
  EXPECT_EQ(stop->event_type, "compute.instance.stop");
  w.notify("instance.power_off.end", outcome(id, "stopped", stop->payload["request_id"]));
  auto start = w.next_command();
  ASSERT_TRUE(start);
  EXPECT_EQ(start->event_type, "compute.instance.start");
  w.notify("instance.power_on.error", outcome(id, "error", start->payload["request_id"]), "ERROR");
  EXPECT_EQ(w.state(id), "Erred");
}

TEST(instances, roles_decide_who_sees_and_operates) {
  test::temp_dir dir;
  world w{dir};
  w.notify("catalog.update", json::parse(catalog_payload));
  auto id = online_instance(w);
  EXPECT_EQ(w.ask(instance_show{{}, id}, manager()).status, 200);
  auto forbidden = w.ask(instance_stop{{}, id}, manager());
  EXPECT_EQ(forbidden.status, 403);
  EXPECT_TRUE(forbidden.body.contains("detail"));
  EXPECT_EQ(w.ask(instance_show{{}, id}, outsider()).status, 404);
  EXPECT_EQ(w.ask(instance_stop{{}, id}, outsider()).status, 404);
  EXPECT_EQ(w.ask(instance_show{{}, id}, owner()).status, 200);
  EXPECT_EQ(w.ask(instance_stop{{}, id}, owner()).status, 403);
  EXPECT_EQ(w.ask(instance_create{{}, http::read_instance_create(create_body())}, manager()).status, 403);
  EXPECT_EQ(w.ask(instance_list{}, manager()).body.size(), 1u);
  EXPECT_EQ(w.ask(instance_list{}, outsider()).body.size(), 0u);
  EXPECT_EQ(w.ask(instance_list{}, owner()).body.size(), 1u);
  // The catalog's own routes.
  EXPECT_EQ(w.ask(catalog_list{{}, "projects"}, manager()).body.size(), 1u);
  EXPECT_EQ(w.ask(catalog_show{{}, "projects", "p2"}, manager()).status, 404);
  EXPECT_EQ(w.ask(catalog_show{{}, "flavors", "f1"}, manager()).body["cores"], 1);
  EXPECT_EQ(w.ask(catalog_list{{}, "nonsense"}).status, 404);
}

TEST(instances, unknown_instances_are_taken_in_and_survive_a_restart) {
  test::temp_dir dir;
  std::string provisioning;
  {
    world w{dir};
    w.notify("catalog.update", json::parse(catalog_payload));
    w.notify("instance.update", outcome("outside-1", "active", "",
                                        {{"flavor", {{"nova_object.data", {{"flavorid", "f2"}}}}}}));
    auto shown = w.ask(instance_show{{}, "outside-1"});
    ASSERT_EQ(shown.status, 200);
    EXPECT_EQ(shown.body["state"], "Online");
    EXPECT_EQ(shown.body["cores"], 4);
    EXPECT_EQ(shown.body["project_name"], "Web");
    auto r = w.ask(instance_create{{}, http::read_instance_create(create_body())}, admin());
    provisioning = r.body["uuid"];
    ASSERT_TRUE(w.next_command());
    EXPECT_TRUE(w.reaches(provisioning, "Provisioning"));
  }
  world w{dir};
  EXPECT_EQ(w.state("outside-1"), "Online");
  EXPECT_EQ(w.state(provisioning), "Provisioning") << "recovered mid-way";
  w.notify("instance.create.end", outcome(provisioning, "active", ""));
  EXPECT_EQ(w.state(provisioning), "Online") << "the outcome completes it after the restart";
  auto page = w.ask(instance_list{{}, {{"page_size", "1"}, {"o", "-hostname"}}});
  ASSERT_EQ(page.body.size(), 1u);
  bool has_count = false;
  for (auto& [k, v] : page.headers)
    has_count = has_count || (k == "X-Result-Count" && v == "2");
  EXPECT_TRUE(has_count);
}

// A compute layer announces its whole catalog at every start: the same
// catalog again is not stored again (nor every instance listed again); a
// change is, and instances show it.
TEST(instances, an_unchanged_catalog_is_not_stored_again) {
  test::temp_dir dir;
  world w{dir};
  w.notify("catalog.update", json::parse(catalog_payload));
  auto id = online_instance(w);
  auto catalog_version = [&] {
    auto rows = w.db->load_kind("catalog");
    return rows.size() == 1 ? rows[0].version : -1;
  };
  ASSERT_EQ(catalog_version(), 1);
  w.notify("catalog.update", json::parse(catalog_payload));
  EXPECT_EQ(catalog_version(), 1) << "the same catalog is not written again";
  auto renamed = json::parse(catalog_payload);
  renamed["projects"][0]["name"] = "Web shop";
  w.notify("catalog.update", renamed);
  EXPECT_EQ(catalog_version(), 2);
  EXPECT_EQ(w.ask(instance_show{{}, id}).body["project_name"], "Web shop");
}
