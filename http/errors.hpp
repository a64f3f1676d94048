#pragma once
// Each API family answers errors in the shape its own clients parse.
#include <string>

#include "http/types.hpp"

namespace steward::http {

enum class api_family {
  steward,    // Steward's own routes: {"error": {"code", "title", "message"}}
  blazar,     // {"error_code", "error_message", "error_name"}
  fenix,      // {"faultcode", "faultstring", "debuginfo"}
  waldur,     // {"detail": "..."}
  murano,     // {"error": {"code", "title", "message"}} (values all objects)
  pumphouse,  // {"error": {"code", "title", "message"}}
};

/// The family that owns a path, by its prefix.
api_family family_of(const std::string& path);
/// "Not Found", "Conflict", ... for a status code.
const char* status_title(int status);
/// A JSON error response in the family's shape.
response error_response(api_family family, int status, const std::string& message);
/// A JSON response with `body` serialized.
response json_response(int status, const std::string& body);

} // namespace steward::http
