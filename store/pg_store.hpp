#pragma once
// PostgreSQL through libpq. As the SQLite store: one writer thread does
// group commit (every batch queued while the previous transaction was being
// committed goes into the next one), sent in one round trip with libpq's
// pipeline mode; a reader thread serves the asynchronous event reads and a
// third connection the blocking ones. The schema is created and migrated by
// the store itself (versioned migrations, pg_migrations.hpp).
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "store/store.hpp"

namespace steward::store {

class pg_connection;

class pg_store : public store {
public:
  /// `url`: a libpq connection URI (postgresql://user@host:port/db?...).
  /// Connects, migrates the schema to the current version, and starts its
  /// threads; throws std::runtime_error with a readable message when it
  /// cannot.
  pg_store(const std::string& url, const store_options& opts);
  ~pg_store() override;

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
  void prune();

  std::string url_;
  store_options opts_;
  std::unique_ptr<pg_connection> writer_db_;
  std::unique_ptr<pg_connection> read_db_;   // blocking reads, guarded by read_mtx_
  std::unique_ptr<pg_connection> async_db_;  // reader thread only
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

/// Brings the database at `url` to the current schema and returns the
/// version it is at (`stewardd --migrate`). Throws std::runtime_error.
int migrate_postgresql(const std::string& url);

/// The URL without its password, for logs and the first screen.
std::string without_password(const std::string& url);

} // namespace steward::store
