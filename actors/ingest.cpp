#include "actors/ingest.hpp"

#include "common/log.hpp"

namespace steward {

namespace {

using ingest_ptr = ingest_actor::stateful_pointer<ingest_state>;

void remember(ingest_state& st, const std::string& id) {
  if (!st.processed.insert(id).second)
    return;
  st.processed_order.push_back(id);
  if (st.processed_order.size() > st.remembered) {
    st.processed.erase(st.processed_order.front());
    st.processed_order.pop_front();
  }
}

const registry_actor* route_for(const ingest_state& st, const std::string& event_type) {
  for (auto& [prefix, target] : st.routes)
    if (event_type.compare(0, prefix.size(), prefix) == 0)
      return &target;
  return nullptr;
}

// The effect of `id` is stored: acknowledge every copy that waited for it.
void finish(ingest_ptr self, const std::string& id) {
  auto& st = self->state;
  remember(st, id);
  auto i = st.in_flight.find(id);
  if (i == st.in_flight.end())
    return;
  for (auto& ack : i->second)
    ack();
  st.in_flight.erase(i);
}

} // namespace

ingest_actor::behavior_type
ingest(ingest_actor::stateful_pointer<ingest_state> self, std::vector<ingest_route> routes,
       std::vector<std::string> known) {
  self->state.routes = std::move(routes);
  for (auto i = known.rbegin(); i != known.rend(); ++i)
    remember(self->state, *i);
  return {
    [=](inbound_notification& in) {
      auto& st = self->state;
      auto& note = in.message.note;
      auto id = note.message_id; // a copy: `note` is moved into the request below
      if (!id.empty()) {
        if (st.processed.count(id)) {
          ++st.duplicates;
          LOG_DEBUG("ingest", "duplicate " << id << " (" << note.event_type << ") acknowledged");
          in.ack();
          return;
        }
        auto flying = st.in_flight.find(id);
        if (flying != st.in_flight.end()) {
          // Acknowledge the redelivered copy only once the first one is stored.
          flying->second.push_back(std::move(in.ack));
          return;
        }
      }
      auto target = route_for(st, note.event_type);
      if (!target) {
        LOG_DEBUG("ingest", "no handler for " << note.event_type << "; acknowledged");
        in.ack();
        return;
      }
      if (id.empty()) {
        auto ack = std::move(in.ack);
        self->request(*target, std::chrono::seconds{60}, atom::notify_v, std::move(note))
          .then([ack](atom::done) { ack(); },
                [](caf::error& e) { LOG_ERROR("ingest", "notification failed: " << to_string(e)); });
        return;
      }
      st.in_flight[id].push_back(std::move(in.ack));
      auto event_type = note.event_type;
      self->request(*target, std::chrono::seconds{60}, atom::notify_v, std::move(note))
        .then([=](atom::done) { finish(self, id); },
              [=](caf::error& e) {
                // Not acknowledged: the broker redelivers it after a reconnect.
                LOG_ERROR("ingest", event_type << " " << id << " failed: " << to_string(e));
                self->state.in_flight.erase(id);
              });
    },
  };
}

} // namespace steward
