// The notification-ingest measurement (bench/ingest.sh drives it): Nova
// `instance.update` notifications through RabbitMQ into stewardd, against the
// limit of a rabbitmq-c consumer that acknowledges and does nothing else.
//
//   bench-ingest publish URL EXCHANGE ROUTING_KEY COUNT INSTANCES_FILE [--declare-queue Q]
//       COUNT notifications as a compute layer sends them (oslo v2 envelope,
//       publisher nova-compute:<host>, a new message_id each, persistent,
//       with publisher confirms: when it returns, the broker has every one).
//       Round-robin over the instances of INSTANCES_FILE, each notification a
//       real change: the first pass turns every instance to the opposite of
//       its stored state (online -> stopped, offline -> active), the next
//       pass back, and so on. --declare-queue declares the durable queue Q,
//       binds it to EXCHANGE/ROUTING_KEY and empties it first.
//   bench-ingest null-consume URL QUEUE COUNT PREFETCH
//       The limit: basic.qos PREFETCH, manual acks, one basic.ack per
//       message (as stewardd's consumer sends them), nothing else; COUNT
//       messages, timed from the first delivery to the last ack.
//   bench-ingest wait-processed DB COUNT [--resume PID] [--timeout SECONDS]
//       Waits until COUNT more message ids than at its start are in
//       stewardd's `processed` table: each is a notification applied and
//       stored in the same transaction as its effect. With --resume it sends
//       SIGCONT to PID (the stewardd stopped while the backlog was published)
//       once it has read where the table stands, and times from that signal.
//
// INSTANCES_FILE: one instance per line, fields separated by tabs (sqlite3
// -separator $'\t'): uuid host project_id display_name state [cloud flavorid
// flavor_name vcpus memory_mb root_gb image_uuid key_name data_volume_gb ip].
// `state` is the stored symbol: '+' online, '-' offline; other states (a
// transition under way) would ignore instance.update, so they are skipped.
// The optional fields are sent as stored, so that the flavor and host of the
// notification change nothing but the state.
//
// Each mode prints one JSON line; errors go to stderr, exit status 1.
#include <amqp.h>
#include <amqp_tcp_socket.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/time.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "bus/oslo.hpp"
#include "bus/transport_url.hpp"
#include "common/clock.hpp"
#include "common/ids.hpp"

using nlohmann::json;
using steady = std::chrono::steady_clock;

namespace {

constexpr amqp_channel_t work_channel = 1;
// Exchange declarations on their own channel: a 406 (the exchange exists
// with other flags) closes only that channel.
constexpr amqp_channel_t declare_channel = 2;
// Unconfirmed publishes allowed at once: enough to keep the broker busy,
// bounded so that the acks we have not read yet stay small.
constexpr std::size_t confirm_window = 4096;
constexpr std::size_t confirm_read_every = 256;
constexpr auto broker_silence = std::chrono::seconds(30);
constexpr auto poll_interval = std::chrono::milliseconds(2);

double seconds_since(steady::time_point t) {
  return std::chrono::duration<double>(steady::now() - t).count();
}

json rate_line(const char* what, std::size_t n, double seconds) {
  return {{what, n}, {"seconds", seconds}, {"rate", seconds > 0 ? n / seconds : 0.0}};
}

timeval timeval_of(std::chrono::milliseconds d) {
  timeval tv;
  tv.tv_sec = static_cast<time_t>(d.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>(d.count() % 1000 * 1000);
  return tv;
}

amqp_bytes_t bytes_of(const std::string& s) {
  return amqp_bytes_t{s.size(), const_cast<char*>(s.data())};
}

std::string text_of(amqp_bytes_t b) {
  return b.len == 0 ? std::string() : std::string(static_cast<const char*>(b.bytes), b.len);
}

// ----- the broker -------------------------------------------------------------

std::string describe_method(const amqp_method_t& m) {
  if (m.id == AMQP_CHANNEL_CLOSE_METHOD) {
    auto* c = static_cast<amqp_channel_close_t*>(m.decoded);
    return "channel closed: " + std::to_string(c->reply_code) + " " + text_of(c->reply_text);
  }
  if (m.id == AMQP_CONNECTION_CLOSE_METHOD) {
    auto* c = static_cast<amqp_connection_close_t*>(m.decoded);
    return "connection closed: " + std::to_string(c->reply_code) + " " + text_of(c->reply_text);
  }
  return std::string("unexpected ") + amqp_method_name(m.id);
}

std::string describe_reply(const amqp_rpc_reply_t& r) {
  switch (r.reply_type) {
    case AMQP_RESPONSE_NORMAL: return "ok";
    case AMQP_RESPONSE_NONE: return "no reply";
    case AMQP_RESPONSE_LIBRARY_EXCEPTION: return amqp_error_string2(r.library_error);
    case AMQP_RESPONSE_SERVER_EXCEPTION: return describe_method(r.reply);
  }
  return "unknown reply";
}

// One connection to the first broker of a transport URL, channel 1 open.
class broker {
public:
  explicit broker(const std::string& url_text) {
    std::string error;
    auto url = steward::bus::parse_transport_url(url_text, error);
    if (!url)
      throw std::runtime_error("transport URL: " + error);
    const auto& ep = url->hosts.front();
    conn_ = amqp_new_connection();
    amqp_socket_t* sock = amqp_tcp_socket_new(conn_);
    if (!sock || amqp_socket_open(sock, ep.host.c_str(), ep.port) != AMQP_STATUS_OK)
      throw std::runtime_error("cannot connect to " + ep.host + ":" + std::to_string(ep.port));
    timeval rpc = timeval_of(broker_silence);  // a broker gone silent fails the run
    amqp_set_rpc_timeout(conn_, &rpc);
    // The frame size stewardd asks for; no heartbeat: a run lasts seconds.
    amqp_rpc_reply_t r = amqp_login(conn_, url->vhost.c_str(), 0, 131072, 0,
                                    AMQP_SASL_METHOD_PLAIN, ep.user.c_str(), ep.password.c_str());
    if (r.reply_type != AMQP_RESPONSE_NORMAL)
      throw std::runtime_error("login to vhost '" + url->vhost + "': " + describe_reply(r));
    open_channel(work_channel);
  }
  ~broker() {
    amqp_connection_close(conn_, AMQP_REPLY_SUCCESS);
    amqp_destroy_connection(conn_);
  }
  broker(const broker&) = delete;
  broker& operator=(const broker&) = delete;

  amqp_connection_state_t get() const { return conn_; }

  void check(const std::string& what) {
    amqp_rpc_reply_t r = amqp_get_rpc_reply(conn_);
    if (r.reply_type != AMQP_RESPONSE_NORMAL)
      throw std::runtime_error(what + ": " + describe_reply(r));
  }

  void open_channel(amqp_channel_t ch) {
    amqp_channel_open(conn_, ch);
    check("channel.open");
  }

  // A topic exchange as oslo.messaging declares it (durable only with
  // amqp_durable_queues, which stewardd leaves off by default). Should it
  // exist with other flags, it is used as it is, as stewardd does.
  void ensure_exchange(const std::string& name) {
    open_channel(declare_channel);
    amqp_exchange_declare(conn_, declare_channel, bytes_of(name), amqp_cstring_bytes("topic"),
                          /*passive=*/0, /*durable=*/0, /*auto_delete=*/0, /*internal=*/0,
                          amqp_empty_table);
    amqp_rpc_reply_t r = amqp_get_rpc_reply(conn_);
    if (r.reply_type == AMQP_RESPONSE_NORMAL)
      return;
    bool other_flags = r.reply_type == AMQP_RESPONSE_SERVER_EXCEPTION
                       && r.reply.id == AMQP_CHANNEL_CLOSE_METHOD
                       && static_cast<amqp_channel_close_t*>(r.reply.decoded)->reply_code
                            == AMQP_PRECONDITION_FAILED;
    if (!other_flags)
      throw std::runtime_error("exchange.declare '" + name + "': " + describe_reply(r));
    amqp_channel_close_ok_t ok{};
    amqp_send_method(conn_, declare_channel, AMQP_CHANNEL_CLOSE_OK_METHOD, &ok);
  }

  // A durable queue bound to exchange/key, emptied so that a count is exact.
  void fresh_queue(const std::string& queue, const std::string& exchange, const std::string& key) {
    amqp_queue_declare(conn_, work_channel, bytes_of(queue), /*passive=*/0, /*durable=*/1,
                       /*exclusive=*/0, /*auto_delete=*/0, amqp_empty_table);
    check("queue.declare '" + queue + "'");
    amqp_queue_bind(conn_, work_channel, bytes_of(queue), bytes_of(exchange), bytes_of(key),
                    amqp_empty_table);
    check("queue.bind '" + queue + "'");
    amqp_queue_purge(conn_, work_channel, bytes_of(queue));
    check("queue.purge '" + queue + "'");
  }

private:
  amqp_connection_state_t conn_ = nullptr;
};

// ----- what a compute layer sends ------------------------------------------------

struct instance_row {
  std::string uuid, host, project, display_name;
  bool online = false;  // its stored state; the first notification says the opposite
  std::string cloud, flavorid, flavor_name;
  json vcpus, memory_mb, root_gb;  // numbers, or null when the file has none
  std::string image_uuid, key_name;
  json data_volume_gb;
  std::string ip;
};

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, '\t'))
    out.push_back(field);
  if (!line.empty() && line.back() == '\t')
    out.emplace_back();
  return out;
}

json number_or_null(const std::string& text) {
  if (text.empty())
    return nullptr;
  return std::strtoll(text.c_str(), nullptr, 10);
}

std::vector<instance_row> read_instances(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    throw std::runtime_error("cannot read " + path);
  std::vector<instance_row> rows;
  std::size_t skipped = 0;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty())
      continue;
    auto f = split_tabs(line);
    if (f.size() < 5)
      throw std::runtime_error(path + ": fewer than 5 fields in: " + line);
    if (f[4] != "+" && f[4] != "-") {
      ++skipped;  // a transition under way: instance.update would change nothing
      continue;
    }
    f.resize(15);
    instance_row r;
    r.uuid = f[0];
    r.host = f[1];
    r.project = f[2];
    r.display_name = f[3];
    r.online = f[4] == "+";
    r.cloud = f[5];
    r.flavorid = f[6];
    r.flavor_name = f[7];
    r.vcpus = number_or_null(f[8]);
    r.memory_mb = number_or_null(f[9]);
    r.root_gb = number_or_null(f[10]);
    r.image_uuid = f[11];
    r.key_name = f[12];
    r.data_volume_gb = number_or_null(f[13]);
    r.ip = f[14];
    rows.push_back(std::move(r));
  }
  if (skipped)
    std::cerr << "bench-ingest: skipped " << skipped << " instances in transition\n";
  if (rows.empty())
    throw std::runtime_error(path + ": no online or offline instance");
  return rows;
}

json text_or_null(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json nova_object(const char* name, const char* version, json data) {
  return {{"nova_object.name", name},
          {"nova_object.namespace", "nova"},
          {"nova_object.version", version},
          {"nova_object.data", std::move(data)}};
}

// Nova's InstanceActionPayload, as docs/compute-contract.md describes it and
// the simulated cloud sends it.
json instance_payload(const instance_row& r, bool active) {
  json flavor = nullptr;
  if (!r.flavorid.empty())
    flavor = nova_object("FlavorPayload", "1.4",
                         {{"flavorid", r.flavorid}, {"name", text_or_null(r.flavor_name)},
                          {"vcpus", r.vcpus}, {"memory_mb", r.memory_mb},
                          {"root_gb", r.root_gb}, {"ephemeral_gb", 0}, {"swap", 0}});
  json ips = json::array();
  if (!r.ip.empty())
    ips.push_back(nova_object("IpPayload", "1.0",
                              {{"address", r.ip}, {"label", "internal"}, {"version", 4},
                               {"device_name", nullptr}, {"mac", nullptr},
                               {"port_uuid", nullptr}, {"meta", json::object()}}));
  return nova_object("InstanceActionPayload", "1.8",
                     {{"uuid", r.uuid},
                      {"display_name", text_or_null(r.display_name)},
                      {"host", text_or_null(r.host)},
                      {"node", text_or_null(r.host)},
                      {"cloud", text_or_null(r.cloud)},
                      {"state", active ? "active" : "stopped"},
                      {"power_state", active ? "running" : "shutdown"},
                      {"task_state", nullptr},
                      {"tenant_id", text_or_null(r.project)},
                      {"flavor", std::move(flavor)},
                      {"image_uuid", text_or_null(r.image_uuid)},
                      {"key_name", text_or_null(r.key_name)},
                      {"security_groups", json::array()},
                      {"data_volume_gb", r.data_volume_gb},
                      {"ip_addresses", std::move(ips)},
                      {"request_id", "req-" + steward::make_uuid()},
                      {"fault", nullptr}});
}

// Notification `i` of the run: pass i / n over the instances; even passes
// turn an instance away from its stored state, odd passes back.
steward::bus::notification update_of(const std::vector<instance_row>& rows, std::size_t i) {
  const instance_row& r = rows[i % rows.size()];
  bool away = (i / rows.size()) % 2 == 0;
  bool active = away ? !r.online : r.online;
  return steward::bus::make_notification("nova-compute:" + r.host, "instance.update", "INFO",
                                         instance_payload(r, active), steward::now());
}

// ----- publishing with confirms --------------------------------------------------

struct confirms {
  std::set<uint64_t> waiting;  // delivery tags the broker has not confirmed yet
  uint64_t next_tag = 1;       // confirm.select numbers publishes from 1
  std::size_t nacked = 0;
};

void settle(confirms& c, uint64_t tag, bool multiple, bool acked) {
  auto first = multiple ? c.waiting.begin() : c.waiting.find(tag);
  auto last = multiple ? c.waiting.upper_bound(tag)
                       : (first == c.waiting.end() ? first : std::next(first));
  if (!acked)
    c.nacked += static_cast<std::size_t>(std::distance(first, last));
  c.waiting.erase(first, last);
}

// Reads the broker's frames: waits up to `wait` for the first, then takes
// what is already there. rabbitmq-c 0.11 has no helper for confirms.
void read_confirms(broker& b, confirms& c, std::chrono::milliseconds wait) {
  timeval tv = timeval_of(wait);
  for (;;) {
    amqp_frame_t frame;
    int rc = amqp_simple_wait_frame_noblock(b.get(), &frame, &tv);
    if (rc == AMQP_STATUS_TIMEOUT)
      break;
    if (rc != AMQP_STATUS_OK)
      throw std::runtime_error(std::string("reading confirms: ") + amqp_error_string2(rc));
    tv = timeval_of(std::chrono::milliseconds(0));
    if (frame.frame_type != AMQP_FRAME_METHOD)
      continue;
    const amqp_method_t& m = frame.payload.method;
    if (m.id == AMQP_BASIC_ACK_METHOD) {
      auto* a = static_cast<amqp_basic_ack_t*>(m.decoded);
      settle(c, a->delivery_tag, a->multiple != 0, true);
    } else if (m.id == AMQP_BASIC_NACK_METHOD) {
      auto* n = static_cast<amqp_basic_nack_t*>(m.decoded);
      settle(c, n->delivery_tag, n->multiple != 0, false);
    } else if (m.id == AMQP_CHANNEL_CLOSE_METHOD || m.id == AMQP_CONNECTION_CLOSE_METHOD) {
      throw std::runtime_error(describe_method(m));
    }
  }
  amqp_maybe_release_buffers(b.get());
}

// Waits until at most `left` publishes are unconfirmed.
void await_confirms(broker& b, confirms& c, std::size_t left) {
  auto last_progress = steady::now();
  while (c.waiting.size() > left) {
    auto before = c.waiting.size();
    read_confirms(b, c, std::chrono::milliseconds(100));
    if (c.waiting.size() < before)
      last_progress = steady::now();
    else if (steady::now() - last_progress > broker_silence)
      throw std::runtime_error("the broker confirmed nothing for 30 s (a resource alarm?)");
  }
}

void publish_one(broker& b, const std::string& exchange, const std::string& key,
                 const steward::bus::notification& n) {
  std::string body = steward::bus::encode_v2(n);
  amqp_basic_properties_t props{};
  // What stewardd's own publisher (and so the simulated cloud) sends.
  props._flags = AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG
                 | AMQP_BASIC_MESSAGE_ID_FLAG;
  props.content_type = amqp_cstring_bytes("application/json");
  props.delivery_mode = 2;  // persistent
  props.message_id = bytes_of(n.message_id);
  int rc = amqp_basic_publish(b.get(), work_channel, bytes_of(exchange), bytes_of(key),
                              /*mandatory=*/0, /*immediate=*/0, &props, bytes_of(body));
  if (rc != AMQP_STATUS_OK)
    throw std::runtime_error(std::string("basic.publish: ") + amqp_error_string2(rc));
}

int publish(const std::string& url, const std::string& exchange, const std::string& key,
            std::size_t count, const std::string& instances_file, const std::string& queue) {
  auto rows = read_instances(instances_file);
  broker b(url);
  b.ensure_exchange(exchange);
  if (!queue.empty())
    b.fresh_queue(queue, exchange, key);
  amqp_confirm_select(b.get(), work_channel);
  b.check("confirm.select");
  confirms c;
  auto began = steady::now();
  for (std::size_t i = 0; i < count; ++i) {
    publish_one(b, exchange, key, update_of(rows, i));
    c.waiting.insert(c.next_tag++);
    if (c.waiting.size() >= confirm_window)
      await_confirms(b, c, confirm_window / 2);
    else if (i % confirm_read_every == 0)
      read_confirms(b, c, std::chrono::milliseconds(0));
  }
  await_confirms(b, c, 0);
  double secs = seconds_since(began);
  if (c.nacked)
    throw std::runtime_error("the broker refused " + std::to_string(c.nacked) + " messages");
  auto out = rate_line("published", count, secs);
  out["instances"] = rows.size();
  std::cout << out.dump() << std::endl;
  return 0;
}

// ----- the null consumer ------------------------------------------------------------

// amqp_consume_message met another frame than a delivery: anything but a
// close is of no interest here.
void read_other_frame(broker& b) {
  amqp_frame_t frame;
  timeval now = timeval_of(std::chrono::milliseconds(0));
  int rc = amqp_simple_wait_frame_noblock(b.get(), &frame, &now);
  if (rc == AMQP_STATUS_TIMEOUT)
    return;
  if (rc != AMQP_STATUS_OK)
    throw std::runtime_error(std::string("reading a frame: ") + amqp_error_string2(rc));
  if (frame.frame_type == AMQP_FRAME_METHOD
      && (frame.payload.method.id == AMQP_CHANNEL_CLOSE_METHOD
          || frame.payload.method.id == AMQP_CONNECTION_CLOSE_METHOD
          || frame.payload.method.id == AMQP_BASIC_CANCEL_METHOD))
    throw std::runtime_error(describe_method(frame.payload.method));
}

int null_consume(const std::string& url, const std::string& queue, std::size_t count,
                 uint16_t prefetch) {
  broker b(url);
  amqp_basic_qos(b.get(), work_channel, 0, prefetch, /*global=*/0);
  b.check("basic.qos");
  amqp_basic_consume(b.get(), work_channel, bytes_of(queue), amqp_empty_bytes, /*no_local=*/0,
                     /*no_ack=*/0, /*exclusive=*/0, amqp_empty_table);
  b.check("basic.consume '" + queue + "'");
  std::size_t consumed = 0;
  steady::time_point began;
  while (consumed < count) {
    amqp_maybe_release_buffers(b.get());
    amqp_envelope_t env;
    timeval wait = timeval_of(broker_silence);
    amqp_rpc_reply_t r = amqp_consume_message(b.get(), &env, &wait, 0);
    if (r.reply_type == AMQP_RESPONSE_NORMAL) {
      if (consumed == 0)
        began = steady::now();
      // One ack per message, not `multiple`: stewardd acks each as it is stored.
      int rc = amqp_basic_ack(b.get(), work_channel, env.delivery_tag, /*multiple=*/0);
      amqp_destroy_envelope(&env);
      if (rc != AMQP_STATUS_OK)
        throw std::runtime_error(std::string("basic.ack: ") + amqp_error_string2(rc));
      ++consumed;
    } else if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION
               && r.library_error == AMQP_STATUS_UNEXPECTED_STATE) {
      read_other_frame(b);
    } else if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION
               && r.library_error == AMQP_STATUS_TIMEOUT) {
      throw std::runtime_error("nothing delivered for 30 s after " + std::to_string(consumed)
                               + " messages");
    } else {
      throw std::runtime_error("consume: " + describe_reply(r));
    }
  }
  double secs = seconds_since(began);
  std::cout << rate_line("consumed", consumed, secs).dump() << std::endl;
  return 0;
}

// ----- stewardd's processed ids ----------------------------------------------------

// stewardd's store opened read-only beside it (WAL: readers do not block its
// writer, and each query sees the last commit).
class processed_table {
public:
  explicit processed_table(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
      throw std::runtime_error("cannot open " + path + ": " + sqlite3_errmsg(db_));
    sqlite3_busy_timeout(db_, 5000);
    // The highest seq is one B-tree descent, cheap enough to ask every few
    // ms; counting rows is not, so it is asked once, at the end.
    top_ = prepare("SELECT COALESCE(MAX(seq), 0) FROM processed");
    since_ = prepare("SELECT COUNT(*) FROM processed WHERE seq > ?");
  }
  ~processed_table() {
    sqlite3_finalize(top_);
    sqlite3_finalize(since_);
    sqlite3_close(db_);
  }
  processed_table(const processed_table&) = delete;
  processed_table& operator=(const processed_table&) = delete;

  // Ids are numbered in commit order (AUTOINCREMENT), and pruning removes
  // only the oldest: the highest number only grows.
  int64_t highest_seq() { return single(top_); }

  int64_t count_after(int64_t seq) {
    sqlite3_bind_int64(since_, 1, seq);
    return single(since_);
  }

private:
  sqlite3_stmt* prepare(const char* text) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, text, -1, &st, nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string("SQLite: ") + sqlite3_errmsg(db_));
    return st;
  }

  int64_t single(sqlite3_stmt* st) {
    int rc = sqlite3_step(st);
    int64_t v = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
      throw std::runtime_error(std::string("SQLite: ") + sqlite3_errmsg(db_));
    return v;
  }

  sqlite3* db_ = nullptr;
  sqlite3_stmt* top_ = nullptr;
  sqlite3_stmt* since_ = nullptr;
};

int wait_processed(const std::string& db, std::size_t count, pid_t resume, double timeout) {
  processed_table table(db);
  const int64_t from = table.highest_seq();
  const int64_t target = from + static_cast<int64_t>(count);
  auto began = steady::now();
  if (resume > 0 && kill(resume, SIGCONT) != 0)
    throw std::runtime_error("cannot resume process " + std::to_string(resume));
  // Numbers skipped by an ignored insert (a copy of an id already stored)
  // would let the highest seq arrive early: the count then decides.
  int64_t seen = 0;
  bool timed_out = false;
  while (!timed_out) {
    if (table.highest_seq() >= target && (seen = table.count_after(from)) >= int64_t(count))
      break;
    timed_out = seconds_since(began) > timeout;
    std::this_thread::sleep_for(poll_interval);
  }
  double secs = seconds_since(began);
  if (timed_out)
    seen = table.count_after(from);
  auto out = rate_line("processed", static_cast<std::size_t>(seen), secs);
  out["expected"] = count;
  out["from_seq"] = from;  // `processed` rows with a higher seq are this run's
  std::cout << out.dump() << std::endl;
  if (timed_out)
    std::cerr << "bench-ingest: " << seen << " of " << count << " processed after " << secs
              << " s\n";
  return timed_out ? 1 : 0;
}

// ----- the command line ------------------------------------------------------------------

std::size_t positive(const std::string& text, const char* what) {
  char* end = nullptr;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (end == text.c_str() || *end != '\0' || v <= 0)
    throw std::runtime_error(std::string(what) + " must be a positive number, not '" + text + "'");
  return static_cast<std::size_t>(v);
}

// The value after `flag` among args[from..], or `fallback`.
std::string option(const std::vector<std::string>& args, std::size_t from, const char* flag,
                   const std::string& fallback = "") {
  for (std::size_t i = from; i + 1 < args.size(); ++i)
    if (args[i] == flag)
      return args[i + 1];
  return fallback;
}

int usage() {
  std::cerr << "usage:\n"
               "  bench-ingest publish URL EXCHANGE ROUTING_KEY COUNT INSTANCES_FILE"
               " [--declare-queue Q]\n"
               "  bench-ingest null-consume URL QUEUE COUNT PREFETCH\n"
               "  bench-ingest wait-processed DB COUNT [--resume PID] [--timeout SECONDS]\n";
  return 2;
}

int run(const std::vector<std::string>& args) {
  const std::string mode = args.empty() ? "" : args[0];
  if (mode == "publish" && args.size() >= 6)
    return publish(args[1], args[2], args[3], positive(args[4], "COUNT"), args[5],
                   option(args, 6, "--declare-queue"));
  if (mode == "null-consume" && args.size() == 5) {
    auto prefetch = positive(args[4], "PREFETCH");
    if (prefetch > 65535)
      throw std::runtime_error("PREFETCH must fit basic.qos (at most 65535)");
    return null_consume(args[1], args[2], positive(args[3], "COUNT"),
                        static_cast<uint16_t>(prefetch));
  }
  if (mode == "wait-processed" && args.size() >= 3) {
    auto pid = static_cast<pid_t>(std::atoll(option(args, 3, "--resume", "0").c_str()));
    double timeout = std::atof(option(args, 3, "--timeout", "600").c_str());
    return wait_processed(args[1], positive(args[2], "COUNT"), pid, timeout);
  }
  return usage();
}

} // namespace

int main(int argc, char** argv) {
  try {
    return run(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const std::exception& e) {
    std::cerr << "bench-ingest: " << e.what() << "\n";
    return 1;
  }
}
