#pragma once
// What amqp_bus's two threads share: the state inside amqp_bus::impl. Private
// to the AMQP bus; the consumer thread's loop is in amqp_consumer.cpp, the
// publisher's in amqp_publisher.cpp, start and stop in amqp_bus.cpp.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "bus/amqp_bus.hpp"
#include "bus/amqp_connection.hpp"

namespace steward::bus {

namespace detail {

// This often the publisher reads the outbox again from the start: a store
// may commit rows out of id order (a sequence in PostgreSQL), and a row with
// an id below the cursor would otherwise wait for the next reconnect. It is
// also the longest the idle publisher waits for outbox_changed().
constexpr milliseconds rescan_interval{1000};

// What the dead-letter queue gets of a message: its body and the
// properties that identify it (the envelope is gone once the receiver
// settles it from another thread).
struct delivered_copy {
  std::string body;
  std::string message_id;
  std::string content_type;
  std::string exchange;
  std::string routing_key;
  std::string key;       // what its deliveries are counted under
  int failures = 0;      // earlier deliveries that were not settled
};

// How the receiver settled a delivery.
enum class settlement { ack, retry, dead_letter };

// An ack (or a failure) the receiver has given, waiting for the consumer
// thread to send it.
struct pending_ack {
  uint64_t generation;  // which connection delivered the message
  uint64_t tag;
  settlement how = settlement::ack;
  std::shared_ptr<const delivered_copy> copy;  // with a failure, or a counted ack
  std::string reason;                          // with a failure
};

// Shared with every ack_fn handed out, so that a late ack (after stop(), even
// after the bus is gone) is harmless. An ack wakes the consumer thread
// (`wake_fd`, an eventfd it polls beside the socket): with every prefetched
// message waiting for its ack the broker sends nothing, and the acks would
// wait for the poll's timeout otherwise.
struct ack_box {
  ack_box();
  ~ack_box();
  ack_box(const ack_box&) = delete;
  ack_box& operator=(const ack_box&) = delete;
  void add(pending_ack a);

  std::mutex m;
  std::vector<pending_ack> acks;
  int wake_fd = -1;
};

struct publish_state; // amqp_publisher.cpp

} // namespace detail

struct amqp_bus::impl {
  explicit impl(amqp_options o) : opts(std::move(o)) {
    if (opts.url.hosts.empty()) opts.url.hosts.push_back(amqp_endpoint{});
    opts.max_unconfirmed = std::max<std::size_t>(1, opts.max_unconfirmed);
    // The idle publisher must still look at its socket often enough for
    // rabbitmq-c to send heartbeats (it does so only while reading).
    if (opts.heartbeat_seconds > 0) {
      idle_wait =
          std::min(detail::rescan_interval, milliseconds(opts.heartbeat_seconds * 1000 / 2));
    }
  }

  amqp_options opts;
  milliseconds idle_wait = detail::rescan_interval;
  inbound_handler handler;

  std::mutex lifecycle;  // serialises start() and stop()
  bool running = false;

  std::mutex mtx;               // guards the three fields below
  std::condition_variable cv;   // stop, outbox signal, thread exit
  std::atomic<bool> stopping{false};
  bool outbox_signal = false;
  int threads_running = 0;

  std::atomic<bool> consumer_up{false};
  // Set once the consumer's queue and bindings exist. Nothing is published
  // before: a request (compute.sync, a command) must not outrun the queue its
  // answer will need, which on a first start is declared at the same moment.
  std::atomic<bool> consumer_declared{false};
  std::atomic<bool> publisher_up{false};
  std::shared_ptr<detail::ack_box> acks = std::make_shared<detail::ack_box>();
  uint64_t generation = 0;  // consumer thread only
  // Consumer thread only: why each message being retried last failed (for
  // the dead-letter queue), and the counts kept when no delivery_log is set.
  std::unordered_map<std::string, std::string> last_failure;
  std::unordered_map<std::string, int> delivery_counts;
  detail::socket_slot consumer_socket;
  detail::socket_slot publisher_socket;
  std::thread consumer_thread;
  std::thread publisher_thread;

  std::string describe(const amqp_endpoint& ep) const {
    std::string vhost = opts.url.vhost == "/" ? "" : opts.url.vhost;
    return "amqp://" + ep.user + "@" + ep.host + ":" + std::to_string(ep.port) + "/" + vhost;
  }
  std::string describe() const { return describe(opts.url.hosts.front()); }

  const amqp_endpoint& endpoint_for(std::size_t attempt) const {
    return opts.url.hosts[attempt % opts.url.hosts.size()];
  }

  // Sleeps `d` unless stop() comes first.
  void sleep_unless_stopped(milliseconds d) {
    std::unique_lock<std::mutex> l(mtx);
    cv.wait_for(l, d, [&] { return stopping.load(); });
  }

  // Waits up to `d` for outbox_changed() (or stop). True when it came.
  bool wait_outbox_signal(milliseconds d) {
    std::unique_lock<std::mutex> l(mtx);
    cv.wait_for(l, d, [&] { return stopping.load() || outbox_signal; });
    bool got = outbox_signal;
    outbox_signal = false;
    return got;
  }

  bool take_outbox_signal() {
    std::lock_guard<std::mutex> l(mtx);
    bool got = outbox_signal;
    outbox_signal = false;
    return got;
  }

  void thread_exited() {
    {
      std::lock_guard<std::mutex> l(mtx);
      --threads_running;
    }
    cv.notify_all();
  }

  void shut_down_sockets() {
    consumer_socket.shut_down();
    publisher_socket.shut_down();
  }

  // ----- consumer (amqp_consumer.cpp) -------------------------------------

  void consumer_main();
  std::string declare_consumer_topology(detail::connection& conn);
  std::string consume(detail::connection& conn);
  std::string handle_delivery(detail::connection& conn, const amqp_envelope_t& env);
  ack_fn make_ack(uint64_t tag, std::shared_ptr<const detail::delivered_copy> copy,
                  std::shared_ptr<std::atomic<bool>> once);
  fail_fn make_fail(uint64_t tag, std::shared_ptr<const detail::delivered_copy> copy,
                    std::shared_ptr<std::atomic<bool>> once);
  int count_delivery(const std::string& key);
  void forget_delivery(const std::string& key);
  std::string dead_letter(detail::connection& conn, uint64_t tag,
                          const detail::delivered_copy& copy, const std::string& reason,
                          int attempts);
  std::string flush_acks(detail::connection& conn);
  void wait_for_delivery_or_ack(detail::connection& conn, milliseconds limit);
  std::string handle_other_frame(detail::connection& conn);

  // ----- publisher (amqp_publisher.cpp) -----------------------------------

  void publisher_main();
  std::string open_publisher_channels(detail::connection& conn);
  std::string publish(detail::connection& conn);
  std::string publish_pending(detail::connection& conn, detail::publish_state& st);
  std::string declare_once(detail::connection& conn, detail::publish_state& st,
                           const std::string& exchange);
  std::string read_broker_frames(detail::connection& conn, detail::publish_state& st,
                                 milliseconds wait);
  void settle(detail::publish_state& st, uint64_t tag, bool multiple, bool acked);
};

} // namespace steward::bus
