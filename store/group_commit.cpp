#include "store/group_commit.hpp"

#include <future>

#include "common/log.hpp"

namespace steward::store {

commit_result committed(write_batch& batch) {
  commit_result r;
  r.events = std::move(batch.events);
  r.outbox_written = !batch.outbox.empty();
  return r;
}

void group_commit_store::start_threads() {
  writer_ = std::thread{[this] { writer_loop(); }};
  reader_ = std::thread{[this] { reader_loop(); }};
}

bool group_commit_store::stop_threads() {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    if (stopping_ && !writer_.joinable())
      return false;
    stopping_ = true;
  }
  cv_.notify_all();
  if (writer_.joinable())
    writer_.join();
  if (reader_.joinable())
    reader_.join();
  return true;
}

void group_commit_store::submit(write_batch batch, commit_fn done) {
  enqueue({std::move(batch), std::move(done), std::nullopt});
}

void group_commit_store::submit_fenced(const fence& f, write_batch batch, commit_fn done) {
  enqueue({std::move(batch), std::move(done), f});
}

void group_commit_store::enqueue(pending_write w) {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    if (stopping_) {
      if (w.done)
        w.done(commit_result{false, "store is closed", {}, false});
      return;
    }
    queue_.push_back(std::move(w));
  }
  cv_.notify_all();
}

void group_commit_store::on_commit(commit_fn listener) {
  std::lock_guard<std::mutex> guard{mtx_};
  listeners_.push_back(std::move(listener));
}

void group_commit_store::writer_loop() {
  std::vector<pending_write> group;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock{mtx_};
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty() && stopping_)
        return;
      // Everything queued while the last commit was on its way joins this one.
      while (!queue_.empty() && group.size() < max_batch_) {
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    commit(group);
    group.clear();
  }
}

void group_commit_store::commit(std::vector<pending_write>& group) {
  std::vector<staged_write> batches;
  for (auto& w : group)
    batches.push_back({&w.batch, w.fenced ? &*w.fenced : nullptr});
  std::vector<commit_result> results(group.size());
  bool reached = false;
  try {
    reached = commit_group(batches, results);
  } catch (const std::exception& e) {
    LOG_ERROR("store", "group commit failed: " << e.what());
    for (auto& r : results)
      r = commit_result{false, e.what(), {}, false};
  }
  std::vector<commit_fn> listeners;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    last_commit_ok_ = reached;
    listeners = listeners_;
  }
  for (std::size_t i = 0; i < group.size(); ++i) {
    auto& r = results[i];
    if (r.ok)
      for (auto& l : listeners)
        l(r);
    if (group[i].done)
      group[i].done(r);
  }
  if (reached && ++commits_ % prune_every == 0)
    prune();
}

void group_commit_store::events_after_async(uint64_t after, std::size_t limit,
                                            std::function<void(std::vector<event_record>)> done,
                                            const std::string& stream) {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    reads_.push_back({after, limit, std::move(done), stream});
  }
  cv_.notify_all();
}

void group_commit_store::reader_loop() {
  for (;;) {
    read_job job;
    {
      std::unique_lock<std::mutex> lock{mtx_};
      cv_.wait(lock, [this] { return stopping_ || !reads_.empty(); });
      if (reads_.empty())
        return;
      job = std::move(reads_.front());
      reads_.pop_front();
    }
    std::vector<event_record> rows;
    try {
      rows = read_events(job.after, job.limit, job.stream);
    } catch (const std::exception& e) {
      LOG_ERROR("store", "event read failed: " << e.what());
    }
    job.done(std::move(rows));
  }
}

void group_commit_store::confirm_outbox(const std::vector<int64_t>& ids) {
  if (ids.empty())
    return;
  write_batch b;
  b.confirmed = ids;
  submit(std::move(b), nullptr);
}

int group_commit_store::count_delivery(const std::string& key) {
  write_batch b;
  b.deliveries_counted.push_back(key);
  std::promise<commit_result> done;
  auto result = done.get_future();
  submit(std::move(b), [&done](const commit_result& r) { done.set_value(r); });
  if (auto r = result.get(); !r.ok) {
    LOG_WARN("store", "a delivery of " << key << " could not be counted: " << r.error);
    return 0;
  }
  return stored_delivery_count(key);
}

void group_commit_store::forget_delivery(const std::string& key) {
  write_batch b;
  b.deliveries_forgotten.push_back(key);
  submit(std::move(b), nullptr);
}

bool group_commit_store::healthy() {
  std::lock_guard<std::mutex> guard{mtx_};
  return !stopping_ && last_commit_ok_;
}

} // namespace steward::store
