#include "actors/supervisor.hpp"

#include <algorithm>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "common/log.hpp"
#include "messages/records.hpp"

namespace steward {

namespace {

using std::chrono::steady_clock;

// Deaths in a row within this window back off, doubling from the second.
constexpr auto death_window = std::chrono::minutes{1};
constexpr auto first_back_off = std::chrono::milliseconds{500};
constexpr auto longest_back_off = std::chrono::milliseconds{30000};

std::string kinds_text(const std::vector<std::string>& kinds) {
  std::string out;
  for (auto& k : kinds)
    out += (out.empty() ? "" : ", ") + k;
  return out;
}

} // namespace

actor_supervisor::actor_supervisor(caf::actor_system& sys, store_actor store,
                                         readiness& ready)
  : sys_{sys}, store_{std::move(store)}, ready_{ready} {
}

actor_supervisor::~actor_supervisor() {
  stop();
}

void actor_supervisor::start(std::vector<supervised_actor> actors) {
  // (The supervisor goes to the watcher as an argument: CAF 0.17 binds an
  // empty argument list through a null pointer, which UBSan reports.)
  auto watch = [](caf::event_based_actor* self, actor_supervisor* sup) -> caf::behavior {
    self->set_down_handler([sup](const caf::down_msg& msg) {
      // An actor stopped on purpose (a shutdown, or a restart of what it
      // depends on) is not a death.
      if (msg.reason != caf::exit_reason::user_shutdown)
        sup->died(msg.source, msg.reason);
    });
    return {[self](atom::serving, caf::actor& a) { self->monitor(a); }};
  };
  watcher_ = sys_.spawn(watch, this);
  for (auto& a : actors)
    ready_.expect(a.kind);
  for (auto& a : actors) {
    slots_.push_back(slot{std::move(a), {}, {}});
    auto& s = slots_.back();
    serve(s, s.actor.start());
  }
  thread_ = std::thread{[this] { run(); }};
}

void actor_supervisor::serve(slot& s, caf::actor a) {
  {
    std::lock_guard<std::mutex> l{m_};
    s.serving = a;
  }
  caf::anon_send(watcher_, atom::serving_v, a);
  caf::anon_send(s.actor.proxy, atom::serving_v, std::move(a));
  if (!s.actor.says_when_ready)
    ready_.set(s.actor.kind, true);
}

void actor_supervisor::fail(const std::string& kind) {
  std::lock_guard<std::mutex> l{m_};
  for (auto& s : slots_)
    if (s.actor.kind == kind && s.serving)
      caf::anon_send_exit(s.serving, caf::exit_reason::kill);
}

std::size_t actor_supervisor::restarts() const {
  std::lock_guard<std::mutex> l{m_};
  return restarts_;
}

bool actor_supervisor::stopping() const {
  std::lock_guard<std::mutex> l{m_};
  return stopping_;
}

std::vector<caf::actor> actor_supervisor::stop() {
  {
    std::lock_guard<std::mutex> l{m_};
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable())
    thread_.join();
  std::vector<caf::actor> out;
  std::lock_guard<std::mutex> l{m_};
  for (auto& s : slots_) {
    if (s.serving)
      out.push_back(std::exchange(s.serving, caf::actor{}));
    if (s.actor.proxy)
      out.push_back(std::exchange(s.actor.proxy, caf::actor{}));
  }
  if (watcher_)
    out.push_back(std::exchange(watcher_, caf::actor{}));
  return out;
}

void actor_supervisor::died(caf::actor_addr who, caf::error reason) {
  {
    std::lock_guard<std::mutex> l{m_};
    deaths_.push_back({std::move(who), std::move(reason)});
  }
  wake_.notify_all();
}

void actor_supervisor::run() {
  for (;;) {
    death d;
    std::size_t index = slots_.size();
    {
      std::unique_lock<std::mutex> l{m_};
      wake_.wait(l, [this] { return stopping_ || !deaths_.empty(); });
      if (stopping_)
        return;
      d = std::move(deaths_.front());
      deaths_.pop_front();
      for (std::size_t i = 0; i < slots_.size(); ++i)
        if (slots_[i].serving && slots_[i].serving.address() == d.who)
          index = i;
    }
    if (index < slots_.size())  // else already replaced
      restart(index, d.reason);
  }
}

std::chrono::milliseconds actor_supervisor::back_off(slot& s) {
  auto now = steady_clock::now();
  while (!s.deaths.empty() && now - s.deaths.front() > death_window)
    s.deaths.pop_front();
  s.deaths.push_back(now);
  if (s.deaths.size() < 2)
    return std::chrono::milliseconds{0};
  auto delay = first_back_off * (1 << std::min<std::size_t>(s.deaths.size() - 2, 6));
  return std::min(delay, longest_back_off);
}

void actor_supervisor::restart(std::size_t index, const caf::error& reason) {
  auto& dead = slots_[index];
  // It and its dependents, in start order.
  std::vector<std::size_t> again{index};
  for (std::size_t i = index + 1; i < slots_.size(); ++i)
    if (std::count(dead.actor.dependents.begin(), dead.actor.dependents.end(),
                   slots_[i].actor.kind))
      again.push_back(i);
  std::vector<std::string> kinds;
  for (auto i : again)
    kinds.push_back(slots_[i].actor.kind);
  auto delay = back_off(dead);
  log::write(log::level::error, "supervisor",
             "the " + dead.actor.kind + " actor died (" + to_string(reason) + "); restarting "
               + kinds_text(kinds)
               + (delay.count() ? " in " + std::to_string(delay.count()) + " ms" : ""));
  // Its routes answer 503 (/readyz says why) and its proxy keeps what comes.
  for (auto i : again) {
    ready_.set(slots_[i].actor.kind, false);
    caf::anon_send(slots_[i].actor.proxy, atom::serving_v, caf::actor{});
  }
  caf::scoped_actor self{sys_};
  for (std::size_t n = 1; n < again.size(); ++n) {
    caf::actor dependent;
    {
      std::lock_guard<std::mutex> l{m_};
      dependent = std::exchange(slots_[again[n]].serving, caf::actor{});
    }
    if (!dependent)
      continue;
    self->monitor(dependent);
    self->send_exit(dependent, caf::exit_reason::user_shutdown);
    self->receive([](const caf::down_msg&) {});
  }
  {
    std::lock_guard<std::mutex> l{m_};
    dead.serving = caf::actor{};
  }
  // Writes its entities sent before they ended are stored before the rows
  // are read back (the store commits in order).
  self->request(store_, std::chrono::seconds{60}, store::write_batch{})
    .receive([](const commit_ack&) {}, [](const caf::error&) {});
  {
    std::unique_lock<std::mutex> l{m_};
    if (wake_.wait_for(l, delay, [this] { return stopping_; }))
      return;
  }
  for (auto i : again) {
    if (stopping())
      return;
    serve(slots_[i], slots_[i].actor.start());
  }
  std::lock_guard<std::mutex> l{m_};
  ++restarts_;
}

} // namespace steward
