#pragma once
// SQLite in WAL mode, behind the group commit the stores share
// (group_commit.hpp): a savepoint per batch, so one bad batch fails alone.
#include <mutex>
#include <unordered_map>

#include "store/group_commit.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace steward::store {

class sqlite_store : public group_commit_store {
public:
  /// `path` as in SQLAlchemy URLs: relative to the working directory unless it
  /// starts with '/' (sqlite:////abs/path).
  sqlite_store(const std::string& path, const store_options& opts);
  ~sqlite_store() override;

  std::vector<entity_record> load_kind(const std::string& kind) override;
  std::vector<event_record> events_after(uint64_t after, std::size_t limit) override;
  uint64_t last_event_id() override;
  std::vector<std::string> processed_ids(std::size_t newest) override;
  std::vector<bus::outbound> pending_outbox(int64_t after_id, std::size_t limit) override;
  std::string describe() const override;
  void close() override;

private:
  bool commit_group(std::vector<staged_write>& group,
                    std::vector<commit_result>& results) override;
  void prune() override;
  std::vector<event_record> read_events(uint64_t after, std::size_t limit,
                                        const std::string& stream) override;
  int stored_delivery_count(const std::string& key) override;

  void apply(write_batch& batch, commit_result& result);
  void run_kept(const char* sql);

  /// A connection's statements, each prepared on first use (`sql` is a
  /// literal: its address is the key) and kept until close.
  struct statement_cache {
    sqlite3_stmt* get(sqlite3* db, const char* sql);
    void finalize_all();
    std::unordered_map<const char*, sqlite3_stmt*> kept;
  };

  std::string path_;
  store_options opts_;
  sqlite3* write_db_ = nullptr;
  sqlite3* read_db_ = nullptr;   // blocking reads, guarded by read_mtx_
  sqlite3* async_db_ = nullptr;  // reader thread only
  statement_cache writer_statements_;  // writer thread only
  statement_cache read_statements_;    // guarded by read_mtx_
  std::mutex read_mtx_;
};

} // namespace steward::store
