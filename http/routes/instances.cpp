// The instances API (Waldur): /api/instances/ and the objects an instance
// refers to, so that every URL in an instance resolves.
#include "http/routes/routes.hpp"

namespace steward::http {

void add_instance_routes(router& r, route_services& svc) {
  r.add({"GET", "/api/instances/", forward(svc, "instance", "list")});
  r.add({"POST", "/api/instances/", forward(svc, "instance", "create")});
  r.add({"GET", "/api/instances/{id}/", forward(svc, "instance", "show")});
  r.add({"DELETE", "/api/instances/{id}/", forward(svc, "instance", "delete")});
  for (auto verb : {"start", "stop", "restart", "resize"})
    r.add({"POST", std::string{"/api/instances/{id}/"} + verb + "/",
           forward(svc, "instance", verb)});
  r.add({"GET", "/api/instances/{id}/usage/", forward(svc, "instance", "usage")});
  for (auto collection : {"customers", "project-groups", "projects", "clouds", "iaas-templates",
                          "flavors", "keys", "security-groups"}) {
    auto path = std::string{"/api/"} + collection + "/";
    r.add({"GET", path, forward(svc, "catalog", "list", collection)});
    r.add({"GET", path + "{id}/", forward(svc, "catalog", "show", collection)});
  }
}

} // namespace steward::http
