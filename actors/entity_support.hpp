#pragma once
// What every entity actor shares: the state it keeps besides its own fields,
// and the two ways its document changes in the store (replaced, removed),
// each with its event, each telling the registry once it is on disk.
#include <string>

#include "actors/entity_kind.hpp"
#include "actors/persist.hpp"
#include "actors/services.hpp"
#include "common/json_fields.hpp"
#include "common/log.hpp"

namespace steward {

/// The common part of an entity actor's state (state structs derive from
/// it): `Value` is the entity's typed value.
template <class Value>
struct entity_core_of {
  const actor_services* svc = nullptr;
  owner_of<snapshot_of<Value>> registry;
  std::shared_ptr<const Value> doc;
  int64_t version = 0;
  bool stored = false;          // false until the first write is on disk
  uint64_t timer_generation = 0;

  /// `stored`: recovered from the store (true) or new (false).
  void init(const actor_services* services, owner_of<snapshot_of<Value>> owner,
            std::shared_ptr<const Value> value, int64_t version_, bool stored_) {
    svc = services;
    registry = std::move(owner);
    doc = std::move(value);  // shared with the registry's snapshot
    version = version_;
    stored = stored_;
  }
};

/// Puts a typed entity into `c`: its row, the document its events carry
/// marked with the row's `schema` version, and with `event_type` the event
/// (the document is made once for both).
template <class Value>
void stage_typed(change& c, const entity_kind& k, const Value& value, int64_t version,
                 const std::string& event_type, int schema) {
  auto doc = presented(value);
  auto project = entity_project(k, value);
  if (!event_type.empty())
    c.emit({event_type, project, k.publisher, doc});
  c.upsert(k.kind, entity_id(k, value), project, versioned_row(std::move(doc), schema), version);
}

/// Whether a stored document goes out as `<kind>.create` / `<kind>.update`,
/// or only with the events the change already carries (a lease's
/// `lease.event.start_lease` is its whole news, as in Blazar).
enum class announce { change, already_announced };

/// Stores `next` as the entity's value, with its event (`<kind>.create`
/// for the first write, `<kind>.update` after, unless `already_announced`);
/// `c` may already hold more of the same transaction (a compute command, a
/// consumed message). Once it is on disk the entity takes `next`, tells its
/// registry and calls `rearm(self)`; `then(ack)` runs either way.
template <class Self, class Value, class Rearm, class Then>
void store_document(Self* self, const entity_kind& k, change c, Value next, Rearm rearm,
                    Then then, announce how = announce::change) {
  auto& st = self->state;
  auto id = entity_id(k, next);
  auto project = entity_project(k, next);
  stage(c, k, next, st.version + 1,
        how == announce::change ? std::string{k.kind} + (st.stored ? ".update" : ".create")
                                : std::string{});
  auto stored = [self, id, project, rearm, then, next = std::move(next)](commit_ack& ack) mutable {
    if (ack.ok) {
      auto& s = self->state;
      s.doc = std::make_shared<const Value>(std::move(next));
      s.version += 1;
      s.stored = true;
      self->send(s.registry, atom::changed_v, snapshot_of<Value>{id, project, s.doc, s.version});
      rearm(self);
    }
    then(ack);
  };
  persist(self, st.svc->store, std::move(c), std::move(stored));
}

/// The answer when an entity's write did not reach the disk.
inline api_reply stored_failure(const entity_kind& k, const commit_ack& ack) {
  log::write(log::level::error, k.kind, "write failed: " + ack.error);
  return api_reply::fail(500, "The change could not be stored: " + ack.error);
}

/// Stores `next` (with what `c` already holds) and answers `answer` once it
/// is on disk, or the failure.
template <class Self, class Value, class Rearm>
caf::result<api_reply> store_and_answer(Self* self, const entity_kind& k, change c, Value next,
                                        Rearm rearm, api_reply answer) {
  auto rp = self->template make_response_promise<api_reply>();
  store_document(self, k, std::move(c), std::move(next), rearm, [=](commit_ack& ack) mutable {
    rp.deliver(ack.ok ? answer : stored_failure(k, ack));
  });
  return rp;
}

/// The "create" command of a new entity: stores the document it was
/// spawned with and answers `shown(doc)`; a failed write ends the actor, so
/// that its registry forgets it.
template <class Self, class Rearm, class Shown>
caf::result<api_reply> store_created(Self* self, const entity_kind& k, Rearm rearm, Shown shown) {
  auto rp = self->template make_response_promise<api_reply>();
  store_document(self, k, change{*self->state.svc}, *self->state.doc, rearm,
                 [=](commit_ack& ack) mutable {
                   rp.deliver(ack.ok ? shown(*self->state.doc) : stored_failure(k, ack));
                   if (!ack.ok)
                     self->quit();
                 });
  return rp;
}

/// Removes the entity, with its `<kind>.delete` event; `c` may hold more.
/// Once it is on disk the registry hears of it, `then(ack)` runs and the
/// actor ends; on failure only `then(ack)` runs.
template <class Self, class Then>
void remove_document(Self* self, const entity_kind& k, change c, Then then) {
  auto& st = self->state;
  auto id = entity_id(k, *st.doc);
  auto project = entity_project(k, *st.doc);
  c.remove(k.kind, id);
  c.emit({std::string{k.kind} + ".delete", project, k.publisher, presented(*st.doc)});
  persist(self, st.svc->store, std::move(c), [=](commit_ack& ack) mutable {
    if (ack.ok)
      self->send(self->state.registry, atom::removed_v, id);
    then(ack);
    if (ack.ok)
      self->quit();
  });
}

/// Removes the entity (see remove_document) and answers `answer` once it is
/// on disk, or the failure.
template <class Self>
caf::result<api_reply> remove_and_answer(Self* self, const entity_kind& k, api_reply answer) {
  auto rp = self->template make_response_promise<api_reply>();
  remove_document(self, k, change{*self->state.svc}, [=](commit_ack& ack) mutable {
    rp.deliver(ack.ok ? answer : stored_failure(k, ack));
  });
  return rp;
}

/// The effect of a bus notification on an entity: `next` replaces its
/// document, or with `gone` the entity is removed, the message marked
/// consumed in the same transaction. Answered only once stored: a failed
/// write leaves the notification unanswered, so the ingest does not
/// acknowledge it and the broker delivers it again.
template <class Self, class Value, class Rearm>
caf::result<atom::done> apply_notification(Self* self, const entity_kind& k,
                                           const bus::notification& note, Value next,
                                           bool gone, Rearm rearm) {
  auto rp = self->template make_response_promise<atom::done>();
  auto answer = [=](commit_ack& ack) mutable {
    if (ack.ok)
      rp.deliver(atom::done_v);
  };
  change c{*self->state.svc};
  c.consumed(note.message_id);
  if (gone)
    remove_document(self, k, std::move(c), answer);
  else
    store_document(self, k, std::move(c), std::move(next), rearm, answer);
  return rp;
}

} // namespace steward
