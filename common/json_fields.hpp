#pragma once
// Reading one field of a JSON object that may be missing, null or of another
// type: the fallback then, never an exception. (nlohmann's value() throws
// when the key is there but holds null, which notifications often do.)
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/time_format.hpp"

namespace steward {

inline std::string text_field(const nlohmann::json& obj, const char* key,
                              const std::string& fallback = "") {
  if (!obj.is_object())
    return fallback;
  auto i = obj.find(key);
  return i != obj.end() && i->is_string() ? i->get<std::string>() : fallback;
}

/// A number that does not fit int64_t (1e300, 2^64 - 1) is the fallback too:
/// converting it would be undefined.
inline int64_t int_field(const nlohmann::json& obj, const char* key, int64_t fallback = 0) {
  if (!obj.is_object())
    return fallback;
  auto i = obj.find(key);
  if (i == obj.end() || !i->is_number())
    return fallback;
  if (i->is_number_unsigned())
    return i->get<uint64_t>() <= uint64_t(INT64_MAX) ? int64_t(i->get<uint64_t>()) : fallback;
  if (i->is_number_float()) {
    auto d = i->get<double>();
    return d >= -9223372036854775808.0 && d < 9223372036854775808.0 ? int64_t(d) : fallback;
  }
  return i->get<int64_t>();
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

/// An ISO 8601 text (timefmt::parse_iso) as a time; none when it is missing,
/// null, not text or not a time.
inline std::optional<sys_time> iso_time_field(const nlohmann::json& obj, const char* key) {
  if (!obj.is_object())
    return std::nullopt;
  auto i = obj.find(key);
  if (i == obj.end() || !i->is_string())
    return std::nullopt;
  return timefmt::parse_iso(i->get<std::string>());
}

/// A value that may be absent, as JSON: the value (as `shown` makes it),
/// or null.
template <class T>
nlohmann::json or_null(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}
template <class T, class Shown>
nlohmann::json or_null(const std::optional<T>& v, Shown shown) {
  return v ? nlohmann::json(shown(*v)) : nlohmann::json(nullptr);
}

/// Which version of its form a stored row is: it names its version in
/// "schema", or none when written before rows had one.
enum class row_version { unversioned, current, other };
inline row_version stored_version(const nlohmann::json& row, int current) {
  if (!row.is_object())
    return row_version::other;
  auto schema = row.find("schema");
  if (schema == row.end())
    return row_version::unversioned;
  return schema->is_number_integer() && schema->get<int64_t>() == current ? row_version::current
                                                                           : row_version::other;
}

/// The stored row of a kind whose row is the document its events carry:
/// that document, marked with the row's version.
inline nlohmann::json versioned_row(nlohmann::json doc, int schema) {
  doc["schema"] = schema;
  return doc;
}

/// Such a row read back by `from_document`, whether it names version
/// `schema` or none (written before rows had one, the same document);
/// nothing for a row of another version.
template <class FromDocument>
auto read_versioned_row(const nlohmann::json& row, int schema, FromDocument from_document)
  -> decltype(from_document(row)) {
  if (stored_version(row, schema) == row_version::other)
    return std::nullopt;
  return from_document(row);
}

} // namespace steward
