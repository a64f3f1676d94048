#pragma once
// Turns a request into a route call: matches method and path (a ".json"
// suffix and a trailing slash are accepted everywhere), authenticates, parses
// the JSON body, and answers errors in the shape of the path's API family.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/access.hpp"
#include "common/json_limits.hpp"
#include "http/auth.hpp"
#include "http/errors.hpp"
#include "http/request_stats.hpp"
#include "http/types.hpp"

namespace steward::http {

struct route_context {
  request req;
  std::map<std::string, std::string> params;  // {name} segments of the pattern
  access::caller who;
  nlohmann::json body;                        // null when the request had none
  api_family family = api_family::steward;
};

using route_fn = std::function<void(route_context ctx, respond_fn respond)>;

struct route {
  std::string method;       // "GET", ...
  std::string pattern;      // "/v1/inventory/hosts/{id}"; "{path*}" last: the rest of the path
  route_fn call;
  bool public_route = false;                    // no token needed
  std::vector<std::string> body_types = {"application/json"}; // accepted content types
};

class router : public request_handler {
public:
  /// Bodies nesting deeper than `max_json_depth` are refused (400).
  explicit router(const token_registry& tokens,
                  std::size_t max_json_depth = default_max_json_depth)
    : tokens_{tokens}, max_json_depth_{max_json_depth} {}
  void add(route r);
  void handle(request req, respond_fn respond) override;
  /// What every answer so far adds up to (GET /v1/stats).
  const request_stats& stats() const { return stats_; }

private:
  struct compiled {
    route r;
    std::vector<std::string> segments;
  };
  static std::optional<std::map<std::string, std::string>>
  match(const compiled& c, const std::vector<std::string>& segments);

  const token_registry& tokens_;
  std::size_t max_json_depth_;
  std::vector<compiled> routes_;
  request_stats stats_;
};

/// "/a/b/" -> {"a", "b"}; a ".json" suffix on the last segment is dropped.
std::vector<std::string> split_path(const std::string& path);

} // namespace steward::http
