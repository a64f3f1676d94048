#pragma once
// An outbox_source in memory, for the bus tests: what the store does, minus
// the disk.
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "bus/bus.hpp"
#include "bus/oslo.hpp"

namespace steward::bus::test {

class memory_outbox : public outbox_source {
public:
  /// Adds a row and returns its outbox id.
  int64_t add(const std::string& exchange, const std::string& routing_key,
              const notification& n) {
    std::lock_guard<std::mutex> l(m_);
    outbound row;
    row.outbox_id = next_id_++;
    row.exchange = exchange;
    row.routing_key = routing_key;
    row.message_id = n.message_id;
    row.body = encode_v2(n);
    rows_.emplace(row.outbox_id, row);
    return row.outbox_id;
  }

  std::vector<outbound> pending_outbox(int64_t after_id, std::size_t limit) override {
    std::lock_guard<std::mutex> l(m_);
    std::vector<outbound> out;
    for (auto it = rows_.upper_bound(after_id); it != rows_.end() && out.size() < limit; ++it) {
      out.push_back(it->second);
    }
    return out;
  }

  void confirm_outbox(const std::vector<int64_t>& ids) override {
    std::lock_guard<std::mutex> l(m_);
    for (int64_t id : ids) {
      rows_.erase(id);
      ++confirmed_;
    }
  }

  std::size_t size() const {
    std::lock_guard<std::mutex> l(m_);
    return rows_.size();
  }

  /// How many confirmations arrived (a row confirmed twice counts twice).
  std::size_t confirmed() const {
    std::lock_guard<std::mutex> l(m_);
    return confirmed_;
  }

private:
  mutable std::mutex m_;
  std::map<int64_t, outbound> rows_;
  int64_t next_id_ = 1;
  std::size_t confirmed_ = 0;
};

} // namespace steward::bus::test
