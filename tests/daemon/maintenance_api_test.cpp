// /v1/maintenance over HTTP on a real stewardd with its in-process simulated
// cloud (4 hosts, 8 instances of 3 projects, 2 empty hosts of a second cloud,
// commands taking no time) and the test clock. The test plays the projects'
// application managers: web-shop answers MIGRATE, lab answers OWN_ACTION and
// moves its instances itself through the cloud's own API, analytics never
// answers.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "tests/daemon/stewardd_fixture.hpp"

using namespace steward;
using namespace steward::test;
using nlohmann::json;

namespace {

const char* const staff = "staff-token-0001";
const char* const web_token = "web-token-00001";
const char* const lab_token = "lab-token-00001";

struct maintenance_api : stewardd_fixture {
  void SetUp() override {
    write_tokens(R"({
      "staff-token-0001": {"user_id": "root", "staff": true},
      "web-token-00001": {"user_id": "wendy", "projects": {")" + web_shop + R"(": "admin"}},
      "lab-token-00001": {"user_id": "larry", "projects": {")" + lab + R"(": "admin"}}})");
    start_stewardd({"--test-clock", "true"});
    ASSERT_TRUE(eventually([&] {
      return call("GET", "/v1/inventory/hosts", staff).json()["hosts"].size() == 6
             && call("GET", "/api/instances/", staff).json().size() == 8;
    }));
  }
  std::string error_of(const http_result& r) { return r.json().value("faultstring", ""); }
  // Steward's clock, as Fenix writes times, `seconds` from now.
  std::string in_seconds(long seconds) {
    auto now = call("GET", "/v1/admin/clock", staff).json()["now"].get<std::string>();
    std::tm tm{};
    strptime(now.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
    auto t = timegm(&tm) + seconds;
    gmtime_r(&t, &tm);
    char out[32];
    std::strftime(out, sizeof out, "%Y-%m-%d %H:%M:%S", &tm);
    return out;
  }
  long seconds_until(const std::string& when) {
    auto now = call("GET", "/v1/admin/clock", staff).json()["now"].get<std::string>();
    std::tm a{}, b{};
    strptime(now.c_str(), "%Y-%m-%dT%H:%M:%S", &a);
    strptime(when.c_str(), "%Y-%m-%d %H:%M:%S", &b);
    return static_cast<long>(timegm(&b) - timegm(&a));
  }
  void advance(long seconds) {
    ASSERT_EQ(call("POST", "/v1/admin/clock", staff, {{"advance_seconds", seconds}}).status, 200);
  }
  std::string create(json hosts, json metadata = json::object()) {
    json body = {{"hosts", std::move(hosts)}, {"state", "MAINTENANCE"},
                 {"maintenance_at", in_seconds(60)}, {"workflow", "default"},
                 {"metadata", std::move(metadata)}, {"actions", json::array()}};
    auto r = call("POST", "/v1/maintenance", staff, body);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().value("session_id", "");
  }
  // The session's first round is stored a moment after its creation.
  json first_round(const std::string& id) {
    EXPECT_TRUE(eventually([&] { return detail(id)["round"].is_object(); }));
    return detail(id)["round"];
  }
  json detail(const std::string& id) {
    return call("GET", "/v1/maintenance/" + id + "/detail", staff).json();
  }
  json world() { return call("GET", "/v1/admin/simulator", staff).json()["clouds"][0]; }
  std::string state_of(const std::string& uuid) {
    auto w = world();
    for (auto& i : w["instances"])
      if (i["uuid"] == uuid)
        return i["state"];
    return "gone";
  }
  std::string host_of(const std::string& uuid) {
    auto w = world();
    for (auto& i : w["instances"])
      if (i["uuid"] == uuid)
        return i["host"];
    return "gone";
  }
  json inventory_host(const std::string& name) {
    return call("GET", "/v1/inventory/hosts/" + name, staff).json()["host"];
  }
  // Answers the round for `project` when it asks; true when it did.
  bool answer(const std::string& id, const json& s, const std::string& project,
              const std::string& token, const std::string& action) {
    auto& round = s["round"];
    if (!round.is_object() || !round["replies"].contains(project)
        || !round["replies"][project].is_null())
      return false;
    auto state = round["state"].get<std::string>();
    auto mine = call("GET", "/v1/maintenance/" + id + "/" + project + "/", token);
    EXPECT_EQ(mine.status, 200) << mine.body;
    json actions = json::object();
    auto shown = mine.json();  // kept: the loop below reads into it
    if (state != "MAINTENANCE" && state != "MAINTENANCE_COMPLETE")
      for (auto& uuid : shown["instance_ids"])
        actions[uuid.get<std::string>()] = action;
    auto r = call("PUT", "/v1/maintenance/" + id + "/" + project + "/", token,
                  {{"state", "ACK_" + state}, {"instance_actions", actions}});
    EXPECT_EQ(r.status, 200) << r.body;
    return true;
  }
  // A host lab may move its instance to: enabled, not under maintenance, not
  // the one being emptied.
  std::string free_host(const std::string& emptied) {
    auto hosts = call("GET", "/v1/inventory/hosts", staff).json()["hosts"];
    for (auto& h : hosts)
      if (h["hypervisor_hostname"] != emptied && h["status"] == "enabled"
          && !h.value("in_maintenance", false))
        return h["hypervisor_hostname"];
    return "";
  }
  // Plays the projects until the session ends: web-shop answers `web_action`,
  // lab answers OWN_ACTION and moves its instances itself, analytics stays
  // silent (its reply time is waited out on the test clock).
  json run_to_end(const std::string& id, const std::string& web_action = "MIGRATE") {
    std::set<std::string> lab_moved;
    for (int i = 0; i < 2000; ++i) {
      auto s = detail(id);
      auto state = s.value("state", "");
      if (state == "MAINTENANCE_DONE" || state == "MAINTENANCE_FAILED")
        return s;
      bool acted = answer(id, s, web_shop, web_token, web_action);
      acted = answer(id, s, lab, lab_token, "OWN_ACTION") || acted;
      // Lab moves its own instances, once per host (an instance moved off
      // one host may land on the next): a running one live; a stopped one
      // (lab's scratch) cold, then confirmed as a project does.
      for (auto& [uuid, move] : s["moves"].items()) {
        if (move["status"] != "own" || move["project"] != lab)
          continue;
        auto at = uuid + "@" + s["host"].get<std::string>();
        auto instance_state = state_of(uuid);
        json command;
        if (instance_state == "resized" && lab_moved.insert(at + " confirmed").second)
          command = {{"type", "compute.instance.migrate_confirm"},
                     {"payload", {{"instance_uuid", uuid}}}};
        else if (instance_state != "resized" && lab_moved.insert(at).second)
          command = {{"type", instance_state == "stopped" ? "compute.instance.migrate"
                                                          : "compute.instance.live_migrate"},
                     {"payload", {{"instance_uuid", uuid}, {"target_host", free_host(s["host"])}}}};
        if (command.is_null())
          continue;
        auto r = call("POST", "/v1/admin/simulator/command", staff, command);
        EXPECT_EQ(r.status, 202) << r.body;
        acted = true;
      }
      if (acted)
        continue;
      auto& round = s["round"];
      bool only_silent_left = round.is_object();
      if (round.is_object())
        for (auto& [project, reply] : round["replies"].items())
          if (reply.is_null() && project != analytics)
            only_silent_left = false;
      if (only_silent_left)
        advance(std::max(1L, seconds_until(round["reply_at"]) + 1));
      else if (state == "MAINTENANCE" && !round.is_object() && s["projects"].is_array())
        advance(std::max(1L, seconds_until(s["maintenance_at"]) + 1));
      else if (state == "START_MAINTENANCE" && s["host_done_at"].is_string())
        advance(std::max(1L, seconds_until(s["host_done_at"]) + 1));
      else
        std::this_thread::sleep_for(std::chrono::milliseconds{20});
    }
    ADD_FAILURE() << "the session did not end";
    return detail(id);
  }
};

} // namespace

TEST_F(maintenance_api, a_whole_rolling_maintenance_with_three_kinds_of_projects) {
  sse_client everything{proc->port(), "/v1/events?types=maintenance.,instance.update",
                        {{"X-Auth-Token", staff}}};
  sse_client lab_stream{proc->port(), "/v1/events?types=maintenance.", {{"X-Auth-Token", lab_token}}};
  auto before = world()["instances"];
  auto id = create(json::array());
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(call("GET", "/v1/maintenance/" + id, staff).json(),
            (json{{"session_id", id}, {"state", "MAINTENANCE"}}));
  auto end = run_to_end(id);
  ASSERT_EQ(end["state"], "MAINTENANCE_DONE") << end.dump(2);

  // Every host maintained once, every instance alive, every host back in service.
  auto maintained = end["maintained"];
  EXPECT_EQ(std::set<std::string>(maintained.begin(), maintained.end()),
            (std::set<std::string>{"compute-1", "compute-2", "compute-3", "compute-4", "dest-1",
                                   "dest-2"}))
    << "every compute host of the inventory, of both clouds";
  EXPECT_EQ(maintained.size(), 6u);
  auto after = world();
  EXPECT_EQ(after["instances"].size(), before.size()) << "no instance lost";
  for (auto& i : after["instances"])
    EXPECT_NE(i["state"], "deleted");
  ASSERT_TRUE(eventually([&] {
    for (auto& h : world()["hosts"])
      if (h["disabled"] == true)
        return false;
    for (auto& name : {"compute-1", "compute-2", "compute-3", "compute-4"})
      if (inventory_host(name).value("in_maintenance", true))
        return false;
    return true;
  })) << "every host enabled again";

  // From the stream: no instance ever on a host while it was in maintenance,
  // an INSTANCE_ACTION_DONE per moved instance.
  std::set<std::string> in_maintenance;
  int actions_done = 0;
  bool done = false;
  while (!done) {
    auto e = everything.next();
    ASSERT_TRUE(e);
    auto data = json::parse(e->data);
    auto& p = data["payload"];
    if (data["event_type"] == "maintenance.host") {
      if (p["state"] == "IN_MAINTENANCE")
        in_maintenance.insert(p["host"]);
      else
        in_maintenance.erase(p["host"]);
    } else if (data["event_type"] == "instance.update") {
      EXPECT_FALSE(in_maintenance.count(p.value("host", ""))) << p.dump();
    } else if (data["event_type"] == "maintenance.scheduled"
               && p["state"] == "INSTANCE_ACTION_DONE") {
      ++actions_done;
    } else if (data["event_type"] == "maintenance.session") {
      done = p["state"] == "MAINTENANCE_DONE";
    }
  }
  EXPECT_GE(actions_done, 7) << "each instance on a host moved once (the broken one has none)";

  // The lab token saw only lab's notifications, with Fenix's payload.
  bool saw_own_round = false;
  for (;;) {
    auto e = lab_stream.next(std::chrono::seconds{2});
    if (!e)
      break;
    auto data = json::parse(e->data);
    EXPECT_EQ(data["project_id"], lab);
    EXPECT_EQ(data["event_type"], "maintenance.scheduled") << "operators' events stay theirs";
    auto& p = data["payload"];
    EXPECT_EQ(p["session_id"], id);
    if (p["state"] == "PREPARE_MAINTENANCE" || p["state"] == "PLANNED_MAINTENANCE") {
      saw_own_round = true;
      EXPECT_EQ(p["allowed_actions"], (json{"MIGRATE", "LIVE_MIGRATE", "OWN_ACTION"}));
      EXPECT_EQ(p["instance_ids"], p["reply_url"]);
      EXPECT_NE(p["instance_ids"].get<std::string>().find("/v1/maintenance/" + id + "/" + lab),
                std::string::npos);
    }
  }
  EXPECT_TRUE(saw_own_round);
}

TEST_F(maintenance_api, bad_admin_requests) {
  auto post = [&](const json& body, const std::string& token = staff) {
    return call("POST", "/v1/maintenance", token, body);
  };
  json good = {{"hosts", json::array({"compute-1"})}, {"state", "MAINTENANCE"},
               {"maintenance_at", in_seconds(60)}, {"workflow", "default"}};
  auto with = [&](const std::string& key, json value) {
    auto b = good;
    b[key] = std::move(value);
    return b;
  };
  auto past = post(with("maintenance_at", in_seconds(-60)));
  EXPECT_EQ(past.status, 400);
  EXPECT_NE(error_of(past).find("in the past"), std::string::npos) << past.body;
  EXPECT_EQ(past.json()["faultcode"], "Client");
  EXPECT_EQ(post(with("maintenance_at", "tomorrow")).status, 400);
  EXPECT_EQ(error_of(post(with("hosts", json::array({"compute-9"})))),
            "Host compute-9 is not a compute host of the inventory");
  EXPECT_EQ(error_of(post(with("workflow", "vnf"))),
            "Unknown workflow 'vnf' (Steward runs 'default')");
  EXPECT_EQ(post(with("state", "PLANNED_MAINTENANCE")).status, 400);
  EXPECT_EQ(post(with("metadata", {{"reply_seconds", -1}})).status, 400);
  EXPECT_EQ(post(json::array()).status, 400);
  EXPECT_EQ(post(good, web_token).status, 403) << "operators only";
  EXPECT_EQ(call("GET", "/v1/maintenance", staff).json()["sessions"].size(), 0u)
    << "nothing was created";
  auto first = post(good);
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(post(good).status, 409) << "compute-1 is in the first session";
  for (auto host : {"compute-2", "compute-3", "compute-4"})
    EXPECT_EQ(post(with("hosts", json::array({host}))).status, 200);
  auto all = call("GET", "/v1/maintenance", staff).json()["sessions"];
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(call("GET", "/v1/maintenance/nope", staff).status, 404);
  EXPECT_EQ(call("PUT", "/v1/maintenance/" + all[0].get<std::string>(), staff,
                 {{"state", "MAINTENANCE"}}).status,
            409)
    << "only a failed session resumes";
  EXPECT_EQ(call("DELETE", "/v1/maintenance/" + all[0].get<std::string>(), staff).status, 204);
  EXPECT_EQ(call("GET", "/v1/maintenance", staff).json()["sessions"].size(), 3u);
}

TEST_F(maintenance_api, bad_project_replies_change_nothing) {
  auto id = create(json::array({"compute-1", "compute-2"}));
  first_round(id);
  auto s = detail(id);
  auto url = "/v1/maintenance/" + id + "/" + web_shop + "/";
  auto reply = [&](const json& body, const std::string& token = web_token) {
    return call("PUT", url, token, body);
  };
  EXPECT_EQ(reply({{"state", "ACK_PLANNED_MAINTENANCE"}}).status, 400) << "not the state asked";
  EXPECT_EQ(reply({{"state", "MAYBE"}}).status, 400);
  EXPECT_EQ(reply({{"state", "ACK_MAINTENANCE"}}, lab_token).status, 403) << "another project";
  EXPECT_EQ(call("GET", url, lab_token).status, 403);
  EXPECT_EQ(reply({{"state", "ACK_MAINTENANCE"},
                   {"instance_actions", {{"not-an-instance", "MIGRATE"}}}})
              .status,
            400);
  EXPECT_EQ(reply(json::array()).status, 400);
  EXPECT_TRUE(detail(id)["round"]["replies"][web_shop].is_null()) << "no reply recorded";
  EXPECT_EQ(reply({{"state", "ACK_MAINTENANCE"}}).status, 200);
  EXPECT_EQ(detail(id)["round"]["replies"][web_shop]["state"], "ACK_MAINTENANCE");

  // The host round: actions must be allowed ones, instances the project's.
  advance(seconds_until(detail(id)["round"]["reply_at"]) + 1);
  advance(std::max(1L, seconds_until(detail(id)["maintenance_at"]) + 1));
  ASSERT_TRUE(eventually([&] {
    auto round = detail(id)["round"];
    return round.is_object() && round["state"] != "MAINTENANCE";
  }));
  s = detail(id);
  ASSERT_TRUE(s["round"].is_object()) << s.dump(2) << detail(id).dump(2);
  auto state = s["round"]["state"].get<std::string>();
  if (s["round"]["replies"].contains(web_shop)) {
    auto mine = call("GET", url, web_token).json()["instance_ids"];
    ASSERT_FALSE(mine.empty());
    auto uuid = mine[0].get<std::string>();
    EXPECT_EQ(reply({{"state", "ACK_" + state}, {"instance_actions", {{uuid, "REBOOT"}}}}).status,
              400);
    std::string someone_elses;
    for (auto& [other, owner] : s["round"]["instances"].items())
      if (owner != web_shop)
        someone_elses = other;
    if (!someone_elses.empty()) {
      EXPECT_EQ(reply({{"state", "ACK_" + state},
                       {"instance_actions", {{someone_elses, "MIGRATE"}}}})
                  .status,
                400);
    }
    EXPECT_TRUE(detail(id)["round"]["replies"][web_shop].is_null());
  }
  EXPECT_EQ(call("GET", "/v1/maintenance/" + id + "/" + analytics + "/", staff).status, 200)
    << "staff may read any project's list";
}

TEST_F(maintenance_api, a_nack_stops_safely_and_resume_goes_on) {
  auto id = create(json::array({"compute-1"}));
  first_round(id);
  ASSERT_EQ(call("PUT", "/v1/maintenance/" + id + "/" + web_shop + "/", web_token,
                 {{"state", "NACK_MAINTENANCE"}})
              .status,
            200);
  ASSERT_TRUE(eventually([&] { return detail(id)["state"] == "MAINTENANCE_FAILED"; }));
  auto failed = detail(id);
  EXPECT_NE(failed["failure_reason"].get<std::string>().find(web_shop), std::string::npos);
  EXPECT_EQ(inventory_host("compute-1")["status"], "enabled");
  auto resumed = call("PUT", "/v1/maintenance/" + id, staff, {{"state", "MAINTENANCE"}});
  ASSERT_EQ(resumed.status, 200) << resumed.body;
  EXPECT_EQ(resumed.json()["state"], "MAINTENANCE");
  auto end = run_to_end(id);
  EXPECT_EQ(end["state"], "MAINTENANCE_DONE") << end.dump(2);
  EXPECT_EQ(end["maintained"], json::array({"compute-1"}));
}

TEST_F(maintenance_api, a_failed_migration_fails_the_session_and_loses_nothing) {
  ASSERT_EQ(call("POST", "/v1/admin/simulator/fail_next", staff,
                 {{"command", "compute.instance.migrate"}, {"count", 1}})
              .status,
            202);
  auto id = create(json::array({"compute-3"}));
  auto end = run_to_end(id, "MIGRATE");
  ASSERT_EQ(end["state"], "MAINTENANCE_FAILED") << end.dump(2);
  EXPECT_NE(end["failure_reason"].get<std::string>().find("failed"), std::string::npos);
  EXPECT_EQ(world()["instances"].size(), 8u) << "no instance lost";
  ASSERT_TRUE(eventually([&] {
    auto h = inventory_host("compute-3");
    return h["status"] == "enabled" && !h.value("in_maintenance", true);
  })) << "the host is back in service";
  ASSERT_EQ(call("PUT", "/v1/maintenance/" + id, staff, {{"state", "MAINTENANCE"}}).status, 200);
  end = run_to_end(id, "MIGRATE");
  EXPECT_EQ(end["state"], "MAINTENANCE_DONE") << end.dump(2);
  EXPECT_EQ(world()["instances"].size(), 8u);
  for (auto& i : world()["instances"])
    EXPECT_NE(i["host"], "compute-3") << "the host was emptied on resume";
}

TEST_F(maintenance_api, a_host_in_maintenance_is_never_leased) {
  ASSERT_EQ(call("POST", "/v1/os-hosts", staff, {{"name", "compute-4"}}).status, 202);
  auto id = create(json::array({"compute-4"}), {{"host_seconds", 3600}});
  auto lease = [&] {
    return call("POST", "/v1/leases", staff,
                {{"name", "during"}, {"start_date", "now"}, {"end_date", "2030-01-01 00:00"},
                 {"reservations", {{{"resource_type", "physical:host"}, {"min", 1}, {"max", 1},
                                    {"hypervisor_properties", ""}, {"resource_properties", ""}}}}});
  };
  // Let the session reach the host.
  advance(seconds_until(first_round(id)["reply_at"]) + 1);
  advance(std::max(1L, seconds_until(detail(id)["maintenance_at"]) + 1));
  ASSERT_TRUE(eventually([&] { return inventory_host("compute-4").value("in_maintenance", false); }));
  EXPECT_EQ(call("GET", "/v1/os-hosts/compute-4", staff).json()["host"]["reservable"], false);
  auto refused = lease();
  EXPECT_EQ(refused.status, 409) << refused.body;
  // Maintained and back: leased at once.
  auto end = run_to_end(id);
  ASSERT_EQ(end["state"], "MAINTENANCE_DONE");
  ASSERT_TRUE(eventually([&] { return !inventory_host("compute-4").value("in_maintenance", true); }));
  EXPECT_EQ(lease().status, 202);
}

TEST_F(maintenance_api, instance_constraints) {
  auto listed = call("GET", "/api/instances/", web_token);
  auto instances = listed.json();
  ASSERT_TRUE(instances.is_array() && !instances.empty()) << listed.status << listed.body;
  auto uuid = instances[0]["uuid"].get<std::string>();
  auto path = "/v1/instance/" + uuid;
  json body = {{"instance_id", uuid}, {"project_id", web_shop}, {"group_id", "g1"},
               {"migration_type", "LIVE_MIGRATE"}, {"lead_time", 30},
               {"max_interruption_time", 10}, {"resource_mitigation", true}};
  auto put = call("PUT", path, web_token, body);
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.json()["migration_type"], "LIVE_MIGRATE");
  EXPECT_EQ(call("GET", path, web_token).json()["lead_time"], 30);
  EXPECT_EQ(call("GET", path, lab_token).status, 404) << "another project's";
  auto bad = body;
  bad["migration_type"] = "TELEPORT";
  EXPECT_EQ(call("PUT", path, web_token, bad).status, 400);
  bad = body;
  bad["project_id"] = lab;
  EXPECT_EQ(call("PUT", path, web_token, bad).status, 403);
  EXPECT_EQ(call("PUT", "/v1/instance/not-there", web_token, body).status, 400)
    << "the id differs from the URL's";
  EXPECT_EQ(call("GET", path, web_token).json()["migration_type"], "LIVE_MIGRATE")
    << "refusals change nothing";

  json group = {{"group_id", "g1"}, {"project_id", web_shop}, {"group_name", "web"},
                {"anti_affinity_group", true}, {"max_impacted_members", 1},
                {"max_instances_per_host", 1}, {"recovery_time", 5}};
  ASSERT_EQ(call("PUT", "/v1/instance_group/g1", web_token, group).status, 200);
  EXPECT_EQ(call("GET", "/v1/instance_group/g1", web_token).json()["anti_affinity_group"], true);
  group["max_impacted_members"] = -1;
  EXPECT_EQ(call("PUT", "/v1/instance_group/g1", web_token, group).status, 400);
  EXPECT_EQ(call("DELETE", "/v1/instance_group/g1", lab_token).status, 404);
  EXPECT_EQ(call("DELETE", "/v1/instance_group/g1", web_token).status, 204);
  EXPECT_EQ(call("GET", "/v1/instance_group/g1", web_token).status, 404);
  EXPECT_EQ(call("DELETE", path, web_token).status, 204);
}
