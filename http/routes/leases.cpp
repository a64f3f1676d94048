// The leases API (Blazar): /v1/leases and the reservable hosts /v1/os-hosts.
// Every route also answers with `.json` (the router strips it).
#include "http/routes/routes.hpp"

namespace steward::http {

void add_lease_routes(router& r, route_services& svc) {
  r.add({"GET", "/v1/leases", forward(svc, "lease", "list")});
  r.add({"POST", "/v1/leases", forward(svc, "lease", "create")});
  r.add({"GET", "/v1/leases/{id}", forward(svc, "lease", "show")});
  r.add({"PUT", "/v1/leases/{id}", forward(svc, "lease", "update")});
  r.add({"DELETE", "/v1/leases/{id}", forward(svc, "lease", "delete")});
  r.add({"GET", "/v1/os-hosts", forward(svc, "lease", "list", "hosts")});
  r.add({"POST", "/v1/os-hosts", forward(svc, "lease", "create", "hosts")});
  r.add({"GET", "/v1/os-hosts/allocations", forward(svc, "lease", "allocations", "hosts")});
  r.add({"GET", "/v1/os-hosts/properties", forward(svc, "lease", "properties", "hosts")});
  r.add({"PATCH", "/v1/os-hosts/properties/{id}", forward(svc, "lease", "set_property", "hosts")});
  r.add({"GET", "/v1/os-hosts/{id}", forward(svc, "lease", "show", "hosts")});
  r.add({"PUT", "/v1/os-hosts/{id}", forward(svc, "lease", "update", "hosts")});
  r.add({"DELETE", "/v1/os-hosts/{id}", forward(svc, "lease", "delete", "hosts")});
  r.add({"GET", "/v1/os-hosts/{id}/allocation", forward(svc, "lease", "allocation", "hosts")});
}

} // namespace steward::http
