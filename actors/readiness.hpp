#pragma once
// Which registries can serve a request end to end, for /readyz. A registry
// marks itself ready once it has recovered its entities and heard whatever
// it decides on (the lease registry: every host of the inventory); the
// runtime unmarks one that died. Read from io threads, hence the lock.
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace steward {

class readiness {
public:
  /// `kind` must say it is ready before the whole is.
  void expect(const std::string& kind) {
    std::lock_guard<std::mutex> l{m_};
    ready_.emplace(kind, false);
  }
  void set(const std::string& kind, bool ready) {
    {
      std::lock_guard<std::mutex> l{m_};
      ready_[kind] = ready;
    }
    changed_.notify_all();
  }
  /// Waits until every kind is ready or `limit` passed; true when ready.
  bool wait(std::chrono::milliseconds limit) const {
    std::unique_lock<std::mutex> l{m_};
    return changed_.wait_for(l, limit, [&] {
      for (auto& [kind, ready] : ready_)
        if (!ready)
          return false;
      return true;
    });
  }
  /// The kinds not ready yet, in name order; empty when all are.
  std::vector<std::string> waiting() const {
    std::lock_guard<std::mutex> l{m_};
    std::vector<std::string> out;
    for (auto& [kind, ready] : ready_)
      if (!ready)
        out.push_back(kind);
    return out;
  }

private:
  mutable std::mutex m_;
  mutable std::condition_variable changed_;
  std::map<std::string, bool> ready_;
};

} // namespace steward
