#pragma once
// The routes of every API family, and the one piece they share: forwarding a
// request to a registry and turning its reply into a response.
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "actors/runtime.hpp"
#include "http/router.hpp"

namespace steward::http {

/// A part /readyz reports on (the store, the bus): routes read its health
/// and nothing else of it.
struct dependency {
  std::function<bool()> ok;
  std::string description;
};

struct route_services {
  runtime& actors;
  dependency store;
  dependency bus;
  std::size_t sse_queue = 1024;
  bool test_clock = false;
  /// The in-process simulated cloud's world, when there is one.
  std::function<nlohmann::json()> simulator_state;
};

/// A route that sends `verb` to the registry of `kind`, with the entity id
/// taken from the `{id}` path parameter (if the pattern has one) and
/// `scope` naming a sub-collection where the registry serves several.
route_fn forward(route_services& svc, std::string kind, std::string verb,
                 std::string scope = "");
/// The reply as a response: errors in the family's shape, 204 without a body.
response to_response(api_family family, const api_reply& reply);
/// The command a route sends: verb, id, body, query and caller; path
/// parameters other than `{id}` join the query.
api_command make_command(route_context& ctx, std::string verb);
/// "http://<Host header>" (the address the client used), for URLs in answers.
std::string base_url(const request& req);

void add_system_routes(router& r, route_services& svc);
void add_inventory_routes(router& r, route_services& svc);
void add_instance_routes(router& r, route_services& svc);
void add_lease_routes(router& r, route_services& svc);
void add_maintenance_routes(router& r, route_services& svc);
void add_simulator_routes(router& r, route_services& svc);

} // namespace steward::http
