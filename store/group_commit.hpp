#pragma once
// What both stores share: a queue of write batches drained by one writer
// thread, each drain committed as one group (everything queued while the
// previous commit was on its way joins the next), the listeners told in
// commit order, and a reader thread for the asynchronous event reads. A
// backend says how a group is committed and how rows are read.
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

#include "store/store.hpp"

namespace steward::store {

/// A write made on behalf of a shard's owner: it commits only while
/// `owner` holds the shard's lease at `epoch` (shard_leases.hpp); a stale
/// owner's write fails and changes nothing.
struct fence {
  int shard = 0;
  std::string owner;
  int64_t epoch = 0;
};

/// One batch of a group, with its fence if it has one.
struct staged_write {
  write_batch* batch;
  const fence* fenced;  // null: not fenced
};

class group_commit_store : public store {
public:
  void submit(write_batch batch, commit_fn done) override;
  /// As submit, fenced (only a database shared by nodes can check a fence:
  /// the SQLite store fails such a write).
  void submit_fenced(const fence& f, write_batch batch, commit_fn done);
  void on_commit(commit_fn listener) override;
  void events_after_async(uint64_t after, std::size_t limit,
                          std::function<void(std::vector<event_record>)> done,
                          const std::string& stream = "") override;
  void confirm_outbox(const std::vector<int64_t>& ids) override;
  int count_delivery(const std::string& key) override;
  void forget_delivery(const std::string& key) override;
  /// Answers from what the writer last saw, without touching the database:
  /// /readyz calls this on an io thread, which must not wait.
  bool healthy() override;

protected:
  explicit group_commit_store(std::size_t max_batch) : max_batch_{max_batch} {}
  /// The last step of a backend's constructor: its connections are open.
  void start_threads();
  /// The first step of a backend's close(): commits what is queued and
  /// stops the threads. False when they were stopped already.
  bool stop_threads();

  /// Commits `group` as one transaction where it can: `results` (one per
  /// batch, its events with their ids) say which batches are stored. False
  /// when the database could not be reached (every result failed then).
  virtual bool commit_group(std::vector<staged_write>& group,
                            std::vector<commit_result>& results) = 0;
  /// Called on the writer thread after every `every`-th committed group.
  virtual void prune() = 0;
  /// The asynchronous event reads, on the reader thread.
  virtual std::vector<event_record> read_events(uint64_t after, std::size_t limit,
                                                const std::string& stream) = 0;
  /// A delivery's count as stored (after count_delivery's write).
  virtual int stored_delivery_count(const std::string& key) = 0;

  static constexpr uint64_t prune_every = 4096;

private:
  struct pending_write {
    write_batch batch;
    commit_fn done;
    std::optional<fence> fenced;
  };
  struct read_job {
    uint64_t after;
    std::size_t limit;
    std::function<void(std::vector<event_record>)> done;
    std::string stream;
  };

  void writer_loop();
  void reader_loop();
  void commit(std::vector<pending_write>& group);
  void enqueue(pending_write w);

  std::size_t max_batch_;
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

/// A batch that committed: its events (with their ids) and whether it
/// wrote to the outbox, for its caller and the listeners.
commit_result committed(write_batch& batch);

} // namespace steward::store
