#pragma once
// What travels between the HTTP routes and the registries: a command and its
// reply. Plain structs: route code includes this without any CAF header.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/access.hpp"

namespace steward {

struct api_command {
  std::string verb;       // "list", "show", "create", "update", "delete", or a family verb
  std::string id;         // entity id (or name), "" for collection verbs
  std::string scope;      // a sub-collection the route names (e.g. "flavors" of the catalog)
  std::string base_url;   // "http://host:port" as the client called it, for URLs in answers
  nlohmann::json body;    // parsed request body; null when there was none
  std::multimap<std::string, std::string> query;  // and path parameters other than {id}
  access::caller who;

  /// The first value of a query (or path) parameter, "" when absent.
  std::string param(const std::string& key) const {
    auto i = query.find(key);
    return i == query.end() ? "" : i->second;
  }
};

struct api_reply {
  int status = 200;
  nlohmann::json body;    // the answer, or a structured error the route passes on
  std::shared_ptr<const std::string> text;  // the answer already serialized (wins over body)
  std::string error;      // a plain error message; the route puts it in its family's shape
  std::vector<std::pair<std::string, std::string>> headers;

  static api_reply ok(nlohmann::json body, int status = 200) {
    api_reply r;
    r.status = status;
    r.body = std::move(body);
    return r;
  }
  static api_reply fail(int status, std::string message) {
    api_reply r;
    r.status = status;
    r.error = std::move(message);
    return r;
  }
  /// 503 with Retry-After: the part that decides is not ready yet (it is
  /// still recovering), so no answer it gave now would be true.
  static api_reply not_ready(std::string message) {
    auto r = fail(503, std::move(message));
    r.headers.emplace_back("Retry-After", "1");
    return r;
  }
};

/// A command from outside the actors (an HTTP route) with where its reply
/// goes: the gateway actor forwards it to the registry of `kind`.
struct api_request {
  std::string kind;
  api_command command;
  std::function<void(api_reply)> done;
};

} // namespace steward
