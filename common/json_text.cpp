#include "common/json_text.hpp"

#include <nlohmann/json.hpp>

namespace steward {

namespace {

bool needs_escape(unsigned char c) { return c == '"' || c == '\\' || c < 0x20; }

void append_escape(std::string& out, unsigned char c) {
  switch (c) {
    case '"': out += "\\\""; return;
    case '\\': out += "\\\\"; return;
    case '\b': out += "\\b"; return;
    case '\f': out += "\\f"; return;
    case '\n': out += "\\n"; return;
    case '\r': out += "\\r"; return;
    case '\t': out += "\\t"; return;
    default: {
      static const char hex[] = "0123456789abcdef";
      out += "\\u00";
      out += hex[c >> 4];
      out += hex[c & 0xf];
    }
  }
}

} // namespace

void append_json_string(std::string& out, std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) {
      // Multi-byte text: nlohmann checks (and repairs) the UTF-8.
      out += dump_json(nlohmann::json(std::string{s}));
      return;
    }
  out.reserve(out.size() + s.size() + s.size() / 8 + 2);
  out += '"';
  std::size_t plain = 0;  // start of the run copied as it is
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (!needs_escape(c))
      continue;
    out.append(s.data() + plain, i - plain);
    append_escape(out, c);
    plain = i + 1;
  }
  out.append(s.data() + plain, s.size() - plain);
  out += '"';
}

std::string json_string(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

std::string dump_json(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace steward
