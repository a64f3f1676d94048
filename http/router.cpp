#include "http/router.hpp"

#include <algorithm>

#include "common/json_limits.hpp"

namespace steward::http {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/')
      ++i;
    auto j = path.find('/', i);
    if (j == std::string::npos)
      j = path.size();
    if (j > i)
      out.push_back(path.substr(i, j - i));
    i = j;
  }
  const std::string suffix = ".json";
  if (!out.empty() && out.back().size() > suffix.size()
      && out.back().compare(out.back().size() - suffix.size(), suffix.size(), suffix) == 0)
    out.back().resize(out.back().size() - suffix.size());
  return out;
}

void router::add(route r) {
  auto segments = split_path(r.pattern);
  routes_.push_back({std::move(r), std::move(segments)});
}

namespace {

// "{path*}": the rest of the path, one segment or more.
bool is_rest(const std::string& pattern_segment) {
  return pattern_segment.size() > 3 && pattern_segment.front() == '{'
         && pattern_segment.compare(pattern_segment.size() - 2, 2, "*}") == 0;
}

} // namespace

std::optional<std::map<std::string, std::string>>
router::match(const compiled& c, const std::vector<std::string>& segments) {
  bool rest = !c.segments.empty() && is_rest(c.segments.back());
  if (rest ? segments.size() < c.segments.size() : c.segments.size() != segments.size())
    return std::nullopt;
  std::map<std::string, std::string> params;
  for (std::size_t i = 0; i < c.segments.size(); ++i) {
    auto& p = c.segments[i];
    if (rest && i + 1 == c.segments.size()) {
      std::string joined;
      for (auto j = i; j < segments.size(); ++j)
        joined += (j == i ? "" : "/") + segments[j];
      params[p.substr(1, p.size() - 3)] = joined;
    } else if (p.size() > 2 && p.front() == '{' && p.back() == '}')
      params[p.substr(1, p.size() - 2)] = segments[i];
    else if (p != segments[i])
      return std::nullopt;
  }
  return params;
}

namespace {

std::string media_type(const std::string& content_type) {
  auto semi = content_type.find(';');
  auto t = content_type.substr(0, semi);
  t.erase(std::remove(t.begin(), t.end(), ' '), t.end());
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
  return t;
}

bool has_body_semantics(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH";
}

// Ids, filters and the Host (in the URLs of answers) reach JSON documents
// and error texts: they must be text.
bool is_text(const request& req) {
  if (!valid_utf8(req.path) || !valid_utf8(req.header("host")))
    return false;
  for (auto& [key, value] : req.query)
    if (!valid_utf8(key) || !valid_utf8(value))
      return false;
  return true;
}

} // namespace

void router::handle(request req, respond_fn respond) {
  // Every answer is counted, with the project it was for once the token says.
  auto project = std::make_shared<std::string>();
  respond = [this, project, started = std::chrono::steady_clock::now(),
             inner = std::move(respond)](response r) {
    stats_.record(*project, r.status, std::chrono::steady_clock::now() - started);
    inner(std::move(r));
  };
  auto family = family_of(req.path);
  if (!is_text(req))
    return respond(error_response(family, 400, "The request path, query or Host header is "
                                               "not valid UTF-8 (once percent-decoded)"));
  auto segments = split_path(req.path);
  const compiled* found = nullptr;
  std::map<std::string, std::string> params;
  std::vector<std::string> allowed;
  for (auto& c : routes_) {
    auto m = match(c, segments);
    if (!m)
      continue;
    if (c.r.method != req.method) {
      allowed.push_back(c.r.method);
      continue;
    }
    found = &c;
    params = std::move(*m);
    break;
  }
  if (!found) {
    if (allowed.empty())
      return respond(error_response(family, 404, "The resource could not be found: "
                                                   + req.method + " " + req.path));
    std::string allow;
    for (auto& m : allowed)
      allow += (allow.empty() ? "" : ", ") + m;
    auto r = error_response(family, 405, "Method " + req.method + " is not allowed on "
                                           + req.path + " (allowed: " + allow + ")");
    r.headers.emplace_back("Allow", allow);
    return respond(std::move(r));
  }
  route_context ctx;
  ctx.family = family;
  ctx.params = std::move(params);
  if (!found->r.public_route) {
    auto token = token_registry::token_of(req);
    if (token.empty())
      return respond(error_response(family, 401, "Authentication required: send X-Auth-Token "
                                                 "or Authorization: Token <key>"));
    auto who = tokens_.find(token);
    if (!who)
      return respond(error_response(family, 401, "The token is not valid"));
    ctx.who = std::move(*who);
    *project = access::sole_project(ctx.who);
  }
  if (has_body_semantics(req.method) && !req.body.empty()) {
    auto type = media_type(req.header("content-type"));
    auto& accepted = found->r.body_types;
    if (std::find(accepted.begin(), accepted.end(), type) == accepted.end())
      return respond(error_response(family, 415, "Content type '" + type + "' is not "
                                                 "supported here; send " + accepted.front()));
    std::string error;
    auto body = parse_json(req.body, max_json_depth_, error);
    if (!body)
      return respond(error_response(family, 400, "The request body " + error));
    ctx.body = std::move(*body);
  }
  ctx.req = std::move(req);
  found->r.call(std::move(ctx), std::move(respond));
}

} // namespace steward::http
