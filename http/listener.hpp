#pragma once
// The accept loop of the HTTP server.
#include <cstdint>
#include <memory>
#include <string>

#include <boost/asio/steady_timer.hpp>

#include "http/server_core.hpp"

namespace steward::http::detail {

// Accepts connections, each onto a strand of its own.
class listener : public std::enable_shared_from_this<listener> {
public:
  listener(net::io_context& ioc, server_core& core)
      : ioc_(ioc), core_(core), acceptor_(ioc), retry_timer_(ioc) {}

  /// Binds and listens; throws std::runtime_error with a readable message.
  void listen(const std::string& host, uint16_t port);

  uint16_t port() const;

  void accept();

  /// Only while no io thread runs (server::stop).
  void close();

private:
  void on_accept(beast::error_code ec, tcp::socket socket);

  net::io_context& ioc_;
  server_core& core_;
  tcp::acceptor acceptor_;
  net::steady_timer retry_timer_;
};

} // namespace steward::http::detail
