#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "config/config.hpp"
#include "tests/support/support.hpp"

using namespace steward;

namespace {
config::load_result load(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
  return config::load(args, env);
}
} // namespace

TEST(config, no_file_gives_embedded_defaults) {
  auto r = load({});
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.values.integer("api", "bind_port"), 8080);
  EXPECT_EQ(r.values.text("messaging", "transport_url"), "");
  EXPECT_EQ(r.values.origin("api", "bind_port"), "default");
}

TEST(config, file_env_and_flag_in_order_of_precedence) {
  test::temp_dir dir;
  dir.write("s.conf", "[DEFAULT]\nlog_level = debug\n\n[api]\n# comment\nbind_port = 9000\n"
                      "workers = 4\n[database]\nconnection = sqlite:///x.db\n");
  auto r = load({"--config-file", dir.file("s.conf")});
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.values.integer("api", "bind_port"), 9000);
  EXPECT_EQ(r.values.integer("api", "workers"), 4);
  EXPECT_EQ(r.values.text("DEFAULT", "log_level"), "debug");
  r = load({"--config-file", dir.file("s.conf")}, {{"STEWARD_API_BIND_PORT", "9100"}});
  EXPECT_EQ(r.values.integer("api", "bind_port"), 9100);
  EXPECT_EQ(r.values.origin("api", "bind_port"), "environment");
  r = load({"--config-file", dir.file("s.conf"), "--api-bind-port", "9200"},
           {{"STEWARD_API_BIND_PORT", "9100"}});
  EXPECT_EQ(r.values.integer("api", "bind_port"), 9200);
  r = load({"--api-bind_port=9300", "--state-dir", "/tmp/x"});
  EXPECT_EQ(r.values.integer("api", "bind_port"), 9300);
  EXPECT_EQ(r.values.text("DEFAULT", "state_dir"), "/tmp/x");
}

TEST(config, unknown_environment_variables_are_not_keys) {
  auto r = load({}, {{"STEWARD_TEST_AMQP_URL", "x"}, {"STEWARD_NOPE_KEY", "1"}});
  EXPECT_EQ(r.error, "");
}

TEST(config, bad_input_names_the_key) {
  test::temp_dir dir;
  struct bad {
    std::string file;
    std::string expect;
  };
  std::vector<bad> cases = {
    {"[api]\nbind_port = 70000\n", "[api] bind_port"},
    {"[api]\nbind_port = eighty\n", "not an integer"},
    {"[api]\nfrobnicate = 1\n", "unknown key [api] frobnicate"},
    {"[nosuch]\nx = 1\n", "unknown section [nosuch]"},
    {"bind_port = 1\n", "outside any section"},
    {"[api\n", "malformed section"},
    {"[api]\njust words\n", "expected 'key = value'"},
    {"[messaging]\ntransport_url = http://x\n", "[messaging] transport_url"},
    {"[database]\nconnection = mysql://x\n", "[database] connection"},
    {"[api]\naccess_log = maybe\n", "not a boolean"},
    {"[DEFAULT]\nlog_level = loud\n", "not one of"},
    {"[migration]\nsource_urls = horizon\n", "must be name=value pairs"},
    {"[migration]\nsource_urls = =http://x\n", "must be name=value pairs"},
    {"[migration]\ndestination_urls = a=1,b=2,a=3\n", "names a twice"},
    {"[migration]\nsource_cloud = \n", "must not be empty"},
    {"[migration]\nparallel_servers = 0\n", "[migration] parallel_servers"},
    {"[simulator]\ndurations = compute.instance.create=x\n", "not a non-negative number"},
  };
  for (auto& c : cases) {
    dir.write("bad.conf", c.file);
    auto r = load({"--config-file", dir.file("bad.conf")});
    EXPECT_NE(r.error.find(c.expect), std::string::npos) << c.file << " -> " << r.error;
    EXPECT_EQ(r.error.find('\n'), std::string::npos) << "one line: " << r.error;
  }
  EXPECT_NE(load({"--api-nope", "1"}).error.find("unknown option --api-nope"), std::string::npos);
  EXPECT_NE(load({"--api-bind-port"}).error.find("needs a value"), std::string::npos);
  EXPECT_NE(load({"--config-file", "/nonexistent"}).error.find("cannot read"), std::string::npos);
  EXPECT_NE(load({}, {{"STEWARD_API_WORKERS", "0"}}).error.find("STEWARD_API_WORKERS"),
            std::string::npos);
}

TEST(config, help_lists_every_key_with_its_default) {
  auto text = config::help_text();
  for (auto& k : config::schema()) {
    EXPECT_NE(text.find(k.key + " = "), std::string::npos) << k.key;
  }
  EXPECT_TRUE(load({"--help"}).help);
}

TEST(config, every_key_is_documented) {
  std::ifstream in{STEWARD_DOCS_DIR "/configuration.md"};
  ASSERT_TRUE(in) << "docs/configuration.md is missing";
  std::stringstream text;
  text << in.rdbuf();
  auto doc = text.str();
  for (auto& k : config::schema()) {
    auto heading = "## [" + k.section + "]";
    auto at = doc.find(heading);
    ASSERT_NE(at, std::string::npos) << heading;
    auto next = doc.find("\n## ", at + 1);
    auto part = doc.substr(at, next == std::string::npos ? std::string::npos : next - at);
    auto shown = k.default_value.empty() ? std::string{"empty"} : "`" + k.default_value + "`";
    EXPECT_NE(part.find("| `" + k.key + "` | " + shown + " |"), std::string::npos)
      << "[" << k.section << "] " << k.key << " (default '" << k.default_value << "')";
  }
}
