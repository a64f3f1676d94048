// Input that once took stewardd down, or made it lie: ids that are not
// UTF-8, JSON nested tens of thousands deep, wrong-typed fields, a host
// deleted under a lease, and the first moments after a restart. Each answer
// is a clear error in the family's shape, and everything keeps serving.
#include <gtest/gtest.h>

#include "tests/daemon/stewardd_fixture.hpp"

using namespace steward;
using namespace steward::test;
using nlohmann::json;

namespace {

const char* const staff = "staff-token-0001";
const char* const alice = "alice-token-0001";  // web-shop

std::string nested(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

json reservation() {
  return json::array({{{"resource_type", "physical:host"}, {"min", 1}, {"max", 1},
                       {"hypervisor_properties", ""}, {"resource_properties", ""}}});
}

json lease_body(const std::string& name, const std::string& start, const std::string& end) {
  return {{"name", name}, {"start_date", start}, {"end_date", end},
          {"reservations", reservation()}, {"events", json::array()}};
}

struct hardening : stewardd_fixture {
  void SetUp() override {
    write_tokens(R"({
      "staff-token-0001": {"user_id": "root", "staff": true},
      "alice-token-0001": {"user_id": "alice", "projects": {")" + web_shop + R"(": "admin"}}})");
    start();
  }
  void start() { start_stewardd(); }
  void wait_for_inventory() {
    ASSERT_TRUE(eventually([&] {
      return call("GET", "/v1/inventory/hosts", staff).json()["hosts"].size() == 6;
    }));
  }
  http_result send_text(const std::string& method, const std::string& target,
                        const std::string& body) {
    return http_call(proc->port(), method, target, body,
                     {{"X-Auth-Token", staff}, {"Content-Type", "application/json"}});
  }
  // Every family's collection still answers.
  void expect_every_route_serves() {
    for (auto target : {"/v1/leases", "/v1/os-hosts", "/v1/maintenance", "/api/instances/",
                        "/v1/inventory/hosts"})
      EXPECT_EQ(call("GET", target, staff).status, 200) << target;
    EXPECT_EQ(http_call(proc->port(), "GET", "/readyz").status, 200);
  }
};

} // namespace

TEST_F(hardening, ids_that_are_not_utf8_get_400_in_the_familys_shape) {
  wait_for_inventory();
  struct family_route {
    std::string prefix;
    std::string suffix;
    const char* error_key;
  };
  std::vector<family_route> routes = {
    {"/v1/leases/", "", "error_message"},      {"/v1/os-hosts/", "", "error_message"},
    {"/v1/maintenance/", "", "faultstring"},   {"/v1/maintenance/s/", "/", "faultstring"},
    {"/v1/instance/", "", "faultstring"},      {"/v1/instance_group/", "", "faultstring"},
    {"/api/instances/", "/", "detail"},        {"/v1/inventory/hosts/", "", "error"}};
  for (auto& r : routes)
    for (auto bad : {"%ff", "%E0%A4%A", "%C0%AF", "%ED%A0%80"}) {
      auto target = r.prefix + bad + r.suffix;
      auto res = call("GET", target, staff);
      EXPECT_EQ(res.status, 400) << target << ": " << res.body;
      EXPECT_TRUE(res.json().contains(r.error_key)) << target << ": " << res.body;
    }
  auto query = call("GET", "/v1/leases?name=%ff", staff);
  EXPECT_EQ(query.status, 400) << "a query parameter is held to the same rule";
  // The Host header makes the URLs in answers (instances, sessions).
  for (auto target : {"/api/instances/", "/v1/maintenance"}) {
    auto host = raw_exchange(proc->port(), std::string{"GET "} + target
                                             + " HTTP/1.1\r\nHost: \xff\r\nX-Auth-Token: "
                                             + staff + "\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(host.substr(0, 12), "HTTP/1.1 400") << target << ": " << host;
  }
  auto raw = raw_exchange(proc->port(), "GET /v1/leases/\xff HTTP/1.1\r\nHost: x\r\nX-Auth-Token: "
                                        + std::string{staff} + "\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(raw.substr(0, 12), "HTTP/1.1 400") << raw;
  expect_every_route_serves();
}

TEST_F(hardening, deeply_nested_bodies_get_400_and_harm_nothing) {
  wait_for_inventory();
  auto deep = nested(60000);
  auto refused = [&](const std::string& method, const std::string& target,
                     const std::string& body) {
    auto r = send_text(method, target, body);
    EXPECT_EQ(r.status, 400) << method << " " << target << ": " << r.body;
    EXPECT_NE(r.body.find("nests deeper than 32 levels"), std::string::npos) << r.body;
  };
  refused("POST", "/v1/maintenance",
          R"({"hosts": ["compute-1"], "maintenance_at": "2031-01-01 00:00:00", "metadata": )"
            + deep + "}");
  refused("POST", "/v1/maintenance",
          R"({"hosts": ["compute-1"], "maintenance_at": "2031-01-01 00:00:00", "actions": )"
            + deep + "}");
  refused("POST", "/v1/inventory/hosts",
          R"({"hypervisor_hostname": "deep", "cpu_info": )" + deep + "}");
  refused("PATCH", "/v1/inventory/hosts/compute-1", R"({"cpu_info": )" + deep + "}");
  refused("POST", "/v1/admin/simulator/command",
          R"({"event_type": "compute.instance.stop", "payload": )" + deep + "}");
  refused("POST", "/v1/leases", R"({"name": "x", "reservations": )" + nested(33) + "}");
  // Within the limit, a nested document is taken as it is.
  auto fine = send_text("PATCH", "/v1/inventory/hosts/compute-1",
                        R"({"cpu_info": {"a": )" + nested(20) + "}}");
  EXPECT_EQ(fine.status, 200) << fine.body;
  expect_every_route_serves();
}

TEST_F(hardening, a_usage_window_past_year_9999_is_refused) {
  wait_for_inventory();
  auto some = call("GET", "/api/instances/?page_size=1", staff).json();
  ASSERT_FALSE(some.empty());
  auto usage = "/api/instances/" + some[0]["uuid"].get<std::string>() + "/usage/?item=cpu";
  auto r = call("GET", usage + "&from=0&to=9223372036854775807&datapoints=2", staff);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(call("GET", usage + "&from=0&to=253402300799&datapoints=1000", staff).status, 200);
  expect_every_route_serves();
}

TEST_F(hardening, wrong_typed_fields_are_refused_and_nothing_is_stored) {
  wait_for_inventory();
  ASSERT_EQ(call("POST", "/v1/os-hosts", staff, {{"name", "compute-1"}}).status, 202);
  for (json project : {json(5), json::array({web_shop}), json::object(), json(true)}) {
    auto body = lease_body("typed", "2031-01-01 10:00", "2031-01-01 12:00");
    body["project_id"] = project;
    auto r = call("POST", "/v1/leases", alice, body);
    EXPECT_EQ(r.status, 400) << project.dump() << ": " << r.body;
    EXPECT_NE(r.json().value("error_message", "").find("project_id"), std::string::npos) << r.body;
  }
  EXPECT_TRUE(call("GET", "/v1/leases", staff).json()["leases"].empty());
  for (json workflow : {json(5), json::array({"default"}), json::object()}) {
    json body = {{"hosts", {"compute-2"}}, {"maintenance_at", "2031-01-01 00:00:00"},
                 {"workflow", workflow}};
    auto r = call("POST", "/v1/maintenance", staff, body);
    EXPECT_EQ(r.status, 400) << workflow.dump() << ": " << r.body;
    EXPECT_NE(r.json().value("faultstring", "").find("workflow"), std::string::npos) << r.body;
  }
  EXPECT_TRUE(call("GET", "/v1/maintenance", staff).json()["sessions"].empty());
  for (json cloud : {json(5), json::array({"default"}), json(nullptr)}) {
    json body = {{"cloud", cloud}, {"type", "compute.instance.stop"},
                 {"payload", {{"instance_uuid", "nope"}}}};
    auto r = call("POST", "/v1/admin/simulator/command", staff, body);
    EXPECT_EQ(r.status, 400) << cloud.dump() << ": " << r.body;
    EXPECT_NE(r.body.find("cloud must be a string"), std::string::npos) << r.body;
  }
}

TEST_F(hardening, a_reservable_host_is_not_deleted_from_under_its_leases) {
  wait_for_inventory();
  ASSERT_EQ(call("POST", "/v1/os-hosts", staff, {{"name", "compute-1"}}).status, 202);
  auto lease = call("POST", "/v1/leases", alice, lease_body("held", "2031-01-01 10:00",
                                                            "2031-01-01 12:00"));
  ASSERT_EQ(lease.status, 202) << lease.body;
  auto refused = call("DELETE", "/v1/inventory/hosts/compute-1", staff);
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_NE(refused.body.find("withdraw it there first"), std::string::npos) << refused.body;
  EXPECT_EQ(call("GET", "/v1/inventory/hosts/compute-1", staff).status, 200);
  EXPECT_EQ(call("DELETE", "/v1/os-hosts/1", staff).status, 409) << "a lease holds it";
  ASSERT_EQ(call("DELETE", "/v1/leases/" + lease.json()["lease"]["id"].get<std::string>(), staff)
              .status,
            204);
  ASSERT_EQ(call("DELETE", "/v1/os-hosts/1", staff).status, 204);
  EXPECT_EQ(call("DELETE", "/v1/inventory/hosts/compute-1", staff).status, 204)
    << "withdrawn, it may go";
}

// The lease registry learns its hosts from the inventory just after a start;
// a create that came before it had would see no hosts and answer 409. The
// API opens only once it has (and answers 503 with Retry-After otherwise).
TEST_F(hardening, right_after_a_restart_a_free_window_is_never_refused) {
  wait_for_inventory();
  for (auto name : {"compute-1", "compute-2"})
    ASSERT_EQ(call("POST", "/v1/os-hosts", staff, {{"name", name}}).status, 202);
  // Many stored leases make the registries' recovery take a while: each
  // its own half hour, (month, day, hour) apart.
  for (int n = 0; n < 1000; ++n) {
    char start[32], end[32];
    int month = 1 + (n / 28) % 12, day = 1 + n % 28, hour = n / 336;
    std::snprintf(start, sizeof start, "2032-%02d-%02d %02d:00", month, day, hour);
    std::snprintf(end, sizeof end, "2032-%02d-%02d %02d:30", month, day, hour);
    auto r = call("POST", "/v1/leases", alice, lease_body("l" + std::to_string(n), start, end));
    ASSERT_EQ(r.status, 202) << start << ": " << r.body;
  }
  for (int round = 1; round <= 3; ++round) {
    ASSERT_EQ(proc->stop(), 0);
    start();
    // The first request once stewardd said it runs, into a free window.
    auto day = "2033-06-0" + std::to_string(round);
    auto r = call("POST", "/v1/leases", alice,
                  lease_body("after-restart", day + " 10:00", day + " 11:00"));
    EXPECT_EQ(r.status, 202) << "round " << round << ": " << r.body;
    EXPECT_EQ(http_call(proc->port(), "GET", "/readyz").status, 200);
  }
}
