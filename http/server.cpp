// The HTTP/1.1 server, the only place that knows Boost.Beast.
//
// Shape (after the structure of Beast's "advanced server" example):
// - one io_context, run by `io_threads` threads;
// - a listener accepts connections; each socket is bound to its own strand,
//   so the handlers of one connection never run concurrently and a session
//   needs no locks of its own;
// - a session reads one request, gives it to the request_handler, waits for
//   the response (which may come later, from any thread), writes it, and only
//   then reads the next request: pipelined requests are answered in order;
// - a response carrying an event_stream turns the session into a writer of
//   Server-Sent Events until the stream or the client ends.
#include "http/server.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <chrono>
#include <iomanip>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "common/ids.hpp"
#include "common/log.hpp"
#include "http/event_stream.hpp"

namespace steward::http {

namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using steady = std::chrono::steady_clock;

// After a response that closes the connection, how long the client gets to
// close its side while we discard what it still sends (see close_gracefully).
constexpr auto linger_time = std::chrono::seconds(2);
// Pause before accepting again after accept failed (e.g. out of descriptors),
// so the failure does not turn into a busy loop.
constexpr auto accept_retry_delay = std::chrono::milliseconds(100);
constexpr std::size_t max_request_id_length = 128;
constexpr std::size_t first_read_size = 4096;

std::string str(beast::string_view text) { return std::string(text.data(), text.size()); }

std::string to_lower(std::string text) {
  for (auto& c : text)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

double millis_since(steady::time_point start) {
  return std::chrono::duration<double, std::milli>(steady::now() - start).count();
}

// A client-chosen request id is kept only when it is a plain token that is
// safe to echo in a header and to print in a log line.
bool is_sane_request_id(beast::string_view id) {
  if (id.empty() || id.size() > max_request_id_length)
    return false;
  return std::all_of(id.begin(), id.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

std::string choose_request_id(const bhttp::fields& fields) {
  for (const char* name : {"X-Openstack-Request-Id", "X-Request-Id"}) {
    auto it = fields.find(name);
    if (it != fields.end() && is_sane_request_id(it->value()))
      return str(it->value());
  }
  return "req-" + make_uuid();
}

std::string describe_peer(const tcp::socket& socket) {
  beast::error_code ec;
  auto endpoint = socket.remote_endpoint(ec);
  if (ec)
    return "-";
  std::string host = endpoint.address().to_string();
  if (endpoint.address().is_v6())
    host = "[" + host + "]";
  return host + ":" + std::to_string(endpoint.port());
}

response error_response(int status, const std::string& message) {
  response res;
  res.status = status;
  res.body = nlohmann::json{{"error", {{"code", status}, {"message", message}}}}.dump();
  return res;
}

// Errors of Beast's HTTP parser mean the client sent something that is not
// HTTP; the two that mean "the client went away" are not worth an answer.
bool is_parse_error(beast::error_code ec) {
  static const auto& http_category = bhttp::make_error_code(bhttp::error::bad_method).category();
  return ec.category() == http_category && ec != bhttp::error::end_of_stream &&
         ec != bhttp::error::partial_message;
}

template <class Body>
void set_server_headers(bhttp::response<Body>& msg, const std::string& request_id) {
  msg.set(bhttp::field::server, "stewardd");
  msg.set("X-Openstack-Request-Id", request_id);
  msg.set("X-Request-Id", request_id);
}

// The handler's own headers. Framing headers are the server's business (a
// wrong Content-Length would corrupt the connection), and a line break in a
// name or value would let a value inject headers of its own.
template <class Body>
void add_handler_headers(bhttp::response<Body>& msg,
                         const std::vector<std::pair<std::string, std::string>>& headers) {
  for (const auto& [name, value] : headers) {
    auto lower = to_lower(name);
    if (lower == "content-length" || lower == "transfer-encoding" || lower == "connection")
      continue;
    if (name.empty() || name.find_first_of("\r\n:") != std::string::npos ||
        value.find_first_of("\r\n") != std::string::npos) {
      LOG_WARN("http", "dropping invalid response header '" << name << "'");
      continue;
    }
    msg.insert(name, value);
  }
}

// What a request handler sees: no sockets, no Beast.
request to_request(bhttp::request<bhttp::string_body>&& msg, std::string request_id,
                   const std::string& remote) {
  request req;
  req.method = str(msg.method_string());
  req.target = str(msg.target());
  auto question = req.target.find('?');
  req.path = url_decode(req.target.substr(0, question), false);
  if (question != std::string::npos)
    req.query = parse_query(req.target.substr(question + 1));
  for (const auto& field : msg) {
    auto [it, fresh] = req.headers.emplace(to_lower(str(field.name_string())), str(field.value()));
    if (!fresh) // a repeated header is one comma-separated list (RFC 7230, 3.2.2)
      it->second += ", " + str(field.value());
  }
  req.body = std::move(msg.body());
  req.request_id = std::move(request_id);
  req.remote = remote;
  return req;
}

// Every respond_fn and every stream wake-up holds the gate. They may be
// called from any thread at any time, also after the server stopped and its
// io_context is gone; from stop() on the gate makes them no-ops. The lock is
// held while posting, so stop() cannot tear the io_context down mid-post.
// Recursive because work done under the lock may drop the last reference to
// a session, whose destructor closes its stream, whose wake-up comes back here.
class post_gate {
public:
  template <class F>
  void run_if_open(F&& f) {
    std::lock_guard<std::recursive_mutex> guard{mtx_};
    if (open_)
      f();
  }
  void close() {
    std::lock_guard<std::recursive_mutex> guard{mtx_};
    open_ = false;
  }

private:
  std::recursive_mutex mtx_;
  bool open_ = true;
};

class session;

// Weak references to every live session, so stop() can close them all
// (SSE sessions included, which would otherwise never end by themselves).
class session_registry {
public:
  void add(std::weak_ptr<session> s) {
    std::lock_guard<std::mutex> guard{mtx_};
    // Forget dead sessions now and then, so the list tracks the live count.
    if (sessions_.size() >= prune_at_) {
      sessions_.erase(std::remove_if(sessions_.begin(), sessions_.end(),
                                     [](const auto& w) { return w.expired(); }),
                      sessions_.end());
      prune_at_ = std::max<std::size_t>(64, 2 * sessions_.size());
    }
    sessions_.push_back(std::move(s));
  }

  std::vector<std::shared_ptr<session>> take_live() {
    std::lock_guard<std::mutex> guard{mtx_};
    std::vector<std::shared_ptr<session>> live;
    for (auto& w : sessions_)
      if (auto s = w.lock())
        live.push_back(std::move(s));
    sessions_.clear();
    return live;
  }

private:
  std::mutex mtx_;
  std::vector<std::weak_ptr<session>> sessions_;
  std::size_t prune_at_ = 64;
};

// What sessions share: set up once, outlives every io thread.
struct server_core {
  server_options opts;
  request_handler& handler;
  std::shared_ptr<post_gate> gate = std::make_shared<post_gate>();
  session_registry sessions;
};

// One connection. Every member function except the constructor, close_now()
// and the ones documented otherwise runs on the connection's strand.
class session : public std::enable_shared_from_this<session> {
public:
  session(tcp::socket&& socket, server_core& core);
  ~session();
  session(const session&) = delete;
  session& operator=(const session&) = delete;

  /// Any thread: begins reading on the strand.
  void start();
  /// Only while no io thread runs (server::stop): closes at once.
  void close_now() { close("server stopped"); }
  /// The handler's response, on the strand.
  void deliver(response res);
  net::any_io_executor executor() { return stream_.get_executor(); }

private:
  // Reading requests.
  void read_next_request();
  void on_first_bytes(beast::error_code ec, std::size_t n);
  void read_request();
  void on_read_deadline(beast::error_code ec);
  void on_header_read(beast::error_code ec, std::size_t n);
  void on_continue_sent(beast::error_code ec, std::size_t n);
  void read_body();
  void on_request_read(beast::error_code ec, std::size_t n);
  void reject_request(beast::error_code ec);
  void dispatch_request();

  // Writing responses.
  void write_response(response res);
  void on_response_written(beast::error_code ec, std::size_t n);
  void close_gracefully();
  void discard_input();
  void on_input_discarded(beast::error_code ec, std::size_t n);

  // Server-Sent Events.
  void start_sse(response res);
  void on_sse_head_written(beast::error_code ec, std::size_t n);
  std::function<void()> make_wake();
  void on_wake();
  void pump_sse();
  void write_sse(std::string text);
  void on_sse_written(beast::error_code ec, std::size_t n);
  void arm_heartbeat(steady::time_point when);
  void on_heartbeat(beast::error_code ec);
  void watch_for_disconnect();
  void on_client_input(beast::error_code ec, std::size_t n);

  void close(const std::string& why = {});
  void log_access(int status, std::size_t bytes, const std::string& note = {});

  server_core& core_;
  const server_options& opts_;
  beast::tcp_stream stream_;
  std::string remote_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  net::steady_timer read_deadline_;
  std::array<char, 4096> discard_{};
  bool closed_ = false;

  // The exchange in progress, for the response and the access log.
  std::size_t requests_read_ = 0;
  bool reading_ = false;
  bool read_timed_out_ = false;
  bool awaiting_response_ = false;
  bool keep_alive_ = false;
  unsigned version_ = 11;
  std::string method_ = "-";
  std::string target_ = "-";
  std::string request_id_;
  steady::time_point started_;
  // While the handler owes a response, no I/O is pending that would keep
  // this session alive, and respond_fns hold it only weakly (they may outlive
  // the server). So it holds itself until the response comes or it closes.
  std::shared_ptr<session> self_keep_;
  bhttp::response<bhttp::string_body> out_;

  // SSE: the stream, its header, and the single write in flight.
  std::shared_ptr<event_stream> sse_;
  std::optional<bhttp::response<bhttp::empty_body>> sse_head_;
  std::optional<bhttp::response_serializer<bhttp::empty_body>> sse_serializer_;
  bool sse_started_ = false;
  bool sse_writing_ = false;
  std::string sse_out_;
  std::size_t sse_bytes_ = 0;
  steady::time_point last_write_;
  net::steady_timer heartbeat_;
  // At most one wake-up is queued on the strand however fast the producer
  // pushes: the one that runs drains everything.
  std::atomic<bool> wake_posted_{false};
};

// The handler's response travelling to its session's strand. If it never
// runs (the io_context stopped first), its stream is closed, so the producer
// hears of it through on_close rather than feeding a stream nobody reads.
struct response_delivery {
  response_delivery(std::shared_ptr<session> target, response res)
      : target(std::move(target)), res(std::move(res)) {}
  // Declared because of the destructor; moving leaves `res.stream` empty in
  // the moved-from object, so only the last holder closes it.
  response_delivery(response_delivery&&) = default;
  response_delivery& operator=(response_delivery&&) = delete;
  ~response_delivery() {
    if (res.stream)
      res.stream->close();
  }

  void operator()() { target->deliver(std::move(res)); }

  std::shared_ptr<session> target;
  response res;
};

// What a respond_fn holds. It refers to the session weakly: a respond_fn kept
// beyond the server's life must not keep sockets of a dead io_context.
class reply_slot {
public:
  reply_slot(std::shared_ptr<post_gate> gate, std::weak_ptr<session> target)
      : gate_(std::move(gate)), target_(std::move(target)) {}
  reply_slot(const reply_slot&) = delete;
  reply_slot& operator=(const reply_slot&) = delete;

  // Every copy of the respond_fn is gone and none was called: answer for the
  // handler, or the client would wait until a timeout.
  ~reply_slot() {
    if (!answered_.exchange(true))
      post(error_response(500, "The request handler did not respond"));
  }

  bool answered() const { return answered_.load(); }

  void answer(response res) {
    if (answered_.exchange(true)) {
      LOG_WARN("http", "respond called more than once; the extra response is dropped");
      if (res.stream)
        res.stream->close();
      return;
    }
    post(std::move(res));
  }

private:
  void post(response res) noexcept {
    try {
      gate_->run_if_open([&] {
        auto target = target_.lock();
        if (!target)
          return;
        auto strand = target->executor();
        net::post(strand, response_delivery{std::move(target), std::move(res)});
      });
    } catch (const std::exception& e) {
      LOG_ERROR("http", "cannot deliver a response: " << e.what());
    }
    // Not delivered (server stopped, connection gone): no one will read it.
    if (res.stream)
      res.stream->close();
  }

  std::shared_ptr<post_gate> gate_;
  std::weak_ptr<session> target_;
  std::atomic<bool> answered_{false};
};

session::session(tcp::socket&& socket, server_core& core)
    : core_(core),
      opts_(core.opts),
      stream_(std::move(socket)),
      read_deadline_(stream_.get_executor()),
      heartbeat_(stream_.get_executor()) {
  remote_ = describe_peer(stream_.socket());
  // Responses and events are written whole; waiting to coalesce them with
  // later bytes (Nagle) only adds latency.
  beast::error_code ignored;
  stream_.socket().set_option(tcp::no_delay(true), ignored);
}

session::~session() {
  // Normally closed already; this only makes sure the producer hears of it.
  if (sse_)
    sse_->close();
}

void session::start() {
  net::dispatch(stream_.get_executor(),
                beast::bind_front_handler(&session::read_next_request, shared_from_this()));
}

// ---- Reading requests -------------------------------------------------------

// Waits for the first byte of the next request. Expiry closes silently: there
// is no request to answer. Between keep-alive requests the idle timeout
// applies. Bytes already buffered (a pipelined request) skip the wait.
void session::read_next_request() {
  if (closed_)
    return;
  if (buffer_.size() > 0) {
    read_request();
    return;
  }
  stream_.expires_after(requests_read_ == 0 ? opts_.read_timeout : opts_.idle_timeout);
  stream_.async_read_some(buffer_.prepare(first_read_size),
                          beast::bind_front_handler(&session::on_first_bytes, shared_from_this()));
}

void session::on_first_bytes(beast::error_code ec, std::size_t n) {
  if (ec) { // end of file, idle timeout, reset
    close();
    return;
  }
  buffer_.commit(n);
  read_request();
}

// Reads one whole request within read_timeout. The deadline is our own timer,
// not the stream's: the stream's closes the socket when it expires, and then
// there would be no way to answer 408.
void session::read_request() {
  started_ = steady::now();
  method_ = target_ = "-";
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(
      std::min<std::size_t>(opts_.max_header_bytes, UINT32_MAX)));
  // Checked against Content-Length before any body byte is read, and while
  // reading a chunked body: an oversized body is never buffered.
  parser_->body_limit(static_cast<std::uint64_t>(opts_.max_body_bytes));

  reading_ = true;
  read_timed_out_ = false;
  stream_.expires_never();
  read_deadline_.expires_after(opts_.read_timeout);
  read_deadline_.async_wait(beast::bind_front_handler(&session::on_read_deadline, shared_from_this()));

  // The header first: a client that sent "Expect: 100-continue" waits for
  // our go-ahead before it sends the body (curl does, for larger bodies).
  bhttp::async_read_header(stream_, buffer_, *parser_,
                           beast::bind_front_handler(&session::on_header_read, shared_from_this()));
}

void session::on_header_read(beast::error_code ec, std::size_t) {
  if (ec || closed_) {
    on_request_read(ec, 0);
    return;
  }
  const auto& head = parser_->get();
  bool expects_continue = head.version() >= 11 && !parser_->is_done() &&
                          beast::iequals(head[bhttp::field::expect], "100-continue");
  if (!expects_continue) {
    read_body();
    return;
  }
  // Still under the read deadline, which cancels this write as well.
  static const std::string go_ahead = "HTTP/1.1 100 Continue\r\n\r\n";
  net::async_write(stream_, net::buffer(go_ahead),
                   beast::bind_front_handler(&session::on_continue_sent, shared_from_this()));
}

void session::on_continue_sent(beast::error_code ec, std::size_t) {
  if (ec || closed_) {
    on_request_read(ec, 0);
    return;
  }
  read_body();
}

void session::read_body() {
  bhttp::async_read(stream_, buffer_, *parser_,
                    beast::bind_front_handler(&session::on_request_read, shared_from_this()));
}

void session::on_read_deadline(beast::error_code ec) {
  // A stale expiry (the read finished, or a new one was armed since) must
  // not cancel anything.
  if (ec || !reading_ || read_deadline_.expiry() > steady::now())
    return;
  read_timed_out_ = true;
  beast::error_code ignored;
  stream_.socket().cancel(ignored); // the read completes with operation_aborted
}

void session::on_request_read(beast::error_code ec, std::size_t) {
  reading_ = false;
  read_deadline_.cancel();
  if (closed_)
    return;
  if (ec) {
    reject_request(ec);
    return;
  }
  dispatch_request();
}

// A request that could not be read: answer what can be answered, then close,
// since the rest of the input cannot be trusted to start a new request.
void session::reject_request(beast::error_code ec) {
  int status = 0;
  std::string message;
  if (ec == net::error::operation_aborted && read_timed_out_) {
    status = 408;
    message = "Request was not received within " + std::to_string(opts_.read_timeout.count()) +
              " seconds";
  } else if (ec == bhttp::error::header_limit) {
    status = 431;
    message = "Request header fields are larger than " + std::to_string(opts_.max_header_bytes) +
              " bytes";
  } else if (ec == bhttp::error::body_limit) {
    status = 413;
    message = "Request body is larger than " + std::to_string(opts_.max_body_bytes) + " bytes";
  } else if (is_parse_error(ec)) {
    status = 400;
    message = "Malformed HTTP request: " + ec.message();
  } else { // the client went away (or reset the connection): no one to answer
    close();
    return;
  }

  // Whatever of the request the parser got before it failed (perhaps
  // nothing) is for the log line and the request id.
  const auto& partial = parser_->get();
  if (!partial.method_string().empty())
    method_ = str(partial.method_string());
  if (!partial.target().empty())
    target_ = str(partial.target());
  version_ = partial.version() == 10 ? 10 : 11;
  request_id_ = choose_request_id(partial);
  keep_alive_ = false;
  write_response(error_response(status, message));
}

void session::dispatch_request() {
  auto msg = parser_->release();
  ++requests_read_;
  keep_alive_ = msg.keep_alive();
  version_ = msg.version();
  method_ = str(msg.method_string());
  target_ = str(msg.target());
  request_id_ = choose_request_id(msg);

  awaiting_response_ = true;
  self_keep_ = shared_from_this();
  auto slot = std::make_shared<reply_slot>(core_.gate, weak_from_this());
  respond_fn respond = [slot](response res) { slot->answer(std::move(res)); };
  std::string failure;
  try {
    core_.handler.handle(to_request(std::move(msg), request_id_, remote_), std::move(respond));
    return;
  } catch (const std::exception& e) {
    failure = e.what();
  } catch (...) {
    failure = "unknown exception";
  }
  LOG_ERROR("http", "request handler failed on " << method_ << ' ' << target_ << ": " << failure
                                                 << ' ' << request_id_);
  if (!slot->answered())
    slot->answer(error_response(500, "Internal server error"));
}

// ---- Writing responses ------------------------------------------------------

void session::deliver(response res) {
  if (closed_ || !awaiting_response_) {
    if (res.stream)
      res.stream->close(); // no connection will ever drain it
    return;
  }
  awaiting_response_ = false;
  self_keep_.reset(); // the delivery that called us holds the session now
  if (res.stream)
    start_sse(std::move(res));
  else
    write_response(std::move(res));
}

void session::write_response(response res) {
  if (res.status < 100 || res.status > 599) {
    LOG_ERROR("http", "handler answered with status " << res.status << "; sending 500 "
                                                      << request_id_);
    res = error_response(500, "Internal server error");
  }
  // 1xx, 204 and 304 responses have no body, so nothing to describe either.
  bool bodiless = res.status < 200 || res.status == 204 || res.status == 304;

  out_ = {};
  out_.version(version_);
  out_.result(static_cast<unsigned>(res.status));
  set_server_headers(out_, request_id_);
  if (!bodiless) {
    if (!res.content_type.empty())
      out_.set(bhttp::field::content_type, res.content_type);
    out_.body() = std::move(res.body);
  }
  add_handler_headers(out_, res.headers);
  out_.keep_alive(keep_alive_);
  // Content-Length, except where RFC 7230 (3.3.2) forbids it; Beast's
  // prepare_payload would send "Content-Length: 0" on a 204.
  if (bodiless)
    out_.content_length(boost::none);
  else
    out_.prepare_payload();

  stream_.expires_after(opts_.write_timeout);
  bhttp::async_write(stream_, out_,
                     beast::bind_front_handler(&session::on_response_written, shared_from_this()));
}

void session::on_response_written(beast::error_code ec, std::size_t) {
  log_access(out_.result_int(), out_.body().size(), ec ? "(write failed: " + ec.message() + ")" : "");
  bool keep_alive = out_.keep_alive();
  out_ = {}; // free the body while waiting for the next request
  if (closed_)
    return;
  if (ec) {
    close();
    return;
  }
  if (!keep_alive) {
    close_gracefully();
    return;
  }
  read_next_request();
}

// Closing a socket that still has unread input makes the kernel send a reset,
// and a client may then lose the response we just wrote (typically a 413
// while it is still sending the body). So: send FIN, then read and discard
// for a short while until the client closes its side.
void session::close_gracefully() {
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (ec) {
    close();
    return;
  }
  stream_.expires_after(linger_time); // one deadline for all the discarding
  discard_input();
}

void session::discard_input() {
  stream_.async_read_some(net::buffer(discard_),
                          beast::bind_front_handler(&session::on_input_discarded, shared_from_this()));
}

void session::on_input_discarded(beast::error_code ec, std::size_t) {
  if (closed_)
    return;
  if (ec) // end of file (the client closed), the linger deadline, a reset
    close();
  else
    discard_input();
}

// ---- Server-Sent Events -----------------------------------------------------

// The status line and headers go out through Beast's serializer; after that
// the body is whatever the stream yields, written raw: no Content-Length,
// the body ends when the connection does.
void session::start_sse(response res) {
  sse_ = std::move(res.stream);
  sse_head_.emplace();
  auto& head = *sse_head_;
  head.version(version_);
  head.result(static_cast<unsigned>(res.status >= 100 && res.status <= 599 ? res.status : 200));
  set_server_headers(head, request_id_);
  head.set(bhttp::field::content_type, "text/event-stream");
  head.set(bhttp::field::cache_control, "no-cache");
  head.set(bhttp::field::connection, "keep-alive");
  head.set("X-Accel-Buffering", "no"); // tells nginx-like proxies not to buffer
  add_handler_headers(head, res.headers);
  sse_serializer_.emplace(head);

  stream_.expires_after(opts_.write_timeout);
  bhttp::async_write_header(stream_, *sse_serializer_,
                            beast::bind_front_handler(&session::on_sse_head_written, shared_from_this()));
}

void session::on_sse_head_written(beast::error_code ec, std::size_t) {
  if (closed_)
    return;
  if (ec) {
    log_access(sse_head_->result_int(), 0, "(write failed: " + ec.message() + ")");
    close();
    return;
  }
  log_access(sse_head_->result_int(), 0, "(event stream started)");
  sse_started_ = true;
  last_write_ = steady::now();
  // The read below must not inherit the deadline of the header write.
  stream_.expires_never();
  watch_for_disconnect();
  arm_heartbeat(last_write_ + opts_.sse_heartbeat);
  sse_->attach(make_wake());
  pump_sse();
}

// The producer calls this from any thread after each push. It holds the
// session weakly and goes through the gate, like a respond_fn.
std::function<void()> session::make_wake() {
  return [gate = core_.gate, weak = weak_from_this()] {
    gate->run_if_open([&] {
      auto self = weak.lock();
      if (!self || self->wake_posted_.exchange(true))
        return;
      auto strand = self->executor();
      net::post(strand, beast::bind_front_handler(&session::on_wake, std::move(self)));
    });
  };
}

void session::on_wake() {
  wake_posted_ = false; // before draining: a push from now on posts again
  pump_sse();
}

// Moves what the stream has queued into one write. Only one write is in
// flight; whatever arrives meanwhile waits in the bounded stream queue and is
// coalesced into the next write. So a slow client costs at most that queue
// plus one write, and a full queue ends the stream.
void session::pump_sse() {
  if (closed_ || !sse_started_)
    return;
  if (sse_->overflowed()) { // do not wait for a write that may never finish
    close("client too slow: event queue overflowed");
    return;
  }
  if (sse_writing_)
    return; // on_sse_written pumps again
  std::string text;
  bool open = sse_->drain(text);
  if (!text.empty())
    write_sse(std::move(text));
  else if (!open)
    close("stream finished");
}

void session::write_sse(std::string text) {
  sse_writing_ = true;
  sse_out_ = std::move(text);
  // A client that stops reading stalls this write; the deadline ends it.
  stream_.expires_after(opts_.write_timeout);
  net::async_write(stream_, net::buffer(sse_out_),
                   beast::bind_front_handler(&session::on_sse_written, shared_from_this()));
}

void session::on_sse_written(beast::error_code ec, std::size_t n) {
  sse_writing_ = false;
  sse_out_.clear();
  if (closed_)
    return;
  if (ec) {
    close(ec == beast::error::timeout ? "write timed out" : "write failed: " + ec.message());
    return;
  }
  sse_bytes_ += n;
  last_write_ = steady::now();
  pump_sse();
}

// One timer wait is always outstanding while streaming; instead of re-arming
// it on every write, it fires when a heartbeat could be due and checks.
void session::arm_heartbeat(steady::time_point when) {
  heartbeat_.expires_at(when);
  heartbeat_.async_wait(beast::bind_front_handler(&session::on_heartbeat, shared_from_this()));
}

void session::on_heartbeat(beast::error_code ec) {
  if (ec || closed_)
    return;
  auto now = steady::now();
  auto due = last_write_ + opts_.sse_heartbeat;
  if (sse_writing_) {
    due = now + opts_.sse_heartbeat; // a write is going out: that is enough
  } else if (due <= now) {
    // Written directly, not through the stream's queue: a heartbeat is the
    // server's, not an event, and must not count against the bound.
    write_sse(": heartbeat\n\n");
    due = now + opts_.sse_heartbeat;
  }
  arm_heartbeat(due);
}

// An SSE client sends nothing after its request, so a read that completes
// means it went away (EOF or reset). Anything it does send is discarded.
void session::watch_for_disconnect() {
  stream_.async_read_some(net::buffer(discard_),
                          beast::bind_front_handler(&session::on_client_input, shared_from_this()));
}

void session::on_client_input(beast::error_code ec, std::size_t) {
  if (closed_)
    return;
  // A stalled write timing out closes the socket, which aborts this read
  // too; the write's handler is on its way and reports the real reason.
  if (ec == net::error::operation_aborted && sse_writing_)
    return;
  if (ec)
    close("client disconnected");
  else
    watch_for_disconnect();
}

// ---- Closing ----------------------------------------------------------------

// Ends the connection for whatever reason; idempotent. Pending operations
// complete with errors and their handlers find `closed_` set.
void session::close(const std::string& why) {
  if (closed_)
    return;
  closed_ = true;
  auto keep = std::move(self_keep_); // this may be the last reference: not before we return
  if (sse_started_ && opts_.access_log) {
    LOG_INFO("http", remote_ << " \"" << method_ << ' ' << target_ << "\" event stream ended ("
                             << why << ") after " << sse_bytes_ << " bytes, " << std::fixed
                             << std::setprecision(1) << millis_since(started_) << "ms "
                             << request_id_);
  }
  if (sse_)
    sse_->close(); // the producer's on_close runs now, once
  read_deadline_.cancel();
  heartbeat_.cancel();
  stream_.close();
}

void session::log_access(int status, std::size_t bytes, const std::string& note) {
  if (!opts_.access_log)
    return;
  LOG_INFO("http", remote_ << " \"" << method_ << ' ' << target_ << "\" " << status << ' '
                           << bytes << ' ' << std::fixed << std::setprecision(1)
                           << millis_since(started_) << "ms " << request_id_
                           << (note.empty() ? "" : " ") << note);
}

// Accepts connections, each onto a strand of its own.
class listener : public std::enable_shared_from_this<listener> {
public:
  listener(net::io_context& ioc, server_core& core)
      : ioc_(ioc), core_(core), acceptor_(ioc), retry_timer_(ioc) {}

  /// Binds and listens; throws std::runtime_error with a readable message.
  void listen(const std::string& host, uint16_t port) {
    auto fail = [&](const std::string& reason) {
      throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port) + ": " +
                               reason);
    };
    beast::error_code ec;
    tcp::endpoint endpoint;
    auto address = net::ip::make_address(host, ec);
    if (!ec) {
      endpoint = tcp::endpoint(address, port);
    } else { // a name such as "localhost"
      tcp::resolver resolver(ioc_);
      auto results = resolver.resolve(host, std::to_string(port), ec);
      if (ec || results.empty())
        fail(ec ? ec.message() : "no address for the host name");
      endpoint = results.begin()->endpoint();
    }
    acceptor_.open(endpoint.protocol(), ec);
    if (ec)
      fail(ec.message());
    // A restarted daemon must not wait for the old connections' TIME_WAIT.
    acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    acceptor_.bind(endpoint, ec);
    if (ec)
      fail(ec.message());
    acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec)
      fail(ec.message());
  }

  uint16_t port() const {
    beast::error_code ec;
    return acceptor_.local_endpoint(ec).port();
  }

  void accept() {
    acceptor_.async_accept(net::make_strand(ioc_),
                           beast::bind_front_handler(&listener::on_accept, shared_from_this()));
  }

  /// Only while no io thread runs (server::stop).
  void close() {
    beast::error_code ignored;
    acceptor_.close(ignored);
    retry_timer_.cancel();
  }

private:
  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted)
      return; // closed
    if (ec) {
      LOG_WARN("http", "accept failed: " << ec.message());
      retry_timer_.expires_after(accept_retry_delay);
      retry_timer_.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
        if (!wait_ec)
          self->accept();
      });
      return;
    }
    auto s = std::make_shared<session>(std::move(socket), core_);
    core_.sessions.add(s);
    s->start();
    accept();
  }

  net::io_context& ioc_;
  server_core& core_;
  tcp::acceptor acceptor_;
  net::steady_timer retry_timer_;
};

// An exception escaping a handler would end the thread and the process;
// log it and keep the thread serving.
void run_io(net::io_context& ioc) {
  for (;;) {
    try {
      ioc.run();
      return;
    } catch (const std::exception& e) {
      LOG_ERROR("http", "io thread: " << e.what());
    } catch (...) {
      LOG_ERROR("http", "io thread: unknown exception");
    }
  }
}

} // namespace

struct server::impl {
  impl(server_options opts, request_handler& handler)
      : core{std::move(opts), handler, std::make_shared<post_gate>(), {}},
        ioc(std::max(1, core.opts.io_threads)) {}

  // Declared first, destroyed last: pending handlers destroyed with the
  // io_context release sessions, which refer to it.
  server_core core;
  net::io_context ioc;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::shared_ptr<listener> acceptor;
  std::vector<std::thread> threads;
  std::mutex lifecycle;
  bool started = false;
  bool stopped = false;
  uint16_t port = 0;
};

server::server(server_options opts, request_handler& handler)
    : impl_(std::make_unique<impl>(std::move(opts), handler)) {}

server::~server() { stop(); }

void server::start() {
  std::lock_guard<std::mutex> guard{impl_->lifecycle};
  if (impl_->started)
    throw std::logic_error("http server already started");
  const auto& opts = impl_->core.opts;
  auto l = std::make_shared<listener>(impl_->ioc, impl_->core);
  l->listen(opts.bind_host, opts.bind_port); // throws
  impl_->port = l->port();
  l->accept();
  impl_->acceptor = std::move(l);
  impl_->work.emplace(impl_->ioc.get_executor());
  impl_->started = true;
  int n = std::max(1, opts.io_threads);
  for (int i = 0; i < n; ++i)
    impl_->threads.emplace_back([this] { run_io(impl_->ioc); });
  LOG_INFO("http", "listening on " << opts.bind_host << ':' << impl_->port << " with " << n
                                   << " io threads");
}

// Stopping in this order needs no cooperation from the connections, so it
// cannot hang on one (an SSE stream, a handler that never answers):
// 1. close the gate: respond_fns and stream wake-ups become no-ops;
// 2. stop the io_context and join its threads;
// 3. with no io thread left, close the acceptor and every session directly.
// Handlers still queued are destroyed with the io_context, releasing the
// sessions they hold.
void server::stop() {
  std::lock_guard<std::mutex> guard{impl_->lifecycle};
  if (!impl_->started || impl_->stopped)
    return;
  impl_->stopped = true;

  impl_->core.gate->close();

  impl_->work.reset();
  impl_->ioc.stop();
  for (auto& t : impl_->threads)
    t.join();
  impl_->threads.clear();

  impl_->acceptor->close();
  for (auto& s : impl_->core.sessions.take_live())
    s->close_now();
  LOG_INFO("http", "stopped listening on " << impl_->core.opts.bind_host << ':' << impl_->port);
}

uint16_t server::port() const { return impl_->port; }

} // namespace steward::http
