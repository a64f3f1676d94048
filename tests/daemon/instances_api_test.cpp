// /api/instances/ over HTTP on a real stewardd with its in-process simulated
// cloud (the embedded workload, commands taking no time): lists, pagination
// headers, Waldur's error shapes, roles, bad input, and a whole life.
#include <gtest/gtest.h>

#include "tests/daemon/stewardd_fixture.hpp"

using namespace steward;
using namespace steward::test;
using nlohmann::json;

namespace {


struct instances_api : stewardd_fixture {
  void SetUp() override {
    write_tokens(R"({
      "staff-token-0001": {"user_id": "root", "staff": true},
      "alice-token-0001": {"user_id": "alice", "projects": {")" + web_shop + R"(": "admin"}},
      "manny-token-0001": {"user_id": "manny", "projects": {")" + web_shop + R"(": "manager"}},
      "owner-token-0001": {"user_id": "olive", "customers": [")" + acme + R"("]},
      "nobody-token-001": {"user_id": "nobody"}})");
    start_stewardd({"--simulator-usage-interval", "1"});
    // The simulated cloud reports itself at start: wait until Steward knows
    // its instances and its catalog (every instance shows its customer).
    ASSERT_TRUE(eventually([&] {
      auto all = list("staff-token-0001").json();
      if (all.size() != 8)
        return false;
      for (auto& i : all)
        if (i["customer_name"] == "")
          return false;
      return true;
    }));
  }
  // Waldur's clients send "Authorization: Token ...".
  http_result call(const std::string& method, const std::string& target, const std::string& token,
                   const std::string& body = "") {
    return http_call(proc->port(), method, target, body, {{"Authorization", "Token " + token}});
  }
  http_result list(const std::string& token, const std::string& query = "page_size=100") {
    return call("GET", "/api/instances/?" + query, token);
  }
  // The first object of a collection of the source cloud, `default` (the
  // workload's second cloud, `destination`, has none of its projects).
  json first_of(const std::string& collection, const std::string& token = "staff-token-0001") {
    auto r = call("GET", "/api/" + collection + "/", token).json();
    for (auto& item : r)
      if (item.dump().find(destination_cloud) == std::string::npos)
        return item;
    return json();
  }
  json create_body() {
    return {{"hostname", "api-vm"},
            {"project", url("/api/projects/" + web_shop + "/")},
            {"template", first_of("iaas-templates")["url"]},
            {"flavor", first_of("flavors")["url"]},
            {"ssh_public_key", first_of("keys", "alice-token-0001")["url"]}};
  }
  std::string state_of(const std::string& uuid) {
    return call("GET", "/api/instances/" + uuid + "/", "staff-token-0001").json().value("state", "?");
  }
};

} // namespace

TEST_F(instances_api, lists_paginate_with_headers) {
  auto page = list("staff-token-0001", "page_size=3&page=2&o=-hostname");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.json().size(), 3u);
  EXPECT_EQ(page.header("X-Result-Count"), "8");
  auto link = page.header("Link");
  EXPECT_NE(link.find("page=1>; rel=\"first\""), std::string::npos) << link;
  EXPECT_NE(link.find("page=1>; rel=\"prev\""), std::string::npos) << link;
  EXPECT_NE(link.find("page=3>; rel=\"next\""), std::string::npos) << link;
  EXPECT_NE(link.find("page=3>; rel=\"last\""), std::string::npos) << link;
  EXPECT_EQ(list("staff-token-0001", "page_size=3&page=3").json().size(), 2u) << "the last page";
  auto past = list("staff-token-0001", "page=9");
  EXPECT_EQ(past.status, 404);
  EXPECT_EQ(past.json()["detail"], "Invalid page.");
  EXPECT_EQ(list("staff-token-0001", "").json().size(), 8u);
  EXPECT_EQ(list("staff-token-0001", "page_size=500").json().size(), 8u);
  EXPECT_EQ(list("staff-token-0001", "hostname=zzz").json().size(), 0u) << "an empty page";
  EXPECT_EQ(list("staff-token-0001", "state=Q").status, 400);
  auto web = list("staff-token-0001", "project=web-shop&o=state");
  for (auto& i : web.json())
    EXPECT_EQ(i["project_name"], "web-shop");
}

TEST_F(instances_api, every_url_in_an_instance_resolves) {
  auto one = list("staff-token-0001").json()[0];
  for (auto field : {"url", "template", "cloud", "project", "customer"}) {
    auto u = one[field].get<std::string>();
    auto path = u.substr(u.find("/api/"));
    EXPECT_EQ(call("GET", path, "staff-token-0001").status, 200) << field << " " << u;
  }
  for (auto& g : one["project_groups"]) {
    auto u = g["url"].get<std::string>();
    EXPECT_EQ(call("GET", u.substr(u.find("/api/")), "staff-token-0001").status, 200) << u;
  }
}

TEST_F(instances_api, roles_over_http) {
  auto alice = list("alice-token-0001").json();
  ASSERT_FALSE(alice.empty());
  for (auto& i : alice)
    EXPECT_EQ(i["project_uuid"], web_shop);
  EXPECT_EQ(list("manny-token-0001").json().size(), alice.size());
  EXPECT_GT(list("owner-token-0001").json().size(), alice.size()) << "the owner sees the customer's projects";
  EXPECT_EQ(list("nobody-token-001").json().size(), 0u);
  auto target = alice[0]["uuid"].get<std::string>();
  auto forbidden = call("POST", "/api/instances/" + target + "/stop/", "manny-token-0001");
  EXPECT_EQ(forbidden.status, 403);
  EXPECT_TRUE(forbidden.json().contains("detail"));
  EXPECT_EQ(call("POST", "/api/instances/" + target + "/stop/", "nobody-token-001").status, 404);
  EXPECT_EQ(call("GET", "/api/instances/", "").status, 401);
  EXPECT_TRUE(call("GET", "/api/instances/", "").json().contains("detail"));
}

TEST_F(instances_api, bad_input_on_create_and_resize) {
  auto bad_json = call("POST", "/api/instances/", "alice-token-0001", "{nope");
  EXPECT_EQ(bad_json.status, 400);
  EXPECT_TRUE(bad_json.json().contains("detail"));
  auto empty = call("POST", "/api/instances/", "alice-token-0001", "{}");
  EXPECT_EQ(empty.status, 400);
  for (auto field : {"hostname", "template", "flavor", "project", "ssh_public_key"})
    EXPECT_EQ(empty.json()[field][0], "This field is required.") << field;
  auto body = create_body();
  body["internal_ips"] = "10.1.1.500";
  EXPECT_TRUE(call("POST", "/api/instances/", "alice-token-0001", body.dump()).json().contains("internal_ips"));
  EXPECT_EQ(call("POST", "/api/instances/", "manny-token-0001", create_body().dump()).status, 403);
  // Resize: only offline, flavor of the same cloud, a larger disk.
  auto online = list("alice-token-0001", "state=%2B").json()[0]["uuid"].get<std::string>();
  auto r = call("POST", "/api/instances/" + online + "/resize/", "alice-token-0001",
                R"({"disk_size": 999999})");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.json()["detail"], "Instance must be offline");
  EXPECT_EQ(call("DELETE", "/api/instances/" + online + "/", "alice-token-0001").status, 409);
  auto wrong = call("POST", "/api/instances/" + online + "/start/", "alice-token-0001");
  EXPECT_EQ(wrong.status, 409);
  EXPECT_EQ(wrong.json()["status"], "Performing start operation from instance state 'Online' is not allowed");
  EXPECT_EQ(call("GET", "/api/instances/" + online + "/usage/?item=disk", "alice-token-0001").status, 400);
  ASSERT_TRUE(eventually([&] {
    auto u = call("GET", "/api/instances/" + online + "/usage/?item=cpu&datapoints=2", "alice-token-0001");
    return u.status == 200 && u.json().size() == 2 && u.json()[1]["value"].get<double>() > 0;
  })) << "usage samples arrive from the simulated cloud";
}

TEST_F(instances_api, a_whole_life_over_http) {
  auto created = call("POST", "/api/instances/", "alice-token-0001", create_body().dump());
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.json()["state"], "Provisioning Scheduled");
  auto id = created.json()["uuid"].get<std::string>();
  ASSERT_TRUE(eventually([&] { return state_of(id) == "Online"; }));
  EXPECT_EQ(call("POST", "/api/instances/" + id + "/stop/", "alice-token-0001").status, 202);
  ASSERT_TRUE(eventually([&] { return state_of(id) == "Offline"; }));
  auto bigger = call("GET", "/api/flavors/", "alice-token-0001").json().back()["url"].get<std::string>();
  auto resized = call("POST", "/api/instances/" + id + "/resize/", "alice-token-0001",
                      json{{"flavor", bigger}}.dump());
  EXPECT_EQ(resized.status, 202) << resized.body;
  ASSERT_TRUE(eventually([&] { return state_of(id) == "Offline"; }));
  auto disk = call("POST", "/api/instances/" + id + "/resize/", "alice-token-0001", R"({"disk_size": 10})");
  EXPECT_EQ(disk.json()["disk_size"], "Disk size must be strictly greater than the current one");
  EXPECT_EQ(call("POST", "/api/instances/" + id + "/start/", "alice-token-0001").status, 202);
  ASSERT_TRUE(eventually([&] { return state_of(id) == "Online"; }));
  EXPECT_EQ(call("POST", "/api/instances/" + id + "/restart/", "alice-token-0001").json()["status"],
            "restart was scheduled");
  ASSERT_TRUE(eventually([&] { return state_of(id) == "Online"; }));
  EXPECT_EQ(call("POST", "/api/instances/" + id + "/stop/", "alice-token-0001").status, 202);
  ASSERT_TRUE(eventually([&] { return state_of(id) == "Offline"; }));
  EXPECT_EQ(call("DELETE", "/api/instances/" + id + "/", "alice-token-0001").status, 202);
  ASSERT_TRUE(eventually([&] {
    return call("GET", "/api/instances/" + id + "/", "alice-token-0001").status == 404;
  }));
}

TEST_F(instances_api, injected_failures_err_the_instance) {
  auto world = call("GET", "/v1/admin/simulator", "staff-token-0001");
  ASSERT_EQ(world.status, 200);
  EXPECT_EQ(world.json()["clouds"][0]["name"], "default");
  EXPECT_EQ(call("GET", "/v1/admin/simulator", "alice-token-0001").status, 403);
  auto inject = [&](const std::string& body, const std::string& token = "staff-token-0001") {
    return call("POST", "/v1/admin/simulator/fail_next", token, body);
  };
  EXPECT_EQ(inject(R"({"command": "compute.instance.create", "count": 0})").status, 400);
  EXPECT_EQ(inject(R"({"command": "compute.instance.explode", "count": 1})").status, 400);
  EXPECT_EQ(inject(R"({"count": 1})").status, 400);
  auto bad_lose = inject(R"({"command": "compute.instance.create", "count": 1, "lose": "yes"})");
  EXPECT_EQ(bad_lose.status, 400);
  EXPECT_NE(bad_lose.body.find("lose must be true or false"), std::string::npos) << bad_lose.body;
  EXPECT_EQ(inject(R"({"command": "compute.instance.create", "count": 1})", "alice-token-0001").status, 403);
  ASSERT_EQ(inject(R"({"command": "compute.instance.create", "count": 1})").status, 202);
  auto failed = call("POST", "/api/instances/", "alice-token-0001", create_body().dump());
  ASSERT_EQ(failed.status, 201);
  auto failed_id = failed.json()["uuid"].get<std::string>();
  ASSERT_TRUE(eventually([&] { return state_of(failed_id) == "Erred"; }));
  auto next = call("POST", "/api/instances/", "alice-token-0001", create_body().dump());
  auto next_id = next.json()["uuid"].get<std::string>();
  ASSERT_TRUE(eventually([&] { return state_of(next_id) == "Online"; })) << "only the next one failed";
}

TEST_F(instances_api, a_project_token_streams_only_its_projects_events) {
  sse_client alice{proc->port(), "/v1/events?types=instance.create",
                   {{"Authorization", "Token alice-token-0001"}}};
  ASSERT_EQ(alice.status(), 200);
  // First an instance in a project alice has no role in, then one in hers.
  auto elsewhere = create_body();
  elsewhere["project"] = url("/api/projects/" + lab + "/");
  elsewhere["ssh_public_key"] = first_of("keys")["url"];
  auto other = call("POST", "/api/instances/", "staff-token-0001", elsewhere.dump());
  ASSERT_EQ(other.status, 201) << other.body;
  auto mine = call("POST", "/api/instances/", "alice-token-0001", create_body().dump());
  ASSERT_EQ(mine.status, 201) << mine.body;
  // Her stream may begin with instances of her project the simulated cloud
  // reported at start (learned just before she subscribed); whatever it
  // shows up to her new instance is hers, and the other one is not there.
  for (;;) {
    auto event = alice.next();
    ASSERT_TRUE(event) << "her own instance's event never came";
    auto data = json::parse(event->data);
    EXPECT_EQ(data["project_id"], web_shop) << event->data;
    ASSERT_NE(data["payload"]["uuid"], other.json()["uuid"])
      << "the other project's event reached her";
    if (data["payload"]["uuid"] == mine.json()["uuid"])
      break;
  }
}
