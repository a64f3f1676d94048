#include "actors/store_actor.hpp"

#include <caf/send.hpp>

namespace steward {

store_actor::behavior_type
store_actor_impl(store_actor::stateful_pointer<store_actor_state> self, store::store* db) {
  self->state.db = db;
  return {
    [=](store::write_batch& batch) -> caf::result<commit_ack> {
      auto token = ++self->state.next_token;
      auto rp = self->make_response_promise<commit_ack>();
      self->state.pending.emplace(token, rp);
      auto me = caf::actor_cast<store_actor>(self);
      // Runs on the store's writer thread: hand the outcome back by message.
      self->state.db->submit(std::move(batch), [me, token](const store::commit_result& r) {
        caf::anon_send(me, atom::committed_v, token, commit_ack{r.ok, r.error});
      });
      return rp;
    },
    [=](atom::committed, uint64_t token, commit_ack& ack) {
      auto i = self->state.pending.find(token);
      if (i == self->state.pending.end())
        return;
      i->second.deliver(std::move(ack));
      self->state.pending.erase(i);
    },
  };
}

} // namespace steward
