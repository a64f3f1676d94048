#include "http/auth.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "common/ids.hpp"

namespace steward::http {

using nlohmann::json;

namespace {

std::string parse_caller(const std::string& token, const json& v, access::caller& out) {
  auto where = "token '" + token.substr(0, 4) + "...': ";
  if (!v.is_object())
    return where + "must map to an object";
  for (auto& [key, value] : v.items()) {
    if (key == "user_id") {
      if (!value.is_string())
        return where + "user_id must be a string";
      out.user_id = value;
    } else if (key == "staff") {
      if (!value.is_boolean())
        return where + "staff must be true or false";
      out.staff = value;
    } else if (key == "projects") {
      if (!value.is_object())
        return where + "projects must map project ids to roles";
      for (auto& [project, role] : value.items()) {
        access::role r;
        if (!role.is_string() || !access::parse_role(role.get<std::string>(), r))
          return where + "project " + project + ": role must be admin, manager or member";
        out.projects[project] = r;
      }
    } else if (key == "customers") {
      if (!value.is_array())
        return where + "customers must be a list of customer ids";
      for (auto& c : value) {
        if (!c.is_string())
          return where + "customers must be a list of customer ids";
        out.customers.insert(c.get<std::string>());
      }
    } else {
      return where + "unknown field '" + key + "'";
    }
  }
  if (out.user_id.empty())
    return where + "user_id is missing";
  return "";
}

} // namespace

std::string token_registry::parse(const std::string& text) {
  auto doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    return "the tokens file must hold one JSON object";
  std::map<std::string, access::caller> tokens;
  for (auto& [token, value] : doc.items()) {
    if (token.size() < 8)
      return "token '" + token + "' is shorter than 8 characters";
    access::caller c;
    auto err = parse_caller(token, value, c);
    if (!err.empty())
      return err;
    tokens.emplace(token, std::move(c));
  }
  tokens_ = std::move(tokens);
  return "";
}

std::string token_registry::load_file(const std::string& path) {
  std::ifstream in{path};
  if (!in)
    return "cannot read tokens file " + path;
  std::stringstream buf;
  buf << in.rdbuf();
  auto err = parse(buf.str());
  return err.empty() ? "" : path + ": " + err;
}

std::optional<access::caller> token_registry::find(const std::string& token) const {
  auto i = tokens_.find(token);
  if (i == tokens_.end())
    return std::nullopt;
  return i->second;
}

std::string token_registry::some_staff_token() const {
  for (auto& [token, who] : tokens_)
    if (who.staff)
      return token;
  return "";
}

std::string token_registry::token_of(const request& req) {
  auto token = req.header("x-auth-token");
  if (!token.empty())
    return token;
  auto auth = req.header("authorization");
  for (std::string scheme : {"Token ", "Bearer ", "token ", "bearer "})
    if (auth.rfind(scheme, 0) == 0)
      return auth.substr(scheme.size());
  return "";
}

std::string ensure_tokens_file(const std::string& path) {
  struct stat st{};
  if (stat(path.c_str(), &st) == 0)
    return "";
  auto token = random_hex(20);
  json doc = {{token, {{"user_id", "admin"}, {"staff", true}}}};
  std::ofstream out{path};
  if (!out)
    throw std::runtime_error("cannot write tokens file " + path);
  out << doc.dump(2) << "\n";
  out.close();
  chmod(path.c_str(), 0600);
  return token;
}

} // namespace steward::http
