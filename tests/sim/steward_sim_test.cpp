// steward-sim as a process against the real RabbitMQ: its start-up state
// and the answer to a command published as Steward publishes it. Needs
// STEWARD_TEST_AMQP_URL (skips without it); every exchange and queue has a
// name of the test's own and is deleted afterwards.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>

#include "amqp_test_util.hpp"
#include "sim/amqp_simulator.hpp"
#include "sim_test_util.hpp"

namespace steward::sim::test {
namespace {

namespace bt = steward::bus::test;

// A temporary directory, removed with what is in it.
class scratch_dir {
public:
  scratch_dir() {
    char tmpl[] = "/tmp/steward-sim-test-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp");
    path_ = tmpl;
  }
  ~scratch_dir() { bt::run_command("rm -rf '" + path_ + "'"); }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(file(name)) << text;
    return file(name);
  }

private:
  std::string path_;
};

// The inner document of an oslo v2 body.
json inner(const bt::received& m) {
  json outer = json::parse(m.body, nullptr, false);
  if (!outer.is_object() || !outer.contains("oslo.message")) return nullptr;
  return json::parse(outer["oslo.message"].get<std::string>(), nullptr, false);
}

std::vector<json> of_type(const bt::queue_recorder& rec, const std::string& event_type) {
  std::vector<json> out;
  for (const bt::received& m : rec.messages()) {
    json doc = inner(m);
    if (doc.is_object() && doc.value("event_type", "") == event_type) out.push_back(doc);
  }
  return out;
}

class StewardSimProcess : public ::testing::Test {
protected:
  void SetUp() override {
    url_ = bt::test_broker();
    if (!url_) GTEST_SKIP() << "STEWARD_TEST_AMQP_URL is not set";
    command_exchange_ = bt::unique_name("steward.test.sim-commands");
    nova_exchange_ = bt::unique_name("steward.test.sim-nova");
    dead_letter_ = bt::unique_name("steward.test.sim-dl");
    outcomes_ = bt::unique_name("steward.test.sim-outcomes");
    // Our view of Nova's exchange exists before the simulator says anything.
    bt::admin_connection admin(*url_);
    admin.declare_exchange(nova_exchange_, "topic", false);
    admin.declare_queue(outcomes_, false);
    admin.bind(outcomes_, nova_exchange_, "versioned_notifications.*");
    recorder_ = std::make_unique<bt::queue_recorder>(*url_, outcomes_);
  }

  void TearDown() override {
    process_.reset();
    recorder_.reset();
    if (!url_) return;
    try {
      bt::admin_connection admin(*url_);
      for (const std::string& q :
           {outcomes_, dead_letter_, command_queue_name(command_exchange_, {"default"})}) {
        admin.delete_queue(q);
      }
      for (const std::string& x : {command_exchange_, nova_exchange_, dead_letter_}) {
        admin.delete_exchange(x);
      }
    } catch (const std::exception& e) {
      ADD_FAILURE() << "cleaning up: " << e.what();
    }
  }

  /// Starts steward-sim with the embedded workload and waits for its first
  /// screen.
  void start_sim() {
    std::string config = dir_.write(
        "steward.conf", "[messaging]\ntransport_url = " +
                            std::string(std::getenv("STEWARD_TEST_AMQP_URL")) +
                            "\nnova_exchange = " + nova_exchange_ +
                            "\ndead_letter = " + dead_letter_ +
                            "\n[compute]\ncommand_exchange = " + command_exchange_ +
                            "\n[simulator]\ndefault_duration = 0\nusage_interval = 0\n");
    process_ = std::make_unique<bt::child_process>(
        std::vector<std::string>{STEWARD_SIM_PATH, "--config-file", config});
    auto deadline = std::chrono::steady_clock::now() + patience;
    for (;;) {
      auto line = process_->read_line(deadline);
      ASSERT_TRUE(line) << "steward-sim did not print its first screen";
      screen_ += *line + "\n";
      if (line->rfind("steward-sim: running", 0) == 0) break;
    }
  }

  std::optional<bus::transport_url> url_;
  scratch_dir dir_;
  std::string command_exchange_;
  std::string nova_exchange_;
  std::string dead_letter_;
  std::string outcomes_;
  std::string screen_;
  std::unique_ptr<bt::queue_recorder> recorder_;
  std::unique_ptr<bt::child_process> process_;
};

TEST_F(StewardSimProcess, PublishesItsStateAtStart) {
  start_sim();
  EXPECT_NE(screen_.find("cloud default: 4 hosts"), std::string::npos) << screen_;
  EXPECT_NE(screen_.find("exchange " + command_exchange_), std::string::npos) << screen_;
  EXPECT_NE(screen_.find("keys compute.default"), std::string::npos) << screen_;
  ASSERT_TRUE(bt::eventually([&] { return of_type(*recorder_, "service.update").size() >= 6; }))
      << "a service.update per host of both clouds";
  auto catalogs = of_type(*recorder_, "catalog.update");
  ASSERT_EQ(catalogs.size(), 2u) << "one per cloud";
  EXPECT_EQ(catalogs[0]["payload"]["cloud"]["name"], "default");
  EXPECT_EQ(catalogs[1]["payload"]["cloud"]["name"], "destination");
  EXPECT_EQ(catalogs[0]["payload"]["flavors"].size(), 3u);
  std::set<std::string> hosts;
  for (const json& s : of_type(*recorder_, "service.update")) {
    auto& data = s["payload"]["nova_object.data"];
    hosts.insert(data["host"].get<std::string>());
    EXPECT_EQ(data["vcpus"], data["cloud"] == "default" ? 16 : 32);
  }
  EXPECT_EQ(hosts, (std::set<std::string>{"compute-1", "compute-2", "compute-3", "compute-4",
                                          "dest-1", "dest-2"}));
  for (const bt::received& m : recorder_->messages()) {
    EXPECT_EQ(m.content_type, "application/json");
    EXPECT_EQ(m.exchange, nova_exchange_);
  }
}

TEST_F(StewardSimProcess, AnswersACommandFromTheCommandExchange) {
  start_sim();
  json payload = {{"request_id", "req-" + make_uuid()},
                  {"cloud", "default"},
                  {"instance_uuid", make_uuid()},
                  {"display_name", "from-the-bus"},
                  {"project_id", "p"},
                  {"flavor", flavor_object("f", "tiny", 1, 512, 1)},
                  {"image_uuid", "img"},
                  {"key_name", nullptr},
                  {"security_groups", json::array()},
                  {"data_volume_gb", 0}};
  bus::notification n =
      bus::make_notification("steward.compute", "compute.instance.create", "INFO", payload, now());
  // Retried until the simulator's queue is bound (unroutable until then).
  bt::reliable_publisher publisher(*url_, command_exchange_, "compute.default");
  publisher.send(n.message_id, bus::encode_v2(n));
  ASSERT_TRUE(publisher.wait_all_delivered());
  std::vector<json> created;
  ASSERT_TRUE(bt::eventually([&] {
    created = of_type(*recorder_, "instance.create.end");
    return !created.empty();
  })) << "no instance.create.end";
  const json& data = created[0]["payload"]["nova_object.data"];
  EXPECT_EQ(data["request_id"], payload["request_id"]);
  EXPECT_EQ(data["uuid"], payload["instance_uuid"]);
  EXPECT_EQ(data["state"], "active");
  EXPECT_EQ(created[0]["priority"], "INFO");
  for (const bt::received& m : recorder_->messages()) {
    json doc = inner(m);
    if (doc.value("event_type", "") == "instance.create.end") {
      EXPECT_EQ(m.routing_key, "versioned_notifications.info");
    }
  }
}

TEST(StewardSim, RefusesToRunWithoutABroker) {
  scratch_dir dir;
  std::string config = dir.write("steward.conf", "[simulator]\nusage_interval = 0\n");
  std::string err = dir.file("err");
  int status = bt::run_command("env -u STEWARD_MESSAGING_TRANSPORT_URL " +
                               std::string(STEWARD_SIM_PATH) + " --config-file " + config +
                               " >/dev/null 2>" + err);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
  std::ifstream in(err);
  std::string first;
  std::getline(in, first);
  EXPECT_NE(first.find("steward-sim: [messaging] transport_url is not set"), std::string::npos)
      << first;
  std::string more;
  EXPECT_FALSE(std::getline(in, more)) << "one line";
}

TEST(StewardSim, SaysWhichWorkloadItemIsWrong) {
  scratch_dir dir;
  json doc = small_workload();
  doc["instances"][0]["flavor"] = "huge";
  std::string workload = dir.write("w.json", doc.dump());
  std::string config = dir.write("steward.conf", "[messaging]\ntransport_url = rabbit://h/\n"
                                                 "[simulator]\nworkload_file = " +
                                                     workload + "\n");
  std::string err = dir.file("err");
  int status = bt::run_command(std::string(STEWARD_SIM_PATH) + " --config-file " + config +
                               " >/dev/null 2>" + err);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
  std::ifstream in(err);
  std::string first;
  std::getline(in, first);
  EXPECT_NE(first.find("instance 'i1'"), std::string::npos) << first;
  EXPECT_NE(first.find("unknown flavor 'huge'"), std::string::npos) << first;
}

} // namespace
} // namespace steward::sim::test
