#pragma once
// What a registry knows of its entities: the actor of each, and the latest
// snapshot of each document (lists are answered from these, without asking
// every entity).
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/actor_addr.hpp>
#include <caf/exit_reason.hpp>
#include <caf/system_messages.hpp>

#include "actors/entity_kind.hpp"
#include "actors/interfaces.hpp"
#include "common/json_fields.hpp"
#include "common/log.hpp"

namespace steward {

template <class Value>
class entity_table_of {
public:
  using snapshot_type = snapshot_of<Value>;

  void add(const std::string& id, entity_actor a, snapshot_type snap) {
    ids_by_addr_[a.address()] = id;
    actors_[id] = std::move(a);
    snapshots_[id] = std::move(snap);
  }
  void update(snapshot_type snap) {
    if (!restarts_.empty())
      restarts_.erase(snap.id);  // it stores again: its failures are behind it
    if (actors_.count(snap.id))
      snapshots_[snap.id] = std::move(snap);
  }
  void erase(const std::string& id) {
    auto i = actors_.find(id);
    if (i == actors_.end())
      return;
    ids_by_addr_.erase(i->second.address());
    actors_.erase(i);
    snapshots_.erase(id);
  }
  /// The id of the entity whose actor is `addr`, "" when none.
  std::string id_of(const caf::actor_addr& addr) const {
    auto i = ids_by_addr_.find(addr);
    return i == ids_by_addr_.end() ? "" : i->second;
  }
  /// How often entity `id` was restarted since it last stored a change,
  /// counting this restart.
  int count_restart(const std::string& id) { return ++restarts_[id]; }

  const entity_actor* find(const std::string& id) const {
    auto i = actors_.find(id);
    return i == actors_.end() ? nullptr : &i->second;
  }
  const snapshot_type* snapshot(const std::string& id) const {
    auto i = snapshots_.find(id);
    return i == snapshots_.end() ? nullptr : &i->second;
  }
  const std::map<std::string, snapshot_type>& snapshots() const { return snapshots_; }
  std::size_t size() const { return actors_.size(); }

  template <class F>
  void for_each_actor(F f) const {
    for (auto& [id, a] : actors_)
      f(a);
  }

private:
  std::unordered_map<std::string, entity_actor> actors_;
  std::unordered_map<caf::actor_addr, std::string> ids_by_addr_;
  std::map<std::string, snapshot_type> snapshots_;
  std::unordered_map<std::string, int> restarts_;  // of entities that failed
};

/// The table of a kind whose value is its API document.
using entity_table = entity_table_of<nlohmann::json>;

/// The actors that follow a registry's entities: each hears of every
/// entity as it is listed, changed and removed; `Atom` names the kind in
/// their messages (`atom::inventory` for hosts, ...).
template <class Watcher, class Atom>
class entity_watchers {
public:
  /// Sends `w` every entity of `table` and then `done`, and from then on
  /// every change.
  template <class Self>
  void subscribe(Self* self, Watcher w, const entity_table& table) {
    for (auto& [id, snap] : table.snapshots())
      self->send(w, Atom{}, snap);
    self->send(w, Atom{}, atom::done_v);
    list_.push_back(std::move(w));
  }
  template <class Self>
  void changed(Self* self, const entity_snapshot& snap) const {
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

/// Spawns an entity actor from `doc`, linked to the registry (so that it ends
/// with it, even with a timer pending) and monitored (so that the registry
/// forgets it when it ends), and records it in `table`.
template <class Self, class Impl, class Value>
entity_actor spawn_entity(Self* self, entity_table_of<Value>& table, Impl impl,
                          const entity_kind& k, Value doc, int64_t version, bool stored) {
  auto id = entity_id(k, doc);
  auto project = entity_project(k, doc);
  // One copy of the value, shared by the actor and the registry's snapshot.
  auto shared = std::make_shared<const Value>(std::move(doc));
  auto a = self->template spawn<caf::linked>(
    impl, self->state.svc, caf::actor_cast<owner_of<snapshot_of<Value>>>(self), shared, version,
    stored);
  self->monitor(a);
  table.add(id, a, snapshot_of<Value>{id, project, std::move(shared), stored ? version : 0});
  return a;
}

/// The test clock jumped: every entity of `table` re-arms its timers (the
/// entities of a kind with dated timers are clock followers).
template <class Self, class Value>
void fan_out_clock_jump(Self* self, const entity_table_of<Value>& table) {
  table.for_each_actor([=](const entity_actor& a) {
    self->send(caf::actor_cast<clock_follower_actor>(a), atom::clock_jump_v);
  });
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

/// Reads the stored rows of a kind whose value is its API document: the
/// document, if it is one with a text `id_field`.
inline auto document_rows(const char* id_field) {
  return [id_field](const store::entity_record& r) -> std::optional<nlohmann::json> {
    auto doc = nlohmann::json::parse(r.document, nullptr, false);
    if (doc.is_discarded() || !doc.contains(id_field) || !doc[id_field].is_string())
      return std::nullopt;
    return doc;
  };
}

/// Hands every readable stored row of a kind, read by `read(row)` into its
/// value, to `spawn(value, version)`; an unreadable one is logged and
/// skipped. `component` and `plural` ("hosts") are for the log lines.
/// Returns how many were spawned.
template <class Read, class Spawn>
std::size_t recover_entities(const char* component, const char* plural,
                             std::vector<store::entity_record> rows, Read read, Spawn spawn) {
  std::size_t n = 0;
  for (auto& r : rows) {
    auto value = read(r);
    if (!value) {
      log::write(log::level::error, component,
                 "stored " + r.kind + " " + r.id + " is unreadable; skipped");
      continue;
    }
    spawn(std::move(*value), r.version);
    ++n;
    r.document = std::string{};
  }
  rows = {};
  release_free_memory();
  log::write(log::level::info, component, "recovered " + std::to_string(n) + " " + plural);
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
/// (entity_down) or, once it is gone for good, calls `forget(id)`.
template <class Self, class Value, class Read, class Respawn, class Forget>
void start_registry(Self* self, entity_table_of<Value>& table, const char* component,
                    const char* plural, std::vector<store::entity_record> recovered, Read read,
                    Respawn respawn, Forget forget) {
  recover_entities(component, plural, std::move(recovered), read, respawn);
  stop_only_on_shutdown(self);
  self->set_down_handler([=, &table](const caf::down_msg& msg) {
    auto id = entity_down(table, msg, component, respawn);
    if (!id.empty())
      forget(id);
  });
}

} // namespace steward
