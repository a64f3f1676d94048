#pragma once
// A small blocking HTTP/1.1 client on plain POSIX sockets, for the server
// tests. Every read is bounded by a deadline so a broken server fails a test
// instead of hanging it.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace steward::http::test {

struct reply {
  int status = 0;
  std::map<std::string, std::string> headers; // names in lower case
  std::string body;

  /// The header's value or "" (name in lower case).
  std::string header(const std::string& name) const;
  bool has_header(const std::string& name) const { return headers.count(name) > 0; }
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
  std::optional<reply> read_reply();
  /// Only the status line and headers (for an event stream).
  std::optional<reply> read_head();
  /// Reads until `text` is among the bytes received after the head; they
  /// stay available in received().
  bool read_until(const std::string& text);
  std::string& received() { return buffer_; }
  /// Reads and discards until the server closes the connection (end of
  /// file or reset): true, or the deadline passes: false.
  bool wait_closed();
  void close();

private:
  enum class outcome { data, closed, timed_out };
  outcome fill(std::chrono::steady_clock::time_point until);

  int fd_ = -1;
  std::chrono::seconds deadline_;
  std::string buffer_;
};

/// "GET <target> HTTP/1.1" with a Host header, the extra header lines given
/// ("Name: value\r\n" each), and an optional body with its Content-Length.
std::string make_request(const std::string& method, const std::string& target,
                         const std::string& extra_headers = "", const std::string& body = "");

} // namespace steward::http::test
