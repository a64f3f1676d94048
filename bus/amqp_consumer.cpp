// The consumer thread of amqp_bus: our own durable queue, manual acks,
// malformed messages into the dead-letter exchange.
#include <amqp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bus/amqp_bus_impl.hpp"
#include "bus/amqp_connection.hpp"
#include "bus/amqp_topology.hpp"
#include "bus/backoff.hpp"
#include "bus/oslo.hpp"
#include "common/log.hpp"

namespace steward::bus {

using namespace detail;

namespace {

// How long one wait on a socket lasts: the loops look at the stop flag, the
// pending acks and the heartbeat timers at least this often.
constexpr milliseconds poll_interval{100};

} // namespace

namespace detail {

ack_box::ack_box() : wake_fd{eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)} {}

ack_box::~ack_box() {
  if (wake_fd >= 0)
    close(wake_fd);
}

void ack_box::add(pending_ack a) {
  bool first;
  {
    std::lock_guard<std::mutex> l(m);
    first = acks.empty();
    acks.push_back(a);
  }
  if (first && wake_fd >= 0) {
    uint64_t one = 1;
    [[maybe_unused]] auto n = write(wake_fd, &one, sizeof one);
  }
}

} // namespace detail

void amqp_bus::impl::consumer_main() {
  backoff delay(opts.reconnect_min, opts.reconnect_max);
  std::size_t attempt = 0;
  while (!stopping) {
    std::string error;
    {
      connection conn(consumer_socket);
      try {
        const amqp_endpoint& ep = endpoint_for(attempt++);
        error = conn.open(ep, opts.url.vhost, opts.heartbeat_seconds, "steward consumer");
        if (error.empty()) error = declare_consumer_topology(conn);
        if (error.empty()) {
          delay.reset();
          ++generation;
          consumer_up = true;
          consumer_declared = true;
          LOG_INFO(component, "consumer connected to " << describe(ep) << ", queue '"
                                                       << opts.queue << "'");
          error = consume(conn);
        }
      } catch (const std::exception& e) {
        error = std::string("consumer: ") + e.what();
      }
      consumer_up = false;
      if (!error.empty()) conn.mark_broken();
    }
    if (stopping) break;
    milliseconds d = delay.next();
    LOG_WARN(component, "consumer: " << error << "; reconnecting in " << d.count() << " ms");
    sleep_unless_stopped(d);
  }
  thread_exited();
}

// Our queue dead-letters into the DLX, which feeds the dead-letter queue.
std::string amqp_bus::impl::declare_consumer_topology(connection& conn) {
  std::string e = conn.open_channel(main_channel);
  if (e.empty()) e = conn.open_channel(declare_channel);
  for (const binding& b : opts.bindings) {
    if (e.empty()) e = ensure_exchange(conn, b.exchange, "topic", opts.durable_exchanges);
  }
  const std::string& dlx = opts.dead_letter_exchange;
  if (e.empty()) e = ensure_exchange(conn, dlx, "fanout", /*durable=*/true);
  if (e.empty()) e = declare_queue(conn, opts.dead_letter_queue, nullptr);
  if (e.empty()) e = bind_queue(conn, opts.dead_letter_queue, dlx, "");
  if (e.empty()) e = declare_queue(conn, opts.queue, &dlx);
  for (const binding& b : opts.bindings) {
    if (e.empty()) e = bind_queue(conn, opts.queue, b.exchange, b.routing_key);
  }
  if (!e.empty()) return e;
  amqp_basic_qos(conn.get(), main_channel, 0, opts.prefetch, /*global=*/0);
  e = conn.check("basic.qos");
  if (!e.empty()) return e;
  amqp_basic_consume(conn.get(), main_channel, bytes_of(opts.queue), amqp_empty_bytes,
                     /*no_local=*/0, /*no_ack=*/0, /*exclusive=*/0, amqp_empty_table);
  return conn.check("basic.consume '" + opts.queue + "'");
}

// Delivers until stop() or an error. Returns "" on stop.
std::string amqp_bus::impl::consume(connection& conn) {
  while (!stopping) {
    if (auto e = flush_acks(conn); !e.empty()) return e;
    amqp_maybe_release_buffers(conn.get());
    wait_for_delivery_or_ack(conn, poll_interval);
    // Takes what arrived; also sends a heartbeat when one is due.
    amqp_envelope_t envelope;
    timeval now = to_timeval(milliseconds(0));
    amqp_rpc_reply_t r = amqp_consume_message(conn.get(), &envelope, &now, 0);
    std::string error;
    if (r.reply_type == AMQP_RESPONSE_NORMAL) {
      error = handle_delivery(conn, envelope);
      amqp_destroy_envelope(&envelope);
    } else if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION &&
               r.library_error == AMQP_STATUS_TIMEOUT) {
      continue;
    } else if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION &&
               r.library_error == AMQP_STATUS_UNEXPECTED_STATE) {
      error = handle_other_frame(conn);
    } else {
      error = "consume: " + describe_reply(r);
    }
    if (!error.empty()) return error;
  }
  return flush_acks(conn);  // what the receiver acked before stop()
}

std::string amqp_bus::impl::handle_delivery(connection& conn, const amqp_envelope_t& env) {
  std::string exchange = string_of(env.exchange);
  std::string key = string_of(env.routing_key);
  std::string error;
  std::optional<notification> note = decode(string_of(env.message.body), error);
  if (!note) {
    LOG_WARN(component, "dead-lettering a malformed message from exchange '"
                            << exchange << "' key '" << key << "': " << error);
    int rc = amqp_basic_reject(conn.get(), main_channel, env.delivery_tag, /*requeue=*/0);
    return rc == AMQP_STATUS_OK ? std::string() : describe_status("basic.reject", rc);
  }
  inbound msg{std::move(exchange), std::move(key), std::move(*note)};
  try {
    handler(std::move(msg), make_ack(env.delivery_tag));
  } catch (const std::exception& e) {
    // Left unacked: the broker gives it again after the next reconnect.
    LOG_ERROR(component, "the inbound handler threw: " << e.what());
  }
  return {};
}

ack_fn amqp_bus::impl::make_ack(uint64_t tag) {
  auto box = acks;
  uint64_t gen = generation;
  auto once = std::make_shared<std::atomic<bool>>(false);
  return [box, gen, tag, once] {
    if (once->exchange(true)) return;  // a second ack would close the channel
    box->add(pending_ack{gen, tag});
  };
}

// Returns when the broker sent something, the receiver acked, or `limit`
// passed, whichever is first.
void amqp_bus::impl::wait_for_delivery_or_ack(connection& conn, milliseconds limit) {
  if (amqp_data_in_buffer(conn.get()) || amqp_frames_enqueued(conn.get()))
    return;
  pollfd fds[2] = {{amqp_get_sockfd(conn.get()), POLLIN, 0}, {acks->wake_fd, POLLIN, 0}};
  if (poll(fds, 2, static_cast<int>(limit.count())) > 0 && (fds[1].revents & POLLIN)) {
    uint64_t count;
    [[maybe_unused]] auto n = read(acks->wake_fd, &count, sizeof count);
  }
}

// Sends the acks the receiver gave since the last call. Tags from an
// earlier connection are dropped: the broker requeued those messages when
// that connection died, and the numbers mean something else now.
std::string amqp_bus::impl::flush_acks(connection& conn) {
  std::vector<pending_ack> batch;
  {
    std::lock_guard<std::mutex> l(acks->m);
    batch.swap(acks->acks);
  }
  for (const pending_ack& a : batch) {
    if (a.generation != generation) continue;
    int rc = amqp_basic_ack(conn.get(), main_channel, a.tag, /*multiple=*/0);
    if (rc != AMQP_STATUS_OK) return describe_status("basic.ack", rc);
  }
  return {};
}

// amqp_consume_message met something other than a delivery and put it back.
std::string amqp_bus::impl::handle_other_frame(connection& conn) {
  amqp_frame_t frame;
  timeval now = to_timeval(milliseconds(0));
  int rc = amqp_simple_wait_frame_noblock(conn.get(), &frame, &now);
  if (rc == AMQP_STATUS_TIMEOUT) return {};
  if (rc != AMQP_STATUS_OK) return describe_status("reading a frame", rc);
  if (frame.frame_type != AMQP_FRAME_METHOD) return {};
  switch (frame.payload.method.id) {
    case AMQP_CHANNEL_CLOSE_METHOD:
    case AMQP_CONNECTION_CLOSE_METHOD:
      return describe_method(frame.payload.method);
    case AMQP_BASIC_CANCEL_METHOD:
      return "the broker cancelled our consumer (queue '" + opts.queue + "' deleted?)";
    default:
      return {};
  }
}

} // namespace steward::bus
