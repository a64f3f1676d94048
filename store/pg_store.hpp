#pragma once
// PostgreSQL through libpq, behind the group commit the stores share
// (group_commit.hpp): each group sent in one round trip with libpq's
// pipeline mode; a connection each for the writer, the reader thread of the
// asynchronous event reads and the blocking reads. The store creates and
// migrates its schema itself (versioned migrations, pg_store.cpp).
#include <memory>
#include <mutex>

#include "store/group_commit.hpp"

namespace steward::store {

class pg_connection;

class pg_store : public group_commit_store {
public:
  /// `url`: a libpq connection URI (postgresql://user@host:port/db?...).
  /// Connects, migrates the schema to the current version, and starts its
  /// threads; throws std::runtime_error with a readable message when it
  /// cannot.
  pg_store(const std::string& url, const store_options& opts);
  ~pg_store() override;

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

  std::string url_;
  store_options opts_;
  std::unique_ptr<pg_connection> writer_db_;
  std::unique_ptr<pg_connection> read_db_;   // blocking reads, guarded by read_mtx_
  std::unique_ptr<pg_connection> async_db_;  // reader thread only
  std::mutex read_mtx_;
};

/// Brings the database at `url` to the current schema and returns the
/// version it is at (`stewardd --migrate`). Throws std::runtime_error.
int migrate_postgresql(const std::string& url);

/// The URL without its password, for logs and the first screen.
std::string without_password(const std::string& url);

} // namespace steward::store
