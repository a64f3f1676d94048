#include "http/beast_messages.hpp"

#include <algorithm>
#include <cctype>

#include "common/ids.hpp"
#include "common/text.hpp"

namespace steward::http::detail {

namespace {

constexpr std::size_t max_request_id_length = 128;

// A client-chosen request id is kept only when it is a plain token that is
// safe to echo in a header and to print in a log line.
bool is_sane_request_id(beast::string_view id) {
  if (id.empty() || id.size() > max_request_id_length)
    return false;
  return std::all_of(id.begin(), id.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

} // namespace

std::string str(beast::string_view text) { return std::string(text.data(), text.size()); }

std::string choose_request_id(const bhttp::fields& fields) {
  for (const char* name : {"X-Openstack-Request-Id", "X-Request-Id"}) {
    auto it = fields.find(name);
    if (it != fields.end() && is_sane_request_id(it->value()))
      return str(it->value());
  }
  return "req-" + make_uuid();
}

request to_request(bhttp::request<bhttp::string_body>&& msg, std::string request_id,
                   const std::string& remote) {
  request req;
  req.method = str(msg.method_string());
  req.target = str(msg.target());
  auto question = req.target.find('?');
  req.path = url_decode(req.target.substr(0, question), false);
  if (question != std::string::npos)
    req.query = parse_query(req.target.substr(question + 1));
  for (const auto& field : msg) {
    auto [it, fresh] = req.headers.emplace(lower(str(field.name_string())), str(field.value()));
    if (!fresh) // a repeated header is one comma-separated list (RFC 7230, 3.2.2)
      it->second += ", " + str(field.value());
  }
  req.body = std::move(msg.body());
  req.request_id = std::move(request_id);
  req.remote = remote;
  return req;
}

} // namespace steward::http::detail
