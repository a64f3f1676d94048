#pragma once
// One HTTP connection: reads a request, hands it to the request_handler,
// writes the response when it comes, and only then reads the next one; a
// response carrying an event_stream turns it into a writer of Server-Sent
// Events. Request reading, response writing and closing are in session.cpp,
// the event stream in session_sse.cpp.
#include <array>
#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "common/event_stream.hpp"
#include "http/server_core.hpp"

namespace steward::http::detail {

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
  void write_sse(std::vector<event_stream::frame> frames);
  void finish_sse();
  void on_sse_written(beast::error_code ec, std::size_t n);
  void on_sse_gathered(beast::error_code ec);
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
  bool sse_chunked_ = false;      // HTTP/1.1: each write one chunk
  bool sse_ended_ = false;        // the last (empty) chunk is written
  std::string sse_chunk_size_;    // the size line of the chunk being written
  std::vector<event_stream::frame> sse_out_;       // being written, shared
  std::vector<net::const_buffer> sse_buffers_;    // over sse_out_
  std::size_t sse_bytes_ = 0;
  steady::time_point last_write_;
  steady::time_point last_write_start_;
  net::steady_timer heartbeat_;
  net::steady_timer sse_gather_;  // holds a write back to gather more events
  bool sse_gathering_ = false;
  // At most one wake-up is queued on the strand however fast the producer
  // pushes: the one that runs drains everything.
  std::atomic<bool> wake_posted_{false};
};

} // namespace steward::http::detail
