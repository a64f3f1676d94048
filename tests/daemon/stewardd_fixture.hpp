#pragma once
// One stewardd of a test on its embedded defaults (SQLite in a temporary
// directory, the in-process bus, the simulated cloud of
// sim/default_workload.json with commands that take no time): the fixtures
// of the API families derive from it.
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/support.hpp"

namespace steward::test {

// Projects and customers of sim/default_workload.json.
inline const std::string web_shop = "bcd23f91658347efb748a5708df7ebe3";
inline const std::string lab = "0ed5e0363f8a4eab9ee61f3a5f9277a9";
inline const std::string analytics = "4583e347821e476ead2ecaeb1af85ee5";
inline const std::string acme = "ed094c4ceba941ef88a349f12c91c14d";  // a customer
// The uuid of the workload's second cloud, `destination`.
inline const std::string destination_cloud = "5d1e7c0a9b4f4e2c8a6d3f1b0e9c7a52";

class stewardd_fixture : public ::testing::Test {
protected:
  temp_dir dir;
  std::unique_ptr<daemon_process> proc;

  /// Writes the tokens file: `tokens` is its JSON text.
  void write_tokens(const std::string& tokens) { dir.write("tokens.json", tokens); }
  /// Starts stewardd (again, if it ran: the state stays) on a free port with
  /// its state in `dir`, the tokens file, instant compute commands, and
  /// `args` after those.
  void start_stewardd(const std::vector<std::string>& args = {}) {
    std::vector<std::string> all{"--state-dir", dir.path(), "--api-bind-port", "0",
                                 "--auth-tokens-file", dir.file("tokens.json"),
                                 "--simulator-default-duration", "0"};
    all.insert(all.end(), args.begin(), args.end());
    proc.reset();
    proc = std::make_unique<daemon_process>(std::move(all), dir.file("log"));
  }
  /// A call as the OpenStack clients make it: the token in X-Auth-Token.
  http_result call(const std::string& method, const std::string& target,
                   const std::string& token, const nlohmann::json& body = nullptr) {
    return openstack_call(proc->port(), method, target, token, body);
  }
  /// `path` on this stewardd, as a URL (Waldur's references are URLs).
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(proc->port()) + path;
  }
};

} // namespace steward::test
