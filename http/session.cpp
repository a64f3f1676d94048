#include "http/session.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <exception>
#include <iomanip>
#include <string>
#include <utility>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/write.hpp>

#include "common/log.hpp"
#include "http/beast_messages.hpp"
#include "http/reply_slot.hpp"

namespace steward::http::detail {

namespace {

// After a response that closes the connection, how long the client gets to
// close its side while we discard what it still sends (see close_gracefully).
constexpr auto linger_time = std::chrono::seconds(2);
constexpr std::size_t first_read_size = 4096;

double millis_since(steady::time_point start) {
  return std::chrono::duration<double, std::milli>(steady::now() - start).count();
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

// Errors of Beast's HTTP parser mean the client sent something that is not
// HTTP; the two that mean "the client went away" are not worth an answer.
bool is_parse_error(beast::error_code ec) {
  static const auto& http_category = bhttp::make_error_code(bhttp::error::bad_method).category();
  return ec.category() == http_category && ec != bhttp::error::end_of_stream &&
         ec != bhttp::error::partial_message;
}

} // namespace

session::session(tcp::socket&& socket, server_core& core)
    : core_(core),
      opts_(core.opts),
      stream_(std::move(socket)),
      read_deadline_(stream_.get_executor()),
      heartbeat_(stream_.get_executor()),
      sse_gather_(stream_.get_executor()) {
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
  write_response(error_response(api_family::steward, status, message));
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
    slot->answer(error_response(api_family::steward, 500, "Internal server error"));
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
    res = error_response(api_family::steward, 500, "Internal server error");
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
  sse_gather_.cancel();
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

} // namespace steward::http::detail
