#include "common/ids.hpp"

#include <cctype>
#include <cstdint>
#include <fstream>
#include <mutex>
#include <random>

namespace steward {

namespace {

std::mt19937_64& generator() {
  thread_local std::mt19937_64 gen = [] {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd(), rd(), rd()};
    return std::mt19937_64{seq};
  }();
  return gen;
}

const char hex[] = "0123456789abcdef";

} // namespace

std::string random_hex(std::size_t n) {
  std::string out;
  out.reserve(n * 2);
  auto& gen = generator();
  for (std::size_t i = 0; i < n; ++i) {
    auto b = static_cast<uint8_t>(gen());
    out.push_back(hex[b >> 4]);
    out.push_back(hex[b & 0xf]);
  }
  return out;
}

std::string make_uuid() {
  uint8_t b[16];
  auto& gen = generator();
  for (int i = 0; i < 16; i += 8) {
    uint64_t r = gen();
    for (int j = 0; j < 8; ++j)
      b[i + j] = static_cast<uint8_t>(r >> (8 * j));
  }
  b[6] = static_cast<uint8_t>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<uint8_t>((b[8] & 0x3f) | 0x80);
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10)
      out.push_back('-');
    out.push_back(hex[b[i] >> 4]);
    out.push_back(hex[b[i] & 0xf]);
  }
  return out;
}

bool is_uuid(const std::string& text) {
  if (text.size() != 36)
    return false;
  for (std::size_t i = 0; i < 36; ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i])))
      return false;
  }
  return true;
}

} // namespace steward
