// What a stored row costs in memory once read, against its text: the part of
// stewardd's memory per idle entity that is its value.
//   bench-document-memory DB KIND     (KIND: lease, instance, host, ...)
// Parses every row of KIND in the store and prints one JSON object: the
// rows, their average text size, the heap each parsed JSON tree takes, and
// the heap of what stewardd holds per entity ("held_bytes": the typed value
// of a typed kind, a lease or an instance; the tree of the others), each
// from glibc's allocated bytes (mmap'd blocks too) before and after, over
// the count.
#include <malloc.h>
#include <sqlite3.h>

#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/instance/instance_json.hpp"
#include "actors/lease/lease_json.hpp"

using nlohmann::json;

// Allocated bytes: from the arenas and, for large blocks (a vector of 100k
// values), from mmap.
std::size_t heap_bytes() {
  auto m = mallinfo2();
  return m.uordblks + m.hblkhd;
}

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: bench-document-memory DB KIND\n";
    return 2;
  }
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    std::cerr << "bench-document-memory: cannot open " << argv[1] << "\n";
    return 1;
  }
  std::vector<std::string> texts;
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "SELECT document FROM entities WHERE kind = ?", -1, &stmt, nullptr);
  sqlite3_bind_text(stmt, 1, argv[2], -1, SQLITE_STATIC);
  std::size_t text_bytes = 0;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    texts.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
    text_bytes += texts.back().size();
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  if (texts.empty()) {
    std::cerr << "bench-document-memory: no " << argv[2] << " in the store\n";
    return 1;
  }
  std::vector<json> trees;
  trees.reserve(texts.size());
  auto before = heap_bytes();
  for (auto& t : texts)
    trees.push_back(json::parse(t));
  auto after = heap_bytes();
  auto n = static_cast<double>(texts.size());
  auto tree_bytes = static_cast<double>(after - before) / n;
  auto held_bytes = tree_bytes;
  // The typed values themselves count too (hence the reserve).
  auto typed = [&](auto read, auto& values) {
    auto start = heap_bytes();
    values.reserve(trees.size());
    for (auto& t : trees)
      if (auto v = read(t))
        values.push_back(std::move(*v));
    held_bytes = static_cast<double>(heap_bytes() - start) / n;
  };
  std::vector<steward::lease::lease> leases;
  std::vector<steward::instance::instance> instances;
  if (std::string{argv[2]} == "lease")
    typed([](const json& t) { return steward::lease::from_stored(t); }, leases);
  if (std::string{argv[2]} == "instance")
    typed([](const json& t) { return steward::instance::from_stored(t); }, instances);
  std::cout << json{{"kind", argv[2]},
                    {"documents", texts.size()},
                    {"text_bytes", text_bytes / n},
                    {"tree_bytes", tree_bytes},
                    {"held_bytes", held_bytes}}
                 .dump()
            << std::endl;
}
