#pragma once
// A Server-Sent Events stream between a producer (the event hub, any thread)
// and one HTTP connection. The queue is bounded: a client that stops reading
// fills it, is marked overflowed, and the connection closes: memory never grows.
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>

namespace steward::http {

class event_stream {
public:
  explicit event_stream(std::size_t max_queued);

  /// Producer side. Queues one event; returns false (and ends the stream)
  /// when the queue is full or the stream is already closed.
  bool push_event(uint64_t id, const std::string& type, const std::string& data);
  /// Queues raw SSE text (a comment, a retry line); same bound.
  bool push_raw(std::string text);
  /// Ends the stream from the producer side.
  void finish();

  /// Connection side. `wake` is called (from any thread) when there is
  /// something to drain; the server posts it onto the connection's strand.
  void attach(std::function<void()> wake);
  /// Moves every queued chunk into `out`. Returns false once the stream has
  /// ended (overflow, finish(), or close()) and nothing is left to write.
  bool drain(std::string& out);
  /// The client went away: stop accepting events.
  void close();

  bool closed() const;
  bool overflowed() const;
  /// Called once when the stream closes, for the producer to unsubscribe.
  void on_close(std::function<void()> f);

private:
  bool push_locked(std::string chunk, std::unique_lock<std::mutex>& lock);
  void close_locked(std::unique_lock<std::mutex>& lock);

  mutable std::mutex mtx_;
  std::size_t max_queued_;
  std::deque<std::string> queue_;
  std::function<void()> wake_;
  std::function<void()> on_close_;
  bool closed_ = false;
  bool overflowed_ = false;
};

/// Formats one SSE event: "id: ..\nevent: ..\ndata: ..\n\n" (multi-line data
/// split over several data: lines).
std::string format_sse(uint64_t id, const std::string& type, const std::string& data);

} // namespace steward::http
