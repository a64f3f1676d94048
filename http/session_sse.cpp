// The Server-Sent Events side of a session: once a response carries an
// event_stream, the session writes what the stream yields until the stream or
// the client ends.
#include "http/session.hpp"

#include <cstdio>
#include <string>
#include <utility>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "http/beast_messages.hpp"

namespace steward::http::detail {

namespace {

// The longest an event waits for others to share its write (see pump_sse).
constexpr std::chrono::milliseconds sse_gather_window{10};

} // namespace

// The status line and headers go out through Beast's serializer; after that
// the body is whatever the stream yields, one chunk per write for HTTP/1.1
// (a last empty chunk says the stream ended, not the connection), written
// raw for HTTP/1.0 (the body ends when the connection does).
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
  sse_chunked_ = version_ >= 11;
  head.chunked(sse_chunked_);
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
// plus one write, and a full queue ends the stream. A write that would
// follow the last one within `sse_gather_window` waits out the window: under
// a stream of events a write per event costs the io threads more than the
// events themselves, and gathering them costs a client at most the window.
void session::pump_sse() {
  if (closed_ || !sse_started_)
    return;
  if (sse_->overflowed()) { // do not wait for a write that may never finish
    close("client too slow: event queue overflowed");
    return;
  }
  if (sse_writing_ || sse_gathering_)
    return; // on_sse_written or on_sse_gathered pumps again
  auto gathered_until = last_write_start_ + sse_gather_window;
  if (steady::now() < gathered_until) {
    sse_gathering_ = true;
    sse_gather_.expires_at(gathered_until);
    sse_gather_.async_wait(
      beast::bind_front_handler(&session::on_sse_gathered, shared_from_this()));
    return;
  }
  std::vector<event_stream::frame> frames;
  bool open = sse_->drain(frames);
  if (!frames.empty())
    write_sse(std::move(frames));
  else if (!open)
    finish_sse();
}

// The stream has nothing more: the last chunk tells the client so, then
// the connection closes.
void session::finish_sse() {
  if (!sse_chunked_ || sse_ended_) {
    close("stream finished");
    return;
  }
  sse_ended_ = true;
  sse_writing_ = true;
  static const char last_chunk[] = "0\r\n\r\n";
  stream_.expires_after(opts_.write_timeout);
  net::async_write(stream_, net::buffer(last_chunk, sizeof last_chunk - 1),
                   beast::bind_front_handler(&session::on_sse_written, shared_from_this()));
}

void session::on_sse_gathered(beast::error_code) {
  sse_gathering_ = false;
  pump_sse();
}

// The frames are written as they are, shared with every other client of the
// same events: one gathering write, no copy.
void session::write_sse(std::vector<event_stream::frame> frames) {
  sse_writing_ = true;
  last_write_start_ = steady::now();
  sse_out_ = std::move(frames);
  sse_buffers_.clear();
  std::size_t size = 0;
  for (auto& f : sse_out_)
    size += f->size();
  if (sse_chunked_) {
    char line[24];
    std::snprintf(line, sizeof line, "%zx\r\n", size);
    sse_chunk_size_ = line;
    sse_buffers_.push_back(net::buffer(sse_chunk_size_));
  }
  for (auto& f : sse_out_)
    sse_buffers_.push_back(net::buffer(*f));
  static const char chunk_end[] = "\r\n";
  if (sse_chunked_)
    sse_buffers_.push_back(net::buffer(chunk_end, 2));
  // A client that stops reading stalls this write; the deadline ends it.
  stream_.expires_after(opts_.write_timeout);
  net::async_write(stream_, sse_buffers_,
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
  if (ec || closed_ || sse_ended_)
    return;
  auto now = steady::now();
  auto due = last_write_ + opts_.sse_heartbeat;
  if (sse_writing_) {
    due = now + opts_.sse_heartbeat; // a write is going out: that is enough
  } else if (due <= now) {
    // Written directly, not through the stream's queue: a heartbeat is the
    // server's, not an event, and must not count against the bound.
    static const auto heartbeat = std::make_shared<const std::string>(": heartbeat\n\n");
    write_sse({heartbeat});
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

} // namespace steward::http::detail
