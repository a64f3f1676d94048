// Steward's own inventory of compute hosts (operators only).
#include "http/routes/routes.hpp"

namespace steward::http {

void add_inventory_routes(router& r, route_services& svc) {
  r.add({"GET", "/v1/inventory/hosts", forward(svc, "host", "list")});
  r.add({"POST", "/v1/inventory/hosts", forward(svc, "host", "create")});
  r.add({"GET", "/v1/inventory/hosts/{id}", forward(svc, "host", "show")});
  r.add({"PATCH", "/v1/inventory/hosts/{id}", forward(svc, "host", "update")});
  r.add({"PUT", "/v1/inventory/hosts/{id}", forward(svc, "host", "update")});
  r.add({"DELETE", "/v1/inventory/hosts/{id}", forward(svc, "host", "delete")});
}

} // namespace steward::http
