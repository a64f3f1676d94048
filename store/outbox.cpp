#include "store/outbox.hpp"

#include "bus/oslo.hpp"

namespace steward::store {

void enqueue(store& db, const std::string& exchange, const std::string& routing_key,
             const bus::notification& note, commit_fn done) {
  write_batch batch;
  batch.outbox.push_back({0, exchange, routing_key, note.message_id, bus::encode_v2(note)});
  db.submit(std::move(batch), std::move(done));
}

} // namespace steward::store
