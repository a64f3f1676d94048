#include "http/errors.hpp"

#include <nlohmann/json.hpp>

#include "common/json_text.hpp"

namespace steward::http {

namespace {

bool starts_with(const std::string& s, const char* prefix) {
  return s.rfind(prefix, 0) == 0;
}

// The prefix itself, or the prefix followed by '/' or '.json'.
bool under(const std::string& path, const std::string& prefix) {
  if (!starts_with(path, prefix.c_str()))
    return false;
  return path.size() == prefix.size() || path[prefix.size()] == '/'
         || path[prefix.size()] == '.';
}

} // namespace

api_family family_of(const std::string& path) {
  for (auto p : {"/v1/leases", "/v1/os-hosts"})
    if (under(path, p))
      return api_family::blazar;
  for (auto p : {"/v1/maintenance", "/v1/instance", "/v1/instance_group"})
    if (under(path, p))
      return api_family::fenix;
  if (under(path, "/api"))
    return api_family::waldur;
  for (auto p : {"/v1/environments", "/v1/deployments", "/v1/actions", "/v1/stats",
                 "/v1/templates", "/v1/catalog"})
    if (under(path, p))
      return api_family::murano;
  for (auto p : {"/resources", "/reset", "/events", "/tenants", "/hosts"})
    if (under(path, p))
      return api_family::pumphouse;
  return api_family::steward;
}

const char* status_title(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 509: return "Bandwidth Limit Exceeded";
    default: return status >= 500 ? "Server Error" : "Client Error";
  }
}

response error_response(api_family family, int status, const std::string& message) {
  nlohmann::json body;
  switch (family) {
    case api_family::blazar:
      body = {{"error_code", status}, {"error_message", message}, {"error_name", status}};
      break;
    case api_family::fenix:
      body = {{"faultcode", status >= 500 ? "Server" : "Client"},
              {"faultstring", message},
              {"debuginfo", nullptr}};
      break;
    case api_family::waldur:
      body = {{"detail", message}};
      break;
    case api_family::steward:
    case api_family::murano:
    case api_family::pumphouse:
      body = {{"error", {{"code", status}, {"title", status_title(status)}, {"message", message}}}};
      break;
  }
  return json_response(status, dump_json(body));
}

response json_response(int status, const std::string& body) {
  response r;
  r.status = status;
  r.body = body;
  return r;
}

} // namespace steward::http
