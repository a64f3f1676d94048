#include "actors/ingest.hpp"

#include "actors/guard.hpp"
#include "common/log.hpp"

namespace steward {

namespace {

using ingest_ptr = ingest_actor::stateful_pointer<ingest_state>;

// A registry's answer to a notification comes once its effect is stored;
// past this the delivery counts as failed.
constexpr auto notify_timeout = std::chrono::seconds{60};

void remember(ingest_state& st, const std::string& id) {
  if (!st.processed.insert(id).second)
    return;
  st.processed_order.push_back(id);
  if (st.processed_order.size() > st.remembered) {
    st.processed.erase(st.processed_order.front());
    st.processed_order.pop_front();
  }
}

const notification_actor* route_for(const ingest_state& st, const std::string& event_type) {
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
  for (auto& copy : i->second)
    copy.ack();
  st.in_flight.erase(i);
}

// A registry refuses a notification that breaks a rule (invalid_argument):
// no delivery of it will ever succeed. Anything else (a failed write, a
// timeout) may pass next time.
bool is_final(const caf::error& e) {
  return e == caf::sec::invalid_argument;
}

// The registry's own words when it gave any (make_error(code, "text")).
std::string reason_of(const caf::error& e) {
  auto& context = e.context();
  if (context.match_elements<std::string>())
    return context.get_as<std::string>(0);
  return to_string(e);
}

void fail_delivery(const bus::fail_fn& fail, const caf::error& e) {
  if (fail) // a message handed in without one (a test) has nobody to tell
    fail(reason_of(e), is_final(e));
}

// Handling `id` failed: every copy waiting for it fails the same way.
void fail_all(ingest_ptr self, const std::string& id, const caf::error& e) {
  auto& st = self->state;
  auto i = st.in_flight.find(id);
  if (i == st.in_flight.end())
    return;
  for (auto& copy : i->second)
    fail_delivery(copy.fail, e);
  st.in_flight.erase(i);
}

} // namespace

ingest_actor::behavior_type
ingest(ingest_actor::stateful_pointer<ingest_state> self, std::vector<ingest_route> routes,
       std::vector<std::string> known) {
  self->state.routes = std::move(routes);
  for (auto i = known.rbegin(); i != known.rend(); ++i)
    remember(self->state, *i);
  return guarded_behavior<ingest_actor::behavior_type>(
    "ingest",
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
          flying->second.push_back({std::move(in.ack), in.message.fail});
          return;
        }
      }
      auto target = route_for(st, note.event_type);
      if (!target) {
        LOG_DEBUG("ingest", "no handler for " << note.event_type << "; acknowledged");
        in.ack();
        return;
      }
      auto event_type = note.event_type;
      if (id.empty()) {
        auto ack = std::move(in.ack);
        auto fail = in.message.fail;
        self->request(*target, notify_timeout, atom::notify_v, std::move(note))
          .then([ack](atom::done) { ack(); },
                [fail, event_type](caf::error& e) {
                  LOG_ERROR("ingest", event_type << " failed: " << to_string(e));
                  fail_delivery(fail, e);
                });
        return;
      }
      st.in_flight[id].push_back({std::move(in.ack), in.message.fail});
      self->request(*target, notify_timeout, atom::notify_v, std::move(note))
        .then([=](atom::done) { finish(self, id); },
              [=](caf::error& e) {
                // Failed now: the bus delivers it again, or dead-letters it
                // (at once when final, else after its limit of attempts).
                LOG_ERROR("ingest", event_type << " " << id << " failed: " << to_string(e));
                fail_all(self, id, e);
              });
    });
}

} // namespace steward
