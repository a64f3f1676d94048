#pragma once
// The HTTP/1.1 server. Beast lives only in the server's own .cpp files: including this header
// costs nothing.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "http/types.hpp"

namespace steward::http {

struct server_options {
  std::string bind_host = "127.0.0.1";
  uint16_t bind_port = 8080;                 // 0: any free port
  int io_threads = 2;
  std::size_t max_header_bytes = 16 * 1024;  // 431 beyond (413 for the body)
  std::size_t max_body_bytes = 1024 * 1024;  // 413 beyond
  std::chrono::seconds read_timeout{30};     // whole request, headers + body
  std::chrono::seconds write_timeout{30};
  std::chrono::seconds idle_timeout{60};     // keep-alive between requests
  std::chrono::seconds sse_heartbeat{15};    // comment line on idle streams
  bool access_log = true;
};

class server {
public:
  server(server_options opts, request_handler& handler);
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  /// Binds, listens and starts the io threads. Throws std::runtime_error
  /// with a readable message when the address cannot be bound.
  void start();
  /// Stops accepting, closes connections, joins the io threads.
  void stop();
  /// The bound port (useful with bind_port 0).
  uint16_t port() const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace steward::http
