// The maintenance API (Fenix): sessions, the project API of the seed, and
// instance and instance-group constraints.
#include "http/routes/routes.hpp"

namespace steward::http {

void add_maintenance_routes(router& r, route_services& svc) {
  r.add({"GET", "/v1/maintenance", forward(svc, "maintenance", "list")});
  r.add({"POST", "/v1/maintenance", forward(svc, "maintenance", "create")});
  r.add({"GET", "/v1/maintenance/{id}", forward(svc, "maintenance", "show")});
  r.add({"PUT", "/v1/maintenance/{id}", forward(svc, "maintenance", "update")});
  r.add({"DELETE", "/v1/maintenance/{id}", forward(svc, "maintenance", "delete")});
  r.add({"GET", "/v1/maintenance/{id}/detail", forward(svc, "maintenance", "detail")});
  r.add({"GET", "/v1/maintenance/{id}/{project_id}", forward(svc, "maintenance", "project_show")});
  r.add({"PUT", "/v1/maintenance/{id}/{project_id}", forward(svc, "maintenance", "project_reply")});
  for (auto [path, scope] : {std::pair{"/v1/instance/{id}", "instance"},
                             std::pair{"/v1/instance_group/{id}", "group"}}) {
    r.add({"GET", path, forward(svc, "maintenance", "show", scope)});
    r.add({"PUT", path, forward(svc, "maintenance", "put", scope)});
    r.add({"DELETE", path, forward(svc, "maintenance", "delete", scope)});
  }
}

} // namespace steward::http
