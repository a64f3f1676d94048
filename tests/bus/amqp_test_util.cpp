#include "amqp_test_util.hpp"

#include <amqp.h>
#include <amqp_tcp_socket.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "common/ids.hpp"

namespace steward::bus::test {

using namespace std::chrono_literals;

namespace {

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

std::string reply_text(const amqp_rpc_reply_t& r) {
  switch (r.reply_type) {
    case AMQP_RESPONSE_NORMAL: return "ok";
    case AMQP_RESPONSE_NONE: return "no reply";
    case AMQP_RESPONSE_LIBRARY_EXCEPTION: return amqp_error_string2(r.library_error);
    case AMQP_RESPONSE_SERVER_EXCEPTION:
      if (r.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
        auto* c = static_cast<amqp_channel_close_t*>(r.reply.decoded);
        return "channel closed: " + std::to_string(c->reply_code) + " " + string_of(c->reply_text);
      }
      if (r.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
        auto* c = static_cast<amqp_connection_close_t*>(r.reply.decoded);
        return "connection closed: " + std::to_string(c->reply_code) + " " + string_of(c->reply_text);
      }
      return "server exception";
  }
  return "?";
}

// Connects, logs in, opens channel 1. Returns nullptr and says why.
amqp_connection_state_t connect(const transport_url& url, std::string& error) {
  const amqp_endpoint& ep = url.hosts.front();
  amqp_connection_state_t conn = amqp_new_connection();
  amqp_socket_t* sock = amqp_tcp_socket_new(conn);
  timeval tv{5, 0};
  int rc = amqp_socket_open_noblock(sock, ep.host.c_str(), ep.port, &tv);
  if (rc != AMQP_STATUS_OK) {
    error = std::string("connect: ") + amqp_error_string2(rc);
    amqp_destroy_connection(conn);
    return nullptr;
  }
  timeval rpc{15, 0};
  amqp_set_rpc_timeout(conn, &rpc);
  amqp_rpc_reply_t r = amqp_login(conn, url.vhost.c_str(), 0, 131072, 30, AMQP_SASL_METHOD_PLAIN,
                                  ep.user.c_str(), ep.password.c_str());
  if (r.reply_type == AMQP_RESPONSE_NORMAL) {
    amqp_channel_open(conn, 1);
    r = amqp_get_rpc_reply(conn);
  }
  if (r.reply_type != AMQP_RESPONSE_NORMAL) {
    error = "login: " + reply_text(r);
    amqp_destroy_connection(conn);
    return nullptr;
  }
  return conn;
}

void close_connection(amqp_connection_state_t conn, bool polite) {
  if (conn == nullptr) return;
  if (polite) amqp_connection_close(conn, AMQP_REPLY_SUCCESS);
  amqp_destroy_connection(conn);
}

} // namespace

std::optional<transport_url> test_broker() {
  const char* env = std::getenv("STEWARD_TEST_AMQP_URL");
  if (env == nullptr || *env == '\0') return std::nullopt;
  std::string error;
  auto url = parse_transport_url(env, error);
  if (!url) throw std::runtime_error("STEWARD_TEST_AMQP_URL: " + error);
  return url;
}

std::string unique_name(const std::string& prefix) { return prefix + "." + random_hex(6); }

// ---------------------------------------------------------------------------
// admin_connection
// ---------------------------------------------------------------------------

admin_connection::admin_connection(const transport_url& url) {
  std::string error;
  conn_ = connect(url, error);
  if (conn_ == nullptr) throw std::runtime_error("admin connection: " + error);
}

admin_connection::~admin_connection() { close_connection(conn_, true); }

void admin_connection::check(const std::string& what) {
  amqp_rpc_reply_t r = amqp_get_rpc_reply(conn_);
  if (r.reply_type != AMQP_RESPONSE_NORMAL) throw std::runtime_error(what + ": " + reply_text(r));
}

void admin_connection::reopen_channel() {
  amqp_channel_close_ok_t ok{};
  amqp_send_method(conn_, 1, AMQP_CHANNEL_CLOSE_OK_METHOD, &ok);
  amqp_channel_open(conn_, 1);
  check("channel.open");
}

void admin_connection::declare_exchange(const std::string& name, const std::string& type,
                                        bool durable) {
  amqp_exchange_declare(conn_, 1, bytes_of(name), bytes_of(type), 0, durable, 0, 0,
                        amqp_empty_table);
  amqp_rpc_reply_t r = amqp_get_rpc_reply(conn_);
  if (r.reply_type == AMQP_RESPONSE_SERVER_EXCEPTION && r.reply.id == AMQP_CHANNEL_CLOSE_METHOD &&
      static_cast<amqp_channel_close_t*>(r.reply.decoded)->reply_code == AMQP_PRECONDITION_FAILED) {
    reopen_channel();  // it exists with other flags; fine for a test
    return;
  }
  if (r.reply_type != AMQP_RESPONSE_NORMAL) {
    throw std::runtime_error("exchange.declare " + name + ": " + reply_text(r));
  }
}

void admin_connection::declare_queue(const std::string& name, bool durable) {
  amqp_queue_declare(conn_, 1, bytes_of(name), 0, durable, 0, 0, amqp_empty_table);
  check("queue.declare " + name);
}

void admin_connection::declare_bounded_queue(const std::string& name, int max_length) {
  amqp_table_entry_t entries[2];
  entries[0].key = amqp_cstring_bytes("x-max-length");
  entries[0].value.kind = AMQP_FIELD_KIND_I32;
  entries[0].value.value.i32 = max_length;
  entries[1].key = amqp_cstring_bytes("x-overflow");
  entries[1].value.kind = AMQP_FIELD_KIND_UTF8;
  entries[1].value.value.bytes = amqp_cstring_bytes("reject-publish");
  amqp_table_t args{2, entries};
  amqp_queue_declare(conn_, 1, bytes_of(name), 0, /*durable=*/0, 0, 0, args);
  check("queue.declare " + name);
}

void admin_connection::bind(const std::string& queue, const std::string& exchange,
                            const std::string& key) {
  amqp_queue_bind(conn_, 1, bytes_of(queue), bytes_of(exchange), bytes_of(key), amqp_empty_table);
  check("queue.bind " + queue);
}

void admin_connection::delete_queue(const std::string& name) {
  amqp_queue_delete(conn_, 1, bytes_of(name), 0, 0);
  check("queue.delete " + name);
}

void admin_connection::delete_exchange(const std::string& name) {
  amqp_exchange_delete(conn_, 1, bytes_of(name), 0);
  check("exchange.delete " + name);
}

uint32_t admin_connection::message_count(const std::string& queue) {
  amqp_queue_declare_ok_t* ok =
      amqp_queue_declare(conn_, 1, bytes_of(queue), /*passive=*/1, 0, 0, 0, amqp_empty_table);
  check("queue.declare passive " + queue);
  return ok->message_count;
}

// ---------------------------------------------------------------------------
// reliable_publisher
// ---------------------------------------------------------------------------

reliable_publisher::reliable_publisher(transport_url url, std::string exchange,
                                       std::string routing_key)
    : url_(std::move(url)), exchange_(std::move(exchange)), key_(std::move(routing_key)) {
  thread_ = std::thread([this] { run(); });
}

reliable_publisher::~reliable_publisher() {
  {
    std::lock_guard<std::mutex> l(m_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void reliable_publisher::send(const std::string& message_id, const std::string& body) {
  {
    std::lock_guard<std::mutex> l(m_);
    to_send_.push_back(message{message_id, body});
    ++sent_;
  }
  cv_.notify_all();
}

std::size_t reliable_publisher::delivered() const {
  std::lock_guard<std::mutex> l(m_);
  return delivered_;
}

bool reliable_publisher::wait_all_delivered(std::chrono::seconds deadline) {
  std::unique_lock<std::mutex> l(m_);
  return cv_.wait_for(l, deadline, [&] { return delivered_ == sent_; });
}

void reliable_publisher::run() {
  for (;;) {
    {
      std::lock_guard<std::mutex> l(m_);
      if (stop_) return;
    }
    std::string error;
    amqp_connection_state_t conn = connect(url_, error);
    if (conn != nullptr) {
      amqp_confirm_select(conn, 1);
      if (amqp_get_rpc_reply(conn).reply_type == AMQP_RESPONSE_NORMAL) error = session(conn);
      close_connection(conn, error.empty());
    }
    std::unique_lock<std::mutex> l(m_);
    cv_.wait_for(l, 200ms, [&] { return stop_; });  // the broker is away: retry soon
  }
}

std::string reliable_publisher::session(amqp_connection_state_t conn) {
  std::map<uint64_t, message> in_flight;
  uint64_t next_tag = 1;
  std::string error;
  while (error.empty()) {
    std::vector<message> batch;
    {
      std::unique_lock<std::mutex> l(m_);
      if (backing_off_) {
        // Unroutable: the queue is not bound yet. Do not spin.
        cv_.wait_for(l, 50ms, [&] { return stop_; });
        backing_off_ = false;
      }
      if (stop_) break;
      if (in_flight.empty()) cv_.wait_for(l, 20ms, [&] { return stop_ || !to_send_.empty(); });
      while (!to_send_.empty() && in_flight.size() + batch.size() < 256) {
        batch.push_back(std::move(to_send_.front()));
        to_send_.pop_front();
      }
    }
    for (message& msg : batch) {
      amqp_basic_properties_t props{};
      props._flags = AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG |
                     AMQP_BASIC_MESSAGE_ID_FLAG;
      props.content_type = amqp_cstring_bytes("application/json");
      props.delivery_mode = 2;
      props.message_id = bytes_of(msg.id);
      int rc = amqp_basic_publish(conn, 1, bytes_of(exchange_), bytes_of(key_), /*mandatory=*/1,
                                  0, &props, bytes_of(msg.body));
      in_flight.emplace(next_tag++, std::move(msg));  // even on failure: requeued below
      if (rc != AMQP_STATUS_OK) {
        error = std::string("publish: ") + amqp_error_string2(rc);
      }
    }
    // Read what came back: returns, acks, nacks, closes.
    timeval tv{0, in_flight.empty() ? 0 : 50 * 1000};
    while (error.empty()) {
      amqp_frame_t frame;
      int rc = amqp_simple_wait_frame_noblock(conn, &frame, &tv);
      if (rc == AMQP_STATUS_TIMEOUT) break;
      tv = timeval{0, 0};
      if (rc != AMQP_STATUS_OK) {
        error = std::string("wait frame: ") + amqp_error_string2(rc);
        break;
      }
      if (frame.frame_type != AMQP_FRAME_METHOD) continue;
      switch (frame.payload.method.id) {
        case AMQP_BASIC_RETURN_METHOD: {
          amqp_message_t returned;
          amqp_rpc_reply_t r = amqp_read_message(conn, frame.channel, &returned, 0);
          if (r.reply_type != AMQP_RESPONSE_NORMAL) {
            error = "read returned: " + reply_text(r);
            break;
          }
          std::lock_guard<std::mutex> l(m_);
          returned_.insert(string_of(returned.properties.message_id));
          amqp_destroy_message(&returned);
          break;
        }
        case AMQP_BASIC_ACK_METHOD: {
          auto* ack = static_cast<amqp_basic_ack_t*>(frame.payload.method.decoded);
          settle(in_flight, ack->delivery_tag, ack->multiple != 0, true);
          break;
        }
        case AMQP_BASIC_NACK_METHOD: {
          auto* nack = static_cast<amqp_basic_nack_t*>(frame.payload.method.decoded);
          settle(in_flight, nack->delivery_tag, nack->multiple != 0, false);
          break;
        }
        case AMQP_CHANNEL_CLOSE_METHOD:
        case AMQP_CONNECTION_CLOSE_METHOD:
          error = "closed by the broker";
          break;
        default:
          break;
      }
    }
    amqp_maybe_release_buffers(conn);
  }
  // Whatever was not confirmed goes out again on the next connection.
  std::lock_guard<std::mutex> l(m_);
  for (auto it = in_flight.rbegin(); it != in_flight.rend(); ++it) {
    to_send_.push_front(std::move(it->second));
  }
  return error;
}

void reliable_publisher::settle(std::map<uint64_t, message>& in_flight, uint64_t tag,
                                bool multiple, bool ok) {
  auto first = multiple ? in_flight.begin() : in_flight.find(tag);
  auto last = multiple ? in_flight.upper_bound(tag)
                       : (first == in_flight.end() ? first : std::next(first));
  {
    std::lock_guard<std::mutex> l(m_);
    for (auto it = first; it != last; ++it) {
      bool was_returned = returned_.erase(it->second.id) != 0;
      if (ok && !was_returned) {
        ++delivered_;
      } else {
        backing_off_ = backing_off_ || was_returned;
        to_send_.push_back(std::move(it->second));
      }
    }
  }
  in_flight.erase(first, last);
  cv_.notify_all();
}

// ---------------------------------------------------------------------------
// queue_recorder
// ---------------------------------------------------------------------------

queue_recorder::queue_recorder(transport_url url, std::string queue)
    : url_(std::move(url)), queue_(std::move(queue)) {
  thread_ = std::thread([this] { run(); });
}

queue_recorder::~queue_recorder() {
  stop_ = true;
  thread_.join();
}

std::vector<received> queue_recorder::messages() const {
  std::lock_guard<std::mutex> l(m_);
  return messages_;
}

std::set<std::string> queue_recorder::ids() const {
  std::lock_guard<std::mutex> l(m_);
  std::set<std::string> out;
  for (const auto& r : messages_) out.insert(r.message_id);
  return out;
}

bool queue_recorder::wait_for(const std::set<std::string>& wanted,
                              std::chrono::seconds deadline) const {
  return eventually(
      [&] {
        auto seen = ids();
        for (const auto& id : wanted) {
          if (seen.count(id) == 0) return false;
        }
        return true;
      },
      deadline);
}

void queue_recorder::run() {
  while (!stop_) {
    std::string error;
    amqp_connection_state_t conn = connect(url_, error);
    if (conn != nullptr) {
      error = session(conn);
      close_connection(conn, error.empty());
    }
    if (!stop_) std::this_thread::sleep_for(200ms);
  }
}

std::string queue_recorder::session(amqp_connection_state_t conn) {
  amqp_basic_qos(conn, 1, 0, 100, 0);
  amqp_basic_consume(conn, 1, bytes_of(queue_), amqp_empty_bytes, 0, /*no_ack=*/0, 0,
                     amqp_empty_table);
  amqp_rpc_reply_t r = amqp_get_rpc_reply(conn);
  if (r.reply_type != AMQP_RESPONSE_NORMAL) return "consume: " + reply_text(r);
  while (!stop_) {
    amqp_maybe_release_buffers(conn);
    amqp_envelope_t env;
    timeval tv{0, 100 * 1000};
    r = amqp_consume_message(conn, &env, &tv, 0);
    if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION && r.library_error == AMQP_STATUS_TIMEOUT) {
      continue;
    }
    if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION &&
        r.library_error == AMQP_STATUS_UNEXPECTED_STATE) {
      amqp_frame_t frame;
      timeval zero{0, 0};
      if (amqp_simple_wait_frame_noblock(conn, &frame, &zero) != AMQP_STATUS_OK) return "frame";
      if (frame.frame_type == AMQP_FRAME_METHOD &&
          (frame.payload.method.id == AMQP_CHANNEL_CLOSE_METHOD ||
           frame.payload.method.id == AMQP_CONNECTION_CLOSE_METHOD ||
           frame.payload.method.id == AMQP_BASIC_CANCEL_METHOD)) {
        return "closed by the broker";
      }
      continue;
    }
    if (r.reply_type != AMQP_RESPONSE_NORMAL) return "consume: " + reply_text(r);
    received msg;
    const amqp_basic_properties_t& p = env.message.properties;
    if (p._flags & AMQP_BASIC_MESSAGE_ID_FLAG) msg.message_id = string_of(p.message_id);
    if (p._flags & AMQP_BASIC_CONTENT_TYPE_FLAG) msg.content_type = string_of(p.content_type);
    if (p._flags & AMQP_BASIC_DELIVERY_MODE_FLAG) msg.delivery_mode = p.delivery_mode;
    msg.exchange = string_of(env.exchange);
    msg.routing_key = string_of(env.routing_key);
    msg.body = string_of(env.message.body);
    if (p._flags & AMQP_BASIC_HEADERS_FLAG)
      for (int i = 0; i < p.headers.num_entries; ++i) {
        auto& e = p.headers.entries[i];
        if (e.value.kind == AMQP_FIELD_KIND_UTF8 || e.value.kind == AMQP_FIELD_KIND_BYTES)
          msg.headers[string_of(e.key)] = string_of(e.value.value.bytes);
      }
    uint64_t tag = env.delivery_tag;
    amqp_destroy_envelope(&env);
    {
      std::lock_guard<std::mutex> l(m_);
      messages_.push_back(std::move(msg));
    }
    if (amqp_basic_ack(conn, 1, tag, 0) != AMQP_STATUS_OK) return "ack";
  }
  return {};
}

// ---------------------------------------------------------------------------
// child_process
// ---------------------------------------------------------------------------

child_process::child_process(const std::vector<std::string>& argv) {
  int out[2];
  int in[2];
  if (::pipe(out) != 0 || ::pipe(in) != 0) throw std::runtime_error("pipe");
  // Built before fork(): the child of a threaded process must not allocate.
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork");
  if (pid_ == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    ::dup2(in[0], STDIN_FILENO);
    ::close(out[0]);
    ::close(out[1]);
    ::close(in[0]);
    ::close(in[1]);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(out[1]);
  ::close(in[0]);
  fd_ = out[0];
  stdin_fd_ = in[1];  // closing it tells the child to finish
}

child_process::~child_process() {
  if (stdin_fd_ >= 0) ::close(stdin_fd_);
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    int status = 0;
    int waited = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (++waited == 200) {  // ten seconds: it is stuck
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(50ms);
    }
  }
  if (fd_ >= 0) ::close(fd_);
}

std::optional<std::string> child_process::read_line(std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    auto nl = buffer_.find('\n');
    if (nl != std::string::npos) {
      std::string line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      return line;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    pollfd p{fd_, POLLIN, 0};
    int rc = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (rc < 0) return std::nullopt;
    if (rc == 0) continue;
    char chunk[4096];
    ssize_t n = ::read(fd_, chunk, sizeof chunk);
    if (n <= 0) return std::nullopt;  // EOF: the child is gone
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

int run_command(const std::string& command) { return std::system(command.c_str()); }

} // namespace steward::bus::test
