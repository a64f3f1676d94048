// Steward's own inventory of compute hosts (operators only).
#include "http/routes/inventory_body.hpp"
#include "http/routes/routes.hpp"

namespace steward::http {

void add_inventory_routes(router& r, route_services& svc) {
  using rc = route_context;
  auto id = [](const rc& c) { return path_param(c, "id"); };
  auto update = forward(svc, [=](rc& c) {
    return host_update{context_of(c), id(c), read_host_update(c.body)};
  });
  r.add({"GET", "/v1/inventory/hosts",
         forward(svc, [](rc& c) { return host_list{context_of(c), c.req.query}; })});
  r.add({"POST", "/v1/inventory/hosts",
         forward(svc, [](rc& c) { return host_create{context_of(c), read_host_create(c.body)}; })});
  r.add({"GET", "/v1/inventory/hosts/{id}",
         forward(svc, [=](rc& c) { return host_show{context_of(c), id(c)}; })});
  r.add({"PATCH", "/v1/inventory/hosts/{id}", update});
  r.add({"PUT", "/v1/inventory/hosts/{id}", update});
  r.add({"DELETE", "/v1/inventory/hosts/{id}",
         forward(svc, [=](rc& c) { return host_delete{context_of(c), id(c)}; })});
}

} // namespace steward::http
