// The bus over RabbitMQ: starting and stopping its two threads. The
// consumer's loop is in amqp_consumer.cpp, the publisher's in
// amqp_publisher.cpp, the state they share in amqp_bus_impl.hpp.
#include "bus/amqp_bus.hpp"

#include <mutex>
#include <stdexcept>
#include <thread>
#include <utility>

#include "bus/amqp_bus_impl.hpp"
#include "bus/amqp_connection.hpp"
#include "common/log.hpp"

namespace steward::bus {

using namespace detail;

namespace {

// stop() waits this long for the threads to finish politely before it shuts
// their sockets down under them.
constexpr milliseconds stop_grace{2000};

} // namespace

amqp_bus::amqp_bus(amqp_options options) : impl_(std::make_unique<impl>(std::move(options))) {}

amqp_bus::~amqp_bus() { stop(); }

void amqp_bus::start(inbound_handler h) {
  impl& s = *impl_;
  std::lock_guard<std::mutex> life(s.lifecycle);
  if (s.running) throw std::logic_error("amqp_bus: already started");
  s.handler = std::move(h);
  {
    std::lock_guard<std::mutex> l(s.mtx);
    s.stopping = false;
    s.threads_running = 2;
  }
  s.running = true;
  s.consumer_thread = std::thread([&s] { s.consumer_main(); });
  s.publisher_thread = std::thread([&s] { s.publisher_main(); });
}

void amqp_bus::stop() {
  impl& s = *impl_;
  std::lock_guard<std::mutex> life(s.lifecycle);
  if (!s.running) return;
  {
    std::lock_guard<std::mutex> l(s.mtx);
    s.stopping = true;
  }
  s.cv.notify_all();
  bool finished;
  {
    std::unique_lock<std::mutex> l(s.mtx);
    finished = s.cv.wait_for(l, stop_grace, [&] { return s.threads_running == 0; });
  }
  if (!finished) {
    LOG_WARN(component, "the bus threads did not stop in time; shutting their sockets down");
    s.shut_down_sockets();
  }
  s.consumer_thread.join();
  s.publisher_thread.join();
  s.running = false;
  LOG_INFO(component, "stopped " << s.describe());
}

void amqp_bus::outbox_changed() {
  {
    std::lock_guard<std::mutex> l(impl_->mtx);
    impl_->outbox_signal = true;
  }
  impl_->cv.notify_all();
}

bool amqp_bus::ready() const { return impl_->consumer_up && impl_->publisher_up; }

std::string amqp_bus::describe() const { return impl_->describe(); }

} // namespace steward::bus
