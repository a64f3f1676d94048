#pragma once
// Keeps the long-lived actors serving: the registries, the gateway, the
// ingest and the event hub. One that dies (every handler is guarded, so
// this is a failure outside them) is logged with its reason and started
// again, a registry from the store, with the actors built on its state (the
// lease registry follows the hosts; maintenance follows hosts and
// instances), rest-for-one as Erlang's supervisors say. Others reach each
// through its proxy (proxy.hpp), which keeps their messages while it
// restarts.
//
// Restarts run on the supervisor's own thread: reading a kind back from the
// store blocks, which an actor must not.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_addr.hpp>
#include <caf/error.hpp>
#include <caf/fwd.hpp>

#include "actors/interfaces.hpp"
#include "actors/readiness.hpp"

namespace steward {

struct supervised_actor {
  std::string kind;                     // as /readyz names it
  caf::actor proxy;                     // what every other actor holds
  std::function<caf::actor()> start;    // reads what it needs and spawns it (blocks)
  std::vector<std::string> dependents;  // kinds built on its state
  bool says_when_ready = true;          // else ready as soon as it is spawned
};

class actor_supervisor {
public:
  actor_supervisor(caf::actor_system& sys, store_actor store, readiness& ready);
  ~actor_supervisor();
  actor_supervisor(const actor_supervisor&) = delete;
  actor_supervisor& operator=(const actor_supervisor&) = delete;

  /// Starts every actor, in the order given (a kind before its
  /// dependents), on the caller's thread, and watches them.
  void start(std::vector<supervised_actor> actors);
  /// Ends the actor of `kind` as a crash would (for tests).
  void fail(const std::string& kind);
  /// How many restarts (of an actor with its dependents) were done.
  std::size_t restarts() const;
  /// Restarts no more (waits for one under way) and returns every actor it
  /// kept: those serving, their proxies and its watcher, for the caller to
  /// stop in its own shutdown order.
  std::vector<caf::actor> stop();

private:
  struct slot {
    supervised_actor actor;
    caf::actor serving;
    std::deque<std::chrono::steady_clock::time_point> deaths;  // the last minute's
  };
  struct death {
    caf::actor_addr who;
    caf::error reason;
  };

  void died(caf::actor_addr who, caf::error reason);
  void run();
  void restart(std::size_t index, const caf::error& reason);
  std::chrono::milliseconds back_off(slot& s);
  void serve(slot& s, caf::actor a);
  bool stopping() const;

  caf::actor_system& sys_;
  store_actor store_;
  readiness& ready_;
  caf::actor watcher_;
  mutable std::mutex m_;
  std::condition_variable wake_;
  std::vector<slot> slots_;  // in start order
  std::deque<death> deaths_;
  bool stopping_ = false;
  std::size_t restarts_ = 0;
  std::thread thread_;
};

} // namespace steward
