#pragma once
// One rabbitmq-c connection and the small helpers around rabbitmq-c that the
// consumer and the publisher share (private to the AMQP bus).
#include <amqp.h>
#include <sys/time.h>

#include <chrono>
#include <mutex>
#include <string>

#include "bus/transport_url.hpp"

namespace steward::bus {

using std::chrono::milliseconds;

namespace detail {

constexpr const char* component = "bus";
// Consuming or publishing (with confirms) happens on channel 1. Exchange
// declarations go to channel 2: a 406 there closes only that channel.
constexpr amqp_channel_t main_channel = 1;
constexpr amqp_channel_t declare_channel = 2;

amqp_bytes_t bytes_of(const std::string& s);
std::string string_of(amqp_bytes_t b);
timeval to_timeval(milliseconds d);
std::string describe_method(const amqp_method_t& m);
std::string describe_reply(const amqp_rpc_reply_t& r);
std::string describe_status(const char* what, int status);

// Where a thread publishes its live socket, so that stop() can shut it down
// when the thread is stuck in a write that the broker does not drain (a
// blocked connection): rabbitmq-c publishes without a deadline.
struct socket_slot {
  std::mutex m;
  int fd = -1;

  void set(int value);
  void shut_down();
};

// One rabbitmq-c connection, used by one thread only.
class connection {
public:
  explicit connection(socket_slot& slot) : slot_(slot) {}
  ~connection() { close(); }
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  // Connects and logs in. Returns "" or what went wrong.
  std::string open(const amqp_endpoint& ep, const std::string& vhost, int heartbeat,
                   const std::string& name);

  std::string open_channel(amqp_channel_t ch);

  // The outcome of the last synchronous call ("" when it went well).
  std::string check(const std::string& what);

  // After an error the connection is only torn down, not closed politely.
  void mark_broken() { healthy_ = false; }

  void close();

  amqp_connection_state_t get() const { return state_; }

private:
  socket_slot& slot_;
  amqp_connection_state_t state_ = nullptr;
  bool healthy_ = false;
};

} // namespace detail
} // namespace steward::bus
