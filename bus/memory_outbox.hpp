#pragma once
// An outbox in memory: what the store's outbox does, minus the disk. The bus
// tests publish through it, and the simulated cloud uses it as the outbox of
// its own AMQP bus (its outcomes need no durability: its world is in memory
// too). Thread-safe.
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "bus/bus.hpp"

namespace steward::bus {

class memory_outbox : public outbox_source {
public:
  /// Encodes `n` (oslo v2 envelope), adds it as a row and returns its id.
  int64_t add(const std::string& exchange, const std::string& routing_key,
              const notification& n);

  std::vector<outbound> pending_outbox(int64_t after_id, std::size_t limit) override;
  void confirm_outbox(const std::vector<int64_t>& ids) override;

  /// Rows not yet confirmed.
  std::size_t size() const;
  /// How many confirmations arrived (a row confirmed twice counts twice).
  std::size_t confirmed() const;

private:
  mutable std::mutex m_;
  std::map<int64_t, outbound> rows_;
  int64_t next_id_ = 1;
  std::size_t confirmed_ = 0;
};

} // namespace steward::bus
