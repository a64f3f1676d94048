#pragma once
// What a registry knows of its entities: the actor of each, and the latest
// snapshot of each document (lists are answered from these, without asking
// every entity).
#include <map>
#include <string>
#include <unordered_map>

#include <caf/actor_addr.hpp>
#include <caf/exit_reason.hpp>
#include <caf/system_messages.hpp>

#include "actors/interfaces.hpp"

namespace steward {

class entity_table {
public:
  void add(const std::string& id, entity_actor a, entity_snapshot snap);
  void update(entity_snapshot snap);
  void erase(const std::string& id);
  /// Erases the entity whose actor is `addr` (it went down); returns its id.
  std::string erase_actor(const caf::actor_addr& addr);

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
};

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

} // namespace steward
