#pragma once
// oslo.messaging transport URLs ("rabbit://user:pass@host:port/vhost").
#include <optional>
#include <string>
#include <vector>

namespace steward::bus {

/// One broker of an oslo transport URL.
struct amqp_endpoint {
  std::string user = "guest";
  std::string password = "guest";
  std::string host = "localhost";
  int port = 5672;
};

/// An oslo.messaging transport URL, parsed.
struct transport_url {
  std::vector<amqp_endpoint> hosts{amqp_endpoint{}};  // never empty
  std::string vhost = "/";
};

/// Parses "rabbit://user:pass@host:port/vhost" (or amqp://). Default port
/// 5672, empty path -> vhost "/", user, password and vhost percent-decoded,
/// no credentials -> guest/guest. Several brokers may be listed separated by
/// commas ("rabbit://u:p@h1:5672,u:p@h2:5672/vh"); each brings its own
/// credentials. Query parameters are ignored, except that TLS (ssl=1) is
/// refused because this build does not speak it. On failure returns nothing
/// and says why in `error`.
std::optional<transport_url> parse_transport_url(const std::string& text, std::string& error);

} // namespace steward::bus
