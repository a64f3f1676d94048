#pragma once
// A Server-Sent Events stream between a producer (the event hub, any thread)
// and one HTTP connection. The queue is bounded: a client that stops reading
// fills it, is marked overflowed, and the connection closes: memory never grows.
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace steward {

class event_stream {
public:
  /// SSE text as written: one event formatted once, shared by every client
  /// it goes to.
  using frame = std::shared_ptr<const std::string>;

  explicit event_stream(std::size_t max_queued);

  /// Producer side. Queues one event; returns false (and ends the stream)
  /// when the queue is full or the stream is already closed.
  bool push_event(uint64_t id, const std::string& type, const std::string& data);
  /// The same, already formatted (format_sse).
  bool push_frame(frame f);
  /// Queues raw SSE text (a comment, a retry line); same bound.
  bool push_raw(std::string text);
  /// Ends the stream from the producer side.
  void finish();

  /// Connection side. `wake` is called (from any thread) when the queue
  /// gets something after it was empty (what comes before the connection
  /// drains it needs no wake-up of its own); the server posts it onto the
  /// connection's strand.
  void attach(std::function<void()> wake);
  /// Moves every queued frame into `out`. Returns false once the stream has
  /// ended (overflow, finish(), or close()) and nothing is left to write.
  bool drain(std::vector<frame>& out);
  /// The same, copied into one text.
  bool drain(std::string& out);
  /// The client went away: stop accepting events.
  void close();

  bool closed() const;
  bool overflowed() const;
  /// Called once when the stream closes, for the producer to unsubscribe.
  void on_close(std::function<void()> f);

private:
  bool push_locked(frame f, std::unique_lock<std::mutex>& lock);
  void close_locked(std::unique_lock<std::mutex>& lock);

  mutable std::mutex mtx_;
  std::size_t max_queued_;
  std::deque<frame> queue_;
  std::function<void()> wake_;
  std::function<void()> on_close_;
  bool closed_ = false;
  bool overflowed_ = false;
};

/// Formats one SSE event: "id: ..\nevent: ..\ndata: ..\n\n" (multi-line data
/// split over several data: lines).
std::string format_sse(uint64_t id, const std::string& type, const std::string& data);

} // namespace steward
