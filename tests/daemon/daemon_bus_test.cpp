// stewardd on a real RabbitMQ: its notifications reach an unmodified
// oslo.messaging listener, Nova's notifications reach its actors, malformed
// messages are dead-lettered, and nothing is lost while the broker restarts.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <set>
#include <thread>

#include "amqp_test_util.hpp"
#include "bus/oslo.hpp"
#include "common/clock.hpp"
#include "tests/support/support.hpp"

using namespace steward;
using namespace steward::test;
namespace bt = steward::bus::test;
using nlohmann::json;

namespace {

const std::string staff = "staff-token-0001";
const char* const rabbitmqctl = "rabbitmqctl -q -n rabbit@localhost ";

struct stewardd_on_rabbitmq : ::testing::Test {
  temp_dir dir;
  std::optional<bus::transport_url> url;
  std::string nova_exchange = "nova";
  std::string out_exchange = "openstack";
  std::string command_exchange = bt::unique_name("steward.compute");
  std::string queue = bt::unique_name("steward.test.daemon");
  std::string dead_letter = bt::unique_name("steward.test.daemon-dl");
  bool durable = false;
  std::vector<std::string> exchanges_to_delete;
  std::vector<std::string> queues_to_delete;
  std::unique_ptr<daemon_process> proc;

  void SetUp() override {
    url = bt::test_broker();
    if (!url)
      GTEST_SKIP() << "STEWARD_TEST_AMQP_URL is not set";
    dir.write("tokens.json", R"({"staff-token-0001": {"user_id": "root", "staff": true}})");
    queues_to_delete = {queue, dead_letter, command_exchange + ".sim.default.destination"};
    exchanges_to_delete = {dead_letter, command_exchange};
  }
  void TearDown() override {
    proc.reset();
    if (!url)
      return;
    bt::admin_connection admin{*url};
    for (auto& q : queues_to_delete)
      admin.delete_queue(q);
    for (auto& x : exchanges_to_delete)
      admin.delete_exchange(x);
  }
  void start(const std::string& compute_driver = "bus") {
    dir.write("steward.conf",
              "[DEFAULT]\nstate_dir = " + dir.path() + "\n"
              "[api]\nbind_port = 0\n"
              "[auth]\ntokens_file = " + dir.file("tokens.json") + "\n"
              "[messaging]\ntransport_url = " + std::getenv("STEWARD_TEST_AMQP_URL") + "\n"
              "nova_exchange = " + nova_exchange + "\nnotification_exchange = " + out_exchange +
              "\nconsumer_queue = " + queue + "\ndead_letter = " + dead_letter +
              "\namqp_durable_queues = " + (durable ? "true" : "false") + "\n"
              "[compute]\ndriver = " + compute_driver + "\ncommand_exchange = " + command_exchange
              + "\n");
    proc = std::make_unique<daemon_process>(
      std::vector<std::string>{"--config-file", dir.file("steward.conf")}, dir.file("log"));
    ASSERT_TRUE(eventually([&] { return http_call(proc->port(), "GET", "/readyz").status == 200; }))
      << "the bus never became ready";
  }
  http_result call(const std::string& method, const std::string& target, const std::string& body = "") {
    return http_call(proc->port(), method, target, body, {{"X-Auth-Token", staff}});
  }
  std::size_t host_count() {
    auto r = call("GET", "/v1/inventory/hosts");
    return r.status == 200 ? r.json()["hosts"].size() : 0;
  }
};

std::string service_update(const std::string& host, bool disabled, std::string& message_id) {
  json payload = {{"nova_object.name", "ServiceStatusPayload"},
                  {"nova_object.namespace", "nova"},
                  {"nova_object.version", "1.1"},
                  {"nova_object.data",
                   {{"host", host}, {"binary", "nova-compute"}, {"disabled", disabled},
                    {"forced_down", false},
                    {"disabled_reason", disabled ? json("maintenance") : json(nullptr)}}}};
  auto n = bus::make_notification("nova-compute:" + host, "service.update", "INFO", payload, now());
  message_id = n.message_id;
  return bus::encode_v2(n);
}

// The hostnames named in host.create notifications a recorder received.
std::set<std::string> created_hosts(const bt::queue_recorder& rec) {
  std::set<std::string> names;
  for (auto& m : rec.messages()) {
    auto outer = json::parse(m.body, nullptr, false);
    if (outer.is_discarded() || !outer.contains("oslo.message"))
      continue;
    auto inner = json::parse(outer["oslo.message"].get<std::string>(), nullptr, false);
    if (inner.value("event_type", "") == "host.create")
      names.insert(inner["payload"]["hypervisor_hostname"].get<std::string>());
  }
  return names;
}

} // namespace

TEST_F(stewardd_on_rabbitmq, an_oslo_listener_receives_steward_notifications) {
  if (bt::run_command("/usr/bin/python3 -c 'import oslo_messaging' >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "/usr/bin/python3 cannot import oslo_messaging";
  auto pool = bt::unique_name("steward.test.daemon-oslo");
  queues_to_delete.push_back(pool);
  bt::child_process listener({"/usr/bin/python3", STEWARD_BUS_TEST_DIR "/oslo_listener.py",
                              "--url", std::getenv("STEWARD_TEST_AMQP_URL"), "--pool", pool});
  auto deadline = std::chrono::steady_clock::now() + patience;
  for (;;) {
    auto line = listener.read_line(deadline);
    ASSERT_TRUE(line) << "the oslo listener did not start";
    if (*line == "READY")
      break;
  }
  start();
  ASSERT_EQ(call("POST", "/v1/inventory/hosts", R"({"hypervisor_hostname": "oslo-1"})").status, 201);
  for (;;) {
    auto line = listener.read_line(deadline);
    ASSERT_TRUE(line) << "no host.create reached the oslo listener";
    auto j = json::parse(*line, nullptr, false);
    if (j.is_discarded() || j.value("event_type", "") != "host.create"
        || j["payload"].value("hypervisor_hostname", "") != "oslo-1")
      continue;
    EXPECT_EQ(j["publisher_id"], "steward.inventory");
    EXPECT_EQ(j["priority"], "INFO");
    break;
  }
  // A lease on that host: Blazar's notification, the lease as its payload.
  ASSERT_EQ(call("POST", "/v1/os-hosts", R"({"name": "oslo-1"})").status, 202);
  auto lease = call("POST", "/v1/leases", R"({"name": "l", "start_date": "2030-1-1 10:00",
    "end_date": "2030-1-2 10:00", "reservations": [{"resource_type": "physical:host",
    "min": 1, "max": 1, "hypervisor_properties": "", "resource_properties": ""}]})");
  ASSERT_EQ(lease.status, 202) << lease.body;
  for (;;) {
    auto line = listener.read_line(deadline);
    ASSERT_TRUE(line) << "no lease.create reached the oslo listener";
    auto j = json::parse(*line, nullptr, false);
    if (j.is_discarded() || j.value("event_type", "") != "lease.create")
      continue;
    EXPECT_EQ(j["publisher_id"], "blazar.lease");
    EXPECT_EQ(j["payload"]["id"], lease.json()["lease"]["id"]);
    EXPECT_EQ(j["payload"]["status"], "PENDING");
    break;
  }
}

// On a first start the embedded cloud may report before Steward's queue is
// bound; Steward still learns the cloud (it asks once the queue is there).
TEST_F(stewardd_on_rabbitmq, a_first_start_learns_the_embedded_cloud) {
  // Its own exchange: the cloud's reports would reach other tests' queues.
  nova_exchange = bt::unique_name("nova");
  exchanges_to_delete.push_back(nova_exchange);
  start("simulated");
  EXPECT_TRUE(eventually([&] {
    auto r = call("GET", "/api/projects/");
    return r.status == 200 && !r.json().empty();
  })) << "the catalog never arrived";
  EXPECT_TRUE(eventually([&] { return host_count() == 6; })) << "both clouds' hosts";
}

TEST_F(stewardd_on_rabbitmq, nova_notifications_reach_the_inventory_and_junk_is_dead_lettered) {
  start();
  bt::reliable_publisher nova{*url, nova_exchange, "versioned_notifications.info"};
  nova.send("junk-1", "this is not JSON");
  nova.send("junk-2", R"({"oslo.version": "2.0", "oslo.message": "{\"payload\": {}}"})");
  std::string id;
  nova.send("x", service_update("nova-host-1", true, id));
  ASSERT_TRUE(nova.wait_all_delivered());
  ASSERT_TRUE(eventually([&] {
    auto r = call("GET", "/v1/inventory/hosts/nova-host-1");
    return r.status == 200 && r.json()["host"]["status"] == "disabled";
  })) << "the consumer went on after the malformed messages";
  bt::admin_connection admin{*url};
  ASSERT_TRUE(eventually([&] { return admin.message_count(dead_letter) == 2; }));
  EXPECT_EQ(admin.message_count(queue), 0u) << "everything acknowledged";
}

// Bus input is held to the rules of API input. What breaks them goes to the
// dead-letter queue with the reason, the messages behind it go on, and a
// restart finds nothing left to choke on.
TEST_F(stewardd_on_rabbitmq, bad_nova_notifications_are_dead_lettered_with_their_reason) {
  start();
  bt::queue_recorder dead{*url, dead_letter};
  bt::reliable_publisher nova{*url, nova_exchange, "versioned_notifications.info"};
  auto instance_update = [](json data) {
    json payload = {{"nova_object.name", "InstanceUpdatePayload"},
                    {"nova_object.data", std::move(data)}};
    return bus::encode_v2(
      bus::make_notification("nova-compute:h", "instance.update", "INFO", payload, now()));
  };
  nova.send("long-name", instance_update({{"uuid", "vm-long"}, {"state", "active"},
                                          {"display_name", std::string(5 << 20, 'x')}}));
  nova.send("typed", instance_update({{"uuid", "vm-typed"}, {"display_name", 42}}));
  nova.send("no-uuid", instance_update({{"display_name", "who"}}));
  auto deep = R"({"event_type": "compute.unknown", "payload": {"x": )"
              + std::string(60000, '[') + std::string(60000, ']') + "}}";
  nova.send("deep", json{{"oslo.version", "2.0"}, {"oslo.message", deep}}.dump());
  std::string id;
  nova.send("long-host", service_update(std::string(300, 'h'), true, id));
  nova.send("good", service_update("nova-host-2", true, id));
  ASSERT_TRUE(nova.wait_all_delivered());
  ASSERT_TRUE(dead.wait_for({"long-name", "typed", "no-uuid", "deep", "long-host"}));
  std::map<std::string, std::string> reasons;
  for (auto& m : dead.messages())
    reasons[m.message_id] = m.headers["x-steward-reason"];
  EXPECT_NE(reasons["long-name"].find("'display_name' is longer than 80"), std::string::npos)
    << reasons["long-name"];
  EXPECT_NE(reasons["typed"].find("'display_name' must be a string"), std::string::npos)
    << reasons["typed"];
  EXPECT_NE(reasons["no-uuid"].find("'uuid'"), std::string::npos) << reasons["no-uuid"];
  EXPECT_NE(reasons["deep"].find("nests deeper than 32 levels"), std::string::npos)
    << reasons["deep"];
  EXPECT_NE(reasons["long-host"].find("Field 'host' must be 1 to 255"), std::string::npos)
    << reasons["long-host"];
  ASSERT_TRUE(eventually([&] {
    auto r = call("GET", "/v1/inventory/hosts/nova-host-2");
    return r.status == 200 && r.json()["host"]["status"] == "disabled";
  })) << "the message behind them went on";
  EXPECT_EQ(call("GET", "/api/instances/vm-long/").status, 404);
  EXPECT_EQ(call("GET", "/api/instances/vm-typed/").status, 404);
  ASSERT_EQ(proc->stop(), 0);
  proc.reset();
  start();
  EXPECT_EQ(call("GET", "/v1/inventory/hosts/nova-host-2").status, 200);
  bt::admin_connection admin{*url};
  EXPECT_EQ(admin.message_count(queue), 0u) << "everything settled";
}

TEST_F(stewardd_on_rabbitmq, nothing_is_lost_while_the_broker_restarts) {
  if (bt::run_command(std::string(rabbitmqctl) + "status >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "rabbitmqctl cannot reach rabbit@localhost";
  // Durable exchanges of the test's own, so that bindings survive the restart.
  durable = true;
  nova_exchange = bt::unique_name("nova");
  out_exchange = bt::unique_name("openstack");
  auto out_queue = bt::unique_name("steward.test.daemon-out");
  exchanges_to_delete.push_back(nova_exchange);
  exchanges_to_delete.push_back(out_exchange);
  queues_to_delete.push_back(out_queue);
  {
    bt::admin_connection admin{*url};
    admin.declare_exchange(out_exchange, "topic", true);
    admin.declare_queue(out_queue, true);
    admin.bind(out_queue, out_exchange, "notifications.info");
  }
  start();
  bt::queue_recorder out{*url, out_queue};
  bt::reliable_publisher nova{*url, nova_exchange, "versioned_notifications.info"};

  constexpr int rounds = 60;
  std::set<std::string> expected;
  std::thread restart;
  for (int i = 0; i < rounds; ++i) {
    if (i == rounds / 3)
      restart = std::thread{[] {
        bt::run_command(std::string(rabbitmqctl) + "stop_app >/dev/null");
        std::this_thread::sleep_for(std::chrono::seconds{1});
        bt::run_command(std::string(rabbitmqctl) + "start_app >/dev/null");
      }};
    auto api_name = "api-host-" + std::to_string(i);
    // The API keeps working while the broker is away.
    ASSERT_EQ(call("POST", "/v1/inventory/hosts",
                   json{{"hypervisor_hostname", api_name}}.dump()).status, 201);
    expected.insert(api_name);
    auto nova_name = "nova-host-" + std::to_string(i);
    std::string id;
    auto body = service_update(nova_name, false, id);
    nova.send(id, body);
    expected.insert(nova_name);
  }
  restart.join();
  ASSERT_TRUE(nova.wait_all_delivered());
  ASSERT_TRUE(eventually([&] { return host_count() == expected.size(); }))
    << "hosts: " << host_count() << " of " << expected.size();
  ASSERT_TRUE(eventually([&] { return created_hosts(out) == expected; }))
    << "notifications: " << created_hosts(out).size() << " of " << expected.size();
  ASSERT_TRUE(eventually([&] { return http_call(proc->port(), "GET", "/readyz").status == 200; }));
}

TEST(stewardd_without_broker, is_alive_but_not_ready_and_keeps_taking_writes) {
  temp_dir dir;
  dir.write("tokens.json", R"({"staff-token-0001": {"user_id": "root", "staff": true}})");
  daemon_process p{{"--state-dir", dir.path(), "--api-bind-port", "0", "--auth-tokens-file",
                    dir.file("tokens.json"), "--messaging-transport-url",
                    "rabbit://guest:guest@127.0.0.1:1/"},
                   dir.file("log")};
  EXPECT_EQ(http_call(p.port(), "GET", "/healthz").status, 200);
  auto ready = http_call(p.port(), "GET", "/readyz");
  EXPECT_EQ(ready.status, 503);
  EXPECT_EQ(ready.json()["bus"]["ok"], false);
  EXPECT_EQ(ready.json()["store"]["ok"], true);
  EXPECT_EQ(http_call(p.port(), "POST", "/v1/inventory/hosts", R"({"hypervisor_hostname": "h"})",
                      {{"X-Auth-Token", staff}}).status, 201)
    << "the outbox takes the notification until the broker is back";
}
