#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "bus/amqp_bus.hpp"
#include "bus/memory_outbox.hpp"

namespace steward::bus {
namespace {

transport_url parse_ok(const std::string& text) {
  std::string error;
  auto url = parse_transport_url(text, error);
  EXPECT_TRUE(url) << text << ": " << error;
  return url ? *url : transport_url{};
}

std::string parse_error(const std::string& text) {
  std::string error;
  auto url = parse_transport_url(text, error);
  EXPECT_FALSE(url) << text;
  return error;
}

TEST(TransportUrl, FullRabbitUrl) {
  auto url = parse_ok("rabbit://steward:secret@mq.example.org:5673/steward-test");
  ASSERT_EQ(url.hosts.size(), 1u);
  EXPECT_EQ(url.hosts[0].user, "steward");
  EXPECT_EQ(url.hosts[0].password, "secret");
  EXPECT_EQ(url.hosts[0].host, "mq.example.org");
  EXPECT_EQ(url.hosts[0].port, 5673);
  EXPECT_EQ(url.vhost, "steward-test");
}

TEST(TransportUrl, AmqpSchemeAndDefaults) {
  auto url = parse_ok("amqp://guest:guest@127.0.0.1");
  EXPECT_EQ(url.hosts[0].port, 5672);
  EXPECT_EQ(url.vhost, "/");
  url = parse_ok("AMQP://h/");
  EXPECT_EQ(url.hosts[0].host, "h");
  EXPECT_EQ(url.hosts[0].user, "guest");
  EXPECT_EQ(url.hosts[0].password, "guest");
  EXPECT_EQ(url.vhost, "/");
}

TEST(TransportUrl, PercentDecoding) {
  auto url = parse_ok("rabbit://us%40er:p%3Ass%2Fw%25rd@h:5672/%2F");
  EXPECT_EQ(url.hosts[0].user, "us@er");
  EXPECT_EQ(url.hosts[0].password, "p:ss/w%rd");
  EXPECT_EQ(url.vhost, "/");
  url = parse_ok("rabbit://u:p@h/my%20vhost");
  EXPECT_EQ(url.vhost, "my vhost");
}

TEST(TransportUrl, UserWithoutPassword) {
  auto url = parse_ok("rabbit://alice@h:1234/v");
  EXPECT_EQ(url.hosts[0].user, "alice");
  EXPECT_EQ(url.hosts[0].password, "");
  EXPECT_EQ(url.hosts[0].port, 1234);
}

TEST(TransportUrl, SeveralHosts) {
  auto url = parse_ok("rabbit://a:pa@h1:5672,b:pb@h2:5673/vh");
  ASSERT_EQ(url.hosts.size(), 2u);
  EXPECT_EQ(url.hosts[0].user, "a");
  EXPECT_EQ(url.hosts[0].host, "h1");
  EXPECT_EQ(url.hosts[1].user, "b");
  EXPECT_EQ(url.hosts[1].password, "pb");
  EXPECT_EQ(url.hosts[1].host, "h2");
  EXPECT_EQ(url.hosts[1].port, 5673);
  EXPECT_EQ(url.vhost, "vh");
}

TEST(TransportUrl, Ipv6AndQuery) {
  auto url = parse_ok("rabbit://u:p@[::1]:5674/v?heartbeat=10");
  EXPECT_EQ(url.hosts[0].host, "::1");
  EXPECT_EQ(url.hosts[0].port, 5674);
  EXPECT_EQ(url.vhost, "v");
}

TEST(TransportUrl, Errors) {
  EXPECT_NE(parse_error("127.0.0.1:5672").find("not a transport URL"), std::string::npos);
  EXPECT_NE(parse_error("kafka://h/").find("unsupported scheme"), std::string::npos);
  EXPECT_NE(parse_error("rabbit://u:p@h:port/").find("bad port"), std::string::npos);
  EXPECT_NE(parse_error("rabbit://u:p@h:70000/").find("bad port"), std::string::npos);
  EXPECT_NE(parse_error("rabbit://u%zz:p@h/").find("percent"), std::string::npos);
  EXPECT_NE(parse_error("rabbit://u:p@h/v%2").find("percent"), std::string::npos);
  EXPECT_NE(parse_error("rabbit://u:p@h/?ssl=1").find("TLS"), std::string::npos);
  EXPECT_NE(parse_error("rabbit://u:p@[::1/").find("'['"), std::string::npos);
}

TEST(AmqpBus, DescribeHidesThePassword) {
  memory_outbox outbox;
  amqp_options opts(outbox);
  opts.url = parse_ok("rabbit://guest:guest@127.0.0.1:5672/steward-test");
  amqp_bus b(opts);
  EXPECT_EQ(b.describe(), "amqp://guest@127.0.0.1:5672/steward-test");
  EXPECT_FALSE(b.ready());
  b.stop();  // never started: nothing to do
}

TEST(AmqpBus, StopsPromptlyWithoutABroker) {
  memory_outbox outbox;
  amqp_options opts(outbox);
  opts.url = parse_ok("rabbit://guest:guest@127.0.0.1:1/");  // nobody listens on port 1
  amqp_bus b(opts);
  b.start([](inbound, ack_fn) {});
  EXPECT_FALSE(b.ready());
  b.stop();
  b.stop();  // idempotent
}

// A TCP listener that completes the handshake (through the backlog) but
// never says a word: the AMQP login waits for a connection.start that does
// not come.
class silent_listener {
public:
  silent_listener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::listen(fd_, 8), 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~silent_listener() { ::close(fd_); }
  int port() const { return port_; }

private:
  int fd_ = -1;
  int port_ = 0;
};

TEST(AmqpBus, StopsEvenWhenTheBrokerNeverAnswers) {
  silent_listener silent;
  memory_outbox outbox;
  amqp_options opts(outbox);
  opts.url = parse_ok("rabbit://guest:guest@127.0.0.1:" + std::to_string(silent.port()) + "/");
  amqp_bus b(opts);
  b.start([](inbound, ack_fn) {});
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let both threads get stuck in the login
  EXPECT_FALSE(b.ready());
  b.stop();  // returns: the sockets are shut down under the stuck threads
}

} // namespace
} // namespace steward::bus
