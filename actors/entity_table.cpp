#include "actors/entity_table.hpp"

#include <malloc.h>

#include <caf/actor_cast.hpp>

namespace steward {

void entity_table::add(const std::string& id, entity_actor a, entity_snapshot snap) {
  ids_by_addr_[a.address()] = id;
  actors_[id] = std::move(a);
  snapshots_[id] = std::move(snap);
}

void entity_table::update(entity_snapshot snap) {
  if (!restarts_.empty())
    restarts_.erase(snap.id);  // it stores again: its failures are behind it
  if (actors_.count(snap.id))
    snapshots_[snap.id] = std::move(snap);
}

void entity_table::erase(const std::string& id) {
  auto i = actors_.find(id);
  if (i == actors_.end())
    return;
  ids_by_addr_.erase(i->second.address());
  actors_.erase(i);
  snapshots_.erase(id);
}

std::string entity_table::id_of(const caf::actor_addr& addr) const {
  auto i = ids_by_addr_.find(addr);
  return i == ids_by_addr_.end() ? "" : i->second;
}

const entity_actor* entity_table::find(const std::string& id) const {
  auto i = actors_.find(id);
  return i == actors_.end() ? nullptr : &i->second;
}

const entity_snapshot* entity_table::snapshot(const std::string& id) const {
  auto i = snapshots_.find(id);
  return i == snapshots_.end() ? nullptr : &i->second;
}

void release_free_memory() {
  malloc_trim(0);
}

} // namespace steward
