// Migrations between two clouds (Pumphouse's API) over HTTP on a real
// stewardd with its in-process simulated clouds: `default` (the source: 4
// hosts, 8 instances of 3 projects) and `destination` (2 empty hosts).
#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "tests/daemon/stewardd_fixture.hpp"
#include "tests/support/python_tool.hpp"

using namespace steward;
using namespace steward::test;
using nlohmann::json;

namespace {

const char* const staff = "staff-token-0001";
const char* const web_token = "web-token-00001";

struct migrations_api : stewardd_fixture {
  void SetUp() override {
    write_tokens(R"({
      "staff-token-0001": {"user_id": "root", "staff": true},
      "web-token-00001": {"user_id": "wendy", "projects": {")" + web_shop + R"(": "admin"}}})");
  }
  void start(std::vector<std::string> args = {}) {
    start_stewardd(args);
    ASSERT_TRUE(eventually([&] {
      auto r = call("GET", "/resources", staff);
      // Both clouds' catalogs too: the destination's flavors and images.
      return r.status == 200 && r.json()["source"]["resources"].size() >= 8 + 3 + 3
             && r.json()["destination"]["hosts"].size() == 2
             && r.json()["destination"]["resources"].size() == 2 + 3;
    }));
  }
  json resources() {
    auto r = call("GET", "/resources", staff);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }
  static std::string message_of(const http_result& r) {
    return r.json()["error"].value("message", "");
  }
  // Begins the migration of `tenant`; its event stream's id.
  std::string migrate(const std::string& tenant) {
    auto r = call("POST", "/tenants/" + tenant, staff);
    EXPECT_EQ(r.status, 201) << r.body;
    auto id = r.json().value("id", "");
    EXPECT_EQ(r.json().value("events", ""), "/events/" + id);
    return id;
  }
  // Every event of an operation's stream until it ends.
  std::vector<sse_event> events_of(const std::string& id, header_list more = {}) {
    header_list headers{{"X-Auth-Token", staff}};
    headers.insert(headers.end(), more.begin(), more.end());
    sse_client stream{proc->port(), "/events/" + id, headers};
    EXPECT_EQ(stream.status(), 200);
    std::vector<sse_event> out;
    while (auto e = stream.next())
      out.push_back(*e);
    EXPECT_TRUE(stream.saw_end()) << "the last chunk ends an operation's stream";
    return out;
  }
  static json data_of(const sse_event& e) { return json::parse(e.data); }
  // The events of one server, by the id its source had.
  static std::vector<std::string> steps_of(const std::vector<sse_event>& events,
                                           const std::string& source,
                                           const std::string& destination = "") {
    std::vector<std::string> out;
    for (auto& e : events) {
      auto d = data_of(e);
      if (d.value("id", "") == source || d.value("source_id", "") == source
          || (!destination.empty() && d.value("id", "") == destination))
        out.push_back(e.type);
    }
    return out;
  }
  // The simulated cloud's next `command` fails (or, `lose`, is never answered).
  void fail_next(const std::string& command, bool lose = false) {
    auto r = call("POST", "/v1/admin/simulator/fail_next", staff,
                  {{"command", command}, {"count", 1}, {"lose", lose}});
    ASSERT_EQ(r.status, 202) << r.body;
  }
  json instance(const std::string& uuid) { return call("GET", "/api/instances/" + uuid + "/", staff).json(); }
  static std::set<std::string> names_of(const json& list, const char* type = nullptr) {
    std::set<std::string> out;
    for (auto& item : list)
      if (!type || item["type"] == type)
        out.insert(item["name"].get<std::string>());
    return out;
  }
};

} // namespace

TEST_F(migrations_api, resources_show_both_clouds_as_the_seed_does) {
  start();
  auto doc = resources();
  EXPECT_EQ(doc["reset"], false);
  EXPECT_EQ(doc["events"], json::array());
  EXPECT_EQ(doc["hosts"], json::array()) << "every host is in one of the two clouds";
  auto& src = doc["source"];
  EXPECT_EQ(src["urls"], (json{{"horizon", "http://127.0.0.1/horizon"}}));
  EXPECT_EQ(names_of(src["tenants"]), (std::set<std::string>{"analytics", "lab", "web-shop"}));
  EXPECT_EQ(names_of(src["resources"], "server"),
            (std::set<std::string>{"broken", "db-1", "etl-1", "gpu-test", "report-1", "scratch",
                                   "web-1", "web-2"}));
  EXPECT_EQ(names_of(src["resources"], "image"),
            (std::set<std::string>{"CentOS 7 x64", "Debian 12 x64", "Ubuntu 22.04 x64"}));
  EXPECT_EQ(names_of(src["resources"], "flavor"),
            (std::set<std::string>{"m1.small", "m1.medium", "m1.large"}));
  EXPECT_EQ(names_of(src["resources"], "network"),
            (std::set<std::string>{"analytics-net", "lab-net", "web-shop-net"}));
  EXPECT_EQ(names_of(src["resources"], "keypair"),
            (std::set<std::string>{"alice-key", "bob-key", "ops-key"}));
  for (auto& r : src["resources"])
    if (r["name"] == "web-shop-net") {
      EXPECT_EQ(r["tenant_id"], web_shop);
      EXPECT_EQ(r["cidr"], "10.0.0.0/24");
    } else if (r["name"] == "alice-key") {
      EXPECT_EQ(r["user"], "alice");
    } else if (r["name"] == "web-1") {
      EXPECT_EQ(r["id"], "2919fe98f2d149e2ad7857143842dfca");
      EXPECT_EQ(r["tenant_id"], web_shop);
      EXPECT_EQ(r["image_id"], "af56b3e7bb3847b98988fee122441f29");
      EXPECT_EQ(r["host_name"], "compute-1");
      EXPECT_EQ(r["status"], "active");
    } else if (r["name"] == "report-1") {
      EXPECT_EQ(r["status"], "stopped");
    }
  EXPECT_EQ(names_of(src["hosts"]),
            (std::set<std::string>{"compute-1", "compute-2", "compute-3", "compute-4"}));
  for (auto& h : src["hosts"])
    EXPECT_EQ(h["status"], "available") << h.dump();
  auto& dst = doc["destination"];
  EXPECT_EQ(dst["tenants"], json::array());
  EXPECT_EQ(names_of(dst["hosts"]), (std::set<std::string>{"dest-1", "dest-2"}));
  EXPECT_EQ(names_of(dst["resources"], "server"), std::set<std::string>{});
  EXPECT_EQ(names_of(dst["resources"], "network"), std::set<std::string>{});
  EXPECT_EQ(names_of(dst["resources"], "keypair"), std::set<std::string>{});
  EXPECT_EQ(names_of(dst["resources"], "flavor"),
            (std::set<std::string>{"m1.small", "m1.medium", "m1.large"}));
}

TEST_F(migrations_api, a_host_status_follows_its_compute_service) {
  start();
  auto r = call("POST", "/v1/admin/simulator/command", staff,
                {{"type", "compute.host.disable"}, {"cloud", "default"},
                 {"payload", {{"host", "compute-2"}, {"reason", "disks"}}}});
  ASSERT_EQ(r.status, 202) << r.body;
  ASSERT_TRUE(eventually([&] {
    auto doc = resources();
    for (auto& h : doc["source"]["hosts"])
      if (h["name"] == "compute-2")
        return h["status"] == "blocked";
    return false;
  }));
}

TEST_F(migrations_api, urls_and_reset_come_from_the_configuration) {
  start({"--migration-source-urls", "horizon=192.168.5.6/horizon",
         "--migration-destination-urls", "horizon=192.168.5.7/horizon,mos=192.168.5.10",
         "--migration-reset", "true"});
  auto doc = resources();
  EXPECT_EQ(doc["reset"], true);
  EXPECT_EQ(doc["source"]["urls"], (json{{"horizon", "192.168.5.6/horizon"}}));
  EXPECT_EQ(doc["destination"]["urls"],
            (json{{"horizon", "192.168.5.7/horizon"}, {"mos", "192.168.5.10"}}));
}

TEST_F(migrations_api, only_operators_see_the_clouds) {
  start();
  auto r = call("GET", "/resources", web_token);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(message_of(r), "Migrations between clouds are run by operators");
  EXPECT_EQ(r.json()["error"]["code"], 403);
  r = call("GET", "/resources", "no-such-token");
  EXPECT_EQ(r.status, 401);
  EXPECT_TRUE(r.json()["error"].contains("message")) << r.body;
  r = call("POST", "/resources", staff);
  EXPECT_EQ(r.status, 405);
  EXPECT_TRUE(r.json()["error"].contains("message")) << "Pumphouse's shape: " << r.body;
}

namespace {
const std::string web_1 = "2919fe98f2d149e2ad7857143842dfca";
const std::string web_2 = "25e4efef1a944f77a4a44d5601b0a9ad";
const std::string db_1 = "4ca2dc9e71c148b996a85a36de0fb12c";
} // namespace

TEST_F(migrations_api, a_tenant_migrates_server_by_server_on_its_own_event_stream) {
  start();
  auto id = migrate(web_shop);
  auto events = events_of(id);
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(events.front().type, "tenant migrate");
  EXPECT_EQ(data_of(events.front())["id"], web_shop);
  EXPECT_EQ(data_of(events.front())["servers"], 3);
  EXPECT_EQ(events.back().type, "tenant migrated") << "the stream ends after the last event";
  auto end = data_of(events.back());
  EXPECT_EQ(end["status"], "completed");
  EXPECT_EQ(end["migrated"], 3);
  EXPECT_EQ(end["failed"], 0);
  int tenant_creates = 0;
  uint64_t last_id = 0;
  for (auto& e : events) {
    tenant_creates += e.type == "tenant create";
    auto n = std::stoull(e.id);
    EXPECT_GT(n, last_id) << "ids increase";
    last_id = n;
  }
  EXPECT_EQ(tenant_creates, 1) << "the tenant is made in the destination once for its servers";

  // Its prerequisites: each made once; its network once the tenant is
  // there; each image's upload told stage by stage, in order, before it is
  // uploaded (the simulated cloud reports 25, 50 and 75 percent).
  auto position = [&](const char* type, const std::string& name = "") {
    for (std::size_t i = 0; i < events.size(); ++i)
      if (events[i].type == type && (name.empty() || data_of(events[i])["name"] == name))
        return static_cast<long>(i);
    return -1L;
  };
  auto how_many = [&](const char* type) {
    return std::count_if(events.begin(), events.end(), [&](auto& e) { return e.type == type; });
  };
  EXPECT_EQ(how_many("network create"), 1);
  EXPECT_EQ(how_many("keypair create"), 1) << "alice-key, for all three servers";
  EXPECT_LT(position("tenant create"), position("network create", "web-shop-net"));
  EXPECT_LT(position("network create"), position("network created", "web-shop-net"));
  EXPECT_LT(position("keypair create", "alice-key"), position("keypair created", "alice-key"));
  std::map<std::string, std::vector<int64_t>> stages;  // image -> progress told
  for (auto& e : events) {
    auto d = data_of(e);
    if (e.type == "image uploading") {
      EXPECT_EQ(d["status"], "saving");
      EXPECT_EQ(d["cloud"], "destination");
      stages[d["id"]].push_back(d["progress"]);
    } else if (e.type == "image uploaded") {
      EXPECT_EQ(stages[d["id"]], (std::vector<int64_t>{25, 50, 75})) << d.dump();
    } else if (e.type == "server migrate") {
      EXPECT_GT(position("image uploaded"), -1);
      EXPECT_GT(&e - events.data(), position("network created")) << "no server before its network";
    }
  }
  EXPECT_EQ(stages.size(), 1u) << "db-1's Debian, which the destination lacks";

  std::map<std::string, std::string> moved;  // source -> destination
  for (auto& e : events)
    if (e.type == "server migrated")
      moved[data_of(e)["source_id"]] = data_of(e)["destination_id"];
  ASSERT_EQ(moved.size(), 3u);
  for (auto source : {web_1, web_2, db_1}) {
    ASSERT_TRUE(moved.count(source)) << source;
    auto destination = moved[source];
    EXPECT_EQ(steps_of(events, source, destination),
              (std::vector<std::string>{"server migrate", "server suspended", "server boot",
                                        "server terminate", "server migrated"}))
      << source;
    for (auto& e : events)
      if (e.type == "server boot" && data_of(e)["id"] == destination) {
        auto d = data_of(e);
        EXPECT_EQ(d["cloud"], "destination");
        EXPECT_EQ(d["tenant_id"], web_shop);
        EXPECT_EQ(d["status"], "active");
        EXPECT_TRUE(d["host_name"] == "dest-1" || d["host_name"] == "dest-2") << d.dump();
        EXPECT_FALSE(d["image_id"].get<std::string>().empty());
      }
    auto made = instance(destination);
    EXPECT_EQ(made["state"], "Online") << made.dump();
    EXPECT_EQ(made["description"], "Migrated from " + source);
    EXPECT_EQ(call("GET", "/api/instances/" + source + "/", staff).status, 404)
      << "the source instance ended";
  }

  auto doc = resources();
  EXPECT_EQ(doc["events"], json::array()) << "nothing in progress";
  EXPECT_EQ(names_of(doc["destination"]["resources"], "server"),
            (std::set<std::string>{"web-1", "web-2", "db-1"}));
  EXPECT_EQ(names_of(doc["destination"]["tenants"]), std::set<std::string>{"web-shop"});
  EXPECT_TRUE(names_of(doc["destination"]["resources"], "network").count("web-shop-net"));
  EXPECT_TRUE(names_of(doc["destination"]["resources"], "keypair").count("alice-key"));
  for (auto& r : doc["destination"]["resources"]) {
    if (r["type"] == "network") {
      EXPECT_EQ(r["tenant_id"], web_shop) << r.dump();
    } else if (r["type"] == "image") {
      EXPECT_EQ(r["status"], "active") << r.dump();
    }
  }
  for (auto& t : doc["source"]["tenants"])
    EXPECT_FALSE(t.contains("status")) << t.dump();
  auto left = names_of(doc["source"]["resources"], "server");
  EXPECT_FALSE(left.count("web-1") || left.count("web-2") || left.count("db-1"));

  // A finished operation's stream is read from its first event again, and
  // Last-Event-ID resumes it without a gap or a repeat.
  auto again = events_of(id);
  ASSERT_EQ(again.size(), events.size());
  EXPECT_EQ(again.front().id, events.front().id);
  auto resumed = events_of(id, {{"Last-Event-ID", events[2].id}});
  ASSERT_EQ(resumed.size(), events.size() - 3);
  EXPECT_EQ(resumed.front().id, events[3].id);
  EXPECT_EQ(resumed.back().id, events.back().id);
}

TEST_F(migrations_api, a_server_that_fails_to_boot_is_resumed_and_the_others_go_on) {
  start();
  fail_next("compute.instance.create");
  auto events = events_of(migrate(web_shop));
  ASSERT_FALSE(events.empty());
  auto end = data_of(events.back());
  EXPECT_EQ(end["status"], "failed");
  EXPECT_EQ(end["migrated"], 2);
  EXPECT_EQ(end["failed"], 1);
  std::vector<json> errors;
  std::string failed;
  for (auto& e : events) {
    if (e.type == "error")
      errors.push_back(data_of(e));
    if (e.type == "server resumed")
      failed = data_of(e)["id"];
  }
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0]["id"], failed) << "the error names the server";
  EXPECT_FALSE(errors[0]["message"].get<std::string>().empty());
  EXPECT_EQ(steps_of(events, failed),
            (std::vector<std::string>{"server migrate", "server suspended", "error",
                                      "server resumed"}));
  EXPECT_EQ(instance(failed)["state"], "Online") << "running again in the source";
  auto doc = resources();
  EXPECT_EQ(names_of(doc["destination"]["resources"], "server").size(), 3u)
    << "two migrated and the one whose boot failed, in error";
}

TEST_F(migrations_api, one_migration_per_tenant_and_a_cancel_leaves_what_has_not_begun) {
  start();
  fail_next("compute.tenant.create", true);  // its servers wait for the tenant for good
  auto id = migrate(web_shop);
  auto r = call("POST", "/tenants/" + web_shop, staff);
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(message_of(r), "Tenant " + web_shop + " is already migrating (its events: /events/" +
                             id + ")");
  ASSERT_TRUE(eventually([&] {
    auto d = resources();
    return d["events"] == json::array({id});
  })) << "in progress";
  auto doc = resources();
  for (auto& t : doc["source"]["tenants"])
    EXPECT_EQ(t.contains("status"), t["id"] == web_shop) << t.dump();

  r = call("DELETE", "/tenants/" + web_shop + "/migration", staff);
  EXPECT_EQ(r.status, 202) << r.body;
  auto events = events_of(id);
  ASSERT_FALSE(events.empty());
  auto end = data_of(events.back());
  EXPECT_EQ(events.back().type, "tenant migrated");
  EXPECT_EQ(end["status"], "cancelled");
  EXPECT_EQ(end["left"], 3);
  for (auto source : {web_1, web_2, db_1})
    EXPECT_EQ(instance(source)["state"], "Online") << "it stays";
  EXPECT_EQ(call("DELETE", "/tenants/" + web_shop + "/migration", staff).status, 404);

  // Once it ended, the tenant may migrate again, and now it does.
  auto next = migrate(web_shop);
  EXPECT_NE(next, id);
  EXPECT_EQ(data_of(events_of(next).back())["status"], "completed");
}

TEST_F(migrations_api, bad_requests_get_clear_errors) {
  start();
  auto r = call("POST", "/tenants/no-such-tenant", staff);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(message_of(r), "Tenant no-such-tenant is not found");
  r = call("POST", "/tenants/" + web_shop, web_token);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(message_of(r), "Migrations between clouds are run by operators");
  r = call("GET", "/events/no-such-stream", staff);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(message_of(r), "Event stream no-such-stream is not found");
  EXPECT_EQ(call("DELETE", "/tenants/" + web_shop + "/migration", web_token).status, 403);
  EXPECT_EQ(call("DELETE", "/tenants/" + web_shop + "/migration", staff).status, 404);

  auto id = migrate(lab);
  EXPECT_EQ(call("GET", "/events/" + id, web_token).status, 403)
    << "a project token never reads an operation's stream";
  sse_client bad{proc->port(), "/events/" + id, {{"X-Auth-Token", staff}, {"Last-Event-ID", "x1"}}};
  EXPECT_EQ(bad.status(), 400);
  events_of(id);  // it ends
}

TEST_F(migrations_api, the_npm_eventsource_package_reads_an_operation_stream) {
  std::string tools = STEWARD_TOOLS_DIR;
  ASSERT_TRUE(std::ifstream{tools + "/node_modules/eventsource/package.json"}.good())
    << "the npm eventsource package is missing: bash scripts/setup.sh test installs it";
  start();
  auto id = migrate(lab);
  auto r = run_program(dir, "/usr/bin/env",
                       {"node", tools + "/event_stream_reader.js", url("/events/" + id), staff,
                        "tenant migrate", "tenant create", "flavor create", "flavor created",
                        "image created", "image uploading", "image uploaded", "network create",
                        "network created", "keypair create", "keypair created",
                        "server migrate", "server suspended",
                        "server boot", "server terminate", "server migrated", "server resumed",
                        "error"});
  ASSERT_EQ(r.status, 0) << r.err;
  std::vector<json> read;
  std::istringstream lines{r.out};
  for (std::string line; std::getline(lines, line);)
    read.push_back(json::parse(line));
  auto events = events_of(id);
  ASSERT_EQ(read.size(), events.size()) << r.out;
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(read[i]["id"], events[i].id);
    EXPECT_EQ(read[i]["event"], events[i].type);
    EXPECT_EQ(read[i]["data"], data_of(events[i]));
  }
  EXPECT_EQ(read.back()["data"]["status"], "failed") << "lab's broken server cannot move";
  EXPECT_EQ(read.back()["data"]["migrated"], 2);
}

TEST_F(migrations_api, a_dropped_stream_resumes_live_without_a_gap_or_a_repeat) {
  start();
  fail_next("compute.tenant.create", true);  // it waits for the tenant until cancelled
  auto id = migrate(web_shop);
  std::string last_seen;
  {
    sse_client first{proc->port(), "/events/" + id, {{"X-Auth-Token", staff}}};
    ASSERT_EQ(first.status(), 200);
    for (auto expected : {"tenant migrate", "tenant create"}) {
      auto e = first.next();
      ASSERT_TRUE(e);
      EXPECT_EQ(e->type, expected);
      last_seen = e->id;
    }
  }  // the connection drops
  ASSERT_EQ(call("DELETE", "/tenants/" + web_shop + "/migration", staff).status, 202);
  sse_client again{proc->port(), "/events/" + id,
                   {{"X-Auth-Token", staff}, {"Last-Event-ID", last_seen}}};
  std::vector<sse_event> rest;
  while (auto e = again.next())
    rest.push_back(*e);
  ASSERT_FALSE(rest.empty());
  EXPECT_EQ(rest.back().type, "tenant migrated");
  // Exactly what came after the last one seen: no gap, no repeat.
  auto all = events_of(id);
  auto seen = std::find_if(all.begin(), all.end(), [&](auto& e) { return e.id == last_seen; });
  ASSERT_NE(seen, all.end());
  std::vector<std::string> expected, got;
  for (auto i = std::next(seen); i != all.end(); ++i)
    expected.push_back(i->id + " " + i->type);
  for (auto& e : rest)
    got.push_back(e.id + " " + e.type);
  EXPECT_EQ(got, expected);
}

TEST_F(migrations_api, the_plan_says_what_a_migration_then_does) {
  start();
  auto r = call("GET", "/tenants/" + web_shop + "/plan", staff);
  ASSERT_EQ(r.status, 200) << r.body;
  auto plan = r.json();
  EXPECT_EQ(plan["tenant"]["name"], "web-shop");
  EXPECT_EQ(plan["fits"], true);
  std::map<std::string, std::string> actions;  // "type name" -> exists / create
  for (auto& p : plan["prerequisites"])
    actions[p["type"].get<std::string>() + " " + p["name"].get<std::string>()] = p["action"];
  EXPECT_EQ(actions, (std::map<std::string, std::string>{{"tenant web-shop", "create"},
                                                         {"network web-shop-net", "create"},
                                                         {"flavor m1.small", "exists"},
                                                         {"flavor m1.large", "exists"},
                                                         {"image CentOS 7 x64", "exists"},
                                                         {"image Debian 12 x64", "create"},
                                                         {"keypair alice-key", "create"}}));
  std::map<std::string, std::string> planned;  // source -> destination host
  for (auto& s : plan["servers"]) {
    ASSERT_FALSE(s["destination_host"].is_null()) << s.dump();
    planned[s["id"]] = s["destination_host"];
  }
  ASSERT_EQ(planned.size(), 3u);
  std::set<std::string> hosts;
  for (auto& [source, host] : planned)
    hosts.insert(host);
  EXPECT_EQ(hosts, (std::set<std::string>{"dest-1", "dest-2"})) << "spread by free memory";
  EXPECT_EQ(resources()["events"], json::array()) << "a plan begins nothing";

  auto events = events_of(migrate(web_shop));
  std::map<std::string, std::string> booted_on;  // destination id -> host
  std::map<std::string, std::string> moved;      // source -> destination id
  for (auto& e : events) {
    if (e.type == "server boot")
      booted_on[data_of(e)["id"]] = data_of(e)["host_name"];
    if (e.type == "server migrated")
      moved[data_of(e)["source_id"]] = data_of(e)["destination_id"];
  }
  for (auto& [source, host] : planned)
    EXPECT_EQ(booted_on[moved[source]], host) << source << " went where the plan said";

  r = call("GET", "/tenants/" + lab + "/plan", staff);
  ASSERT_EQ(r.status, 200);
  auto lab_plan = r.json();
  EXPECT_EQ(lab_plan["fits"], false);
  for (auto& s : lab_plan["servers"]) {
    if (s["name"] == "broken") {
      EXPECT_EQ(s["reason"], "it is not running in the source");
    }
  }
  EXPECT_EQ(call("GET", "/tenants/nobody/plan", staff).status, 404);
  EXPECT_EQ(call("GET", "/tenants/" + lab + "/plan", web_token).status, 403);
}

TEST_F(migrations_api, an_empty_host_is_reassigned_and_one_with_servers_is_refused) {
  start();
  auto r = call("DELETE", "/hosts/compute-4", staff);
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(message_of(r), "Host compute-4 still holds 1 server(s): only an empty host is "
                           "reassigned (evacuate it first)");
  r = call("DELETE", "/hosts/nope", staff);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(message_of(r), "Host nope is not found");
  r = call("DELETE", "/hosts/dest-1", staff);
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(message_of(r), "Host dest-1 is not in the source cloud default (it is in destination)");
  EXPECT_EQ(call("DELETE", "/hosts/compute-4", web_token).status, 403);

  events_of(migrate(lab));  // gpu-test leaves compute-4
  r = call("DELETE", "/hosts/compute-4", staff);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()["host"], "compute-4");
  auto events = events_of(r.json()["id"]);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].type, "host reassign");
  EXPECT_EQ(data_of(events[0]), (json{{"name", "compute-4"}, {"cloud", "default"},
                                      {"destination", "destination"}}));
  EXPECT_EQ(events[1].type, "host reassigned");
  auto doc = resources();
  EXPECT_EQ(names_of(doc["destination"]["hosts"]),
            (std::set<std::string>{"compute-4", "dest-1", "dest-2"}));
  EXPECT_EQ(names_of(doc["source"]["hosts"]),
            (std::set<std::string>{"compute-1", "compute-2", "compute-3"}));
  r = call("DELETE", "/hosts/compute-4", staff);
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(message_of(r),
            "Host compute-4 is not in the source cloud default (it is in destination)");
}

TEST_F(migrations_api, a_reset_puts_both_clouds_back_where_the_configuration_offers_it) {
  start();
  auto r = call("POST", "/reset", staff);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(message_of(r), "Reset is not offered ([migration] reset is false)");

  start({"--migration-reset", "true"});
  EXPECT_EQ(call("POST", "/reset", web_token).status, 403);
  events_of(migrate(web_shop));
  events_of(migrate(lab));
  r = call("DELETE", "/hosts/compute-4", staff);
  ASSERT_EQ(r.status, 201) << r.body;
  events_of(r.json()["id"]);
  fail_next("compute.tenant.create", true);
  auto stuck = migrate(analytics);  // waits for its tenant until cancelled
  r = call("POST", "/reset", staff);
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(message_of(r), "1 operation(s) under way: the clouds are reset once they end");
  ASSERT_EQ(call("DELETE", "/tenants/" + analytics + "/migration", staff).status, 202);
  events_of(stuck);

  r = call("POST", "/reset", staff);
  ASSERT_EQ(r.status, 201) << r.body;
  auto id = r.json()["id"].get<std::string>();
  EXPECT_EQ(call("POST", "/tenants/" + analytics, staff).status, 409) << "not while it resets";
  auto events = events_of(id);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].type, "reset start");
  EXPECT_EQ(data_of(events[0])["servers"], 5)
    << "web-shop's three, lab's gpu-test and scratch (not its broken one)";
  EXPECT_EQ(events[1].type, "reset completed");
  auto doc = resources();
  EXPECT_EQ(names_of(doc["source"]["resources"], "server"),
            (std::set<std::string>{"broken", "db-1", "etl-1", "gpu-test", "report-1", "scratch",
                                   "web-1", "web-2"}));
  EXPECT_EQ(names_of(doc["destination"]["resources"], "server"), std::set<std::string>{});
  EXPECT_EQ(names_of(doc["source"]["hosts"]),
            (std::set<std::string>{"compute-1", "compute-2", "compute-3", "compute-4"}));
  EXPECT_EQ(names_of(doc["destination"]["hosts"]), (std::set<std::string>{"dest-1", "dest-2"}));
  EXPECT_EQ(doc["destination"]["tenants"], json::array());
  events_of(migrate(web_shop));  // and it migrates again
}

namespace {

// The servers of `doc`'s source cloud by name: their host and status.
std::map<std::string, std::pair<std::string, std::string>> source_servers(const json& doc) {
  std::map<std::string, std::pair<std::string, std::string>> out;
  for (auto& r : doc["source"]["resources"])
    if (r["type"] == "server")
      out[r["name"]] = {r["host_name"], r["status"]};
  return out;
}

std::string host_status(const json& doc, const std::string& cloud, const std::string& name) {
  for (auto& h : doc[cloud]["hosts"])
    if (h["name"] == name)
      return h["status"];
  return "absent";
}

} // namespace

TEST_F(migrations_api, a_host_is_evacuated_within_its_cloud_then_reassigned) {
  start();
  auto before = source_servers(resources());
  auto db = std::string{};
  auto listed = resources();
  for (auto& r : listed["source"]["resources"])
    if (r["name"] == "db-1")
      db = r["id"];
  ASSERT_EQ(call("POST", "/api/instances/" + db + "/stop/", staff).status, 202);
  ASSERT_TRUE(eventually([&] { return source_servers(resources())["db-1"].second == "stopped"; }));

  auto r = call("POST", "/hosts/compute-1", staff);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()["host"], "compute-1");
  auto id = r.json()["id"].get<std::string>();
  EXPECT_EQ(r.json()["events"], "/events/" + id);
  auto events = events_of(id);
  ASSERT_EQ(events.size(), 7u);
  EXPECT_EQ(events[0].type, "host evacuation");
  EXPECT_EQ(data_of(events[0]), (json{{"name", "compute-1"}, {"servers", 2}}));
  EXPECT_EQ(events[1].type, "host block");
  EXPECT_EQ(data_of(events[1]), (json{{"name", "compute-1"}, {"cloud", "default"}}));
  for (auto name : {"db-1", "web-1"}) {
    std::vector<std::string> steps;
    std::string landed;
    for (auto& e : events)
      if (data_of(e).value("name", "") == name && e.type != "host evacuation") {
        steps.push_back(e.type);
        landed = data_of(e).value("host_name", "");
      }
    EXPECT_EQ(steps, (std::vector<std::string>{"server live migration", "server live migrated"}))
      << name;
    EXPECT_NE(landed, "compute-1") << name;
  }
  EXPECT_EQ(events[6].type, "host evacuated");
  EXPECT_EQ(data_of(events[6]), (json{{"name", "compute-1"}, {"cloud", "default"},
                                      {"status", "completed"}, {"migrated", 2}, {"failed", 0},
                                      {"left", 0}}));
  auto doc = resources();
  auto after = source_servers(doc);
  for (auto name : {"db-1", "web-1"}) {
    EXPECT_NE(after[name].first, "compute-1") << name;
    EXPECT_EQ(after[name].first.rfind("compute-", 0), 0u) << "within its cloud: " << name;
  }
  EXPECT_EQ(after["db-1"].second, "stopped") << "a stopped server moves cold and stays stopped";
  EXPECT_EQ(after["web-1"].second, "active");
  EXPECT_EQ(after["web-2"], before["web-2"]) << "the others stay where they were";
  EXPECT_EQ(host_status(doc, "source", "compute-1"), "blocked") << "emptied, it stays blocked";
  EXPECT_EQ(doc["events"], json::array());
  EXPECT_EQ(instance(db)["state"], "Offline") << "its identity and owner kept";

  // Pumphouse's way: evacuate, then reassign the empty host.
  r = call("DELETE", "/hosts/compute-1", staff);
  ASSERT_EQ(r.status, 201) << r.body;
  events_of(r.json()["id"]);
  EXPECT_EQ(host_status(resources(), "destination", "compute-1"), "blocked");
}

TEST_F(migrations_api, an_evacuating_host_is_shown_refused_twice_and_kept_from_leases) {
  // Live migrations that take an hour: the evacuation stays under way.
  start({"--simulator-durations", "compute.instance.live_migrate=3600"});
  ASSERT_EQ(call("POST", "/v1/os-hosts", staff, json{{"name", "compute-3"}}).status, 202);
  auto r = call("POST", "/hosts/nope", staff);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(message_of(r), "Host nope is not found");
  EXPECT_EQ(call("POST", "/hosts/compute-3", web_token).status, 403);

  r = call("POST", "/hosts/compute-3", staff);
  ASSERT_EQ(r.status, 201) << r.body;
  auto id = r.json()["id"].get<std::string>();
  {
    sse_client stream{proc->port(), "/events/" + id, {{"X-Auth-Token", staff}}};
    std::vector<std::string> seen;
    while (seen.size() < 4)
      if (auto e = stream.next())
        seen.push_back(e->type);
      else
        break;
    EXPECT_EQ(seen, (std::vector<std::string>{"host evacuation", "host block",
                                              "server live migration", "server live migration"}));
  }
  auto doc = resources();
  EXPECT_EQ(host_status(doc, "source", "compute-3"), "evacuation");
  EXPECT_EQ(doc["events"], json::array({id}));
  r = call("POST", "/hosts/compute-3", staff);
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(message_of(r), "Host compute-3 is being evacuated (its events: /events/" + id + ")");
  r = call("DELETE", "/hosts/compute-3", staff);
  EXPECT_EQ(r.status, 409) << "its servers have not left yet";

  json lease = {{"name", "on-evacuated"}, {"start_date", "2030-1-1 10:00"},
                {"end_date", "2030-1-2 10:00"}, {"events", json::array()},
                {"reservations",
                 {{{"resource_type", "physical:host"}, {"min", 1}, {"max", 1},
                   {"hypervisor_properties",
                    json::array({"==", "$hypervisor_hostname", "compute-3"}).dump()},
                   {"resource_properties", ""}}}}};
  r = call("POST", "/v1/leases", staff, lease);
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(r.json().value("error_message", ""), "Not enough hosts available");
}

TEST_F(migrations_api, a_server_that_does_not_move_in_time_fails_and_the_host_takes_servers_again) {
  start({"--migration-move-seconds", "1"});
  fail_next("compute.instance.live_migrate");  // aborted: no trace but its deadline
  auto r = call("POST", "/hosts/compute-4", staff);
  ASSERT_EQ(r.status, 201) << r.body;
  auto events = events_of(r.json()["id"]);
  ASSERT_EQ(events.size(), 5u);
  EXPECT_EQ(events[2].type, "server live migration");
  EXPECT_EQ(events[3].type, "error");
  EXPECT_EQ(data_of(events[3])["name"], "gpu-test");
  auto message = data_of(events[3]).value("message", "");
  EXPECT_EQ(message.rfind("it did not reach compute-", 0), 0u) << message;
  EXPECT_NE(message.find(" within 1 s"), std::string::npos) << message;
  EXPECT_EQ(events[4].type, "host evacuated");
  EXPECT_EQ(data_of(events[4])["status"], "failed");
  EXPECT_EQ(data_of(events[4])["failed"], 1);
  ASSERT_TRUE(eventually([&] { return host_status(resources(), "source", "compute-4") == "available"; }))
    << "unblocked: it was not blocked before";
  EXPECT_EQ(source_servers(resources())["gpu-test"].first, "compute-4");
}

TEST_F(migrations_api, a_stopped_server_arrives_stopped) {
  start();
  ASSERT_EQ(call("POST", "/api/instances/" + db_1 + "/stop/", staff).status, 202);
  ASSERT_TRUE(eventually([&] { return source_servers(resources())["db-1"].second == "stopped"; }));
  auto events = events_of(migrate(web_shop));
  std::string destination;
  for (auto& e : events)
    if (e.type == "server migrated" && data_of(e)["source_id"] == db_1)
      destination = data_of(e)["destination_id"];
  ASSERT_FALSE(destination.empty());
  EXPECT_EQ(steps_of(events, db_1, destination),
            (std::vector<std::string>{"server migrate", "server boot", "server terminate",
                                      "server migrated"}))
    << "nothing to suspend";
  for (auto& e : events)
    if (e.type == "server boot" && data_of(e)["id"] == destination) {
      EXPECT_EQ(data_of(e)["status"], "stopped");
    }
  EXPECT_EQ(instance(destination)["state"], "Offline");
}

TEST_F(migrations_api, what_the_compute_layer_refuses_ends_the_operation_with_an_error) {
  start();
  fail_next("compute.tenant.create");
  auto events = events_of(migrate(web_shop));
  ASSERT_GE(events.size(), 4u);
  EXPECT_EQ(events[1].type, "tenant create");
  std::vector<std::string> errors;
  for (auto& e : events) {
    EXPECT_NE(e.type, "server migrate") << "no server goes without its tenant";
    EXPECT_NE(e.type, "network create") << "a network waits for its tenant";
    if (e.type == "error")
      errors.push_back(data_of(e).value("message", ""));
  }
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].rfind("Tenant web-shop could not be made in the destination: ", 0), 0u)
    << errors[0];
  EXPECT_EQ(events.back().type, "tenant migrated");
  EXPECT_EQ(data_of(events.back())["status"], "failed");
  EXPECT_EQ(data_of(events.back())["failed"], 3);
  auto servers = source_servers(resources());
  for (auto name : {"web-1", "web-2", "db-1"})
    EXPECT_EQ(servers[name].second, "active") << "it stays in the source: " << name;
  events_of(migrate(web_shop));  // and it may be tried again

  fail_next("compute.host.disable");
  auto r = call("POST", "/hosts/compute-3", staff);
  ASSERT_EQ(r.status, 201) << r.body;
  events = events_of(r.json()["id"]);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[1].type, "error");
  EXPECT_EQ(data_of(events[1])["name"], "compute-3");
  EXPECT_EQ(events[2].type, "host evacuated");
  EXPECT_EQ(data_of(events[2])["status"], "failed");
  EXPECT_EQ(host_status(resources(), "source", "compute-3"), "available");
}
