#pragma once
// What GET /resources shows (Pumphouse): each of the two clouds with its
// urls, tenants, resources (servers, images, flavors) and hosts, the hosts
// of neither cloud, and the event streams of the operations in progress.
// Made from the inventory's hosts and instances and from the catalog;
// CAF-free, so that it is tested on its own.
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/catalog/catalog.hpp"
#include "actors/settings.hpp"
#include "messages/world.hpp"

namespace steward::migration {

/// What the operations under way add to the clouds' own state.
struct operations_view {
  std::vector<std::string> streams;               // event stream ids, oldest first
  std::map<std::string, std::string> tenants;     // project id -> status ("migration", ...)
  std::map<std::string, std::string> hosts;       // host name -> status ("evacuation")
};

/// A host's status as Pumphouse shows it: `available` (up, enabled),
/// `blocked` (disabled), `error` (down).
std::string host_status(const inventory::host& h);

/// A server's status as Nova names it (`active`, `stopped`, `error`, ...).
std::string server_status(const instance::instance& i);

/// The whole document of GET /resources.
nlohmann::json resources_document(const world_view& world, const catalog::catalog& cat,
                                  const migration_settings& settings,
                                  const operations_view& operations);

} // namespace steward::migration
