#include "bus/memory_outbox.hpp"

#include "bus/oslo.hpp"

namespace steward::bus {

int64_t memory_outbox::add(const std::string& exchange, const std::string& routing_key,
                           const notification& n) {
  outbound row;
  row.exchange = exchange;
  row.routing_key = routing_key;
  row.message_id = n.message_id;
  row.body = encode_v2(n);  // outside the lock: encoding is the slow part
  std::lock_guard<std::mutex> l(m_);
  row.outbox_id = next_id_++;
  int64_t id = row.outbox_id;
  rows_.emplace(id, std::move(row));
  return id;
}

std::vector<outbound> memory_outbox::pending_outbox(int64_t after_id, std::size_t limit) {
  std::lock_guard<std::mutex> l(m_);
  std::vector<outbound> out;
  for (auto it = rows_.upper_bound(after_id); it != rows_.end() && out.size() < limit; ++it) {
    out.push_back(it->second);
  }
  return out;
}

void memory_outbox::confirm_outbox(const std::vector<int64_t>& ids) {
  std::lock_guard<std::mutex> l(m_);
  for (int64_t id : ids) {
    rows_.erase(id);
    ++confirmed_;
  }
}

std::size_t memory_outbox::size() const {
  std::lock_guard<std::mutex> l(m_);
  return rows_.size();
}

std::size_t memory_outbox::confirmed() const {
  std::lock_guard<std::mutex> l(m_);
  return confirmed_;
}

} // namespace steward::bus
