// stewardd as a real process: configuration errors, the HTTP layer's answers
// to bad input, hosts over HTTP, durability across kill -9, the event stream.
#include <gtest/gtest.h>

#include <fstream>

#include "common/time_format.hpp"
#include "tests/support/support.hpp"

using namespace steward;
using namespace steward::test;
using nlohmann::json;

namespace {

const std::string staff = "staff-token-0001";
const std::string member = "member-token-0001";

struct stewardd : ::testing::Test {
  temp_dir dir;
  std::unique_ptr<daemon_process> proc;

  void SetUp() override {
    dir.write("tokens.json", R"({
      "staff-token-0001": {"user_id": "root", "staff": true},
      "member-token-0001": {"user_id": "bob", "projects": {"p1": "member"}}})");
    dir.write("steward.conf", "[DEFAULT]\nstate_dir = " + dir.path() + "\ntest_clock = true\n"
              "[api]\nbind_port = 0\nmax_body_bytes = 4096\nmax_header_bytes = 4096\n"
              "sse_heartbeat = 1\n"
              "[auth]\ntokens_file = " + dir.file("tokens.json") + "\n"
              // No simulated cloud: these tests count hosts and events of their own.
              "[compute]\ndriver = bus\n");
    start();
  }
  void start() {
    proc = std::make_unique<daemon_process>(
      std::vector<std::string>{"--config-file", dir.file("steward.conf")}, dir.file("log"));
  }
  http_result call(const std::string& method, const std::string& target,
                   const std::string& body = "", const std::string& token = staff) {
    return http_call(proc->port(), method, target, body, {{"X-Auth-Token", token}});
  }
  json create_host(const std::string& name) {
    auto r = call("POST", "/v1/inventory/hosts", json{{"hypervisor_hostname", name}}.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json()["host"];
  }
  bool healthy() { return http_call(proc->port(), "GET", "/healthz").status == 200; }
};

} // namespace

TEST(stewardd_start, help_and_bad_configuration) {
  std::string out, err;
  EXPECT_EQ(run_stewardd({"--help"}, out, err), 0);
  EXPECT_NE(out.find("[api]"), std::string::npos);
  EXPECT_NE(out.find("bind_port = 8080"), std::string::npos);
  out.clear(), err.clear();
  EXPECT_NE(run_stewardd({"--api-bind-port", "99999"}, out, err), 0);
  EXPECT_NE(err.find("[api] bind_port"), std::string::npos) << err;
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << "one line: " << err;
  out.clear(), err.clear();
  EXPECT_NE(run_stewardd({"--frobnicate", "1"}, out, err), 0);
  EXPECT_NE(err.find("--frobnicate"), std::string::npos) << err;
  out.clear(), err.clear();
  EXPECT_NE(run_stewardd({}, out, err, {{"STEWARD_MESSAGING_TRANSPORT_URL", "kafka://x"}}), 0);
  EXPECT_NE(err.find("transport_url"), std::string::npos) << err;
}

TEST(stewardd_start, embedded_defaults_create_a_token_and_say_where_to_go) {
  temp_dir dir;
  daemon_process p{{"--state-dir", dir.path() + "/state", "--api-bind-port", "0"}, dir.file("log")};
  EXPECT_NE(p.first_screen().find("admin token"), std::string::npos) << p.first_screen();
  EXPECT_NE(p.first_screen().find("in-process"), std::string::npos) << p.first_screen();
  std::ifstream tokens{dir.path() + "/state/tokens.json"};
  auto doc = json::parse(tokens);
  ASSERT_EQ(doc.size(), 1u);
  auto token = doc.begin().key();
  EXPECT_NE(p.first_screen().find(token), std::string::npos);
  EXPECT_EQ(http_call(p.port(), "GET", "/v1/inventory/hosts", "", {{"X-Auth-Token", token}}).status, 200);
  EXPECT_EQ(http_call(p.port(), "GET", "/readyz").status, 200);
  EXPECT_EQ(p.stop(), 0) << "SIGTERM stops it cleanly";
}

namespace {

// The GLIBC_TUNABLES stewardd runs with (after it started itself again).
std::string tunables_of(const daemon_process& p) {
  std::ifstream environ{"/proc/" + std::to_string(p.pid()) + "/environ"};
  std::string var;
  while (std::getline(environ, var, '\0'))
    if (var.rfind("GLIBC_TUNABLES=", 0) == 0)
      return var.substr(15);
  return "(none)";
}

} // namespace

TEST(stewardd_start, its_heap_is_on_huge_pages_unless_the_environment_says_otherwise) {
  temp_dir dir;
  auto start = [&](const std::string& name, std::map<std::string, std::string> env) {
    return std::make_unique<daemon_process>(
      std::vector<std::string>{"--state-dir", dir.path() + "/" + name, "--api-bind-port", "0"},
      dir.file(name + ".log"), std::move(env));
  };
  if (!std::getenv("GLIBC_TUNABLES")) {
    auto plain = start("plain", {});
    EXPECT_EQ(tunables_of(*plain), "glibc.malloc.hugetlb=1");
    EXPECT_EQ(plain->stop(), 0);
  }
  auto off = start("off", {{"GLIBC_TUNABLES", "glibc.malloc.hugetlb=0"}});
  EXPECT_EQ(tunables_of(*off), "glibc.malloc.hugetlb=0") << "an operator's choice stands";
  EXPECT_EQ(http_call(off->port(), "GET", "/healthz").status, 200);
  EXPECT_EQ(off->stop(), 0);
  auto other = start("other", {{"GLIBC_TUNABLES", "glibc.malloc.arena_max=2"}});
  EXPECT_EQ(tunables_of(*other), "glibc.malloc.arena_max=2") << "so do other tunables";
  EXPECT_EQ(other->stop(), 0);
}

TEST_F(stewardd, health_and_readiness) {
  auto h = http_call(proc->port(), "GET", "/healthz");
  EXPECT_EQ(h.status, 200);
  EXPECT_FALSE(h.header("X-Openstack-Request-Id").empty());
  auto r = http_call(proc->port(), "GET", "/readyz.json");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json()["store"]["ok"], true);
}

TEST_F(stewardd, bad_input_gets_clear_json_errors_and_harms_nothing) {
  auto a = create_host("keep-me");
  auto bad_json = call("POST", "/v1/inventory/hosts", "{\"hypervisor_hostname\": ");
  EXPECT_EQ(bad_json.status, 400);
  EXPECT_TRUE(bad_json.json()["error"]["message"].is_string());
  auto wrong_type = http_call(proc->port(), "POST", "/v1/inventory/hosts", "name=x",
                              {{"X-Auth-Token", staff}, {"Content-Type", "text/plain"}});
  EXPECT_EQ(wrong_type.status, 415);
  auto big = call("POST", "/v1/inventory/hosts", std::string(8192, ' '));
  EXPECT_EQ(big.status, 413);
  EXPECT_TRUE(big.json().is_object());
  auto huge_header = http_call(proc->port(), "GET", "/healthz", "",
                               {{"X-Padding", std::string(8192, 'a')}});
  EXPECT_EQ(huge_header.status, 431);
  auto unknown = call("GET", "/v1/no/such/thing");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.json()["error"]["code"], 404);
  auto method = call("DELETE", "/v1/inventory/hosts");
  EXPECT_EQ(method.status, 405);
  EXPECT_FALSE(method.header("Allow").empty());
  auto garbage = raw_exchange(proc->port(), "NOT HTTP AT ALL\r\n\r\n");
  EXPECT_NE(garbage.find("400"), std::string::npos);
  auto bad_field = call("PATCH", "/v1/inventory/hosts/keep-me", R"({"vcpus": "many"})");
  EXPECT_EQ(bad_field.status, 400);
  EXPECT_NE(bad_field.json()["error"]["message"].get<std::string>().find("vcpus"), std::string::npos);
  EXPECT_TRUE(healthy());
  auto still = call("GET", "/v1/inventory/hosts/" + a["id"].get<std::string>());
  EXPECT_EQ(still.status, 200);
  EXPECT_EQ(still.json()["host"], a) << "accepted data is untouched";
}

TEST_F(stewardd, hosts_over_http_with_tokens_and_roles) {
  EXPECT_EQ(http_call(proc->port(), "GET", "/v1/inventory/hosts").status, 401);
  EXPECT_EQ(call("GET", "/v1/inventory/hosts", "", "unknown-token").status, 401);
  EXPECT_EQ(call("GET", "/v1/inventory/hosts", "", member).status, 403);
  EXPECT_EQ(http_call(proc->port(), "GET", "/v1/inventory/hosts", "",
                      {{"Authorization", "Token " + staff}}).status, 200);
  auto h = create_host("compute-1");
  auto id = h["id"].get<std::string>();
  EXPECT_EQ(call("POST", "/v1/inventory/hosts", R"({"hypervisor_hostname": "compute-1"})").status, 409);
  auto upd = call("PATCH", "/v1/inventory/hosts/" + id + ".json", R"({"vcpus": 64})");
  EXPECT_EQ(upd.status, 200);
  EXPECT_EQ(upd.json()["host"]["vcpus"], 64);
  auto list = call("GET", "/v1/inventory/hosts.json?status=enabled");
  ASSERT_EQ(list.json()["hosts"].size(), 1u);
  EXPECT_EQ(call("DELETE", "/v1/inventory/hosts/compute-1").status, 204);
  EXPECT_EQ(call("GET", "/v1/inventory/hosts/" + id).status, 404);
}

TEST_F(stewardd, every_acknowledged_write_survives_kill_9) {
  std::vector<std::string> names;
  for (int i = 0; i < 60; ++i) {
    auto name = "durable-" + std::to_string(i);
    if (call("POST", "/v1/inventory/hosts", json{{"hypervisor_hostname", name}}.dump()).status == 201)
      names.push_back(name);
  }
  ASSERT_EQ(names.size(), 60u);
  proc->kill9();
  start();
  auto list = call("GET", "/v1/inventory/hosts").json()["hosts"];
  ASSERT_EQ(list.size(), names.size());
}

TEST_F(stewardd, test_clock_moves_timers) {
  auto until = timefmt::iso_micro(std::chrono::system_clock::now() + std::chrono::hours{2});
  auto r = call("POST", "/v1/inventory/hosts",
                json{{"hypervisor_hostname", "sleepy"}, {"status", "disabled"},
                     {"disabled_until", until}}.dump());
  ASSERT_EQ(r.status, 201);
  EXPECT_EQ(call("POST", "/v1/admin/clock", R"({"advance_seconds": -5})").status, 400);
  EXPECT_EQ(call("POST", "/v1/admin/clock", R"({"advance_seconds": 1})", member).status, 403);
  auto clock = call("POST", "/v1/admin/clock", R"({"advance_seconds": 10800})");
  ASSERT_EQ(clock.status, 200);
  EXPECT_EQ(clock.json()["offset_seconds"], 10800);
  ASSERT_TRUE(eventually([&] {
    return call("GET", "/v1/inventory/hosts/sleepy").json()["host"]["status"] == "enabled";
  }));
}

TEST_F(stewardd, event_stream_filters_and_resumes_without_gap) {
  sse_client live{proc->port(), "/v1/events?types=host.update", {{"X-Auth-Token", staff}}};
  ASSERT_EQ(live.status(), 200);
  auto a = create_host("ev-1");
  create_host("ev-2");
  create_host("ev-3");
  ASSERT_EQ(call("PATCH", "/v1/inventory/hosts/ev-1", R"({"vcpus": 2})").status, 200);
  auto first = live.next();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->type, "host.update") << "host.create events were filtered out";
  auto data = json::parse(first->data);
  EXPECT_EQ(data["payload"]["hypervisor_hostname"], "ev-1");
  EXPECT_FALSE(first->id.empty());

  // All events from the start, to learn their ids.
  sse_client all{proc->port(), "/v1/events", {{"X-Auth-Token", staff}, {"Last-Event-ID", "0"}}};
  std::vector<sse_event> seen;
  for (int i = 0; i < 4; ++i) {
    auto e = all.next();
    ASSERT_TRUE(e);
    seen.push_back(*e);
  }
  EXPECT_EQ(seen[0].type, "host.create");
  EXPECT_EQ(seen[3].type, "host.update");

  // Resume after the second: the third and fourth come back, then live ones.
  sse_client resumed{proc->port(), "/v1/events",
                     {{"X-Auth-Token", staff}, {"Last-Event-ID", seen[1].id}}};
  auto r1 = resumed.next();
  auto r2 = resumed.next();
  ASSERT_TRUE(r1 && r2);
  EXPECT_EQ(r1->id, seen[2].id);
  EXPECT_EQ(r2->id, seen[3].id);
  create_host("ev-4");
  auto r3 = resumed.next();
  ASSERT_TRUE(r3);
  EXPECT_EQ(r3->type, "host.create");
  EXPECT_GT(std::stoull(r3->id), std::stoull(r2->id)) << "no duplicate, no gap";
  EXPECT_EQ(json::parse(r3->data)["payload"]["hypervisor_hostname"], "ev-4");
}

TEST_F(stewardd, event_stream_refuses_other_projects_and_bad_ids) {
  EXPECT_EQ(call("GET", "/v1/events?project_id=p2", "", member).status, 403);
  EXPECT_EQ(call("GET", "/v1/events", "", "nobody-token").status, 401);
  auto bad = http_call(proc->port(), "GET", "/v1/events", "",
                       {{"X-Auth-Token", staff}, {"Last-Event-ID", "yesterday"}});
  EXPECT_EQ(bad.status, 400);
  sse_client quiet{proc->port(), "/v1/events", {{"X-Auth-Token", member}}};
  ASSERT_EQ(quiet.status(), 200);
  ASSERT_TRUE(eventually([&] { quiet.next(std::chrono::seconds{2}); return quiet.saw_comment(); }))
    << "an idle stream gets heartbeat comments";
}
