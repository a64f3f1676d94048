#pragma once
// The routes of every API family, and the one piece they share: forwarding a
// request to a registry and turning its reply into a response.
#include <functional>
#include <optional>
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
  /// stewardd's request counters (GET /v1/stats), once the router is made.
  const request_stats* stats = nullptr;
};

/// A route that builds its family's request from the HTTP request (once,
/// here at the edge) and sends it to the registry that serves it.
route_fn forward(route_services& svc, std::function<api_request_body(route_context&)> make);
/// The reply as a response: errors in the family's shape, 204 without a body.
response to_response(api_family family, const api_reply& reply);
/// Who asks, and the address they called.
request_context context_of(const route_context& ctx);
/// A `{name}` segment of the route's pattern ("" when it has none).
std::string path_param(const route_context& ctx, const std::string& name);
/// The first value of a query parameter, "" when absent.
std::string query_param(const route_context& ctx, const std::string& name);
/// "http://<Host header>" (the address the client used), for URLs in answers.
std::string base_url(const request& req);
/// Where a stream resumes: `Last-Event-ID` (or `?last_event_id=`) into
/// `sub`; the 400 response when it is not an event id.
std::optional<response> read_last_event_id(const route_context& ctx, stream_subscription& sub);
/// Answers with an event stream for `sub` and hands it to the event hub.
void start_stream(route_services& svc, stream_subscription sub, const respond_fn& respond);

void add_system_routes(router& r, route_services& svc);
void add_inventory_routes(router& r, route_services& svc);
void add_instance_routes(router& r, route_services& svc);
void add_lease_routes(router& r, route_services& svc);
void add_maintenance_routes(router& r, route_services& svc);
void add_simulator_routes(router& r, route_services& svc);
void add_environment_routes(router& r, route_services& svc);
void add_template_routes(router& r, route_services& svc);
void add_migration_routes(router& r, route_services& svc);

} // namespace steward::http
