// The limit for HTTP reads: a bare Boost.Beast server that answers every
// request with the same JSON body, on the same number of threads as
// stewardd's API. Nothing but parsing, writing and keep-alive.
//   bench-bare-server PORT THREADS BODY_FILE
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

class session : public std::enable_shared_from_this<session> {
public:
  session(tcp::socket socket, std::shared_ptr<const std::string> body)
    : stream_{std::move(socket)}, body_{std::move(body)} {}
  void start() { read(); }

private:
  void read() {
    request_ = {};
    http::async_read(stream_, buffer_, request_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       if (!ec)
                         self->answer();
                     });
  }
  void answer() {
    response_ = {http::status::ok, request_.version()};
    response_.set(http::field::content_type, "application/json");
    response_.keep_alive(request_.keep_alive());
    response_.body() = *body_;
    response_.prepare_payload();
    http::async_write(stream_, response_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        if (!ec && self->response_.keep_alive())
                          self->read();
                      });
  }
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
  std::shared_ptr<const std::string> body_;
};

void accept(tcp::acceptor& acceptor, net::io_context& io, std::shared_ptr<const std::string> body) {
  acceptor.async_accept(net::make_strand(io), [&, body](beast::error_code ec, tcp::socket s) {
    if (!ec)
      std::make_shared<session>(std::move(s), body)->start();
    accept(acceptor, io, body);
  });
}

} // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: bench-bare-server PORT THREADS BODY_FILE\n";
    return 2;
  }
  auto port = static_cast<unsigned short>(std::atoi(argv[1]));
  auto threads = std::max(1, std::atoi(argv[2]));
  std::ifstream in{argv[3]};
  std::stringstream text;
  text << in.rdbuf();
  auto body = std::make_shared<const std::string>(text.str());
  net::io_context io{threads};
  tcp::acceptor acceptor{io, {net::ip::make_address("127.0.0.1"), port}};
  accept(acceptor, io, body);
  std::cout << "bench-bare-server: listening on " << port << " (" << body->size()
            << " bytes)" << std::endl;
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i)
    pool.emplace_back([&] { io.run(); });
  io.run();
  for (auto& t : pool)
    t.join();
}
