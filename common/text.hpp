#pragma once
// ASCII case of names, keys and verbs (HTTP header names, config keys,
// query words): not for text in other scripts.
#include <cctype>
#include <string>

namespace steward {

inline std::string lower(std::string s) {
  for (auto& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

inline std::string upper(std::string s) {
  for (auto& c : s)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

} // namespace steward
