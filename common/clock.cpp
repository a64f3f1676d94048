#include "common/clock.hpp"

namespace steward {

sys_time steward_clock::now() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return (frozen_ ? *frozen_ : std::chrono::system_clock::now()) + offset_;
}

void steward_clock::freeze(sys_time at) {
  std::lock_guard<std::mutex> guard{mtx_};
  frozen_ = at;
  offset_ = std::chrono::seconds{0};
}

void steward_clock::thaw() {
  std::lock_guard<std::mutex> guard{mtx_};
  frozen_.reset();
  offset_ = std::chrono::seconds{0};
}

void steward_clock::advance(std::chrono::seconds d) {
  std::vector<std::function<void()>> listeners;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    offset_ += d;
    listeners = listeners_;
  }
  for (auto& f : listeners)
    f();
}

std::chrono::seconds steward_clock::offset() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return offset_;
}

void steward_clock::on_jump(std::function<void()> listener) {
  std::lock_guard<std::mutex> guard{mtx_};
  listeners_.push_back(std::move(listener));
}

steward_clock& global_clock() {
  static steward_clock instance;
  return instance;
}

} // namespace steward
