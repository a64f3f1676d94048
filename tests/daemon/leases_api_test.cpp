// /v1/leases and /v1/os-hosts over HTTP on a real stewardd with its
// in-process simulated cloud (hosts compute-1..4, commands taking no time)
// and the test clock: Blazar's shapes and error texts, allocation, update
// rules, isolation, the three events seen in the simulated cloud, and a
// restart with timers that fell due meanwhile.
#include <gtest/gtest.h>

#include <thread>

#include "tests/daemon/stewardd_fixture.hpp"

using namespace steward;
using namespace steward::test;
using nlohmann::json;

namespace {

const char* const staff = "staff-token-0001";
const char* const alice = "alice-token-0001";  // web-shop
const char* const bob = "bob-token-000001";    // lab

json on_host(const std::string& name, int min = 1, int max = 1) {
  return {{"resource_type", "physical:host"}, {"min", min}, {"max", max},
          {"hypervisor_properties", json::array({"==", "$hypervisor_hostname", name}).dump()},
          {"resource_properties", ""}};
}

json lease_body(const std::string& name, const std::string& start, const std::string& end,
                json reservations) {
  return {{"name", name}, {"start_date", start}, {"end_date", end},
          {"reservations", std::move(reservations)}, {"events", json::array()}};
}

struct leases_api : stewardd_fixture {
  void SetUp() override {
    write_tokens(R"({
      "staff-token-0001": {"user_id": "root", "staff": true},
      "alice-token-0001": {"user_id": "alice", "projects": {")" + web_shop + R"(": "admin"}},
      "bob-token-000001": {"user_id": "bob", "projects": {")" + lab + R"(": "admin"}}})");
    start();
    ASSERT_TRUE(eventually([&] { return call("GET", "/api/instances/", staff).json().size() == 8; }));
    for (auto name : {"compute-1", "compute-2", "compute-3"})
      ASSERT_EQ(call("POST", "/v1/os-hosts", staff, json{{"name", name}}).status, 202);
  }
  void start(long clock_offset = 0) {
    start_stewardd({"--test-clock", "true", "--test-clock-offset", std::to_string(clock_offset)});
    // Steward learns the simulated cloud's hosts first.
    ASSERT_TRUE(eventually([&] {
      return call("GET", "/v1/inventory/hosts", staff).json()["hosts"].size() == 6;
    }));
  }
  json lease(const std::string& id, const std::string& token = staff) {
    return call("GET", "/v1/leases/" + id, token).json()["lease"];
  }
  std::string event_status(const std::string& id, const std::string& type) {
    auto l = lease(id);
    for (auto& e : l["events"])
      if (e["event_type"] == type)
        return e["status"];
    return "none";
  }
  std::string create(const json& body, const std::string& token = staff) {
    auto r = call("POST", "/v1/leases", token, body);
    EXPECT_EQ(r.status, 202) << r.body;
    return r.json()["lease"].value("id", "");
  }
  std::string error_of(const http_result& r) { return r.json().value("error_message", ""); }
  void advance(long seconds) {
    ASSERT_EQ(call("POST", "/v1/admin/clock", staff, {{"advance_seconds", seconds}}).status, 200);
  }
  json simulated_instances(const std::string& host) {
    json out = json::array();
    auto world = call("GET", "/v1/admin/simulator", staff).json();
    for (auto& i : world["clouds"][0]["instances"])
      if (i["host"] == host)
        out.push_back(i);
    return out;
  }
};

} // namespace

TEST_F(leases_api, hosts_enrolled_from_the_inventory) {
  auto created = call("POST", "/v1/os-hosts.json", staff, {{"name", "compute-4"}, {"gpu", "true"}});
  ASSERT_EQ(created.status, 202) << created.body;
  auto host = created.json()["host"];
  EXPECT_EQ(host["id"], "4");
  EXPECT_EQ(host["hypervisor_hostname"], "compute-4");
  EXPECT_EQ(host["gpu"], "true") << "extra capabilities are flattened into the host";
  EXPECT_EQ(host["vcpus"], 16);
  EXPECT_EQ(host["reservable"], true);
  auto list = call("GET", "/v1/os-hosts", staff).json()["hosts"];
  ASSERT_EQ(list.size(), 4u);
  EXPECT_EQ(list[0]["hypervisor_hostname"], "compute-1");
  EXPECT_EQ(call("GET", "/v1/os-hosts/compute-4", staff).json()["host"]["id"], "4")
    << "a host is found by name too";

  auto flat = call("PUT", "/v1/os-hosts/4", staff, {{"gpu", "false"}});
  ASSERT_EQ(flat.status, 202) << flat.body;
  EXPECT_EQ(flat.json()["host"]["gpu"], "false");
  auto wrapped = call("PUT", "/v1/os-hosts/4", staff, {{"values", {{"banana", "false"}}}});
  ASSERT_EQ(wrapped.status, 202) << wrapped.body;
  EXPECT_EQ(wrapped.json()["host"]["banana"], "false");
  EXPECT_EQ(wrapped.json()["host"]["gpu"], "false");
  auto props = call("GET", "/v1/os-hosts/properties", staff).json()["resource_properties"];
  EXPECT_EQ(props.size(), 2u);

  EXPECT_EQ(call("DELETE", "/v1/os-hosts/4", staff).status, 204);
  EXPECT_EQ(call("GET", "/v1/os-hosts/4", staff).status, 404);
  EXPECT_EQ(call("GET", "/v1/os-hosts", staff).json()["hosts"].size(), 3u);
  EXPECT_EQ(call("GET", "/v1/inventory/hosts/compute-4", staff).status, 200)
    << "withdrawing a host leaves it in the inventory";
}

TEST_F(leases_api, bad_host_requests) {
  auto unknown = call("POST", "/v1/os-hosts", staff, {{"name", "compute-9"}});
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(error_of(unknown), "Compute host compute-9 is not in the inventory");
  EXPECT_EQ(unknown.json()["error_code"], 404);
  EXPECT_EQ(error_of(call("POST", "/v1/os-hosts", staff, json::object())),
            "Missing parameter name");
  EXPECT_EQ(call("POST", "/v1/os-hosts", staff, {{"name", "compute-1"}}).status, 409);
  EXPECT_EQ(error_of(call("PUT", "/v1/os-hosts/1", staff, json::object())), "No data to update");
  EXPECT_EQ(call("PUT", "/v1/os-hosts/1", staff, {{std::string(65, 'k'), "x"}}).status, 400);
  EXPECT_EQ(call("PUT", "/v1/os-hosts/1", staff, {{"vcpus", 4}}).status, 400);
  EXPECT_EQ(call("PUT", "/v1/os-hosts/1", staff, {{"gpu", {{"nested", 1}}}}).status, 400);
  EXPECT_EQ(call("GET", "/v1/os-hosts/99", staff).status, 404);
  EXPECT_EQ(call("GET", "/v1/os-hosts/compute-4", staff).status, 404) << "not enrolled";
  auto member = call("GET", "/v1/os-hosts", alice);
  EXPECT_EQ(member.status, 403) << "host management is staff-only";
  EXPECT_EQ(call("POST", "/v1/os-hosts", alice, {{"name", "compute-4"}}).status, 403);
  EXPECT_EQ(call("POST", "/v1/os-hosts", staff, json::array()).status, 400);
  EXPECT_EQ(call("PATCH", "/v1/os-hosts/properties/gpu", staff, {{"private", true}}).status, 501);

  auto id = create(lease_body("holds-1", "2030-1-1 10:00", "2030-1-2 10:00", {on_host("compute-1")}));
  auto reserved = call("DELETE", "/v1/os-hosts/1", staff);
  EXPECT_EQ(reserved.status, 409);
  EXPECT_EQ(error_of(reserved), "Cannot delete host compute-1: it is reserved by a lease");
  EXPECT_EQ(call("GET", "/v1/os-hosts/1", staff).status, 200) << "nothing changed";
  auto allocation = call("GET", "/v1/os-hosts/1/allocation", staff).json()["allocation"];
  EXPECT_EQ(allocation["resource_id"], "1");
  ASSERT_EQ(allocation["reservations"].size(), 1u);
  EXPECT_EQ(allocation["reservations"][0]["lease_id"], id);
  auto filtered = call("GET", "/v1/os-hosts/allocations?lease_id=" + id, staff).json();
  ASSERT_EQ(filtered["allocations"].size(), 1u);
  EXPECT_EQ(filtered["allocations"][0]["resource_id"], "1");
  EXPECT_EQ(call("DELETE", "/v1/leases/" + id, staff).status, 204);
  EXPECT_EQ(call("DELETE", "/v1/os-hosts/1", staff).status, 204) << "delete frees the host at once";
}

TEST_F(leases_api, a_lease_as_the_seed_shows_it) {
  auto r = call("POST", "/v1/leases.json", alice,
                lease_body("lease_foo", "2030-2-21 20:00", "2030-2-24 20:00",
                           {on_host("compute-2")}));
  ASSERT_EQ(r.status, 202) << r.body;
  auto l = r.json()["lease"];
  EXPECT_EQ(l["name"], "lease_foo");
  EXPECT_EQ(l["project_id"], web_shop);
  EXPECT_EQ(l["user_id"], "alice");
  EXPECT_EQ(l["start_date"], "2030-02-21T20:00:00.000000");
  EXPECT_EQ(l["end_date"], "2030-02-24T20:00:00.000000");
  EXPECT_EQ(l["status"], "PENDING");
  ASSERT_EQ(l["events"].size(), 3u);
  std::map<std::string, json> events;
  for (auto& e : l["events"]) {
    events[e["event_type"]] = e;
    EXPECT_EQ(e["status"], "UNDONE");
    EXPECT_EQ(e["lease_id"], l["id"]);
  }
  EXPECT_EQ(events["start_lease"]["time"], "2030-02-21T20:00:00.000000");
  EXPECT_EQ(events["end_lease"]["time"], "2030-02-24T20:00:00.000000");
  EXPECT_EQ(events["before_end_lease"]["time"], "2030-02-24T19:00:00.000000");
  ASSERT_EQ(l["reservations"].size(), 1u);
  auto res = l["reservations"][0];
  EXPECT_EQ(res["status"], "pending");
  EXPECT_EQ(res["resource_type"], "physical:host");
  EXPECT_EQ(res["before_end"], "default");
  EXPECT_EQ(res["hosts"][0]["hypervisor_hostname"], "compute-2");
  EXPECT_EQ(lease(l["id"], alice), l) << "show answers what create did";
  EXPECT_EQ(call("GET", "/v1/leases.json", alice).json()["leases"].size(), 1u);
  EXPECT_EQ(call("DELETE", "/v1/leases/" + l["id"].get<std::string>() + ".json", alice).status, 204);
  EXPECT_EQ(call("GET", "/v1/leases/" + l["id"].get<std::string>(), alice).status, 404);
}

TEST_F(leases_api, bad_lease_requests_change_nothing) {
  auto refused = [&](const json& body) { return call("POST", "/v1/leases", staff, body); };
  auto good = lease_body("x", "2030-1-1 10:00", "2030-1-2 10:00", {on_host("compute-1")});
  auto with = [&](const std::string& key, json value) {
    auto b = good;
    b[key] = std::move(value);
    return b;
  };
  auto reservation_with = [&](const std::string& key, json value) {
    auto b = good;
    if (value.is_null())
      b["reservations"][0].erase(key);
    else
      b["reservations"][0][key] = std::move(value);
    return b;
  };
  EXPECT_EQ(error_of(refused(with("start_date", "2030/01/01 10:00"))),
            "2030/01/01 10:00 is an invalid date. Required format: %Y-%m-%d %H:%M");
  EXPECT_EQ(error_of(refused(with("end_date", "2029-12-31 10:00"))),
            "End date must be later than start date.");
  EXPECT_EQ(error_of(refused(with("start_date", "2001-01-01 10:00"))),
            "Start date must be later than current date");
  auto no_end = good;
  no_end.erase("end_date");
  EXPECT_EQ(error_of(refused(no_end)), "Missing parameter end_date");
  auto outside = refused(with("before_end_date", "2030-01-03 10:00"));
  EXPECT_EQ(outside.status, 403);
  EXPECT_EQ(error_of(outside), "Datetime is out of lease limits");
  EXPECT_EQ(error_of(refused(reservation_with("max", nullptr))), "Missing parameter max");
  EXPECT_EQ(error_of(refused(reservation_with("min", "one"))), "Malformed parameter min");
  EXPECT_EQ(error_of(refused(reservation_with("max", 0))),
            "Invalid values for min/max of hosts. Max must be equal to or larger than min.");
  auto malformed = refused(reservation_with("hypervisor_properties", "[\"==\", \"$vcpus\""));
  EXPECT_EQ(malformed.status, 400) << malformed.body;
  EXPECT_EQ(refused(reservation_with("resource_properties", "[\"~\", \"$a\", \"1\"]")).status, 400);
  EXPECT_EQ(error_of(refused(reservation_with("resource_type", "virtual:instance"))),
            "Unsupported resource type: virtual:instance");
  EXPECT_EQ(refused(json::array()).status, 400);
  auto too_many = refused(with("reservations", json::array({on_host("compute-1"),
                                                            on_host("compute-2", 5, 5)})));
  EXPECT_EQ(too_many.status, 409);
  EXPECT_EQ(error_of(too_many), "Not enough hosts available");
  EXPECT_EQ(call("GET", "/v1/leases", staff).json()["leases"].size(), 0u) << "nothing half-created";
  EXPECT_EQ(call("GET", "/v1/os-hosts/allocations?lease_id=x", staff).json()["allocations"].size(),
            0u);
  auto after = create(good);
  EXPECT_EQ(call("GET", "/v1/os-hosts/1/allocation", staff).json()["allocation"]["reservations"]
              .size(),
            1u)
    << "compute-1 was still free after the refusals";
  auto overlap = refused(with("start_date", "2030-1-2 09:00"));
  EXPECT_EQ(overlap.status, 409) << "no host in two overlapping leases";
  auto disjoint = with("start_date", "2030-1-2 10:00");
  disjoint["end_date"] = "2030-1-3 10:00";
  EXPECT_EQ(refused(disjoint).status, 202) << "back to back is not overlapping";
  EXPECT_EQ(call("GET", "/v1/leases/nope", staff).status, 404);
  EXPECT_EQ(error_of(call("PUT", "/v1/leases/" + after, staff, {{"start_date", "yesterday"}})),
            "yesterday is an invalid date. Required format: %Y-%m-%d %H:%M");
}

TEST_F(leases_api, disabled_hosts_are_never_handed_out) {
  ASSERT_EQ(call("PATCH", "/v1/inventory/hosts/compute-1", staff, {{"status", "disabled"}}).status,
            200);
  auto any_two = json::array({{{"resource_type", "physical:host"}, {"min", 3}, {"max", 3},
                               {"hypervisor_properties", ""}, {"resource_properties", ""}}});
  auto r = call("POST", "/v1/leases", staff, lease_body("three", "2030-1-1 10:00",
                                                         "2030-1-2 10:00", any_two));
  EXPECT_EQ(r.status, 409) << "only two enrolled hosts are enabled";
  EXPECT_EQ(call("GET", "/v1/os-hosts/1", staff).json()["host"]["reservable"], false);
  any_two[0]["min"] = 1;
  auto two = call("POST", "/v1/leases", staff, lease_body("two", "2030-1-1 10:00",
                                                           "2030-1-2 10:00", any_two));
  ASSERT_EQ(two.status, 202) << two.body;
  auto hosts = two.json()["lease"]["reservations"][0]["hosts"];
  ASSERT_EQ(hosts.size(), 2u) << "up to max";
  EXPECT_EQ(hosts[0]["hypervisor_hostname"], "compute-2");
  EXPECT_EQ(hosts[1]["hypervisor_hostname"], "compute-3");
}

TEST_F(leases_api, two_creates_for_the_last_host_one_wins) {
  std::vector<int> codes(8);
  std::vector<std::thread> clients;
  for (std::size_t i = 0; i < codes.size(); ++i)
    clients.emplace_back([&, i] {
      codes[i] = call("POST", "/v1/leases", staff,
                      lease_body("race-" + std::to_string(i), "2030-1-1 10:00", "2030-1-2 10:00",
                                 {on_host("compute-3")}))
                   .status;
    });
  for (auto& t : clients)
    t.join();
  EXPECT_EQ(std::count(codes.begin(), codes.end(), 202), 1);
  EXPECT_EQ(std::count(codes.begin(), codes.end(), 409), 7);
  EXPECT_EQ(call("GET", "/v1/leases", staff).json()["leases"].size(), 1u);
}

TEST_F(leases_api, a_project_sees_and_changes_only_its_own_leases) {
  auto mine = create(lease_body("alice's", "2030-1-1 10:00", "2030-1-2 10:00",
                                {on_host("compute-1")}), alice);
  auto theirs = create(lease_body("bob's", "2030-1-1 10:00", "2030-1-2 10:00",
                                  {on_host("compute-2")}), bob);
  auto alice_list = call("GET", "/v1/leases", alice).json()["leases"];
  ASSERT_EQ(alice_list.size(), 1u);
  EXPECT_EQ(alice_list[0]["id"], mine);
  EXPECT_EQ(call("GET", "/v1/leases/" + theirs, alice).status, 404);
  EXPECT_EQ(call("PUT", "/v1/leases/" + theirs, alice, {{"name", "mine now"}}).status, 404);
  EXPECT_EQ(call("DELETE", "/v1/leases/" + theirs, alice).status, 404);
  EXPECT_EQ(lease(theirs)["name"], "bob's") << "untouched";
  EXPECT_EQ(call("GET", "/v1/leases", staff).json()["leases"].size(), 2u) << "staff sees all";
  auto elsewhere = lease_body("x", "2030-1-1 10:00", "2030-1-2 10:00", {on_host("compute-3")});
  elsewhere["project_id"] = lab;
  EXPECT_EQ(call("POST", "/v1/leases", alice, elsewhere).status, 403);
  EXPECT_EQ(call("POST", "/v1/leases", staff, elsewhere).status, 202) << "staff may lease for a project";
}

TEST_F(leases_api, updates_in_every_status) {
  auto id = create(lease_body("pending", "2030-1-1 10:00", "2030-1-3 10:00", {on_host("compute-1")}));
  // PENDING: rename, move the end (the before-end keeps its offset), move the start.
  auto renamed = call("PUT", "/v1/leases/" + id, staff, {{"name", "renamed"}});
  ASSERT_EQ(renamed.status, 202) << renamed.body;
  EXPECT_EQ(renamed.json()["lease"]["name"], "renamed");
  auto prolonged = call("PUT", "/v1/leases/" + id, staff, {{"end_date", "2030-1-4 10:00"}});
  ASSERT_EQ(prolonged.status, 202) << prolonged.body;
  EXPECT_EQ(prolonged.json()["lease"]["end_date"], "2030-01-04T10:00:00.000000");
  EXPECT_EQ(prolonged.json()["lease"]["before_end_date"], "2030-01-04T09:00:00.000000");
  EXPECT_EQ(call("PUT", "/v1/leases/" + id, staff, {{"start_date", "2030-1-1 12:00"}}).status, 202);
  EXPECT_EQ(lease(id)["start_date"], "2030-01-01T12:00:00.000000");
  EXPECT_EQ(error_of(call("PUT", "/v1/leases/" + id, staff, {{"end_date", "2030-1-1 11:00"}})),
            "End date must be later than current and start date");
  EXPECT_EQ(call("PUT", "/v1/leases/" + id, staff, {{"reservations", json::array()}}).status, 400);
  // Another lease waits on compute-1 after it: prolonging into it is refused.
  create(lease_body("next", "2030-1-5 10:00", "2030-1-6 10:00", {on_host("compute-1")}));
  auto into = call("PUT", "/v1/leases/" + id, staff, {{"end_date", "2030-1-5 12:00"}});
  EXPECT_EQ(into.status, 409);
  EXPECT_EQ(lease(id)["end_date"], "2030-01-04T10:00:00.000000") << "a refusal changes nothing";

  // ACTIVE: the start stays; the end moves; "now" ends it at once.
  auto started = create(lease_body("active", "now", "2030-1-1 00:00", {on_host("compute-2")}));
  ASSERT_TRUE(eventually([&] { return lease(started)["status"] == "ACTIVE"; }));
  EXPECT_EQ(error_of(call("PUT", "/v1/leases/" + started, staff, {{"start_date", "2030-1-1 00:00"}})),
            "Cannot modify the start date of already started leases");
  EXPECT_EQ(call("PUT", "/v1/leases/" + started, staff, {{"end_date", "2030-1-1 06:00"}}).status,
            202);
  ASSERT_EQ(call("PUT", "/v1/leases/" + started, staff, {{"end_date", "now"}}).status, 202);
  ASSERT_TRUE(eventually([&] { return lease(started)["status"] == "TERMINATED"; }));
  auto ended = lease(started);
  for (auto& r : ended["reservations"])
    EXPECT_EQ(r["status"], "deleted");
  for (auto& e : ended["events"])
    EXPECT_EQ(e["status"], "DONE") << e["event_type"];

  // TERMINATED: only a rename.
  EXPECT_EQ(error_of(call("PUT", "/v1/leases/" + started, staff, {{"end_date", "2030-1-2 00:00"}})),
            "Terminated leases can only be renamed");
  EXPECT_EQ(call("PUT", "/v1/leases/" + started, staff, {{"name", "old"}}).status, 202);
  EXPECT_EQ(lease(started)["name"], "old");
  EXPECT_EQ(call("GET", "/v1/os-hosts/2/allocation", staff).json()["allocation"]["reservations"]
              .size(),
            0u)
    << "an ended lease holds its host no more";
}

TEST_F(leases_api, before_end_snapshots_and_end_deletes_in_the_simulated_cloud) {
  auto on_2 = simulated_instances("compute-2");
  ASSERT_FALSE(on_2.empty());
  auto body = lease_body("nightly", "now", "2030-1-1 00:00", {on_host("compute-2")});
  body["reservations"][0]["before_end"] = "snapshot";
  sse_client stream{proc->port(), "/v1/events?types=lease.", {{"X-Auth-Token", staff}}};
  auto id = create(body);
  ASSERT_TRUE(eventually([&] { return lease(id)["status"] == "ACTIVE"; }));
  auto seconds_to = [&](const std::string& when) {
    auto now = call("POST", "/v1/admin/clock", staff, {{"advance_seconds", 1}}).json()["now"];
    auto t = [](const std::string& s) {
      std::tm tm{};
      strptime(s.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
      return static_cast<long>(timegm(&tm));
    };
    return t(when) - t(now.get<std::string>());
  };
  advance(seconds_to("2029-12-31T23:00:30"));
  ASSERT_TRUE(eventually([&] { return event_status(id, "before_end_lease") == "DONE"; }));
  EXPECT_EQ(event_status(id, "end_lease"), "UNDONE");
  // Every instance there that can be snapshotted becomes an image of the cloud.
  ASSERT_TRUE(eventually([&] {
    auto templates = call("GET", "/api/iaas-templates/", staff).json();
    for (auto& i : on_2) {
      if (i["state"] != "active" && i["state"] != "stopped")
        continue;
      auto name = i["display_name"].get<std::string>() + "-nightly-before-end";
      if (std::none_of(templates.begin(), templates.end(),
                       [&](const json& t) { return t["name"] == name; }))
        return false;
    }
    return true;
  }));
  advance(3600);
  ASSERT_TRUE(eventually([&] { return lease(id)["status"] == "TERMINATED"; }));
  ASSERT_TRUE(eventually([&] { return simulated_instances("compute-2").empty(); }))
    << "the instances still on the host are deleted at the end";
  ASSERT_TRUE(eventually([&] {
    auto all = call("GET", "/api/instances/", staff).json();
    for (auto& gone : on_2)
      for (auto& i : all)
        if (i["uuid"] == gone["uuid"])
          return false;
    return true;
  }));
  EXPECT_FALSE(simulated_instances("compute-1").empty()) << "other hosts keep theirs";
  // The stream saw the lease's whole life.
  std::vector<std::string> seen;
  while (seen.empty() || seen.back() != "lease.event.end_lease") {
    auto e = stream.next();
    ASSERT_TRUE(e) << "stream ended after " << seen.size() << " events";
    auto data = json::parse(e->data);
    EXPECT_EQ(data["publisher_id"], "blazar.lease");
    EXPECT_EQ(data["payload"]["id"], id);
    seen.push_back(data["event_type"]);
  }
  // As Blazar: an event's own notification, no lease.update beside it.
  std::vector<std::string> wanted = {"lease.create", "lease.event.start_lease",
                                     "lease.event.before_end_lease",
                                     "lease.event.before_end_lease.stop", "lease.event.end_lease"};
  EXPECT_EQ(seen, wanted);
}

TEST_F(leases_api, overdue_events_run_at_restart_in_order) {
  // A holds compute-3 until the day after tomorrow, B takes it then.
  auto day = [](int n) {
    auto t = std::time(nullptr) + n * 86400L;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char out[32];
    std::strftime(out, sizeof out, "%Y-%m-%d %H:%M", &tm);
    return std::string{out};
  };
  auto a_body = lease_body("A", "now", day(2), {on_host("compute-3")});
  a_body["reservations"][0]["before_end"] = "snapshot";
  auto a = create(a_body);
  auto b = create(lease_body("B", day(2), day(4), {on_host("compute-3")}));
  auto later = create(lease_body("C", day(10), day(11), {on_host("compute-1")}));
  ASSERT_TRUE(eventually([&] { return lease(a)["status"] == "ACTIVE"; }));
  proc->kill9();

  // Three days on: A's before-end and end and B's start have all fallen due.
  start(3 * 86400);
  ASSERT_TRUE(eventually([&] { return lease(b)["status"] == "ACTIVE"; }));
  EXPECT_EQ(lease(a)["status"], "TERMINATED");
  EXPECT_EQ(event_status(a, "before_end_lease"), "DONE");
  EXPECT_EQ(lease(later)["status"], "PENDING") << "a timer not yet due stays pending";
  sse_client stream{proc->port(), "/v1/events?types=lease.event", {{"X-Auth-Token", staff},
                                                                   {"Last-Event-ID", "0"}}};
  std::vector<std::string> order;
  while (order.size() < 5) {
    auto e = stream.next();
    ASSERT_TRUE(e) << "after " << order.size() << " events";
    auto data = json::parse(e->data);
    order.push_back(data["payload"]["name"].get<std::string>() + " "
                    + data["event_type"].get<std::string>());
  }
  std::vector<std::string> wanted = {"A lease.event.start_lease", "A lease.event.before_end_lease",
                                     "A lease.event.before_end_lease.stop", "A lease.event.end_lease",
                                     "B lease.event.start_lease"};
  EXPECT_EQ(order, wanted) << "before-end, then end, then the next lease's start";
  // The end's deletions reach the cloud through the outbox, after the event.
  EXPECT_TRUE(eventually([&] { return simulated_instances("compute-3").empty(); }));
}
