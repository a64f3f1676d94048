#pragma once
// What a registry knows of its entities: the actor of each, and the latest
// snapshot of each document (lists are answered from these, without asking
// every entity).
#include <map>
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

class entity_table {
public:
  void add(const std::string& id, entity_actor a, entity_snapshot snap);
  void update(entity_snapshot snap);
  void erase(const std::string& id);
  /// The id of the entity whose actor is `addr`, "" when none.
  std::string id_of(const caf::actor_addr& addr) const;
  /// How often entity `id` was restarted since it last stored a change,
  /// counting this restart.
  int count_restart(const std::string& id) { return ++restarts_[id]; }

  const entity_actor* find(const std::string& id) const;
  const entity_snapshot* snapshot(const std::string& id) const;
  const std::map<std::string, entity_snapshot>& snapshots() const { return snapshots_; }
  std::size_t size() const { return actors_.size(); }

  template <class F>
  void for_each_actor(F f) const {
    for (auto& [id, a] : actors_)
      f(a);
  }

private:
  std::unordered_map<std::string, entity_actor> actors_;
  std::unordered_map<caf::actor_addr, std::string> ids_by_addr_;
  std::map<std::string, entity_snapshot> snapshots_;
  std::unordered_map<std::string, int> restarts_;  // of entities that failed
};

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
template <class Self, class Impl>
entity_actor spawn_entity(Self* self, entity_table& table, Impl impl, const entity_kind& k,
                          nlohmann::json doc, int64_t version, bool stored) {
  auto id = doc[k.id_field].template get<std::string>();
  auto project = text_field(doc, k.project_field);
  // One copy of the document, shared by the actor and the registry's snapshot.
  auto shared = std::make_shared<const nlohmann::json>(std::move(doc));
  auto a = self->template spawn<caf::linked>(impl, self->state.svc,
                                             caf::actor_cast<entity_owner_actor>(self), shared,
                                             version, stored);
  self->monitor(a);
  table.add(id, a, entity_snapshot{id, project, std::move(shared), stored ? version : 0});
  return a;
}

/// The test clock jumped: every entity of `table` re-arms its timers (the
/// entities of a kind with dated timers are clock followers).
template <class Self>
void fan_out_clock_jump(Self* self, const entity_table& table) {
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
template <class Respawn>
std::string entity_down(entity_table& table, const caf::down_msg& msg, const char* component,
                        Respawn respawn) {
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
  respawn(nlohmann::json(*snap.doc), snap.version);
  return "";
}

/// Gives the memory the stored rows took while recovering back to the
/// system (glibc would keep it otherwise).
void release_free_memory();

/// Hands every readable stored document of a kind to `spawn(doc, version)`;
/// an unreadable one is logged and skipped. `component` and `plural` ("hosts")
/// are for the log lines. Returns how many were spawned.
template <class Spawn>
std::size_t recover_entities(const char* component, const char* plural,
                             std::vector<store::entity_record> rows, const char* id_field,
                             Spawn spawn) {
  std::size_t n = 0;
  for (auto& r : rows) {
    auto doc = nlohmann::json::parse(r.document, nullptr, false);
    if (doc.is_discarded() || !doc.contains(id_field) || !doc[id_field].is_string()) {
      log::write(log::level::error, component,
                 "stored " + r.kind + " " + r.id + " is unreadable; skipped");
      continue;
    }
    spawn(std::move(doc), r.version);
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
/// stored rows (`respawn(doc, version)`), ends only on shutdown, and when
/// one of its entities goes down, restarts it (entity_down) or, once it is
/// gone for good, calls `forget(id)`.
template <class Self, class Respawn, class Forget>
void start_registry(Self* self, entity_table& table, const char* component, const char* plural,
                    std::vector<store::entity_record> recovered, const char* id_field,
                    Respawn respawn, Forget forget) {
  recover_entities(component, plural, std::move(recovered), id_field, respawn);
  stop_only_on_shutdown(self);
  self->set_down_handler([=, &table](const caf::down_msg& msg) {
    auto id = entity_down(table, msg, component, respawn);
    if (!id.empty())
      forget(id);
  });
}

} // namespace steward
