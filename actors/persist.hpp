#pragma once
// Stores a change and continues only once it is on disk. `await` keeps every
// other message of the entity in its mailbox meanwhile, so changes to one
// entity apply strictly one after the other.
#include <memory>
#include <type_traits>
#include <utility>

#include <caf/error.hpp>

#include "actors/change.hpp"
#include "actors/interfaces.hpp"

namespace steward {

template <class Self, class OnDone>
void persist(Self* self, const store_actor& store, change c, OnDone on_done) {
  // A handler that returned something would be taken for CAF's own reply.
  static_assert(std::is_void_v<decltype(on_done(std::declval<commit_ack&>()))>,
                "persist: the handler must return nothing");
  // One handler shared by both outcomes: it often holds a whole document.
  auto done = std::make_shared<OnDone>(std::move(on_done));
  self->request(store, caf::infinite, c.take())
    .await([done](commit_ack& ack) { (*done)(ack); },
           [done](caf::error& e) {
             commit_ack failed{false, to_string(e)};
             (*done)(failed);
           });
}

} // namespace steward
