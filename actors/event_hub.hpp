#pragma once
// Fans committed events out to Server-Sent Event clients. A client resuming
// with Last-Event-ID first catches up from the store, page by page, while live
// events are buffered for it; then it goes live with no gap and no duplicate.
#include <unordered_map>

#include <caf/typed_event_based_actor.hpp>

#include "actors/interfaces.hpp"
#include "common/event_stream.hpp"
#include "store/store.hpp"

namespace steward {

struct event_subscriber {
  event_filter filter;
  std::shared_ptr<event_stream> stream;
  bool live = false;
  uint64_t last_seen = 0;                     // newest id passed to the filter
  std::vector<store::event_record> buffered;  // live events while catching up
  bool reread = false;                        // buffer overflowed: read again
};

struct event_hub_state {
  static inline const char* name = "event-hub";
  store::store* db = nullptr;
  uint64_t next_subscriber = 0;
  std::unordered_map<uint64_t, event_subscriber> subscribers;

  // However the hub ends (a shutdown, a crash its supervisor restarts it
  // from), its clients' streams end too: they reconnect with Last-Event-ID
  // rather than wait for events that no hub sends them.
  ~event_hub_state() {
    for (auto& [id, sub] : subscribers)
      sub.stream->finish();
  }
};

/// Events read from the store per catch-up page, and buffered per catching-up
/// client before it must re-read instead.
constexpr std::size_t replay_page_size = 500;
constexpr std::size_t catch_up_buffer_limit = 10000;

event_hub_actor::behavior_type
event_hub(event_hub_actor::stateful_pointer<event_hub_state> self, store::store* db);

} // namespace steward
