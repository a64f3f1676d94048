#pragma once
// JSON text written by hand where building a json value only to dump it was
// the cost: notification envelopes and event records, once per event.
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace steward {

/// Appends `s` as a JSON string (quotes included) to `out`, exactly as
/// nlohmann's dump writes it (invalid UTF-8 replaced).
void append_json_string(std::string& out, std::string_view s);
/// The same, as a new string.
std::string json_string(std::string_view s);
/// `j` as compact text; invalid UTF-8 in its strings becomes U+FFFD instead
/// of an exception (text from outside must not take the writer down).
std::string dump_json(const nlohmann::json& j);

} // namespace steward
