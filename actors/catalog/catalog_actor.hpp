#pragma once
// Keeps the catalog: learns it from catalog.update notifications, stores it,
// answers the GET routes of its objects, and hands every new version to the
// instance and migration registries.
#include <caf/typed_event_based_actor.hpp>

#include "actors/services.hpp"

namespace steward::catalog {

struct catalog_state {
  static inline const char* name = "catalog";
  const actor_services* svc = nullptr;
  std::vector<catalog_reader_actor> readers;
  catalog_ptr current;  // stored: what the readers and the routes see
  int64_t version = 0;
  // The newest update applied, stored or on its way to the store: the next
  // update builds on it, so that two updates in flight at once (the two
  // clouds' at a start, an image's upload progress) both stay.
  catalog_ptr latest;
  int64_t latest_version = 0;
};

/// `stored` is the catalog recovered from the store (empty at first start).
catalog_actor_type::behavior_type
catalog_actor(catalog_actor_type::stateful_pointer<catalog_state> self, const actor_services* svc,
              std::vector<catalog_reader_actor> readers, catalog_ptr stored, int64_t version);

/// The catalog kept in the store, or an empty one.
std::pair<catalog_ptr, int64_t> recover(const std::vector<store::entity_record>& rows);

} // namespace steward::catalog
