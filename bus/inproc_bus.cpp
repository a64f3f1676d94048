#include "bus/inproc_bus.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <stdexcept>

#include "bus/oslo.hpp"
#include "common/log.hpp"

namespace steward::bus {

namespace {
constexpr const char* component = "bus";
// Without a signal the outbox is still looked at this often (a row written
// by a writer that forgot outbox_changed() is not stuck for good).
constexpr std::chrono::milliseconds idle_rescan{1000};
} // namespace

inproc_bus::inproc_bus(outbox_source& outbox, std::size_t batch)
    : outbox_(outbox), batch_(batch == 0 ? 1 : batch) {}

inproc_bus::~inproc_bus() { stop(); }

void inproc_bus::start(inbound_handler h) {
  std::lock_guard<std::mutex> life(lifecycle_);
  {
    std::lock_guard<std::recursive_mutex> hl(handler_mtx_);
    handler_ = std::move(h);
  }
  {
    std::lock_guard<std::mutex> l(mtx_);
    if (running_) throw std::logic_error("inproc_bus: already started");
    running_ = true;
    stopping_ = false;
    signal_ = true;  // whatever is in the outbox already goes out now
  }
  publisher_ = std::thread([this] { publisher_main(); });
}

void inproc_bus::stop() {
  std::lock_guard<std::mutex> life(lifecycle_);
  {
    std::lock_guard<std::mutex> l(mtx_);
    if (!running_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  publisher_.join();
  {
    // Waits for a handler call in progress; later inject() calls drop.
    std::lock_guard<std::recursive_mutex> hl(handler_mtx_);
    handler_ = nullptr;
  }
  std::lock_guard<std::mutex> l(mtx_);
  running_ = false;
}

void inproc_bus::outbox_changed() {
  {
    std::lock_guard<std::mutex> l(mtx_);
    signal_ = true;
  }
  cv_.notify_all();
}

bool inproc_bus::ready() const {
  std::lock_guard<std::mutex> l(mtx_);
  return running_;
}

std::string inproc_bus::describe() const { return "in-process bus"; }

void inproc_bus::subscribe(subscriber s) {
  std::lock_guard<std::mutex> l(mtx_);
  subscribers_.push_back(std::move(s));
}

bool inproc_bus::inject(const std::string& exchange, const std::string& routing_key,
                        const std::string& body) {
  std::string error;
  std::optional<notification> note = decode(body, error);
  if (!note) {
    ++dead_lettered_;
    LOG_WARN(component, "dead-lettering a malformed message from exchange '"
                            << exchange << "' key '" << routing_key << "': " << error);
    return false;
  }
  std::lock_guard<std::recursive_mutex> hl(handler_mtx_);
  if (!handler_) {
    LOG_WARN(component, "in-process bus not started; dropping " << note->event_type);
    return false;
  }
  // Nothing is redelivered in-process: the ack has nothing to do, and a
  // failure is final (logged and counted like a malformed message).
  auto fail = [this, exchange, routing_key](const std::string& reason, bool) {
    ++dead_lettered_;
    LOG_WARN(component, "dead-lettering a message from exchange '"
                            << exchange << "' key '" << routing_key << "': " << reason);
  };
  handler_(inbound{exchange, routing_key, std::move(*note), fail}, [] {});
  return true;
}

std::size_t inproc_bus::dead_lettered() const { return dead_lettered_; }

void inproc_bus::publisher_main() {
  for (;;) {
    {
      std::unique_lock<std::mutex> l(mtx_);
      cv_.wait_for(l, idle_rescan, [&] { return stopping_ || signal_; });
      if (stopping_) return;
      signal_ = false;
    }
    try {
      deliver_pending();
    } catch (const std::exception& e) {
      LOG_ERROR(component, "in-process publisher: " << e.what());  // tried again later
    }
  }
}

// Hands every pending row to the subscribers, a batch at a time, and removes
// it from the outbox.
void inproc_bus::deliver_pending() {
  auto& cursor = delivered_up_to_;
  for (;;) {
    std::vector<outbound> rows = outbox_.pending_outbox(cursor, batch_);
    if (rows.empty()) return;
    std::vector<subscriber> subs;
    {
      std::lock_guard<std::mutex> l(mtx_);
      if (stopping_) return;
      subs = subscribers_;
    }
    std::vector<int64_t> ids;
    for (const outbound& row : rows) {
      for (const subscriber& s : subs) {
        try {
          s(row);
        } catch (const std::exception& e) {
          // One subscriber's failure must not hold the outbox up for good.
          LOG_ERROR(component, "outbox subscriber threw on " << row.message_id << ": " << e.what());
        }
      }
      ids.push_back(row.outbox_id);
      cursor = std::max(cursor, row.outbox_id);
    }
    outbox_.confirm_outbox(ids);
  }
}

} // namespace steward::bus
