#pragma once
// The bus without a broker: the embedded default for a single node. The
// outbox is handed to in-process subscribers (the simulated cloud), and
// notifications come in through inject(), decoded exactly like the AMQP
// consumer decodes them.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bus/bus.hpp"

namespace steward::bus {

class inproc_bus : public bus {
public:
  using subscriber = std::function<void(const outbound&)>;

  explicit inproc_bus(outbox_source& outbox, std::size_t batch = 256);
  ~inproc_bus() override;
  inproc_bus(const inproc_bus&) = delete;
  inproc_bus& operator=(const inproc_bus&) = delete;

  /// Starts the publisher thread. May be called again after stop().
  void start(inbound_handler h) override;
  void stop() override;
  void outbox_changed() override;
  bool ready() const override;
  std::string describe() const override;

  /// Every outbox row is handed to every subscriber, on the publisher thread,
  /// before the row is confirmed (removed from the outbox).
  void subscribe(subscriber s);
  /// Hands a wire body to the handler, on the caller's thread, as if it had
  /// arrived from `exchange` with `routing_key`. A malformed body is logged
  /// and counted in dead_lettered(), and so is one whose handling failed.
  /// Returns true when the handler got it.
  /// Calls into the handler are serialised (one at a time, as with AMQP).
  bool inject(const std::string& exchange, const std::string& routing_key,
              const std::string& body);
  std::size_t dead_lettered() const;

private:
  void publisher_main();
  void deliver_pending();

  outbox_source& outbox_;
  const std::size_t batch_;
  // The last outbox row handed over: a row whose removal is still on its way
  // to disk is not handed over twice (only the publisher thread touches it).
  int64_t delivered_up_to_ = 0;

  std::recursive_mutex handler_mtx_;  // a handler may inject again
  inbound_handler handler_;

  mutable std::mutex mtx_;
  std::condition_variable cv_;
  bool running_ = false;
  bool stopping_ = false;
  bool signal_ = false;
  std::vector<subscriber> subscribers_;

  std::mutex lifecycle_;
  std::thread publisher_;
  std::atomic<std::size_t> dead_lettered_{0};
};

} // namespace steward::bus
