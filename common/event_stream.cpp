#include "common/event_stream.hpp"

#include <utility>

namespace steward {

event_stream::event_stream(std::size_t max_queued) : max_queued_(max_queued) {}

bool event_stream::push_event(uint64_t id, const std::string& type, const std::string& data) {
  return push_raw(format_sse(id, type, data));
}

bool event_stream::push_raw(std::string text) {
  return push_frame(std::make_shared<const std::string>(std::move(text)));
}

bool event_stream::push_frame(frame f) {
  std::unique_lock<std::mutex> lock{mtx_};
  return push_locked(std::move(f), lock);
}

void event_stream::finish() {
  std::unique_lock<std::mutex> lock{mtx_};
  if (closed_)
    return;
  // What is queued is still written: the connection drains it, then ends.
  close_locked(lock);
}

void event_stream::attach(std::function<void()> wake) {
  std::unique_lock<std::mutex> lock{mtx_};
  // Events may have been pushed (or the stream ended) before the connection
  // was ready: wake it at once so it drains them.
  bool pending = !queue_.empty() || closed_;
  if (!closed_)
    wake_ = wake; // an ended stream wakes no one again, so keeps nothing
  lock.unlock();
  if (pending && wake)
    wake();
}

bool event_stream::drain(std::vector<frame>& out) {
  std::lock_guard<std::mutex> guard{mtx_};
  bool moved = !queue_.empty();
  for (auto& f : queue_)
    out.push_back(std::move(f));
  queue_.clear();
  // Something moved is still to be written, even on an ended stream; the
  // next drain, with nothing left, reports the end.
  return moved || !closed_;
}

bool event_stream::drain(std::string& out) {
  std::vector<frame> frames;
  bool open = drain(frames);
  for (auto& f : frames)
    out += *f;
  return open;
}

void event_stream::close() {
  std::unique_lock<std::mutex> lock{mtx_};
  if (closed_)
    return;
  queue_.clear(); // nobody is left to read it
  close_locked(lock);
}

bool event_stream::closed() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return closed_;
}

bool event_stream::overflowed() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return overflowed_;
}

void event_stream::on_close(std::function<void()> f) {
  std::unique_lock<std::mutex> lock{mtx_};
  if (closed_) {
    // Too late to wait for it: the close has happened, tell the caller now
    // (once: close_locked already fired and dropped any earlier callback).
    lock.unlock();
    if (f)
      f();
    return;
  }
  on_close_ = std::move(f);
}

// Called with `lock` held; returns with it released. Callbacks run outside
// the lock so they may call back into this stream (or take other locks)
// without deadlocking.
bool event_stream::push_locked(frame f, std::unique_lock<std::mutex>& lock) {
  if (closed_)
    return false;
  if (queue_.size() >= max_queued_) {
    // The client does not keep up. Dropping it is the only way to keep
    // memory bounded; what is queued would only reach it late, so discard it.
    overflowed_ = true;
    queue_.clear();
    close_locked(lock);
    return false;
  }
  bool was_empty = queue_.empty();
  queue_.push_back(std::move(f));
  if (!was_empty) {
    // The wake-up for the first of them is on its way; the drain takes all.
    lock.unlock();
    return true;
  }
  auto wake = wake_;
  lock.unlock();
  if (wake)
    wake();
  return true;
}

// Called with `lock` held and the stream open; returns with it released.
// Fires on_close exactly once (it is moved out, so it cannot fire again) and
// wakes the connection so it notices the end.
void event_stream::close_locked(std::unique_lock<std::mutex>& lock) {
  closed_ = true;
  auto on_close = std::move(on_close_);
  on_close_ = nullptr;
  // The connection needs no more wake-ups after this one; dropping the
  // function also drops whatever it captured.
  auto wake = std::move(wake_);
  wake_ = nullptr;
  lock.unlock();
  if (on_close)
    on_close();
  if (wake)
    wake();
}

std::string format_sse(uint64_t id, const std::string& type, const std::string& data) {
  std::string out = "id: " + std::to_string(id) + "\n";
  if (!type.empty()) {
    // A line break in the type would end the field early and inject others.
    std::string clean;
    for (char c : type)
      if (c != '\n' && c != '\r')
        clean.push_back(c);
    out += "event: " + clean + "\n";
  }
  // One data: line per line of data. SSE treats "\r\n", "\r" and "\n" all as
  // line ends, so all three split here; empty data still needs one data:
  // line, or the client never dispatches the event.
  std::string line;
  for (std::size_t i = 0; i < data.size(); ++i) {
    char c = data[i];
    if (c == '\r' || c == '\n') {
      out += "data: " + line + "\n";
      line.clear();
      if (c == '\r' && i + 1 < data.size() && data[i + 1] == '\n')
        ++i;
    } else {
      line.push_back(c);
    }
  }
  out += "data: " + line + "\n\n";
  return out;
}

} // namespace steward
