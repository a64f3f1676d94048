// Debian's blazar CLI (python3-blazarclient), unmodified, against a real
// stewardd with its in-process simulated cloud (hosts compute-1..4): the
// reservable hosts, a lease's life, and the server's error messages as the
// client prints them. Each answer is cross-checked over HTTP. Skipped when
// the client is not installed.
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>

#include "tests/support/python_tool.hpp"
#include "tests/support/support.hpp"

using namespace steward;
using namespace steward::test;
using nlohmann::json;

namespace {

const char* const staff = "staff-token-0001";
const char* const alice = "alice-token-0001";
const std::string web_shop = "bcd23f91658347efb748a5708df7ebe3";

bool blazarclient_installed() {
  return python_module_installed("blazarclient.shell");
}

// "YYYY-MM-DD HH:MM" (UTC), as the CLI takes dates.
std::string cli_date(std::chrono::system_clock::time_point t) {
  auto seconds = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
  return buf;
}

// The same minute as the server shows it: "YYYY-MM-DDTHH:MM:00.000000".
std::string shown_date(const std::string& cli) {
  auto out = cli;
  out[10] = 'T';
  return out + ":00.000000";
}

std::string text(const json& j) { return j.is_string() ? j.get<std::string>() : j.dump(); }

std::string on_host(const std::string& name) {
  return R"(min=1,max=1,hypervisor_properties=["==", "$hypervisor_hostname", ")" + name + R"("])";
}

struct blazar_client : ::testing::Test {
  temp_dir dir;
  std::unique_ptr<daemon_process> proc;
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();

  void SetUp() override {
    if (!blazarclient_installed())
      GTEST_SKIP() << "python3-blazarclient is not installed for " << debian_python;
    dir.write("tokens.json", R"({
      "staff-token-0001": {"user_id": "root", "staff": true},
      "alice-token-0001": {"user_id": "alice", "projects": {")" + web_shop + R"(": "admin"}}})");
    proc = std::make_unique<daemon_process>(
      std::vector<std::string>{"--state-dir", dir.path(), "--api-bind-port", "0",
                               "--auth-tokens-file", dir.file("tokens.json"),
                               "--simulator-default-duration", "0"},
      dir.file("log"));
    // Steward learns the simulated cloud's hosts first.
    ASSERT_TRUE(eventually([&] {
      return call("GET", "/v1/inventory/hosts").json()["hosts"].size() == 6;
    }));
  }

  // The blazar CLI as an operator would run it, with an admin token and
  // Steward as the reservation endpoint.
  run_result blazar(std::vector<std::string> args, const std::string& token = staff) {
    std::vector<std::string> full = {
      "-c", "from blazarclient.shell import main; import sys; sys.exit(main(sys.argv[1:]))",
      "--os-auth-type", "admin_token", "--os-token", token,
      "--os-endpoint", "http://127.0.0.1:" + std::to_string(proc->port()) + "/v1",
      "--timeout", "60"};
    full.insert(full.end(), args.begin(), args.end());
    return run_python(dir, full);
  }
  // A command that must succeed with JSON output (after the "Created a
  // new ...:" line of the create commands).
  json blazar_json(std::vector<std::string> args, const std::string& token = staff) {
    args.push_back("-f");
    args.push_back("json");
    auto r = blazar(args, token);
    EXPECT_EQ(r.status, 0) << r.out << r.err;
    auto body = r.out;
    if (body.rfind("Created a new ", 0) == 0)
      body = body.substr(body.find('\n') + 1);
    auto parsed = json::parse(body, nullptr, false);
    EXPECT_FALSE(parsed.is_discarded()) << "not JSON: " << r.out << r.err;
    return parsed.is_discarded() ? json() : parsed;
  }
  http_result call(const std::string& method, const std::string& target,
                   const json& body = nullptr, const std::string& token = staff) {
    return openstack_call(proc->port(), method, target, token, body);
  }
  json leases() { return call("GET", "/v1/leases").json()["leases"]; }
  void enroll(std::initializer_list<const char*> names) {
    for (auto name : names)
      ASSERT_EQ(call("POST", "/v1/os-hosts", {{"name", name}}).status, 202) << name;
  }
};

} // namespace

TEST_F(blazar_client, reservable_hosts) {
  auto created = blazar_json({"host-create", "--extra", "gpu=true", "compute-1"});
  EXPECT_EQ(created["id"], "1");
  EXPECT_EQ(created["hypervisor_hostname"], "compute-1");
  EXPECT_EQ(created["gpu"], "true");
  EXPECT_EQ(created["vcpus"], 16);
  EXPECT_EQ(created["reservable"], true);
  auto second = blazar({"host-create", "compute-2"});
  ASSERT_EQ(second.status, 0) << second.err;
  EXPECT_EQ(second.out.rfind("Created a new host:", 0), 0u) << second.out;
  EXPECT_NE(second.out.find("compute-2"), std::string::npos) << "shown as a table";

  auto list = blazar_json({"host-list"});
  ASSERT_EQ(list.size(), 2u) << list;
  EXPECT_EQ(list[0], (json{{"id", "1"}, {"hypervisor_hostname", "compute-1"}, {"vcpus", 16},
                           {"memory_mb", 65536}, {"local_gb", 1000}}));
  EXPECT_EQ(list[1]["id"], "2");
  EXPECT_EQ(list[1]["hypervisor_hostname"], "compute-2");
  auto over_http = call("GET", "/v1/os-hosts").json()["hosts"];
  ASSERT_EQ(over_http.size(), 2u);
  EXPECT_EQ(over_http[0]["gpu"], "true");

  // By name: the client looks the name up in the list, then asks by id.
  auto shown = blazar_json({"host-show", "compute-1"});
  EXPECT_EQ(shown["id"], "1");
  EXPECT_EQ(shown["gpu"], "true");
  EXPECT_EQ(shown["updated_at"], "") << "never updated (the client shows null as '')";
  EXPECT_NE(text(shown["created_at"]), "");

  // host-update sends {"values": {...}}.
  auto updated = blazar({"host-update", "--extra", "gpu=false", "--extra", "rack=r7", "compute-1"});
  ASSERT_EQ(updated.status, 0) << updated.err;
  EXPECT_EQ(updated.out, "Updated host: compute-1\n");
  shown = blazar_json({"host-show", "1"});
  EXPECT_EQ(shown["gpu"], "false");
  EXPECT_EQ(shown["rack"], "r7");
  EXPECT_NE(shown["updated_at"], "");
  auto host = call("GET", "/v1/os-hosts/1").json()["host"];
  EXPECT_EQ(host["gpu"], "false");
  EXPECT_EQ(host["rack"], "r7");
  EXPECT_EQ(host["hypervisor_hostname"], "compute-1");

  auto properties = blazar_json({"host-property-list"});
  ASSERT_EQ(properties.size(), 2u) << properties;
  EXPECT_EQ(properties[0]["property"], "gpu");
  EXPECT_EQ(properties[1]["property"], "rack");

  auto deleted = blazar({"host-delete", "compute-2"});
  ASSERT_EQ(deleted.status, 0) << deleted.err;
  EXPECT_EQ(deleted.out, "Deleted host: compute-2\n");
  list = blazar_json({"host-list"});
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["hypervisor_hostname"], "compute-1");
  EXPECT_EQ(call("GET", "/v1/os-hosts/2").status, 404);
  EXPECT_EQ(call("GET", "/v1/inventory/hosts").json()["hosts"].size(), 6u)
    << "withdrawn from Blazar, still in the inventory";
}

TEST_F(blazar_client, host_errors_print_the_server_message) {
  enroll({"compute-1"});
  auto again = blazar({"host-create", "compute-1"});
  EXPECT_EQ(again.status, 1);
  EXPECT_NE(again.err.find("ERROR: Host compute-1 is already a reservable host"), std::string::npos)
    << again.err;
  auto unknown = blazar({"host-create", "compute-9"});
  EXPECT_EQ(unknown.status, 1);
  EXPECT_NE(unknown.err.find("ERROR: Compute host compute-9 is not in the inventory"),
            std::string::npos) << unknown.err;
  auto missing = blazar({"host-show", "99"});
  EXPECT_EQ(missing.status, 1);
  EXPECT_NE(missing.err.find("ERROR: Host 99 could not be found"), std::string::npos) << missing.err;
  auto column = blazar({"host-update", "--extra", "vcpus=4", "compute-1"});
  EXPECT_EQ(column.status, 1);
  EXPECT_NE(column.err.find("ERROR: Parameter vcpus of a host cannot be changed"), std::string::npos)
    << column.err;
  auto not_staff = blazar({"host-list"}, alice);
  EXPECT_EQ(not_staff.status, 1);
  EXPECT_NE(not_staff.err.find("ERROR: Managing reservable hosts is reserved to operators"),
            std::string::npos) << not_staff.err;
  EXPECT_EQ(call("GET", "/v1/os-hosts/1").json()["host"]["vcpus"], 16);
}

TEST_F(blazar_client, a_lease_life) {
  enroll({"compute-1", "compute-2", "compute-3"});
  using std::chrono::hours;
  auto start = cli_date(now + hours{24});
  auto end = cli_date(now + hours{48});
  auto created = blazar_json({"lease-create", "--physical-reservation", on_host("compute-2"),
                              "--start-date", start, "--end-date", end, "lease-one"});
  EXPECT_EQ(created["name"], "lease-one");
  EXPECT_EQ(created["status"], "PENDING");
  EXPECT_EQ(created["start_date"], shown_date(start));
  EXPECT_EQ(created["end_date"], shown_date(end));
  auto id = text(created["id"]);
  ASSERT_EQ(id.size(), 36u) << created;
  // The client shows the reservation as a JSON text.
  auto reservation = json::parse(text(created["reservations"]), nullptr, false);
  ASSERT_TRUE(reservation.is_object()) << created["reservations"];
  EXPECT_EQ(reservation["min"], 1);
  EXPECT_EQ(reservation["max"], 1);
  EXPECT_EQ(reservation["resource_type"], "physical:host");

  auto lease = call("GET", "/v1/leases/" + id).json()["lease"];
  EXPECT_EQ(lease["name"], "lease-one");
  EXPECT_EQ(lease["user_id"], "root");
  ASSERT_EQ(lease["reservations"].size(), 1u);
  auto& r = lease["reservations"][0];
  EXPECT_EQ(r["hypervisor_properties"], R"(["==", "$hypervisor_hostname", "compute-2"])");
  EXPECT_EQ(r["status"], "pending");
  ASSERT_EQ(r["hosts"].size(), 1u);
  EXPECT_EQ(r["hosts"][0]["hypervisor_hostname"], "compute-2") << "the filter chose the host";
  EXPECT_EQ(lease["events"].size(), 3u);

  auto list = blazar_json({"lease-list"});
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0], (json{{"id", id}, {"name", "lease-one"}, {"start_date", shown_date(start)},
                           {"end_date", shown_date(end)}}));
  auto shown = blazar_json({"lease-show", "lease-one"});
  EXPECT_EQ(shown["id"], id);
  EXPECT_EQ(shown["status"], "PENDING");
  EXPECT_EQ(blazar_json({"lease-show", id})["name"], "lease-one");

  // A reserved host cannot be withdrawn.
  auto busy = blazar({"host-delete", "compute-2"});
  EXPECT_EQ(busy.status, 1);
  EXPECT_NE(busy.err.find("ERROR: Cannot delete host compute-2: it is reserved by a lease"),
            std::string::npos) << busy.err;

  // Rename and prolong: the client reads the lease, adds a day to its end
  // and sends {"name", "end_date"}.
  auto updated = blazar({"lease-update", "--name", "lease-renamed", "--prolong-for", "1d",
                         "lease-one"});
  ASSERT_EQ(updated.status, 0) << updated.err;
  EXPECT_EQ(updated.out, "Updated lease: lease-one\n");
  auto later_end = cli_date(now + hours{72});
  lease = call("GET", "/v1/leases/" + id).json()["lease"];
  EXPECT_EQ(lease["name"], "lease-renamed");
  EXPECT_EQ(lease["start_date"], shown_date(start));
  EXPECT_EQ(lease["end_date"], shown_date(later_end));
  EXPECT_EQ(lease["before_end_date"], shown_date(cli_date(now + hours{71})))
    << "the before-end event keeps its hour before the end";
  EXPECT_EQ(lease["reservations"][0]["hosts"][0]["hypervisor_hostname"], "compute-2");
  shown = blazar_json({"lease-show", "lease-renamed"});
  EXPECT_EQ(shown["end_date"], shown_date(later_end));
  EXPECT_NE(shown["updated_at"], "");

  // Defer the start by two hours.
  auto deferred = blazar({"lease-update", "--defer-by", "2h", id});
  ASSERT_EQ(deferred.status, 0) << deferred.err;
  EXPECT_EQ(call("GET", "/v1/leases/" + id).json()["lease"]["start_date"],
            shown_date(cli_date(now + hours{26})));

  auto deleted = blazar({"lease-delete", "lease-renamed"});
  ASSERT_EQ(deleted.status, 0) << deleted.err;
  EXPECT_EQ(deleted.out, "Deleted lease: lease-renamed\n");
  EXPECT_TRUE(leases().empty());
  EXPECT_TRUE(blazar_json({"lease-list"}).empty());
  EXPECT_EQ(call("GET", "/v1/leases/" + id).status, 404);
  auto freed = blazar({"host-delete", "compute-2"});
  EXPECT_EQ(freed.status, 0) << "the host is free again: " << freed.err;
}

TEST_F(blazar_client, a_project_member_leases_for_the_project) {
  enroll({"compute-1", "compute-2"});
  auto start = cli_date(now + std::chrono::hours{24});
  auto end = cli_date(now + std::chrono::hours{30});
  auto created = blazar_json({"lease-create", "--physical-reservation", "min=2,max=2",
                              "--start-date", start, "--end-date", end, "alice-lease"},
                             alice);
  EXPECT_EQ(created["project_id"], web_shop);
  EXPECT_EQ(created["user_id"], "alice");
  auto lease = call("GET", "/v1/leases/" + text(created["id"])).json()["lease"];
  ASSERT_EQ(lease["reservations"][0]["hosts"].size(), 2u);
  EXPECT_EQ(blazar_json({"lease-list"}, alice).size(), 1u);
}

TEST_F(blazar_client, lease_errors_print_the_server_message) {
  enroll({"compute-1", "compute-2", "compute-3"});
  using std::chrono::hours;
  auto start = cli_date(now + hours{24});
  auto end = cli_date(now + hours{48});
  auto too_many = blazar({"lease-create", "--physical-reservation", "min=4,max=4",
                          "--start-date", start, "--end-date", end, "too-many"});
  EXPECT_EQ(too_many.status, 1);
  EXPECT_NE(too_many.err.find("ERROR: Not enough hosts available"), std::string::npos)
    << too_many.out << too_many.err;
  auto not_enrolled = blazar({"lease-create", "--physical-reservation", on_host("compute-4"),
                              "--start-date", start, "--end-date", end, "on-compute-4"});
  EXPECT_EQ(not_enrolled.status, 1);
  EXPECT_NE(not_enrolled.err.find("ERROR: Not enough hosts available"), std::string::npos)
    << not_enrolled.err;
  auto past = blazar({"lease-create", "--physical-reservation", "min=1,max=1",
                      "--start-date", "2020-01-01 10:00", "--end-date", end, "in-the-past"});
  EXPECT_EQ(past.status, 1);
  EXPECT_NE(past.err.find("ERROR: Start date must be later than current date"), std::string::npos)
    << past.err;
  EXPECT_TRUE(leases().empty()) << "nothing was created";

  // Two leases cannot share a host over the same window.
  ASSERT_EQ(blazar({"lease-create", "--physical-reservation", "min=3,max=3", "--start-date", start,
                    "--end-date", end, "all-of-them"}).status, 0);
  auto overlap = blazar({"lease-create", "--physical-reservation", "min=1,max=1",
                         "--start-date", cli_date(now + hours{30}), "--end-date",
                         cli_date(now + hours{50}), "overlapping"});
  EXPECT_EQ(overlap.status, 1);
  EXPECT_NE(overlap.err.find("ERROR: Not enough hosts available"), std::string::npos) << overlap.err;
  EXPECT_EQ(leases().size(), 1u);
  auto missing = blazar({"lease-show", "00000000-0000-0000-0000-000000000000"});
  EXPECT_EQ(missing.status, 1);
  EXPECT_NE(missing.err.find("ERROR: Lease 00000000-0000-0000-0000-000000000000 could not be found"),
            std::string::npos) << missing.err;
}
