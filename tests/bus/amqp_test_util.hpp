#pragma once
// The test's own side of the broker, written directly against rabbitmq-c so
// that it shares no code with what it tests: topology set-up and tear-down,
// a publisher that makes sure every message got routed, a consumer that
// records what a queue received, and a child process for oslo.messaging.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "bus/amqp_bus.hpp"
#include "tests/support/eventually.hpp"

struct amqp_connection_state_t_;

namespace steward::bus::test {

/// The broker of the integration tests (env STEWARD_TEST_AMQP_URL), or
/// nothing, in which case the test skips.
std::optional<transport_url> test_broker();

/// prefix + "." + random hex: names that no other test (or engineer) uses.
std::string unique_name(const std::string& prefix);

using steward::test::eventually;

/// A plain blocking connection for topology work. Throws
/// std::runtime_error when something fails.
class admin_connection {
public:
  explicit admin_connection(const transport_url& url);
  ~admin_connection();
  admin_connection(const admin_connection&) = delete;
  admin_connection& operator=(const admin_connection&) = delete;

  /// auto_delete=false like oslo. An existing exchange with other flags is
  /// accepted as it is.
  void declare_exchange(const std::string& name, const std::string& type, bool durable);
  void declare_queue(const std::string& name, bool durable);
  /// A queue that holds at most `max_length` messages and makes the broker
  /// nack what does not fit (x-overflow=reject-publish).
  void declare_bounded_queue(const std::string& name, int max_length);
  void bind(const std::string& queue, const std::string& exchange, const std::string& key);
  void delete_queue(const std::string& name);
  void delete_exchange(const std::string& name);
  /// Messages ready in `queue` (not counting unacked ones).
  uint32_t message_count(const std::string& queue);

private:
  void check(const std::string& what);
  void reopen_channel();
  amqp_connection_state_t_* conn_ = nullptr;
};

/// A message as the test consumer saw it.
struct received {
  std::string message_id;  // AMQP property
  std::string content_type;
  int delivery_mode = 0;
  std::string exchange;
  std::string routing_key;
  std::string body;
  std::map<std::string, std::string> headers;  // those with text values
};

/// Publishes with confirms and mandatory on its own thread. A message counts
/// as delivered only once the broker acked it without returning it first;
/// returned, nacked and unconfirmed messages (connection lost) are published
/// again, over a new connection if need be.
class reliable_publisher {
public:
  reliable_publisher(transport_url url, std::string exchange, std::string routing_key);
  ~reliable_publisher();
  void send(const std::string& message_id, const std::string& body);
  std::size_t delivered() const;
  /// True once every message sent so far was delivered.
  bool wait_all_delivered(std::chrono::seconds deadline = std::chrono::seconds(60));

private:
  struct message {
    std::string id;
    std::string body;
  };
  void run();
  // Publishes and confirms until an error or stop; returns the error.
  std::string session(amqp_connection_state_t_* conn);
  void settle(std::map<uint64_t, message>& in_flight, uint64_t tag, bool multiple, bool ok);

  const transport_url url_;
  const std::string exchange_;
  const std::string key_;
  mutable std::mutex m_;
  std::condition_variable cv_;
  std::deque<message> to_send_;
  std::set<std::string> returned_;  // ids the broker gave back unroutable
  std::size_t sent_ = 0;
  std::size_t delivered_ = 0;
  bool stop_ = false;
  bool backing_off_ = false;  // something came back unroutable: pause a little
  std::thread thread_;
};

/// Consumes `queue` on its own thread, acks everything, remembers it all.
/// Reconnects when the broker goes away.
class queue_recorder {
public:
  queue_recorder(transport_url url, std::string queue);
  ~queue_recorder();
  std::vector<received> messages() const;
  /// Distinct AMQP message ids seen.
  std::set<std::string> ids() const;
  /// True once every id in `wanted` has been seen.
  bool wait_for(const std::set<std::string>& wanted,
                std::chrono::seconds deadline = std::chrono::seconds(60)) const;

private:
  void run();
  std::string session(amqp_connection_state_t_* conn);

  const transport_url url_;
  const std::string queue_;
  mutable std::mutex m_;
  std::vector<received> messages_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

/// A child process with its stdin and stdout on pipes. The destructor
/// closes its stdin, terminates it and reaps it.
class child_process {
public:
  explicit child_process(const std::vector<std::string>& argv);
  ~child_process();
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;
  /// The next line of its stdout (without the newline), or nothing at EOF
  /// or when `deadline` passes.
  std::optional<std::string> read_line(std::chrono::steady_clock::time_point deadline);

private:
  int pid_ = -1;
  int fd_ = -1;
  int stdin_fd_ = -1;
  std::string buffer_;
};

/// Runs a shell command, returns its exit status.
int run_command(const std::string& command);

} // namespace steward::bus::test
