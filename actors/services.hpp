#pragma once
// What entity actors share: the store actor and where notifications go.
#include <string>

#include "actors/interfaces.hpp"

namespace steward {

struct actor_services {
  store_actor store;
  std::string notification_exchange = "openstack";
  std::string notification_topic = "notifications";
  std::string command_exchange = "steward.compute";
};

} // namespace steward
