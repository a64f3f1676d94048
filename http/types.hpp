#pragma once
// What a request handler sees of HTTP: no sockets, no Beast.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace steward {
class event_stream;
}

namespace steward::http {

struct request {
  std::string method;                        // "GET", "POST", ...
  std::string target;                        // raw target, query included
  std::string path;                          // decoded path, no query
  std::multimap<std::string, std::string> query; // decoded query parameters
  std::map<std::string, std::string> headers;    // names in lower case
  std::string body;
  std::string request_id;                    // "req-<uuid>", set by the server
  std::string remote;                        // peer address

  /// The header's value or "" (name in lower case).
  std::string header(const std::string& name) const;
  /// The first value of a query parameter, or nullptr.
  const std::string* param(const std::string& name) const;
  /// Every value of a repeated query parameter.
  std::vector<std::string> params(const std::string& name) const;
};

struct response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  /// Set for a Server-Sent Events response: the server writes the status and
  /// headers, then whatever the stream yields until either side ends it.
  std::shared_ptr<event_stream> stream;
};

using respond_fn = std::function<void(response)>;

/// Decides what a request means. Called on an io thread: it must not block.
/// `respond` may be called once, from any thread, now or later.
class request_handler {
public:
  virtual ~request_handler() = default;
  virtual void handle(request req, respond_fn respond) = 0;
};

/// Percent-decoding of a path or query component ('+' as space in queries).
std::string url_decode(const std::string& text, bool plus_is_space);
/// Splits "a=1&b=2" into decoded pairs.
std::multimap<std::string, std::string> parse_query(const std::string& text);

} // namespace steward::http
