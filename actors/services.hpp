#pragma once
// What entity actors share: the store actor, where notifications go, the
// registries one kind of entity asks about another, and the settings.
#include <string>

#include "actors/interfaces.hpp"
#include "actors/published_documents.hpp"
#include "actors/readiness.hpp"
#include "actors/settings.hpp"

namespace steward {

struct actor_services {
  store_actor store;
  std::string notification_exchange = "openstack";
  std::string notification_topic = "notifications";
  std::string command_exchange = "steward.compute";
  host_registry_actor hosts;          // set before the kinds that ask it start
  instance_registry_actor instances;  // likewise
  catalog_actor_type catalog;         // read by environments' static actions
  lease_settings leases;
  maintenance_settings maintenance;
  environment_settings environments;
  migration_settings migrations;
  readiness* ready = nullptr;         // each registry says when it can serve
  published_documents* environment_shows = nullptr;  // shows the io threads answer
};

} // namespace steward
