// The instances API (Waldur): /api/instances/ and the objects an instance
// refers to, so that every URL in an instance resolves.
#include "http/routes/instance_body.hpp"
#include "http/routes/routes.hpp"

namespace steward::http {

namespace {

std::string id(const route_context& c) { return path_param(c, "id"); }

// An action on one instance: its request names only the instance.
template <class Action>
route_fn act(route_services& svc) {
  return forward(svc, [](route_context& c) { return Action{context_of(c), id(c)}; });
}

} // namespace

void add_instance_routes(router& r, route_services& svc) {
  using rc = route_context;
  r.add({"GET", "/api/instances/",
         forward(svc, [](rc& c) { return instance_list{context_of(c), c.req.query}; })});
  r.add({"POST", "/api/instances/",
         forward(svc, [](rc& c) { return instance_create{context_of(c), read_instance_create(c.body)}; })});
  r.add({"GET", "/api/instances/{id}/", act<instance_show>(svc)});
  r.add({"DELETE", "/api/instances/{id}/", act<instance_delete>(svc)});
  r.add({"POST", "/api/instances/{id}/start/", act<instance_start>(svc)});
  r.add({"POST", "/api/instances/{id}/stop/", act<instance_stop>(svc)});
  r.add({"POST", "/api/instances/{id}/restart/", act<instance_restart>(svc)});
  r.add({"POST", "/api/instances/{id}/resize/", forward(svc, [](rc& c) {
           return instance_resize{context_of(c), id(c), read_resize(c.body)};
         })});
  r.add({"GET", "/api/instances/{id}/usage/", forward(svc, [](rc& c) {
           return instance_usage{context_of(c), id(c), c.req.query};
         })});
  for (std::string collection : {"customers", "project-groups", "projects", "clouds",
                                 "iaas-templates", "flavors", "keys", "security-groups"}) {
    auto path = "/api/" + collection + "/";
    r.add({"GET", path, forward(svc, [collection](rc& c) {
             return catalog_list{context_of(c), collection};
           })});
    r.add({"GET", path + "{id}/", forward(svc, [collection](rc& c) {
             return catalog_show{context_of(c), collection, id(c)};
           })});
  }
}

} // namespace steward::http
