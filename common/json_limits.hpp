#pragma once
// Every JSON document that comes from outside (an HTTP body, a bus message)
// is read through here: nesting beyond a limit would overflow the stack of
// whatever walks the document recursively (copy, compare, dump), and a byte
// that is not UTF-8 would make nlohmann throw where the text is written out.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace steward {

/// Nesting of arrays and objects that every real document stays within
/// (`[DEFAULT] max_json_depth` overrides it).
constexpr std::size_t default_max_json_depth = 32;

/// Whether `s` is well-formed UTF-8: no stray continuation byte, no
/// truncated or overlong sequence, no surrogate, nothing past U+10FFFF.
bool valid_utf8(std::string_view s);

/// How deeply arrays and objects nest in JSON `text` (strings skipped);
/// counting stops once past `limit`, so the answer is at most limit + 1.
std::size_t json_depth(std::string_view text, std::size_t limit);

/// Parses `text`, refusing invalid UTF-8 and nesting deeper than
/// `max_depth`; on refusal `error` says why and nothing is returned.
std::optional<nlohmann::json> parse_json(std::string_view text, std::size_t max_depth,
                                         std::string& error);

} // namespace steward
