#pragma once
// What the integration tests need to talk to a real stewardd: requests and an
// SSE reader on the tests' one HTTP client (http_client.hpp), a daemon
// process and a temporary directory. Every wait has a generous deadline that only guards
// against hanging; nothing asserts on how long anything took.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <thread>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/eventually.hpp"
#include "tests/support/http_client.hpp"

namespace steward::test {

using header_list = std::vector<std::pair<std::string, std::string>>;

/// One request on a fresh connection.
http_result http_call(uint16_t port, const std::string& method, const std::string& target,
                      const std::string& body = "", const header_list& headers = {});
/// A request as the OpenStack clients send it: the token in X-Auth-Token and,
/// unless `body` is null, a JSON body.
http_result openstack_call(uint16_t port, const std::string& method, const std::string& target,
                           const std::string& token, const nlohmann::json& body = nullptr);
/// Sends raw bytes, returns whatever the server answers until it closes
/// (or `patience` passes).
std::string raw_exchange(uint16_t port, const std::string& bytes);

struct sse_event {
  std::string id;
  std::string type;
  std::string data;
};

class sse_client {
public:
  sse_client(uint16_t port, const std::string& target, const header_list& headers);
  sse_client(const sse_client&) = delete;
  sse_client& operator=(const sse_client&) = delete;
  int status() const { return status_; }
  /// The next event (comments skipped), or nothing when the stream ended
  /// or `wait` passed.
  std::optional<sse_event> next(std::chrono::seconds wait = patience);
  /// True once a comment line (heartbeat) was seen.
  bool saw_comment() const { return saw_comment_; }
  /// True once the stream's last chunk came: it ended, not its connection.
  bool saw_end() const { return conn_.saw_last_chunk(); }

private:
  client conn_;
  int status_ = 0;
  bool saw_comment_ = false;
};

class temp_dir {
public:
  temp_dir();
  ~temp_dir();
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  void write(const std::string& name, const std::string& text) const;

private:
  std::string path_;
};

/// A stewardd child process. Its stdout is read until the first screen says
/// where it listens.
class daemon_process {
public:
  /// `args` after the binary; stderr goes to `log_file`.
  explicit daemon_process(std::vector<std::string> args, std::string log_file,
                          std::map<std::string, std::string> env = {});
  /// Another program of the project (steward-sim), ready once its first
  /// screen printed `ready_marker`.
  daemon_process(std::string binary, std::vector<std::string> args, std::string log_file,
                 std::string ready_marker);
  ~daemon_process();
  uint16_t port() const { return port_; }
  /// SIGTERM and wait; returns the exit status.
  int stop();
  /// SIGKILL and wait.
  void kill9();
  bool running() const { return pid_ > 0; }
  int pid() const { return pid_; }
  const std::string& first_screen() const { return screen_; }

private:
  int pid_ = -1;
  uint16_t port_ = 0;
  std::string screen_;
};

/// Runs stewardd with `args` to completion; returns exit status, stderr in `err`.
int run_stewardd(const std::vector<std::string>& args, std::string& out, std::string& err,
                 std::map<std::string, std::string> env = {});

} // namespace steward::test
