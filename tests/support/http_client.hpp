#pragma once
// The tests' one HTTP/1.1 client, blocking, on plain POSIX sockets: the
// server tests drive connections with it byte by byte, and http_call,
// openstack_call and the SSE reader (support.hpp) are built on it. Every read
// is bounded by a deadline, so a broken server fails a test instead of
// hanging it.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace steward::test {

struct http_result {
  int status = 0;
  std::map<std::string, std::string> headers; // names in lower case
  std::string body;

  nlohmann::json json() const;
  /// The header's value or "" (any case).
  std::string header(const std::string& name) const;
  bool has_header(const std::string& name) const;
};

class client {
public:
  /// Connects to 127.0.0.1:port; `deadline` bounds each read call below.
  explicit client(uint16_t port, std::chrono::seconds deadline = std::chrono::seconds(20));
  ~client();
  client(const client&) = delete;
  client& operator=(const client&) = delete;

  bool connected() const { return fd_ >= 0; }
  /// Sends every byte; false if the connection failed.
  bool send(const std::string& bytes);
  /// One whole response (framed by Content-Length), or nullopt when the
  /// connection ended or the deadline passed first.
  std::optional<http_result> read_reply();
  /// Only the status line and headers (for an event stream). A chunked
  /// body is decoded from here on: received() holds the chunks' data.
  std::optional<http_result> read_head();
  /// Whether the last (empty) chunk of a chunked body has arrived.
  bool saw_last_chunk() const { return last_chunk_; }
  /// Reads one more piece of what the server sends into received(): false
  /// when the connection ended or `until` passed first.
  bool read_more(std::chrono::steady_clock::time_point until);
  /// Reads until `text` is among the bytes received after the head; they
  /// stay available in received().
  bool read_until(const std::string& text);
  std::string& received() { return buffer_; }
  /// Reads and discards until the server closes the connection (end of
  /// file or reset): true, or the deadline passes: false.
  bool wait_closed();
  /// Reads until the server closes the connection (or the deadline passes)
  /// and returns everything received.
  std::string read_to_close();
  void close();

private:
  enum class outcome { data, closed, timed_out };
  outcome fill(std::chrono::steady_clock::time_point until);

  void decode_chunks();

  int fd_ = -1;
  std::chrono::seconds deadline_;
  std::string buffer_;
  bool chunked_ = false;
  std::string raw_;  // of a chunked body: what is not decoded yet
  bool last_chunk_ = false;
  bool bad_chunk_ = false;  // framing that is not chunks: the body ends there
};

/// "GET <target> HTTP/1.1" with a Host header, the extra header lines given
/// ("Name: value\r\n" each), and an optional body with its Content-Length.
std::string make_request(const std::string& method, const std::string& target,
                         const std::string& extra_headers = "", const std::string& body = "");

} // namespace steward::test
