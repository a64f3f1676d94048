#include "actors/event_hub.hpp"

#include <algorithm>

#include <caf/send.hpp>

#include "actors/guard.hpp"
#include "common/log.hpp"
#include "common/event_stream.hpp"

namespace steward {

bool event_filter::matches(const store::event_record& e) const {
  if (!access::can_see_event(who, e.project))
    return false;
  if (!projects.empty() && projects.count(e.project) == 0)
    return false;
  if (!stream.empty() && e.stream != stream)
    return false;
  if (type_prefixes.empty())
    return true;
  for (auto& p : type_prefixes)
    if (e.type.compare(0, p.size(), p) == 0)
      return true;
  return false;
}

namespace {

using hub_ptr = event_hub_actor::stateful_pointer<event_hub_state>;

// One event as SSE text, formatted for the first client that takes it and
// shared by the others.
class formatted_event {
public:
  explicit formatted_event(const store::event_record& e) : event_{&e} {}
  const store::event_record& event() const { return *event_; }
  const event_stream::frame& frame() {
    if (!frame_)
      frame_ = std::make_shared<const std::string>(
        format_sse(event_->id, event_->type, event_->data));
    return frame_;
  }
  // As an operation's stream shows it: its own name, its payload as data.
  const event_stream::frame& operation_frame() {
    if (!operation_frame_) {
      auto name = event_->type.substr(event_->type.find('.') + 1);
      std::replace(name.begin(), name.end(), '.', ' ');
      auto doc = nlohmann::json::parse(event_->data, nullptr, false);
      auto payload = doc.is_object() && doc.contains("payload") ? doc["payload"].dump() : "{}";
      operation_frame_
        = std::make_shared<const std::string>(format_sse(event_->id, name, payload));
    }
    return operation_frame_;
  }

private:
  const store::event_record* event_;
  event_stream::frame frame_;
  event_stream::frame operation_frame_;
};

// Passes one event to a client; false when the client is gone or overflowed.
bool deliver(event_subscriber& s, formatted_event& f) {
  auto& e = f.event();
  if (e.id <= s.last_seen)
    return true;
  s.last_seen = e.id;
  if (!s.filter.matches(e))
    return true;
  if (s.filter.stream.empty())
    return s.stream->push_frame(f.frame());
  if (!s.stream->push_frame(f.operation_frame()))
    return false;
  if (!s.filter.final_types.count(e.type))
    return true;
  s.stream->finish();  // its operation ended: the client has every event
  return false;
}

// The same for events of this client only (catching up).
bool deliver(event_subscriber& s, const store::event_record& e) {
  formatted_event f{e};
  return deliver(s, f);
}

void request_page(hub_ptr self, uint64_t id, uint64_t after) {
  auto me = caf::actor_cast<event_hub_actor>(self);
  auto i = self->state.subscribers.find(id);
  auto stream = i == self->state.subscribers.end() ? std::string{} : i->second.filter.stream;
  self->state.db->events_after_async(
    after, replay_page_size,
    [me, id](std::vector<store::event_record> rows) {
      caf::anon_send(me, atom::replay_v, id, committed_events{std::move(rows)});
    },
    stream);
}

// The client's queue refused an event: it overflowed, or the client left.
void drop(hub_ptr self, uint64_t id) {
  auto i = self->state.subscribers.find(id);
  if (i == self->state.subscribers.end())
    return;
  if (i->second.stream->overflowed())
    LOG_INFO("events", "stream client " << id << " dropped: it does not keep up");
  i->second.stream->finish();
  self->state.subscribers.erase(i);
}

} // namespace

event_hub_actor::behavior_type
event_hub(event_hub_actor::stateful_pointer<event_hub_state> self, store::store* db) {
  self->state.db = db;
  return guarded_behavior<event_hub_actor::behavior_type>(
    "event-hub",
    [=](atom::subscribe, stream_subscription& sub) {
      auto id = ++self->state.next_subscriber;
      auto me = caf::actor_cast<event_hub_actor>(self);
      sub.stream->on_close([me, id] { caf::anon_send(me, atom::unsubscribe_v, id); });
      event_subscriber s;
      s.filter = std::move(sub.filter);
      s.stream = std::move(sub.stream);
      s.live = !sub.resume;
      s.last_seen = sub.last_event_id;
      self->state.subscribers.emplace(id, std::move(s));
      if (sub.resume)
        request_page(self, id, sub.last_event_id);
    },
    [=](atom::unsubscribe, uint64_t id) { self->state.subscribers.erase(id); },
    [=](atom::committed, committed_events& batch) {
      std::vector<formatted_event> events(batch.events.begin(), batch.events.end());
      std::vector<uint64_t> gone;
      for (auto& [id, s] : self->state.subscribers) {
        if (!s.live) {
          if (s.reread)
            continue;
          s.buffered.insert(s.buffered.end(), batch.events.begin(), batch.events.end());
          if (s.buffered.size() > catch_up_buffer_limit) {
            // The events are in the store anyway: read them from there.
            s.buffered.clear();
            s.reread = true;
          }
          continue;
        }
        for (auto& e : events)
          if (!deliver(s, e)) {
            gone.push_back(id);
            break;
          }
      }
      for (auto id : gone)
        drop(self, id);
    },
    [=](atom::replay, uint64_t id, committed_events& page) {
      auto i = self->state.subscribers.find(id);
      if (i == self->state.subscribers.end())
        return;
      auto& s = i->second;
      for (auto& e : page.events)
        if (!deliver(s, e))
          return drop(self, id);
      if (page.events.size() == replay_page_size || s.reread) {
        s.reread = false;
        return request_page(self, id, s.last_seen);
      }
      for (auto& e : s.buffered)
        if (!deliver(s, e))
          return drop(self, id);
      s.buffered.clear();
      s.buffered.shrink_to_fit();
      s.live = true;
    });
}

} // namespace steward
