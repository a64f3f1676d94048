#include "bus/transport_url.hpp"

#include <cctype>

#include "common/text.hpp"

namespace steward::bus {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool percent_decode(const std::string& in, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size()) return false;
    int hi = hex_value(in[i + 1]);
    int lo = hex_value(in[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return true;
}

bool parse_port(const std::string& text, int& port) {
  if (text.empty() || text.size() > 5) return false;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  if (value < 1 || value > 65535) return false;
  port = value;
  return true;
}

// "user:pass@host:port", "host", "[::1]:5672", ...
bool parse_endpoint(const std::string& text, amqp_endpoint& ep, std::string& error) {
  std::string hostport = text;
  auto at = text.rfind('@');
  if (at != std::string::npos) {
    std::string userinfo = text.substr(0, at);
    hostport = text.substr(at + 1);
    auto colon = userinfo.find(':');
    std::string user = userinfo.substr(0, colon);
    std::string pass = colon == std::string::npos ? "" : userinfo.substr(colon + 1);
    if (!percent_decode(user, ep.user) || !percent_decode(pass, ep.password)) {
      error = "bad percent-encoding in the credentials";
      return false;
    }
  }
  std::string port_text;
  if (!hostport.empty() && hostport[0] == '[') {  // IPv6 literal
    auto close = hostport.find(']');
    if (close == std::string::npos) {
      error = "unterminated '[' in host '" + hostport + "'";
      return false;
    }
    ep.host = hostport.substr(1, close - 1);
    std::string rest = hostport.substr(close + 1);
    if (!rest.empty()) {
      if (rest[0] != ':') {
        error = "unexpected text after ']' in host '" + hostport + "'";
        return false;
      }
      port_text = rest.substr(1);
    }
  } else {
    auto colon = hostport.find(':');
    ep.host = hostport.substr(0, colon);
    if (colon != std::string::npos) port_text = hostport.substr(colon + 1);
  }
  if (ep.host.empty()) ep.host = "localhost";  // oslo: "rabbit://" means the local broker
  if (!port_text.empty() && !parse_port(port_text, ep.port)) {
    error = "bad port '" + port_text + "'";
    return false;
  }
  return true;
}

// True when the query asks for TLS ("ssl=1", "ssl=true").
bool wants_tls(const std::string& query) {
  std::size_t start = 0;
  while (start <= query.size()) {
    auto end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    std::string item = lower(query.substr(start, end - start));
    if (item == "ssl=1" || item == "ssl=true" || item == "ssl=yes") return true;
    start = end + 1;
  }
  return false;
}

} // namespace

std::optional<transport_url> parse_transport_url(const std::string& text, std::string& error) {
  auto sep = text.find("://");
  if (sep == std::string::npos) {
    error = "not a transport URL (expected rabbit://user:pass@host:port/vhost)";
    return std::nullopt;
  }
  std::string scheme = lower(text.substr(0, sep));
  if (scheme != "rabbit" && scheme != "amqp") {
    error = "unsupported scheme '" + scheme + "' (use rabbit:// or amqp://)";
    return std::nullopt;
  }
  std::string rest = text.substr(sep + 3);
  std::string query;
  if (auto q = rest.find('?'); q != std::string::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  if (wants_tls(query)) {
    error = "TLS (ssl=...) is not supported";
    return std::nullopt;
  }
  // The host list ends at the first '/' after the last '@' (a password may
  // hold a '/' when its writer forgot to encode it; a vhost has no '@').
  auto last_at = rest.rfind('@');
  auto slash = rest.find('/', last_at == std::string::npos ? 0 : last_at + 1);
  std::string hosts = rest.substr(0, slash);
  std::string path = slash == std::string::npos ? "" : rest.substr(slash + 1);

  transport_url url;
  url.hosts.clear();
  std::size_t start = 0;
  while (start <= hosts.size()) {
    auto comma = hosts.find(',', start);
    if (comma == std::string::npos) comma = hosts.size();
    amqp_endpoint ep;
    if (!parse_endpoint(hosts.substr(start, comma - start), ep, error)) return std::nullopt;
    url.hosts.push_back(ep);
    start = comma + 1;
  }
  if (path.empty()) {
    url.vhost = "/";
  } else if (!percent_decode(path, url.vhost)) {
    error = "bad percent-encoding in the vhost";
    return std::nullopt;
  }
  return url;
}

} // namespace steward::bus
