#include "http/types.hpp"

#include <cctype>

#include "common/text.hpp"

namespace steward::http {

namespace {

// The value of one hex digit, or -1.
int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

} // namespace

std::string request::header(const std::string& name) const {
  auto it = headers.find(name);
  if (it == headers.end())
    it = headers.find(lower(name)); // forgive a caller's capitals
  return it == headers.end() ? std::string{} : it->second;
}

const std::string* request::param(const std::string& name) const {
  auto it = query.find(name); // the first of equal keys, in arrival order
  return it == query.end() ? nullptr : &it->second;
}

std::vector<std::string> request::params(const std::string& name) const {
  std::vector<std::string> values;
  auto [first, last] = query.equal_range(name);
  for (auto it = first; it != last; ++it)
    values.push_back(it->second);
  return values;
}

std::string url_decode(const std::string& text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%' && i + 2 < text.size()) {
      int hi = hex_value(text[i + 1]);
      int lo = hex_value(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    // A '%' not followed by two hex digits is kept as it is: lenient, like
    // most servers, rather than rejecting the whole request.
    if (c == '+' && plus_is_space)
      out.push_back(' ');
    else
      out.push_back(c);
  }
  return out;
}

std::multimap<std::string, std::string> parse_query(const std::string& text) {
  std::multimap<std::string, std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('&', start);
    if (end == std::string::npos)
      end = text.size();
    std::string part = text.substr(start, end - start);
    if (!part.empty()) { // "a=1&&b=2": the empty piece means nothing
      std::size_t eq = part.find('=');
      std::string key = part.substr(0, eq);
      std::string value = eq == std::string::npos ? std::string{} : part.substr(eq + 1);
      // Decode after splitting, so an encoded '&' or '=' stays data.
      out.emplace(url_decode(key, true), url_decode(value, true));
    }
    start = end + 1;
  }
  return out;
}

} // namespace steward::http
