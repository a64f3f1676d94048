// The maintenance API (Fenix): sessions, the project API of the seed, and
// instance and instance-group constraints.
#include "http/routes/maintenance_body.hpp"
#include "http/routes/routes.hpp"

namespace steward::http {

namespace {

std::string id(const route_context& c) { return path_param(c, "id"); }
std::string project(const route_context& c) { return path_param(c, "project_id"); }

} // namespace

void add_maintenance_routes(router& r, route_services& svc) {
  using rc = route_context;
  r.add({"GET", "/v1/maintenance",
         forward(svc, [](rc& c) { return maintenance_list{context_of(c)}; })});
  r.add({"POST", "/v1/maintenance", forward(svc, [](rc& c) {
           return maintenance_create{context_of(c), read_session_create(c.body)};
         })});
  r.add({"GET", "/v1/maintenance/{id}",
         forward(svc, [](rc& c) { return maintenance_show{context_of(c), id(c)}; })});
  r.add({"PUT", "/v1/maintenance/{id}", forward(svc, [](rc& c) {
           return maintenance_update{context_of(c), id(c)};
         })});
  r.add({"DELETE", "/v1/maintenance/{id}",
         forward(svc, [](rc& c) { return maintenance_delete{context_of(c), id(c)}; })});
  r.add({"GET", "/v1/maintenance/{id}/detail",
         forward(svc, [](rc& c) { return maintenance_detail{context_of(c), id(c)}; })});
  r.add({"GET", "/v1/maintenance/{id}/{project_id}", forward(svc, [](rc& c) {
           return project_maintenance_show{context_of(c), id(c), project(c)};
         })});
  r.add({"PUT", "/v1/maintenance/{id}/{project_id}", forward(svc, [](rc& c) {
           return project_maintenance_reply{context_of(c), id(c), project(c),
                                            read_project_reply(c.body)};
         })});
  r.add({"PUT", "/v1/instance/{id}", forward(svc, [](rc& c) {
           return instance_constraint_put{context_of(c), id(c),
                                          read_instance_constraint(c.body, id(c))};
         })});
  r.add({"PUT", "/v1/instance_group/{id}", forward(svc, [](rc& c) {
           return group_constraint_put{context_of(c), id(c), read_group_constraint(c.body, id(c))};
         })});
  for (auto [path, scope] : {std::pair{"/v1/instance/{id}", constraint_scope::instance},
                             std::pair{"/v1/instance_group/{id}", constraint_scope::group}}) {
    r.add({"GET", path, forward(svc, [scope = scope](rc& c) {
             return constraint_show{context_of(c), scope, id(c)};
           })});
    r.add({"DELETE", path, forward(svc, [scope = scope](rc& c) {
             return constraint_delete{context_of(c), scope, id(c)};
           })});
  }
}

} // namespace steward::http
