#pragma once
// SQLite in WAL mode. One writer thread does group commit: every batch queued
// while the previous transaction was being synced goes into the next one.
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "store/store.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace steward::store {

class sqlite_store : public store {
public:
  /// `path` as in SQLAlchemy URLs: relative to the working directory unless it
  /// starts with '/' (sqlite:////abs/path).
  sqlite_store(const std::string& path, const store_options& opts);
  ~sqlite_store() override;

  void submit(write_batch batch, commit_fn done) override;
  void on_commit(commit_fn listener) override;
  std::vector<entity_record> load_kind(const std::string& kind) override;
  std::vector<event_record> events_after(uint64_t after, std::size_t limit) override;
  uint64_t last_event_id() override;
  std::vector<std::string> processed_ids(std::size_t newest) override;
  void events_after_async(uint64_t after, std::size_t limit,
                          std::function<void(std::vector<event_record>)> done,
                          const std::string& stream = "") override;
  std::vector<bus::outbound> pending_outbox(int64_t after_id, std::size_t limit) override;
  void confirm_outbox(const std::vector<int64_t>& ids) override;
  int count_delivery(const std::string& key) override;
  void forget_delivery(const std::string& key) override;
  bool healthy() override;
  std::string describe() const override;
  void close() override;

private:
  struct pending_write {
    write_batch batch;
    commit_fn done;
  };
  struct read_job {
    uint64_t after;
    std::size_t limit;
    std::function<void(std::vector<event_record>)> done;
    std::string stream;
  };

  void writer_loop();
  void reader_loop();
  void commit_group(std::vector<pending_write>& group);
  void apply(write_batch& batch, commit_result& result);
  void run_kept(const char* sql);

  /// A connection's statements, each prepared on first use (`sql` is a
  /// literal: its address is the key) and kept until close.
  struct statement_cache {
    sqlite3_stmt* get(sqlite3* db, const char* sql);
    void finalize_all();
    std::unordered_map<const char*, sqlite3_stmt*> kept;
  };
  void prune();

  std::string path_;
  store_options opts_;
  sqlite3* write_db_ = nullptr;
  sqlite3* read_db_ = nullptr;   // blocking reads, guarded by read_mtx_
  sqlite3* async_db_ = nullptr;  // reader thread only
  statement_cache writer_statements_;  // writer thread only
  statement_cache read_statements_;    // guarded by read_mtx_
  std::mutex read_mtx_;

  std::mutex mtx_;
  std::condition_variable cv_;
  std::deque<pending_write> queue_;
  std::deque<read_job> reads_;
  std::vector<commit_fn> listeners_;
  bool stopping_ = false;
  bool last_commit_ok_ = true;
  uint64_t commits_ = 0;
  std::thread writer_;
  std::thread reader_;
};

} // namespace steward::store
