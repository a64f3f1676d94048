#include "actors/store_actor.hpp"

#include <caf/send.hpp>
#include <caf/system_messages.hpp>

#include "actors/guard.hpp"

namespace steward {

store_actor::behavior_type
store_actor_impl(store_actor::stateful_pointer<store_actor_state> self, store::store* db) {
  self->state.db = db;
  // Should it stop with writes in flight, their writers hear so rather than
  // waiting forever (an undelivered promise is silently dropped in CAF 0.17).
  self->set_exit_handler([=](caf::exit_msg& msg) {
    for (auto& [token, rp] : self->state.pending)
      rp.deliver(commit_ack{false, "the store is stopping"});
    self->state.pending.clear();
    self->quit(msg.reason);
  });
  return guarded_behavior<store_actor::behavior_type>(
    "store",
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
    });
}

} // namespace steward
