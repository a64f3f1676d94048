// The publisher thread of amqp_bus: the outbox, with publisher confirms.
#include <amqp.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <exception>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "bus/amqp_bus_impl.hpp"
#include "bus/amqp_connection.hpp"
#include "bus/amqp_topology.hpp"
#include "bus/backoff.hpp"
#include "common/log.hpp"

namespace steward::bus {

namespace detail {

// What the publisher knows about one connection's publishing.
struct publish_state {
  std::set<std::string> declared;           // exchanges declared on this connection
  std::map<uint64_t, int64_t> unconfirmed;  // delivery tag -> outbox id
  std::set<int64_t> in_flight;              // the outbox ids in `unconfirmed`
  uint64_t next_tag = 1;                    // confirm.select numbers from 1
  int64_t cursor = 0;                       // highest outbox id read
  bool read_needed = true;                  // the outbox may hold more to send
  std::chrono::steady_clock::time_point paused_until{};  // after a nack
};

} // namespace detail

using namespace detail;

namespace {

// With unconfirmed messages out, how long to wait for the broker's confirms.
constexpr milliseconds confirm_wait{50};
// After a nack (a full queue with overflow=reject-publish, say) the publisher
// pauses this long before it tries again, rather than hammer the broker.
constexpr milliseconds nack_pause{200};

std::string publish_row(connection& c, const outbound& row) {
  amqp_basic_properties_t props{};
  props._flags = AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG;
  // Exactly this, no charset: oslo.messaging listeners refuse anything else.
  props.content_type = amqp_cstring_bytes("application/json");
  props.delivery_mode = 2;  // persistent
  if (!row.message_id.empty()) {
    props._flags |= AMQP_BASIC_MESSAGE_ID_FLAG;
    props.message_id = bytes_of(row.message_id);
  }
  int rc = amqp_basic_publish(c.get(), main_channel, bytes_of(row.exchange),
                              bytes_of(row.routing_key), /*mandatory=*/0, /*immediate=*/0,
                              &props, bytes_of(row.body));
  return rc == AMQP_STATUS_OK ? std::string() : describe_status("basic.publish", rc);
}

} // namespace

void amqp_bus::impl::publisher_main() {
  backoff delay(opts.reconnect_min, opts.reconnect_max);
  std::size_t attempt = 0;
  while (!stopping) {
    std::string error;
    {
      connection conn(publisher_socket);
      try {
        const amqp_endpoint& ep = endpoint_for(attempt++);
        error = conn.open(ep, opts.url.vhost, opts.heartbeat_seconds, "steward publisher");
        if (error.empty()) error = open_publisher_channels(conn);
        if (error.empty()) {
          delay.reset();
          publisher_up = true;
          LOG_INFO(component, "publisher connected to " << describe(ep));
          error = publish(conn);
        }
      } catch (const std::exception& e) {
        error = std::string("publisher: ") + e.what();  // the store failed
      }
      publisher_up = false;
      if (!error.empty()) conn.mark_broken();
    }
    if (stopping) break;
    milliseconds d = delay.next();
    LOG_WARN(component, "publisher: " << error << "; reconnecting in " << d.count() << " ms");
    sleep_unless_stopped(d);
  }
  thread_exited();
}

std::string amqp_bus::impl::open_publisher_channels(connection& conn) {
  if (auto e = conn.open_channel(main_channel); !e.empty()) return e;
  amqp_confirm_select(conn.get(), main_channel);
  if (auto e = conn.check("confirm.select"); !e.empty()) return e;
  return conn.open_channel(declare_channel);
}

// Publishes the outbox until stop() or an error. Everything unconfirmed
// when this returns is forgotten: a new connection reads the outbox from
// the start and publishes those rows again (a duplicate, never a loss).
std::string amqp_bus::impl::publish(connection& conn) {
  publish_state st;
  auto last_rescan = std::chrono::steady_clock::now();
  while (!stopping) {
    if (take_outbox_signal()) st.read_needed = true;
    if (std::chrono::steady_clock::now() - last_rescan >= rescan_interval) {
      st.cursor = 0;  // rows in flight are skipped, the rest go out
      st.read_needed = true;
      last_rescan = std::chrono::steady_clock::now();
    }
    bool paused = std::chrono::steady_clock::now() < st.paused_until || !consumer_declared;
    if (!paused && st.read_needed && st.unconfirmed.size() < opts.max_unconfirmed) {
      if (auto e = publish_pending(conn, st); !e.empty()) return e;
    }
    // Wait for confirms only when there is nothing more to publish now.
    bool more = !paused && st.read_needed && st.unconfirmed.size() < opts.max_unconfirmed;
    milliseconds wait = (more || st.unconfirmed.empty()) ? milliseconds(0) : confirm_wait;
    if (auto e = read_broker_frames(conn, st, wait); !e.empty()) return e;
    if (paused && st.unconfirmed.empty()) {
      sleep_unless_stopped(confirm_wait);
    } else if (!st.read_needed && st.unconfirmed.empty()) {
      if (wait_outbox_signal(idle_wait)) st.read_needed = true;
    }
  }
  return {};
}

// Publishes rows after the cursor, as many as the unconfirmed window allows.
std::string amqp_bus::impl::publish_pending(connection& conn, publish_state& st) {
  std::size_t room = opts.max_unconfirmed - st.unconfirmed.size();
  std::size_t limit = std::max<std::size_t>(1, std::min(opts.outbox_batch, room));
  std::vector<outbound> rows = opts.outbox.pending_outbox(st.cursor, limit);
  st.read_needed = rows.size() >= limit;  // a full batch: there may be more
  for (const outbound& row : rows) {
    st.cursor = std::max(st.cursor, row.outbox_id);
    if (st.in_flight.count(row.outbox_id) != 0) continue;  // waiting for its confirm
    if (auto e = declare_once(conn, st, row.exchange); !e.empty()) return e;
    if (auto e = publish_row(conn, row); !e.empty()) return e;
    st.unconfirmed.emplace(st.next_tag++, row.outbox_id);
    st.in_flight.insert(row.outbox_id);
  }
  return {};
}

// Exchanges are declared the first time a row names one on a connection.
std::string amqp_bus::impl::declare_once(connection& conn, publish_state& st,
                                         const std::string& exchange) {
  if (exchange.empty() || st.declared.count(exchange) != 0) return {};  // "" always exists
  auto e = ensure_exchange(conn, exchange, "topic", opts.durable_exchanges);
  if (e.empty()) st.declared.insert(exchange);
  return e;
}

// Reads what the broker sent: confirms mostly. Waits up to `wait` for the
// first frame, then takes whatever else is already there.
std::string amqp_bus::impl::read_broker_frames(connection& conn, publish_state& st,
                                               milliseconds wait) {
  timeval tv = to_timeval(wait);
  for (;;) {
    amqp_frame_t frame;
    int rc = amqp_simple_wait_frame_noblock(conn.get(), &frame, &tv);
    if (rc == AMQP_STATUS_TIMEOUT) break;
    if (rc != AMQP_STATUS_OK) return describe_status("reading confirms", rc);
    tv = to_timeval(milliseconds(0));
    if (frame.frame_type != AMQP_FRAME_METHOD) continue;
    const amqp_method_t& m = frame.payload.method;
    switch (m.id) {
      case AMQP_BASIC_ACK_METHOD: {
        auto* ack = static_cast<amqp_basic_ack_t*>(m.decoded);
        settle(st, ack->delivery_tag, ack->multiple != 0, true);
        break;
      }
      case AMQP_BASIC_NACK_METHOD: {
        auto* nack = static_cast<amqp_basic_nack_t*>(m.decoded);
        settle(st, nack->delivery_tag, nack->multiple != 0, false);
        break;
      }
      case AMQP_BASIC_RETURN_METHOD: {
        // We never publish mandatory; should a return come anyway, its
        // content frames follow and must be read to stay in step.
        amqp_message_t msg;
        amqp_rpc_reply_t r = amqp_read_message(conn.get(), frame.channel, &msg, 0);
        if (r.reply_type != AMQP_RESPONSE_NORMAL) {
          return "reading a returned message: " + describe_reply(r);
        }
        amqp_destroy_message(&msg);
        break;
      }
      case AMQP_CHANNEL_CLOSE_METHOD:
      case AMQP_CONNECTION_CLOSE_METHOD:
        return describe_method(m);
      case AMQP_CONNECTION_BLOCKED_METHOD:
        LOG_WARN(component, "the broker blocked publishing (resource alarm)");
        break;
      case AMQP_CONNECTION_UNBLOCKED_METHOD:
        LOG_INFO(component, "the broker unblocked publishing");
        break;
      default:
        break;
    }
  }
  amqp_maybe_release_buffers(conn.get());
  return {};
}

// The broker confirmed (acked) or refused (nacked) the message with `tag`,
// or every message up to it when `multiple`.
void amqp_bus::impl::settle(publish_state& st, uint64_t tag, bool multiple, bool acked) {
  auto first = st.unconfirmed.begin();
  auto last = first;
  if (multiple) {
    last = tag == 0 ? st.unconfirmed.end() : st.unconfirmed.upper_bound(tag);
  } else {
    first = st.unconfirmed.find(tag);
    last = first == st.unconfirmed.end() ? first : std::next(first);
  }
  std::vector<int64_t> ids;
  for (auto it = first; it != last; ++it) {
    ids.push_back(it->second);
    st.in_flight.erase(it->second);
  }
  st.unconfirmed.erase(first, last);
  if (ids.empty()) return;
  if (acked) {
    opts.outbox.confirm_outbox(ids);
    return;
  }
  // Nacked: read those rows again (they are still in the outbox).
  int64_t lowest = *std::min_element(ids.begin(), ids.end());
  LOG_WARN(component,
           "the broker refused " << ids.size() << " message(s); publishing them again");
  st.cursor = std::min(st.cursor, lowest - 1);
  st.read_needed = true;
  st.paused_until = std::chrono::steady_clock::now() + nack_pause;
}

} // namespace steward::bus
