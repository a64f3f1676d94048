#pragma once
// Reading one field of a JSON object that may be missing, null or of another
// type: the fallback then, never an exception. (nlohmann's value() throws
// when the key is there but holds null, which notifications often do.)
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace steward {

inline std::string text_field(const nlohmann::json& obj, const char* key,
                              const std::string& fallback = "") {
  if (!obj.is_object())
    return fallback;
  auto i = obj.find(key);
  return i != obj.end() && i->is_string() ? i->get<std::string>() : fallback;
}

inline int64_t int_field(const nlohmann::json& obj, const char* key, int64_t fallback = 0) {
  if (!obj.is_object())
    return fallback;
  auto i = obj.find(key);
  return i != obj.end() && i->is_number() ? i->get<int64_t>() : fallback;
}

inline double number_field(const nlohmann::json& obj, const char* key, double fallback = 0) {
  if (!obj.is_object())
    return fallback;
  auto i = obj.find(key);
  return i != obj.end() && i->is_number() ? i->get<double>() : fallback;
}

inline bool bool_field(const nlohmann::json& obj, const char* key, bool fallback = false) {
  if (!obj.is_object())
    return fallback;
  auto i = obj.find(key);
  return i != obj.end() && i->is_boolean() ? i->get<bool>() : fallback;
}

} // namespace steward
