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

namespace {

std::string property(const amqp_basic_properties_t& p, amqp_flags_t flag,
                     const amqp_bytes_t& value) {
  return (p._flags & flag) ? string_of(value) : std::string{};
}

// What a message without an id is counted under: its body's hash.
std::string counting_key(const notification& note, const std::string& body) {
  if (!note.message_id.empty())
    return note.message_id;
  return "body:" + std::to_string(std::hash<std::string>{}(body));
}

amqp_table_entry_t header(const char* name, const std::string& value) {
  amqp_table_entry_t e{};
  e.key = amqp_cstring_bytes(name);
  e.value.kind = AMQP_FIELD_KIND_UTF8;
  e.value.value.bytes = bytes_of(value);
  return e;
}

} // namespace

std::string amqp_bus::impl::handle_delivery(connection& conn, const amqp_envelope_t& env) {
  auto copy = std::make_shared<delivered_copy>();
  const auto& props = env.message.properties;
  copy->body = string_of(env.message.body);
  copy->message_id = property(props, AMQP_BASIC_MESSAGE_ID_FLAG, props.message_id);
  copy->content_type = property(props, AMQP_BASIC_CONTENT_TYPE_FLAG, props.content_type);
  copy->exchange = string_of(env.exchange);
  copy->routing_key = string_of(env.routing_key);
  std::string error;
  std::optional<notification> note = decode(copy->body, error, opts.max_json_depth);
  if (!note)
    return dead_letter(conn, env.delivery_tag, *copy, "malformed: " + error, 1);
  copy->key = counting_key(*note, copy->body);
  // A message delivered again was not settled before: its handling failed,
  // or the process (or the connection) ended while it was handled. Only a
  // durable count tells a message that kills stewardd on every start.
  if (env.redelivered) {
    copy->failures = count_delivery(copy->key);
    if (copy->failures >= opts.max_attempts) {
      auto last = last_failure.find(copy->key);
      auto reason = last != last_failure.end()
                      ? last->second
                      : "it was delivered again and again without being handled (stewardd "
                        "may have stopped while handling it)";
      return dead_letter(conn, env.delivery_tag, *copy, reason, copy->failures);
    }
  }
  auto once = std::make_shared<std::atomic<bool>>(false);
  inbound msg{copy->exchange, copy->routing_key, std::move(*note),
              make_fail(env.delivery_tag, copy, once)};
  try {
    handler(std::move(msg), make_ack(env.delivery_tag, copy, once));
  } catch (const std::exception& e) {
    // Left unacked: the broker gives it again after the next reconnect.
    LOG_ERROR(component, "the inbound handler threw: " << e.what());
  }
  return {};
}

ack_fn amqp_bus::impl::make_ack(uint64_t tag, std::shared_ptr<const delivered_copy> copy,
                                std::shared_ptr<std::atomic<bool>> once) {
  auto box = acks;
  uint64_t gen = generation;
  // Only a counted message needs its copy back (to forget its count).
  if (copy->failures == 0)
    copy.reset();
  return [box, gen, tag, once, copy] {
    if (once->exchange(true)) return;  // a second ack would close the channel
    box->add(pending_ack{gen, tag, settlement::ack, copy, {}});
  };
}

fail_fn amqp_bus::impl::make_fail(uint64_t tag, std::shared_ptr<const delivered_copy> copy,
                                  std::shared_ptr<std::atomic<bool>> once) {
  auto box = acks;
  uint64_t gen = generation;
  return [box, gen, tag, once, copy](const std::string& reason, bool final) {
    if (once->exchange(true)) return;
    box->add(pending_ack{gen, tag, final ? settlement::dead_letter : settlement::retry, copy,
                         reason});
  };
}

int amqp_bus::impl::count_delivery(const std::string& key) {
  return opts.deliveries ? opts.deliveries->count_delivery(key) : ++delivery_counts[key];
}

void amqp_bus::impl::forget_delivery(const std::string& key) {
  last_failure.erase(key);
  if (opts.deliveries)
    opts.deliveries->forget_delivery(key);
  else
    delivery_counts.erase(key);
}

// Publishes the message to the dead-letter exchange with why it is there
// and after how many attempts, then acks it. RabbitMQ's own dead-lettering
// (a reject) would say neither.
std::string amqp_bus::impl::dead_letter(connection& conn, uint64_t tag,
                                        const delivered_copy& copy, const std::string& reason,
                                        int attempts) {
  LOG_WARN(component, "dead-lettering a message from exchange '"
                          << copy.exchange << "' key '" << copy.routing_key << "' after "
                          << attempts << " attempt(s): " << reason);
  auto attempts_text = std::to_string(attempts);
  amqp_table_entry_t entries[] = {header("x-steward-reason", reason),
                                  header("x-steward-attempts", attempts_text),
                                  header("x-steward-exchange", copy.exchange),
                                  header("x-steward-routing-key", copy.routing_key)};
  amqp_basic_properties_t props{};
  props._flags = AMQP_BASIC_DELIVERY_MODE_FLAG | AMQP_BASIC_HEADERS_FLAG;
  props.delivery_mode = 2;  // persistent
  props.headers.num_entries = 4;
  props.headers.entries = entries;
  if (!copy.message_id.empty()) {
    props._flags |= AMQP_BASIC_MESSAGE_ID_FLAG;
    props.message_id = bytes_of(copy.message_id);
  }
  if (!copy.content_type.empty()) {
    props._flags |= AMQP_BASIC_CONTENT_TYPE_FLAG;
    props.content_type = bytes_of(copy.content_type);
  }
  int rc = amqp_basic_publish(conn.get(), main_channel, bytes_of(opts.dead_letter_exchange),
                              bytes_of(copy.routing_key), /*mandatory=*/0, /*immediate=*/0,
                              &props, bytes_of(copy.body));
  if (rc != AMQP_STATUS_OK)
    return describe_status("basic.publish to the dead-letter exchange", rc);
  // Acked after the publish on the same channel: a crash between the two
  // delivers it again, and it is dead-lettered again (twice, never lost).
  rc = amqp_basic_ack(conn.get(), main_channel, tag, /*multiple=*/0);
  if (rc != AMQP_STATUS_OK)
    return describe_status("basic.ack", rc);
  if (!copy.key.empty() && copy.failures > 0)
    forget_delivery(copy.key);
  else
    last_failure.erase(copy.key);
  return {};
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
    if (a.how == settlement::dead_letter) {
      if (auto e = dead_letter(conn, a.tag, *a.copy, a.reason, a.copy->failures + 1); !e.empty())
        return e;
      continue;
    }
    if (a.how == settlement::retry) {
      LOG_WARN(component, "message " << a.copy->key << " failed (attempt " << a.copy->failures + 1
                                     << " of " << opts.max_attempts << "): " << a.reason);
      // The next delivery counts this failure; it decides whether to retry.
      last_failure[a.copy->key] = a.reason;
      int rc = amqp_basic_nack(conn.get(), main_channel, a.tag, /*multiple=*/0, /*requeue=*/1);
      if (rc != AMQP_STATUS_OK) return describe_status("basic.nack", rc);
      continue;
    }
    int rc = amqp_basic_ack(conn.get(), main_channel, a.tag, /*multiple=*/0);
    if (rc != AMQP_STATUS_OK) return describe_status("basic.ack", rc);
    if (a.copy)
      forget_delivery(a.copy->key);
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
