#pragma once
// Tokens and who they stand for, read from the JSON tokens file:
//   {"<token>": {"user_id": "alice", "staff": false,
//                "projects": {"<project_id>": "admin"}, "customers": ["<id>"]}}
#include <map>
#include <optional>
#include <string>

#include "common/access.hpp"
#include "http/types.hpp"

namespace steward::http {

class token_registry {
public:
  /// Replaces the tokens with those of `text`; returns "" or what is wrong.
  std::string parse(const std::string& text);
  /// Reads the file; returns "" or what is wrong.
  std::string load_file(const std::string& path);
  std::optional<access::caller> find(const std::string& token) const;
  std::size_t size() const { return tokens_.size(); }
  /// A staff token, for the first screen; "" when there is none.
  std::string some_staff_token() const;

  /// The token a request carries: X-Auth-Token, or Authorization with the
  /// "Token" or "Bearer" scheme; "" when none.
  static std::string token_of(const request& req);

private:
  std::map<std::string, access::caller> tokens_;
};

/// Creates `path` with one staff token if it does not exist; returns the
/// token it wrote ("" when the file existed), throws when it cannot write.
std::string ensure_tokens_file(const std::string& path);

} // namespace steward::http
