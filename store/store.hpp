#pragma once
// Durable state behind one interface: entities, the event log, the outbox and
// the ids of processed messages. SQLite (sqlite_store) is the embedded default.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "messages/bus_storage.hpp"
#include "messages/records.hpp"

namespace steward::store {

class store : public bus::outbox_source, public bus::delivery_log {
public:
  ~store() override = default;

  /// Queues a batch for the next group commit. `done` runs on the writer
  /// thread after the batch is on disk (or failed); it must not block.
  virtual void submit(write_batch batch, commit_fn done) = 0;
  /// Called after every committed batch, in commit order, on the writer
  /// thread: how committed events reach the event hub and the publisher.
  virtual void on_commit(commit_fn listener) = 0;

  /// Blocking reads, for start-up and for threads that may block.
  virtual std::vector<entity_record> load_kind(const std::string& kind) = 0;
  virtual std::vector<event_record> events_after(uint64_t after, std::size_t limit) = 0;
  virtual uint64_t last_event_id() = 0;
  virtual std::vector<std::string> processed_ids(std::size_t newest) = 0;
  /// The same read off the caller's thread: `done` runs on a store thread.
  /// With a `stream`, only the events of that operation's stream.
  virtual void events_after_async(uint64_t after, std::size_t limit,
                                  std::function<void(std::vector<event_record>)> done,
                                  const std::string& stream = "") = 0;

  /// True while the store accepts writes (for /readyz).
  virtual bool healthy() = 0;
  virtual std::string describe() const = 0;
  /// Drains queued writes and stops the store's threads.
  virtual void close() = 0;
};

struct store_options {
  std::string connection;          // "sqlite:///path" or "postgresql://..."
  std::size_t max_batch = 1024;    // batches per group commit, at most
  std::size_t event_retention = 1000000; // events kept for replay
};

/// Opens the store named by `opts.connection`. Throws std::runtime_error with
/// a readable message when it cannot.
std::unique_ptr<store> open_store(const store_options& opts);

} // namespace steward::store
