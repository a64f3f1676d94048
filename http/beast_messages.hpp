#pragma once
// Between Beast's messages and what a request handler sees (request,
// response): request ids, the server's own headers and error answers.
#include <string>
#include <utility>
#include <vector>

#include "common/log.hpp"
#include "common/text.hpp"
#include "http/server_core.hpp"
#include "http/errors.hpp"
#include "http/types.hpp"

namespace steward::http::detail {

std::string str(beast::string_view text);

/// The client's request id when it is a sane one, else a fresh "req-<uuid>".
std::string choose_request_id(const bhttp::fields& fields);


template <class Body>
void set_server_headers(bhttp::response<Body>& msg, const std::string& request_id) {
  msg.set(bhttp::field::server, "stewardd");
  msg.set("X-Openstack-Request-Id", request_id);
  msg.set("X-Request-Id", request_id);
}

// The handler's own headers. Framing headers are the server's business (a
// wrong Content-Length would corrupt the connection), and a line break in a
// name or value would let a value inject headers of its own.
template <class Body>
void add_handler_headers(bhttp::response<Body>& msg,
                         const std::vector<std::pair<std::string, std::string>>& headers) {
  for (const auto& [name, value] : headers) {
    auto key = lower(name);
    if (key == "content-length" || key == "transfer-encoding" || key == "connection")
      continue;
    if (name.empty() || name.find_first_of("\r\n:") != std::string::npos ||
        value.find_first_of("\r\n") != std::string::npos) {
      LOG_WARN("http", "dropping invalid response header '" << name << "'");
      continue;
    }
    msg.insert(name, value);
  }
}

// What a request handler sees: no sockets, no Beast.
request to_request(bhttp::request<bhttp::string_body>&& msg, std::string request_id,
                   const std::string& remote);

} // namespace steward::http::detail
