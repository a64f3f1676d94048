#pragma once
// The store seen from actors: a write batch in, an answer once it is on disk.
// Entity actors `await` that answer, so each entity applies one change at a
// time and never answers a caller before its change is durable.
#include <unordered_map>

#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "actors/interfaces.hpp"
#include "store/store.hpp"

namespace steward {

struct store_actor_state {
  static inline const char* name = "store";
  store::store* db = nullptr;
  uint64_t next_token = 0;
  std::unordered_map<uint64_t, caf::typed_response_promise<commit_ack>> pending;
};

store_actor::behavior_type
store_actor_impl(store_actor::stateful_pointer<store_actor_state> self, store::store* db);

} // namespace steward
