#include "common/json_limits.hpp"

#include <nlohmann/json.hpp>

namespace steward {

bool valid_utf8(std::string_view s) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  std::size_t i = 0;
  while (i < s.size()) {
    unsigned char c = byte(i);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t n;      // continuation bytes
    unsigned char lo = 0x80, hi = 0xBF;  // range of the first continuation byte
    if (c >= 0xC2 && c <= 0xDF)
      n = 1;
    else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      if (c == 0xE0) lo = 0xA0;       // overlong
      if (c == 0xED) hi = 0x9F;       // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      if (c == 0xF0) lo = 0x90;       // overlong
      if (c == 0xF4) hi = 0x8F;       // past U+10FFFF
    } else
      return false;                   // continuation byte, C0, C1, F5..FF
    if (i + n >= s.size())
      return false;                   // truncated
    if (byte(i + 1) < lo || byte(i + 1) > hi)
      return false;
    for (std::size_t k = 2; k <= n; ++k)
      if (byte(i + k) < 0x80 || byte(i + k) > 0xBF)
        return false;
    i += n + 1;
  }
  return true;
}

std::size_t json_depth(std::string_view text, std::size_t limit) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"')
      in_string = true;
    else if (c == '[' || c == '{') {
      if (++depth > deepest && (deepest = depth) > limit)
        return deepest;
    } else if ((c == ']' || c == '}') && depth > 0)
      --depth;
  }
  return deepest;
}

std::optional<nlohmann::json> parse_json(std::string_view text, std::size_t max_depth,
                                         std::string& error) {
  if (!valid_utf8(text)) {
    error = "is not valid UTF-8";
    return std::nullopt;
  }
  if (json_depth(text, max_depth) > max_depth) {
    error = "nests deeper than " + std::to_string(max_depth) + " levels";
    return std::nullopt;
  }
  auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded()) {
    error = "is not valid JSON";
    return std::nullopt;
  }
  return doc;
}

} // namespace steward
