// An instance's whole life through a real RabbitMQ against steward-sim, the
// simulated cloud in its own process ([compute] driver = bus), with stewardd
// killed and started again half-way.
#include <gtest/gtest.h>

#include <signal.h>

#include <cstdlib>
#include <ctime>
#include <map>
#include <set>

#include "amqp_test_util.hpp"
#include "tests/support/support.hpp"

using namespace steward;
using namespace steward::test;
namespace bt = steward::bus::test;
using nlohmann::json;

namespace {

const std::string web_shop = "bcd23f91658347efb748a5708df7ebe3"; // sim/default_workload.json

struct compute_over_the_bus : ::testing::Test {
  temp_dir dir;
  std::optional<bus::transport_url> url;
  std::string commands = bt::unique_name("steward.compute");
  std::string nova = bt::unique_name("nova");
  std::string queue = bt::unique_name("steward.test.compute");
  std::string dead_letter = bt::unique_name("steward.test.compute-dl");
  std::unique_ptr<daemon_process> sim;
  std::unique_ptr<daemon_process> steward;

  void SetUp() override {
    url = bt::test_broker();
    if (!url)
      GTEST_SKIP() << "STEWARD_TEST_AMQP_URL is not set";
    dir.write("tokens.json", R"({"alice-token-0001": {"user_id": "alice",
                                  "projects": {")" + web_shop + R"(": "admin"}},
                                 "staff-token-0001": {"user_id": "root", "staff": true}})");
    dir.write("steward.conf",
              "[DEFAULT]\nstate_dir = " + dir.path() + "\n[api]\nbind_port = 0\n"
              "[auth]\ntokens_file = " + dir.file("tokens.json") + "\n"
              "[messaging]\ntransport_url = " + std::getenv("STEWARD_TEST_AMQP_URL") + "\n"
              "nova_exchange = " + nova + "\nconsumer_queue = " + queue + "\n"
              "dead_letter = " + dead_letter + "\n"
              "[compute]\ndriver = bus\ncommand_exchange = " + commands + "\n"
              "[simulator]\ndefault_duration = 0.2\nusage_interval = 0\n");
    // The cloud first: Steward asks it for its state when it starts.
    sim = std::make_unique<daemon_process>(
      STEWARD_SIM_PATH, std::vector<std::string>{"--config-file", dir.file("steward.conf")},
      dir.file("sim.log"), "steward-sim: running");
    start_steward();
  }
  void TearDown() override {
    steward.reset();
    sim.reset();
    if (!url)
      return;
    bt::admin_connection admin{*url};
    for (auto& q : {queue, dead_letter, commands + ".sim.default.destination"})
      admin.delete_queue(q);
    for (auto& x : {commands, nova, dead_letter})
      admin.delete_exchange(x);
  }
  void start_steward() {
    steward = std::make_unique<daemon_process>(
      std::vector<std::string>{"--config-file", dir.file("steward.conf")}, dir.file("stewardd.log"));
  }
  http_result call(const std::string& method, const std::string& target,
                   const std::string& body = "", const std::string& token = "alice-token-0001") {
    return http_call(steward->port(), method, target, body, {{"Authorization", "Token " + token}});
  }
  json first(const std::string& collection) {
    auto r = call("GET", "/api/" + collection + "/").json();
    return r.empty() ? json() : r[0];
  }
  // Every event of operation `id`'s stream, read again after stewardd was
  // killed (kill -9) as soon as its stream showed `type`, and started again.
  std::vector<sse_event> events_across_a_restart(const std::string& id, const std::string& type) {
    header_list staff{{"X-Auth-Token", "staff-token-0001"}};
    {
      sse_client stream{steward->port(), "/events/" + id, staff};
      auto e = stream.next();
      while (e && e->type != type)
        e = stream.next();
      EXPECT_TRUE(e) << "the stream ended before " << type;
    }
    steward->kill9();
    start_steward();
    sse_client stream{steward->port(), "/events/" + id, staff};
    std::vector<sse_event> events;
    while (auto e = stream.next())
      events.push_back(*e);
    return events;
  }
  bool reaches(const std::string& id, const std::string& state) {
    return eventually([&] {
      return call("GET", "/api/instances/" + id + "/").json().value("state", "?") == state;
    });
  }
};

} // namespace

TEST_F(compute_over_the_bus, an_instance_lives_through_steward_sim_and_a_restart) {
  ASSERT_TRUE(eventually([&] {
    auto all = call("GET", "/api/instances/?page_size=100", "", "staff-token-0001").json();
    if (all.size() != 8)
      return false;
    for (auto& i : all)
      if (i["customer_name"] == "")
        return false;
    return true;
  })) << "Steward learned the cloud through compute.sync";
  json body = {{"hostname", "bus-vm"},
               {"project", "http://x/api/projects/" + web_shop + "/"},
               {"template", first("iaas-templates")["url"]},
               {"flavor", first("flavors")["url"]},
               {"ssh_public_key", first("keys")["url"]}};
  auto created = call("POST", "/api/instances/", body.dump());
  ASSERT_EQ(created.status, 201) << created.body;
  auto id = created.json()["uuid"].get<std::string>();
  ASSERT_TRUE(reaches(id, "Online"));
  ASSERT_EQ(call("POST", "/api/instances/" + id + "/stop/").status, 202);
  ASSERT_TRUE(reaches(id, "Offline"));

  auto flavors = call("GET", "/api/flavors/").json();
  auto bigger = flavors.back();
  ASSERT_EQ(call("POST", "/api/instances/" + id + "/resize/", json{{"flavor", bigger["url"]}}.dump()).status, 202);
  // Half-way: the resize is scheduled or under way when stewardd dies.
  steward->kill9();
  start_steward();
  ASSERT_TRUE(reaches(id, "Offline")) << "the resize completed after the restart";
  EXPECT_EQ(call("GET", "/api/instances/" + id + "/").json()["cores"], bigger["cores"]);

  ASSERT_EQ(call("POST", "/api/instances/" + id + "/start/").status, 202);
  ASSERT_TRUE(reaches(id, "Online"));
  ASSERT_EQ(call("POST", "/api/instances/" + id + "/stop/").status, 202);
  ASSERT_TRUE(reaches(id, "Offline"));
  ASSERT_EQ(call("DELETE", "/api/instances/" + id + "/").status, 202);
  ASSERT_TRUE(eventually([&] { return call("GET", "/api/instances/" + id + "/").status == 404; }));
}

TEST_F(compute_over_the_bus, a_maintenance_session_goes_on_after_a_restart) {
  auto staff = std::string{"staff-token-0001"};
  auto instances = [&] {
    return call("GET", "/api/instances/?page_size=100", "", staff).json();
  };
  ASSERT_TRUE(eventually([&] { return instances().size() == 8; }));
  // "hosts": [] is every host known when the session is created: all four.
  ASSERT_TRUE(eventually([&] {
    return call("GET", "/v1/inventory/hosts", "", staff).json()["hosts"].size() == 6;
  }));
  // Every project silent, one second to answer, two seconds per host.
  auto t = std::time(nullptr) + 2;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char at[32];
  std::strftime(at, sizeof at, "%Y-%m-%d %H:%M:%S", &tm);
  json body = {{"hosts", json::array()}, {"state", "MAINTENANCE"}, {"maintenance_at", at},
               {"workflow", "default"},
               {"metadata", {{"reply_seconds", 1}, {"host_seconds", 2}}}};
  auto created = call("POST", "/v1/maintenance", body.dump(), staff);
  ASSERT_EQ(created.status, 200) << created.body;
  auto id = created.json()["session_id"].get<std::string>();
  auto detail = [&] { return call("GET", "/v1/maintenance/" + id + "/detail", "", staff).json(); };
  ASSERT_TRUE(eventually([&] { return detail().value("maintained", json::array()).size() >= 1; }));
  auto before = detail();
  ASSERT_NE(before["state"], "MAINTENANCE_DONE") << "killed half-way";
  steward->kill9();
  start_steward();
  ASSERT_TRUE(eventually([&] {
    auto state = detail().value("state", "");
    return state == "MAINTENANCE_DONE" || state == "MAINTENANCE_FAILED";
  }));
  auto end = detail();
  ASSERT_EQ(end["state"], "MAINTENANCE_DONE") << end.dump(2);
  auto maintained = end["maintained"];
  EXPECT_EQ(maintained.size(), 6u) << "every host once: " << maintained.dump();
  EXPECT_EQ(std::set<std::string>(maintained.begin(), maintained.end()).size(), 6u);
  for (std::size_t i = 0; i < before["maintained"].size(); ++i)
    EXPECT_EQ(maintained[i], before["maintained"][i]) << "what was done stays done";
  EXPECT_EQ(instances().size(), 8u) << "no instance lost";
  ASSERT_TRUE(eventually([&] {
    auto hosts = call("GET", "/v1/inventory/hosts", "", staff).json()["hosts"];
    for (auto& h : hosts)
      if (h["status"] != "enabled" || h.value("in_maintenance", false))
        return false;
    return true;
  })) << "every host back in service";
}

// An environment's deployment (Murano) whose instances are on their way in
// the cloud when stewardd dies: the next stewardd goes on with it, and
// makes nothing twice.
TEST_F(compute_over_the_bus, a_deployment_goes_on_after_a_restart) {
  auto murano = [&](const std::string& method, const std::string& target, const json& body = nullptr,
                    const std::string& session = "") {
    header_list headers{{"X-Auth-Token", "alice-token-0001"}};
    if (!session.empty())
      headers.emplace_back("X-Configuration-Session", session);
    if (!body.is_null())
      headers.emplace_back("Content-Type", "application/json");
    return http_call(steward->port(), method, target, body.is_null() ? "" : body.dump(), headers);
  };
  auto ours = [&] {
    std::vector<json> out;
    for (auto& i : call("GET", "/api/instances/?page_size=100", "", "staff-token-0001").json())
      if (i["hostname"].get<std::string>().rfind("env-vm-", 0) == 0)
        out.push_back(i);
    return out;
  };
  ASSERT_TRUE(eventually([&] { return first("flavors").is_object(); })) << "the catalog is known";
  auto env = murano("POST", "/v1/environments", {{"name", "shop"}}).json()["id"].get<std::string>();
  auto session = murano("POST", "/v1/environments/" + env + "/configure").json()["id"]
                   .get<std::string>();
  json services = json::array();
  for (auto id : {"a", "b"})
    services.push_back({{"name", std::string{"env-vm-"} + id},
                        {"flavor", "m1.small"},
                        {"image", "Ubuntu 22.04 x64"},
                        {"?", {{"type", "io.murano.resources.LinuxMuranoInstance"}, {"id", id}}}});
  ASSERT_EQ(murano("PUT", "/v1/environments/" + env + "/services/", services, session).status, 200);
  // The cloud holds still: the commands wait in RabbitMQ.
  ASSERT_EQ(::kill(sim->pid(), SIGSTOP), 0);
  ASSERT_EQ(murano("POST", "/v1/environments/" + env + "/sessions/" + session + "/deploy").status,
            200);
  ASSERT_TRUE(eventually([&] {
    auto made = ours();
    return made.size() == 2 && made[0]["state"] == "Provisioning"
           && made[1]["state"] == "Provisioning";
  })) << "both commands sent";
  steward->kill9();
  start_steward();
  ASSERT_EQ(::kill(sim->pid(), SIGCONT), 0);
  json shown;
  ASSERT_TRUE(eventually([&] {
    shown = murano("GET", "/v1/environments/" + env).json();
    return shown.value("status", "") != "deploying";
  })) << shown.dump();
  EXPECT_EQ(shown["status"], "ready");
  auto deployments = murano("GET", "/v1/environments/" + env + "/deployments").json()["deployments"];
  ASSERT_EQ(deployments.size(), 1u);
  EXPECT_EQ(deployments[0]["state"], "success") << deployments.dump(1);
  auto made = ours();
  ASSERT_EQ(made.size(), 2u) << "nothing made twice";
  for (auto& i : made)
    EXPECT_EQ(i["state"], "Online");
}

// A tenant's migration with stewardd killed while its servers move: it goes
// on from where it stood, and no server is migrated or booted twice.
TEST_F(compute_over_the_bus, a_migration_goes_on_after_a_restart) {
  const std::string staff = "staff-token-0001";
  auto resources = [&] { return call("GET", "/resources", "", staff).json(); };
  ASSERT_TRUE(eventually([&] {
    auto r = call("GET", "/resources", "", staff);
    // servers, images, flavors, networks, keypairs
    return r.status == 200 && r.json()["source"]["resources"].size() == 8 + 3 + 3 + 3 + 3
           && r.json()["destination"]["resources"].size() == 2 + 3;
  })) << "both clouds learned";
  auto began = call("POST", "/tenants/" + web_shop, "", staff);
  ASSERT_EQ(began.status, 201) << began.body;
  // Half-way: a server boots in the destination.
  auto events = events_across_a_restart(began.json()["id"], "server boot");
  ASSERT_FALSE(events.empty());
  ASSERT_EQ(events.back().type, "tenant migrated") << "it finished after the restart";
  auto end = json::parse(events.back().data);
  EXPECT_EQ(end["status"], "completed") << end.dump();
  EXPECT_EQ(end["migrated"], 3);
  std::map<std::string, int> migrated, booted;
  for (auto& e : events) {
    auto d = json::parse(e.data);
    if (e.type == "server migrated")
      ++migrated[d["source_id"].get<std::string>()];
    if (e.type == "server boot")
      ++booted[d["id"].get<std::string>()];
  }
  EXPECT_EQ(migrated.size(), 3u);
  for (auto& [source, n] : migrated)
    EXPECT_EQ(n, 1) << source << " migrated once";
  for (auto& [made, n] : booted)
    EXPECT_EQ(n, 1) << made << " booted once";
  ASSERT_TRUE(eventually([&] {
    auto doc = resources();
    std::size_t servers = 0;
    for (auto& r : doc["destination"]["resources"])
      servers += r["type"] == "server";
    return servers == 3;
  })) << "three servers in the destination, none made twice";
  auto doc = resources();
  for (auto& r : doc["destination"]["resources"]) {
    if (r["type"] == "server") {
      EXPECT_EQ(r["status"], "active") << r.dump();
    }
  }
}

TEST_F(compute_over_the_bus, an_evacuation_goes_on_after_a_restart) {
  const std::string staff = "staff-token-0001";
  ASSERT_TRUE(eventually([&] {
    auto r = call("GET", "/resources", "", staff);
    if (r.status != 200)
      return false;
    auto doc = r.json();
    if (doc["source"]["hosts"].size() != 4)
      return false;
    int on_it = 0;
    for (auto& item : doc["source"]["resources"])
      on_it += item["type"] == "server" && item["host_name"] == "compute-1";
    return on_it == 2;
  })) << "the source's hosts learned, and the two servers on compute-1";
  auto began = call("POST", "/hosts/compute-1", "", staff);
  ASSERT_EQ(began.status, 201) << began.body;
  // A server is on its way.
  auto events = events_across_a_restart(began.json()["id"], "server live migration");
  ASSERT_FALSE(events.empty());
  ASSERT_EQ(events.back().type, "host evacuated") << "it finished after the restart";
  auto end = json::parse(events.back().data);
  EXPECT_EQ(end["status"], "completed") << end.dump();
  EXPECT_EQ(end["migrated"], 2);
  std::map<std::string, int> begun, arrived;
  for (auto& e : events) {
    auto d = json::parse(e.data);
    if (e.type == "server live migration")
      ++begun[d["id"].get<std::string>()];
    if (e.type == "server live migrated") {
      ++arrived[d["id"].get<std::string>()];
      EXPECT_NE(d["host_name"], "compute-1");
    }
    EXPECT_NE(e.type, "error") << e.data;
  }
  EXPECT_EQ(begun.size(), 2u);
  for (auto& [server, n] : begun)
    EXPECT_EQ(n, 1) << server << " moved once";
  EXPECT_EQ(arrived.size(), 2u);
  auto doc = call("GET", "/resources", "", staff).json();
  for (auto& r : doc["source"]["resources"]) {
    if (r["type"] == "server") {
      EXPECT_NE(r["host_name"], "compute-1") << r.dump();
    }
  }
}
