#include "http/listener.hpp"

#include <stdexcept>
#include <utility>

#include <boost/asio/strand.hpp>

#include "common/log.hpp"
#include "http/session.hpp"

namespace steward::http::detail {

namespace {

// Pause before accepting again after accept failed (e.g. out of descriptors),
// so the failure does not turn into a busy loop.
constexpr auto accept_retry_delay = std::chrono::milliseconds(100);

} // namespace

void listener::listen(const std::string& host, uint16_t port) {
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

uint16_t listener::port() const {
  beast::error_code ec;
  return acceptor_.local_endpoint(ec).port();
}

void listener::accept() {
  acceptor_.async_accept(net::make_strand(ioc_),
                         beast::bind_front_handler(&listener::on_accept, shared_from_this()));
}

void listener::close() {
  beast::error_code ignored;
  acceptor_.close(ignored);
  retry_timer_.cancel();
}

void listener::on_accept(beast::error_code ec, tcp::socket socket) {
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

} // namespace steward::http::detail
