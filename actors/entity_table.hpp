#pragma once
// What a registry knows of its entities: the actor of each, and the latest
// snapshot of each document (lists are answered from these, without asking
// every entity).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include <caf/actor_addr.hpp>
#include <caf/exit_reason.hpp>
#include <caf/system_messages.hpp>

#include "actors/entity_kind.hpp"
#include "actors/interfaces.hpp"
#include "common/clock.hpp"
#include "common/json_fields.hpp"
#include "common/log.hpp"

namespace steward {

/// A registry's entities. Each is active (its actor runs) or passive: only
/// its snapshot is kept, and its actor starts for its first message or when
/// its wake time comes (an idle entity costs no actor, no mailbox, no timer).
/// Recovered entities start passive; a new one starts active.
template <class Value>
class entity_table_of {
public:
  using snapshot_type = snapshot_of<Value>;
  /// Starts the actor of a passive entity from its snapshot (the registry's
  /// spawn, which calls `started`).
  using starter = std::function<void(const snapshot_type&)>;

  void set_starter(starter s) { start_ = std::move(s); }

  /// A passive entity, woken at `wake` if it has one.
  void add(snapshot_type snap, std::optional<sys_time> wake) {
    auto id = snap.id;
    snapshots_[id] = std::move(snap);
    if (wake)
      wakes_by_id_[id] = wakes_.emplace(*wake, id);
  }
  /// The actor of entity `id` runs now.
  void started(const std::string& id, entity_actor a) {
    forget_wake(id);
    ids_by_addr_[a.address()] = id;
    actors_[id] = std::move(a);
  }
  void update(snapshot_type snap) {
    if (!restarts_.empty())
      restarts_.erase(snap.id);  // it stores again: its failures are behind it
    if (actors_.count(snap.id))
      snapshots_[snap.id] = std::move(snap);
  }
  void erase(const std::string& id) {
    forget_wake(id);
    snapshots_.erase(id);
    auto i = actors_.find(id);
    if (i == actors_.end())
      return;
    ids_by_addr_.erase(i->second.address());
    actors_.erase(i);
  }
  /// The id of the entity whose actor is `addr`, "" when none.
  std::string id_of(const caf::actor_addr& addr) const {
    auto i = ids_by_addr_.find(addr);
    return i == ids_by_addr_.end() ? "" : i->second;
  }
  /// How often entity `id` was restarted since it last stored a change,
  /// counting this restart.
  int count_restart(const std::string& id) { return ++restarts_[id]; }

  /// The actor of entity `id`, started if the entity is passive; nullptr
  /// when there is no such entity.
  const entity_actor* actor(const std::string& id) {
    if (auto i = actors_.find(id); i != actors_.end())
      return &i->second;
    auto snap = snapshots_.find(id);
    if (snap == snapshots_.end() || !start_)
      return nullptr;
    start_(snap->second);
    auto i = actors_.find(id);
    return i == actors_.end() ? nullptr : &i->second;
  }
  const snapshot_type* snapshot(const std::string& id) const {
    auto i = snapshots_.find(id);
    return i == snapshots_.end() ? nullptr : &i->second;
  }
  const std::map<std::string, snapshot_type>& snapshots() const { return snapshots_; }
  /// Entities, active or passive.
  std::size_t size() const { return snapshots_.size(); }

  template <class F>
  void for_each_actor(F f) const {
    for (auto& [id, a] : actors_)
      f(a);
  }

  /// Takes the passive entities whose wake time is not after `t`.
  std::vector<std::string> take_due(sys_time t) {
    std::vector<std::string> out;
    while (!wakes_.empty() && wakes_.begin()->first <= t) {
      out.push_back(wakes_.begin()->second);
      wakes_by_id_.erase(wakes_.begin()->second);
      wakes_.erase(wakes_.begin());
    }
    return out;
  }
  std::optional<sys_time> next_wake() const {
    if (wakes_.empty())
      return std::nullopt;
    return wakes_.begin()->first;
  }
  /// When the registry's wake-up message is due (none: none is pending).
  std::optional<sys_time> wake_armed;

private:
  void forget_wake(const std::string& id) {
    if (auto w = wakes_by_id_.find(id); w != wakes_by_id_.end()) {
      wakes_.erase(w->second);
      wakes_by_id_.erase(w);
    }
  }

  using wake_list = std::multimap<sys_time, std::string>;
  std::unordered_map<std::string, entity_actor> actors_;
  std::unordered_map<caf::actor_addr, std::string> ids_by_addr_;
  std::map<std::string, snapshot_type> snapshots_;
  std::unordered_map<std::string, int> restarts_;  // of entities that failed
  wake_list wakes_;  // passive entities with a due time
  std::unordered_map<std::string, wake_list::iterator> wakes_by_id_;
  starter start_;
};

/// The actors that follow a registry's entities: each hears of every
/// entity as it is listed, changed and removed; `Atom` names the kind in
/// their messages (`atom::inventory` for hosts, ...).
template <class Watcher, class Atom>
class entity_watchers {
public:
  /// Sends `w` every entity of `table`, in one message (100k of them one
  /// message each held the API back), and from then on every change, until
  /// it goes down (a restarted watcher subscribes again as a new actor).
  template <class Self, class Table>
  void subscribe(Self* self, Watcher w, const Table& table) {
    std::vector<typename Table::snapshot_type> known;
    known.reserve(table.size());
    for (auto& [id, snap] : table.snapshots())
      known.push_back(snap);
    self->send(w, Atom{}, std::move(known));
    self->monitor(w);
    list_.push_back(std::move(w));
  }
  void forget(const caf::actor_addr& watcher) {
    list_.erase(std::remove_if(list_.begin(), list_.end(),
                               [&](const Watcher& w) { return w.address() == watcher; }),
                list_.end());
  }
  template <class Self, class Snapshot>
  void changed(Self* self, const Snapshot& snap) const {
    for (auto& w : list_)
      self->send(w, Atom{}, snap);
  }
  template <class Self>
  void removed(Self* self, const std::string& id) const {
    for (auto& w : list_)
      self->send(w, Atom{}, atom::removed_v, id);
  }

private:
  std::vector<Watcher> list_;
};

/// Starts the actor of an entity from its snapshot, linked to the registry
/// (so that it ends with it, even with a timer pending) and monitored (so
/// that the registry hears when it ends). The actor shares the snapshot's
/// value. `stored`: the value is on disk (false for a new entity).
template <class Self, class Impl, class Value>
entity_actor start_entity(Self* self, entity_table_of<Value>& table, Impl impl,
                          const snapshot_of<Value>& snap, bool stored) {
  auto a = self->template spawn<caf::linked>(
    impl, self->state.svc, caf::actor_cast<owner_of<snapshot_of<Value>>>(self), snap.doc,
    snap.version, stored);
  self->monitor(a);
  table.started(snap.id, a);
  return a;
}

/// A new entity: recorded in `table` from `doc` and started.
template <class Self, class Impl, class Value>
entity_actor spawn_entity(Self* self, entity_table_of<Value>& table, Impl impl,
                          const entity_kind& k, Value doc) {
  auto id = entity_id(k, doc);
  snapshot_of<Value> snap{id, entity_project(k, doc), std::make_shared<const Value>(std::move(doc)),
                          0};
  table.add(snap, std::nullopt);
  return start_entity(self, table, impl, snap, false);
}

/// Arms the registry's wake-up (`atom::wake`) for the earliest wake time of
/// its passive entities, unless one as early is pending.
template <class Self, class Value>
void arm_wake(Self* self, entity_table_of<Value>& table) {
  auto next = table.next_wake();
  if (!next || (table.wake_armed && *table.wake_armed <= *next))
    return;
  table.wake_armed = *next;
  auto delay = *next - now();
  if (delay <= sys_time::duration::zero())
    self->send(self, atom::wake_v);
  else
    self->delayed_send(self, delay, atom::wake_v);
}

/// A stored entity, recorded passive in `table`: its actor starts for its
/// first message, or at `wake`. Returns its id.
template <class Self, class Value>
std::string add_passive(Self* self, entity_table_of<Value>& table, const entity_kind& k,
                        Value doc, int64_t version, std::optional<sys_time> wake) {
  auto id = entity_id(k, doc);
  table.add({id, entity_project(k, doc), std::make_shared<const Value>(std::move(doc)), version},
            wake);
  if (wake)
    arm_wake(self, table);
  return id;
}

/// The registry's wake-up: starts every passive entity whose time came (its
/// actor arms its own timer, due at once) and arms the next wake-up.
template <class Self, class Value>
void wake_due(Self* self, entity_table_of<Value>& table) {
  table.wake_armed.reset();
  for (auto& id : table.take_due(now()))
    table.actor(id);
  arm_wake(self, table);
}

/// The test clock jumped: every entity of `table` re-arms its timers (the
/// entities of a kind with dated timers are clock followers).
template <class Self, class Value>
void fan_out_clock_jump(Self* self, entity_table_of<Value>& table) {
  table.for_each_actor([=](const entity_actor& a) {
    self->send(caf::actor_cast<clock_follower_actor>(a), atom::clock_jump_v);
  });
  wake_due(self, table);  // passive entities whose time the jump passed
}

/// An entity that fails in a row this often stays down until the next start.
constexpr int max_entity_restarts = 3;

/// The registry's side of an entity actor that went down. One that failed
/// (an exception, not its own end after a delete, nor a shutdown) is spawned
/// again by `respawn(doc, version)` from its last stored document, which is
/// the registry's snapshot, up to `max_entity_restarts` times in a row.
/// Returns the id of an entity that is gone, "" when it was restarted (or
/// unknown).
template <class Value, class Respawn>
std::string entity_down(entity_table_of<Value>& table, const caf::down_msg& msg,
                        const char* component, Respawn respawn) {
  auto id = table.id_of(msg.source);
  if (id.empty())
    return id;
  auto snap = *table.snapshot(id);
  table.erase(id);
  bool failed = msg.reason && msg.reason != caf::exit_reason::normal
                && msg.reason != caf::exit_reason::user_shutdown
                && msg.reason != caf::exit_reason::kill;
  if (!failed || snap.version == 0)
    return id;
  auto attempt = table.count_restart(id);
  if (attempt > max_entity_restarts) {
    log::write(log::level::error, component,
               id + " failed again (" + to_string(msg.reason) + "); it stays down after "
                 + std::to_string(max_entity_restarts) + " restarts, until stewardd starts again");
    return id;
  }
  log::write(log::level::error, component,
             id + " failed (" + to_string(msg.reason) + "); restarted from its stored version "
               + std::to_string(snap.version));
  respawn(Value(*snap.doc), snap.version);
  return "";
}

/// Gives the memory the stored rows took while recovering back to the
/// system (glibc would keep it otherwise).
void release_free_memory();

/// Runs `work(first, last)` over [0, n) in contiguous slices, on this thread
/// and, for many items, on a few more at once: for work on each item that
/// shares nothing (reading stored rows into values).
void in_slices(std::size_t n, const std::function<void(std::size_t, std::size_t)>& work);

/// Reads a kind's stored rows with its `from_stored(row)`, which reads
/// the row's JSON into a value (nothing when it cannot).
template <class Value>
auto stored_rows(std::optional<Value> (*from_stored)(const nlohmann::json&)) {
  return [from_stored](const store::entity_record& r) {
    return from_stored(nlohmann::json::parse(r.document, nullptr, false));
  };
}

/// Hands every readable stored row of a kind, read by `read(row)` into its
/// value, to `spawn(value, version)`; an unreadable one is logged and
/// skipped. `component` and `plural` ("hosts") are for the log lines.
/// Returns how many were spawned.
///
/// Reading rows (parsing) is most of a recovery's work and each row is read
/// alone, so rows are read on several threads at once (`read` must touch
/// nothing shared); spawning stays on the registry's own thread.
template <class Read, class Spawn>
std::size_t recover_entities(const char* component, const char* plural,
                             std::vector<store::entity_record> rows, Read read, Spawn spawn) {
  auto began = std::chrono::steady_clock::now();
  std::vector<std::invoke_result_t<Read&, const store::entity_record&>> values(rows.size());
  in_slices(rows.size(), [&](std::size_t first, std::size_t last) {
    for (auto i = first; i < last; ++i) {
      try {
        values[i] = read(rows[i]);
      } catch (const std::exception&) {
        // left empty: unreadable
      }
      rows[i].document = std::string{};
    }
  });
  std::size_t n = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (!values[i]) {
      log::write(log::level::error, component,
                 "stored " + rows[i].kind + " " + rows[i].id + " is unreadable; skipped");
      continue;
    }
    spawn(std::move(*values[i]), rows[i].version);
    values[i].reset();
    ++n;
  }
  values = {};
  rows = {};
  release_free_memory();
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - began;
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.2f", took.count());
  log::write(log::level::info, component,
             "recovered " + std::to_string(n) + " " + plural + " in " + seconds + " s");
  return n;
}

/// Registries spawn their entities linked, so that entities end with them.
/// The other way round, an entity that fails must not end its registry: only
/// a shutdown does.
template <class Self>
void stop_only_on_shutdown(Self* self) {
  self->set_exit_handler([=](caf::exit_msg& msg) {
    if (msg.reason == caf::exit_reason::user_shutdown || msg.reason == caf::exit_reason::kill)
      self->quit(msg.reason);
  });
}

/// What every registry does as it starts: spawns its entities from the
/// stored rows (read by `read`, spawned by `respawn(value, version)`), ends
/// only on shutdown, and when one of its entities goes down, restarts it
/// (entity_down) or, once it is gone for good, calls `forget(id)`; any other
/// actor it monitors (a watcher) that goes down is handed to `gone(addr)`.
template <class Self, class Value, class Read, class Respawn, class Forget,
          class Gone = void (*)(const caf::actor_addr&)>
void start_registry(Self* self, entity_table_of<Value>& table, const char* component,
                    const char* plural, std::vector<store::entity_record> recovered, Read read,
                    Respawn respawn, Forget forget,
                    Gone gone = [](const caf::actor_addr&) {}) {
  recover_entities(component, plural, std::move(recovered), read, respawn);
  stop_only_on_shutdown(self);
  self->set_down_handler([=, &table](const caf::down_msg& msg) {
    if (table.id_of(msg.source).empty()) {
      gone(msg.source);
      return;
    }
    auto id = entity_down(table, msg, component, respawn);
    if (!id.empty())
      forget(id);
  });
}

} // namespace steward
