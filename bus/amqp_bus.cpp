#include "bus/amqp_bus.hpp"

#include <amqp.h>
#include <amqp_tcp_socket.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>
#include <thread>

#include "bus/oslo.hpp"
#include "common/log.hpp"

namespace steward::bus {

using std::chrono::milliseconds;

// ---------------------------------------------------------------------------
// Transport URL
// ---------------------------------------------------------------------------
namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool percent_decode(const std::string& in, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size()) return false;
    int hi = hex_value(in[i + 1]);
    int lo = hex_value(in[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return true;
}

bool parse_port(const std::string& text, int& port) {
  if (text.empty() || text.size() > 5) return false;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  if (value < 1 || value > 65535) return false;
  port = value;
  return true;
}

// "user:pass@host:port", "host", "[::1]:5672", ...
bool parse_endpoint(const std::string& text, amqp_endpoint& ep, std::string& error) {
  std::string hostport = text;
  auto at = text.rfind('@');
  if (at != std::string::npos) {
    std::string userinfo = text.substr(0, at);
    hostport = text.substr(at + 1);
    auto colon = userinfo.find(':');
    std::string user = userinfo.substr(0, colon);
    std::string pass = colon == std::string::npos ? "" : userinfo.substr(colon + 1);
    if (!percent_decode(user, ep.user) || !percent_decode(pass, ep.password)) {
      error = "bad percent-encoding in the credentials";
      return false;
    }
  }
  std::string port_text;
  if (!hostport.empty() && hostport[0] == '[') {  // IPv6 literal
    auto close = hostport.find(']');
    if (close == std::string::npos) {
      error = "unterminated '[' in host '" + hostport + "'";
      return false;
    }
    ep.host = hostport.substr(1, close - 1);
    std::string rest = hostport.substr(close + 1);
    if (!rest.empty()) {
      if (rest[0] != ':') {
        error = "unexpected text after ']' in host '" + hostport + "'";
        return false;
      }
      port_text = rest.substr(1);
    }
  } else {
    auto colon = hostport.find(':');
    ep.host = hostport.substr(0, colon);
    if (colon != std::string::npos) port_text = hostport.substr(colon + 1);
  }
  if (ep.host.empty()) ep.host = "localhost";  // oslo: "rabbit://" means the local broker
  if (!port_text.empty() && !parse_port(port_text, ep.port)) {
    error = "bad port '" + port_text + "'";
    return false;
  }
  return true;
}

// True when the query asks for TLS ("ssl=1", "ssl=true").
bool wants_tls(const std::string& query) {
  std::size_t start = 0;
  while (start <= query.size()) {
    auto end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    std::string item = lower(query.substr(start, end - start));
    if (item == "ssl=1" || item == "ssl=true" || item == "ssl=yes") return true;
    start = end + 1;
  }
  return false;
}

} // namespace

std::optional<transport_url> parse_transport_url(const std::string& text, std::string& error) {
  auto sep = text.find("://");
  if (sep == std::string::npos) {
    error = "not a transport URL (expected rabbit://user:pass@host:port/vhost)";
    return std::nullopt;
  }
  std::string scheme = lower(text.substr(0, sep));
  if (scheme != "rabbit" && scheme != "amqp") {
    error = "unsupported scheme '" + scheme + "' (use rabbit:// or amqp://)";
    return std::nullopt;
  }
  std::string rest = text.substr(sep + 3);
  std::string query;
  if (auto q = rest.find('?'); q != std::string::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  if (wants_tls(query)) {
    error = "TLS (ssl=...) is not supported";
    return std::nullopt;
  }
  // The host list ends at the first '/' after the last '@' (a password may
  // hold a '/' when its writer forgot to encode it; a vhost has no '@').
  auto last_at = rest.rfind('@');
  auto slash = rest.find('/', last_at == std::string::npos ? 0 : last_at + 1);
  std::string hosts = rest.substr(0, slash);
  std::string path = slash == std::string::npos ? "" : rest.substr(slash + 1);

  transport_url url;
  url.hosts.clear();
  std::size_t start = 0;
  while (start <= hosts.size()) {
    auto comma = hosts.find(',', start);
    if (comma == std::string::npos) comma = hosts.size();
    amqp_endpoint ep;
    if (!parse_endpoint(hosts.substr(start, comma - start), ep, error)) return std::nullopt;
    url.hosts.push_back(ep);
    start = comma + 1;
  }
  if (path.empty()) {
    url.vhost = "/";
  } else if (!percent_decode(path, url.vhost)) {
    error = "bad percent-encoding in the vhost";
    return std::nullopt;
  }
  return url;
}

// ---------------------------------------------------------------------------
// rabbitmq-c helpers
// ---------------------------------------------------------------------------
namespace {

constexpr const char* component = "bus";
// Consuming or publishing (with confirms) happens on channel 1. Exchange
// declarations go to channel 2: a 406 there closes only that channel.
constexpr amqp_channel_t main_channel = 1;
constexpr amqp_channel_t declare_channel = 2;
// How long one wait on a socket lasts: the loops look at the stop flag, the
// pending acks and the heartbeat timers at least this often.
constexpr milliseconds poll_interval{100};
// With unconfirmed messages out, how long to wait for the broker's confirms.
constexpr milliseconds confirm_wait{50};
// After a nack (a full queue with overflow=reject-publish, say) the publisher
// pauses this long before it tries again, rather than hammer the broker.
constexpr milliseconds nack_pause{200};
// This often the publisher reads the outbox again from the start: a store
// may commit rows out of id order (a sequence in PostgreSQL), and a row with
// an id below the cursor would otherwise wait for the next reconnect. It is
// also the longest the idle publisher waits for outbox_changed().
constexpr milliseconds rescan_interval{1000};
// stop() waits this long for the threads to finish politely before it shuts
// their sockets down under them.
constexpr milliseconds stop_grace{2000};

amqp_bytes_t bytes_of(const std::string& s) {
  amqp_bytes_t b;
  b.len = s.size();
  b.bytes = const_cast<char*>(s.data());
  return b;
}

std::string string_of(amqp_bytes_t b) {
  if (b.len == 0 || b.bytes == nullptr) return {};
  return std::string(static_cast<const char*>(b.bytes), b.len);
}

timeval to_timeval(milliseconds d) {
  timeval tv;
  tv.tv_sec = static_cast<time_t>(d.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((d.count() % 1000) * 1000);
  return tv;
}

std::string describe_close(uint16_t code, amqp_bytes_t text) {
  return std::to_string(code) + " " + string_of(text);
}

std::string describe_method(const amqp_method_t& m) {
  if (m.id == AMQP_CONNECTION_CLOSE_METHOD) {
    auto* c = static_cast<amqp_connection_close_t*>(m.decoded);
    return "the broker closed the connection: " + describe_close(c->reply_code, c->reply_text);
  }
  if (m.id == AMQP_CHANNEL_CLOSE_METHOD) {
    auto* c = static_cast<amqp_channel_close_t*>(m.decoded);
    return "the broker closed the channel: " + describe_close(c->reply_code, c->reply_text);
  }
  return std::string("unexpected ") + amqp_method_name(m.id);
}

std::string describe_reply(const amqp_rpc_reply_t& r) {
  switch (r.reply_type) {
    case AMQP_RESPONSE_NORMAL: return {};
    case AMQP_RESPONSE_NONE: return "no reply from the broker";
    case AMQP_RESPONSE_LIBRARY_EXCEPTION: return amqp_error_string2(r.library_error);
    case AMQP_RESPONSE_SERVER_EXCEPTION: return describe_method(r.reply);
  }
  return "unknown reply";
}

std::string describe_status(const char* what, int status) {
  return std::string(what) + ": " + amqp_error_string2(status);
}

// The reply code when the broker answered an RPC by closing the channel.
int channel_close_code(const amqp_rpc_reply_t& r) {
  if (r.reply_type != AMQP_RESPONSE_SERVER_EXCEPTION) return 0;
  if (r.reply.id != AMQP_CHANNEL_CLOSE_METHOD) return 0;
  return static_cast<amqp_channel_close_t*>(r.reply.decoded)->reply_code;
}

amqp_table_entry_t bool_entry(const char* key) {
  amqp_table_entry_t e;
  e.key = amqp_cstring_bytes(key);
  e.value.kind = AMQP_FIELD_KIND_BOOLEAN;
  e.value.value.boolean = 1;
  return e;
}

// Where a thread publishes its live socket, so that stop() can shut it down
// when the thread is stuck in a write that the broker does not drain (a
// blocked connection): rabbitmq-c publishes without a deadline.
struct socket_slot {
  std::mutex m;
  int fd = -1;

  void set(int value) {
    std::lock_guard<std::mutex> l(m);
    fd = value;
  }
  void shut_down() {
    std::lock_guard<std::mutex> l(m);
    if (fd >= 0) ::shutdown(fd, SHUT_RDWR);
  }
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
                   const std::string& name) {
    state_ = amqp_new_connection();
    if (state_ == nullptr) return "out of memory";
    amqp_socket_t* sock = amqp_tcp_socket_new(state_);
    if (sock == nullptr) return "cannot create a socket";
    timeval connect_timeout = to_timeval(milliseconds(5000));
    int rc = amqp_socket_open_noblock(sock, ep.host.c_str(), ep.port, &connect_timeout);
    if (rc != AMQP_STATUS_OK) {
      return "cannot connect to " + ep.host + ":" + std::to_string(ep.port) + ": " +
             amqp_error_string2(rc);
    }
    slot_.set(amqp_get_sockfd(state_));
    // Without these a broker that accepts TCP but never answers would hold
    // the thread for good (heartbeats only start after the login).
    timeval handshake = to_timeval(milliseconds(10000));
    amqp_set_handshake_timeout(state_, &handshake);
    timeval rpc = to_timeval(milliseconds(15000));
    amqp_set_rpc_timeout(state_, &rpc);
    // rabbitmq-c does not announce these capabilities by itself. Without
    // consumer_cancel_notify a deleted queue would silently leave us
    // consuming nothing; connection.blocked tells us about resource alarms.
    amqp_table_entry_t caps[2];
    caps[0] = bool_entry("consumer_cancel_notify");
    caps[1] = bool_entry("connection.blocked");
    amqp_table_entry_t props[2];
    props[0].key = amqp_cstring_bytes("capabilities");
    props[0].value.kind = AMQP_FIELD_KIND_TABLE;
    props[0].value.value.table = amqp_table_t{2, caps};
    props[1].key = amqp_cstring_bytes("connection_name");  // shown by rabbitmqctl
    props[1].value.kind = AMQP_FIELD_KIND_UTF8;
    props[1].value.value.bytes = bytes_of(name);
    amqp_table_t properties{2, props};
    amqp_rpc_reply_t r =
        amqp_login_with_properties(state_, vhost.c_str(), 0, 131072, heartbeat, &properties,
                                   AMQP_SASL_METHOD_PLAIN, ep.user.c_str(), ep.password.c_str());
    if (r.reply_type != AMQP_RESPONSE_NORMAL) {
      return "login as '" + ep.user + "' to vhost '" + vhost + "' failed: " + describe_reply(r);
    }
    healthy_ = true;
    return {};
  }

  std::string open_channel(amqp_channel_t ch) {
    amqp_channel_open(state_, ch);
    return check("channel.open");
  }

  // The outcome of the last synchronous call ("" when it went well).
  std::string check(const std::string& what) {
    amqp_rpc_reply_t r = amqp_get_rpc_reply(state_);
    if (r.reply_type == AMQP_RESPONSE_NORMAL) return {};
    return what + ": " + describe_reply(r);
  }

  // After an error the connection is only torn down, not closed politely.
  void mark_broken() { healthy_ = false; }

  void close() {
    if (state_ == nullptr) return;
    slot_.set(-1);  // before the fd is closed and its number reused
    if (healthy_) amqp_connection_close(state_, AMQP_REPLY_SUCCESS);
    amqp_destroy_connection(state_);
    state_ = nullptr;
    healthy_ = false;
  }

  amqp_connection_state_t get() const { return state_; }

private:
  socket_slot& slot_;
  amqp_connection_state_t state_ = nullptr;
  bool healthy_ = false;
};

// Declares `name` the way oslo.messaging does (auto_delete=false, durability
// as configured). When it already exists with other flags the broker answers
// 406 and closes the channel; the exchange is there all the same and binding
// and publishing do not care about its flags, so we warn, reopen the channel
// and go on rather than fail forever.
std::string ensure_exchange(connection& c, const std::string& name, const char* type,
                            bool durable) {
  amqp_exchange_declare(c.get(), declare_channel, bytes_of(name), amqp_cstring_bytes(type),
                        /*passive=*/0, durable ? 1 : 0, /*auto_delete=*/0, /*internal=*/0,
                        amqp_empty_table);
  amqp_rpc_reply_t r = amqp_get_rpc_reply(c.get());
  if (r.reply_type == AMQP_RESPONSE_NORMAL) return {};
  if (channel_close_code(r) == AMQP_PRECONDITION_FAILED) {
    LOG_WARN(component, "exchange '" << name << "' exists with other flags than " << type
                                     << " durable=" << durable << " (" << describe_reply(r)
                                     << "); using it as it is");
    amqp_channel_close_ok_t ok{};
    amqp_send_method(c.get(), declare_channel, AMQP_CHANNEL_CLOSE_OK_METHOD, &ok);
    return c.open_channel(declare_channel);
  }
  return "exchange.declare '" + name + "': " + describe_reply(r);
}

// A durable queue, optionally dead-lettering into `dead_letter_exchange`.
std::string declare_queue(connection& c, const std::string& name,
                          const std::string* dead_letter_exchange) {
  amqp_table_entry_t entry;
  amqp_table_t args = amqp_empty_table;
  if (dead_letter_exchange != nullptr) {
    entry.key = amqp_cstring_bytes("x-dead-letter-exchange");
    entry.value.kind = AMQP_FIELD_KIND_UTF8;
    entry.value.value.bytes = bytes_of(*dead_letter_exchange);
    args.num_entries = 1;
    args.entries = &entry;
  }
  amqp_queue_declare(c.get(), main_channel, bytes_of(name), /*passive=*/0, /*durable=*/1,
                     /*exclusive=*/0, /*auto_delete=*/0, args);
  return c.check("queue.declare '" + name + "'");
}

std::string bind_queue(connection& c, const std::string& queue, const std::string& exchange,
                       const std::string& key) {
  amqp_queue_bind(c.get(), main_channel, bytes_of(queue), bytes_of(exchange), bytes_of(key),
                  amqp_empty_table);
  return c.check("queue.bind '" + queue + "' to '" + exchange + "' with '" + key + "'");
}

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

// Exponential back-off with "equal jitter": the n-th wait is uniformly
// distributed in [d/2, d] with d = min(max, min * 2^n), so that many
// Steward nodes do not all knock on a restarted broker at the same instant.
class backoff {
public:
  backoff(milliseconds min, milliseconds max)
      : min_(std::max(min, milliseconds(1))), max_(std::max(max, min_)), next_(min_) {}

  milliseconds next() {
    milliseconds d = next_;
    next_ = std::min(max_, next_ * 2);
    thread_local std::mt19937 gen{std::random_device{}()};
    std::uniform_int_distribution<long long> jitter(0, d.count() / 2);
    return d - milliseconds(jitter(gen));
  }
  void reset() { next_ = min_; }

private:
  milliseconds min_, max_, next_;
};

// An ack the receiver has given, waiting for the consumer thread to send it.
struct pending_ack {
  uint64_t generation;  // which connection delivered the message
  uint64_t tag;
};

// Shared with every ack_fn handed out, so that a late ack (after stop(), even
// after the bus is gone) is harmless.
struct ack_box {
  std::mutex m;
  std::vector<pending_ack> acks;
};

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

} // namespace

// ---------------------------------------------------------------------------
// amqp_bus
// ---------------------------------------------------------------------------
struct amqp_bus::impl {
  explicit impl(amqp_options o) : opts(std::move(o)) {
    if (opts.url.hosts.empty()) opts.url.hosts.push_back(amqp_endpoint{});
    opts.max_unconfirmed = std::max<std::size_t>(1, opts.max_unconfirmed);
    // The idle publisher must still look at its socket often enough for
    // rabbitmq-c to send heartbeats (it does so only while reading).
    if (opts.heartbeat_seconds > 0) {
      idle_wait = std::min(rescan_interval, milliseconds(opts.heartbeat_seconds * 1000 / 2));
    }
  }

  amqp_options opts;
  milliseconds idle_wait = rescan_interval;
  inbound_handler handler;

  std::mutex lifecycle;  // serialises start() and stop()
  bool running = false;

  std::mutex mtx;               // guards the three fields below
  std::condition_variable cv;   // stop, outbox signal, thread exit
  std::atomic<bool> stopping{false};
  bool outbox_signal = false;
  int threads_running = 0;

  std::atomic<bool> consumer_up{false};
  std::atomic<bool> publisher_up{false};
  std::shared_ptr<ack_box> acks = std::make_shared<ack_box>();
  uint64_t generation = 0;  // consumer thread only
  socket_slot consumer_socket;
  socket_slot publisher_socket;
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

  // ----- consumer ---------------------------------------------------------

  void consumer_main() {
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
  std::string declare_consumer_topology(connection& conn) {
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
  std::string consume(connection& conn) {
    while (!stopping) {
      if (auto e = flush_acks(conn); !e.empty()) return e;
      amqp_maybe_release_buffers(conn.get());
      amqp_envelope_t envelope;
      timeval wait = to_timeval(poll_interval);
      amqp_rpc_reply_t r = amqp_consume_message(conn.get(), &envelope, &wait, 0);
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

  std::string handle_delivery(connection& conn, const amqp_envelope_t& env) {
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

  ack_fn make_ack(uint64_t tag) {
    auto box = acks;
    uint64_t gen = generation;
    auto once = std::make_shared<std::atomic<bool>>(false);
    return [box, gen, tag, once] {
      if (once->exchange(true)) return;  // a second ack would close the channel
      std::lock_guard<std::mutex> l(box->m);
      box->acks.push_back(pending_ack{gen, tag});
    };
  }

  // Sends the acks the receiver gave since the last call. Tags from an
  // earlier connection are dropped: the broker requeued those messages when
  // that connection died, and the numbers mean something else now.
  std::string flush_acks(connection& conn) {
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
  std::string handle_other_frame(connection& conn) {
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

  // ----- publisher --------------------------------------------------------

  void publisher_main() {
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

  std::string open_publisher_channels(connection& conn) {
    if (auto e = conn.open_channel(main_channel); !e.empty()) return e;
    amqp_confirm_select(conn.get(), main_channel);
    if (auto e = conn.check("confirm.select"); !e.empty()) return e;
    return conn.open_channel(declare_channel);
  }

  // Publishes the outbox until stop() or an error. Everything unconfirmed
  // when this returns is forgotten: a new connection reads the outbox from
  // the start and publishes those rows again (a duplicate, never a loss).
  std::string publish(connection& conn) {
    publish_state st;
    auto last_rescan = std::chrono::steady_clock::now();
    while (!stopping) {
      if (take_outbox_signal()) st.read_needed = true;
      if (std::chrono::steady_clock::now() - last_rescan >= rescan_interval) {
        st.cursor = 0;  // rows in flight are skipped, the rest go out
        st.read_needed = true;
        last_rescan = std::chrono::steady_clock::now();
      }
      bool paused = std::chrono::steady_clock::now() < st.paused_until;
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
  std::string publish_pending(connection& conn, publish_state& st) {
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
  std::string declare_once(connection& conn, publish_state& st, const std::string& exchange) {
    if (exchange.empty() || st.declared.count(exchange) != 0) return {};  // "" always exists
    auto e = ensure_exchange(conn, exchange, "topic", opts.durable_exchanges);
    if (e.empty()) st.declared.insert(exchange);
    return e;
  }

  // Reads what the broker sent: confirms mostly. Waits up to `wait` for the
  // first frame, then takes whatever else is already there.
  std::string read_broker_frames(connection& conn, publish_state& st, milliseconds wait) {
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
  void settle(publish_state& st, uint64_t tag, bool multiple, bool acked) {
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

  void shut_down_sockets() {
    consumer_socket.shut_down();
    publisher_socket.shut_down();
  }
};

amqp_bus::amqp_bus(amqp_options options) : impl_(std::make_unique<impl>(std::move(options))) {}

amqp_bus::~amqp_bus() { stop(); }

void amqp_bus::start(inbound_handler h) {
  impl& s = *impl_;
  std::lock_guard<std::mutex> life(s.lifecycle);
  if (s.running) throw std::logic_error("amqp_bus: already started");
  s.handler = std::move(h);
  {
    std::lock_guard<std::mutex> l(s.mtx);
    s.stopping = false;
    s.threads_running = 2;
  }
  s.running = true;
  s.consumer_thread = std::thread([&s] { s.consumer_main(); });
  s.publisher_thread = std::thread([&s] { s.publisher_main(); });
}

void amqp_bus::stop() {
  impl& s = *impl_;
  std::lock_guard<std::mutex> life(s.lifecycle);
  if (!s.running) return;
  {
    std::lock_guard<std::mutex> l(s.mtx);
    s.stopping = true;
  }
  s.cv.notify_all();
  bool finished;
  {
    std::unique_lock<std::mutex> l(s.mtx);
    finished = s.cv.wait_for(l, stop_grace, [&] { return s.threads_running == 0; });
  }
  if (!finished) {
    LOG_WARN(component, "the bus threads did not stop in time; shutting their sockets down");
    s.shut_down_sockets();
  }
  s.consumer_thread.join();
  s.publisher_thread.join();
  s.running = false;
  LOG_INFO(component, "stopped " << s.describe());
}

void amqp_bus::outbox_changed() {
  {
    std::lock_guard<std::mutex> l(impl_->mtx);
    impl_->outbox_signal = true;
  }
  impl_->cv.notify_all();
}

bool amqp_bus::ready() const { return impl_->consumer_up && impl_->publisher_up; }

std::string amqp_bus::describe() const { return impl_->describe(); }

} // namespace steward::bus
