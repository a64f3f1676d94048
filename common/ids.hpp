#pragma once
#include <string>

namespace steward {

/// A random (version 4) UUID in its canonical 36-character form.
std::string make_uuid();
/// `n` random bytes as lowercase hex.
std::string random_hex(std::size_t n);
/// True for a canonical 36-character UUID (any version, any case).
bool is_uuid(const std::string& text);

} // namespace steward
