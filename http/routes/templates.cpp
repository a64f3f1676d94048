// The environment templates API (Murano): /v1/templates, their
// applications, and the environments made from them.
#include "http/routes/environment_body.hpp"
#include "http/routes/routes.hpp"

#include "common/text.hpp"

namespace steward::http {

namespace {

std::string id(const route_context& c) { return path_param(c, "id"); }
std::string path(const route_context& c) { return path_param(c, "path"); }

} // namespace

void add_template_routes(router& r, route_services& svc) {
  using rc = route_context;
  // `?is_public=true`: only public templates; `false`: only the project's
  // private ones; none: both.
  r.add({"GET", "/v1/templates", [&svc](rc c, respond_fn respond) {
           auto v = lower(query_param(c, "is_public"));
           if (!v.empty() && v != "true" && v != "false")
             return respond(
               to_response(c.family, api_reply::fail(400, "is_public must be true or false")));
           bool any = v.empty(), is_public = v == "true";
           forward(svc, [any, is_public](rc& c) {
             return template_list{context_of(c),
                                  any ? std::nullopt : std::optional<bool>{is_public}};
           })(std::move(c), std::move(respond));
         }});
  r.add({"POST", "/v1/templates", forward(svc, [](rc& c) {
           return template_create{context_of(c), read_template(c.body)};
         })});
  r.add({"GET", "/v1/templates/{id}",
         forward(svc, [](rc& c) { return template_show{context_of(c), id(c)}; })});
  r.add({"PUT", "/v1/templates/{id}", forward(svc, [](rc& c) {
           return template_update{context_of(c), id(c), read_template(c.body)};
         })});
  r.add({"DELETE", "/v1/templates/{id}",
         forward(svc, [](rc& c) { return template_delete{context_of(c), id(c)}; })});
  r.add({"POST", "/v1/templates/{id}/create-environment", forward(svc, [](rc& c) {
           return template_create_environment{context_of(c), id(c),
                                              read_environment(c.body, true)};
         })});
  r.add({"POST", "/v1/templates/{id}/clone", forward(svc, [](rc& c) {
           return template_clone{context_of(c), id(c), read_template(c.body)};
         })});
  // The applications, and below them any path ("{path*}": "" at the list).
  for (auto pattern : {"/v1/templates/{id}/services", "/v1/templates/{id}/services/{path*}"}) {
    r.add({"GET", pattern, forward(svc, [](rc& c) {
             return template_service_show{context_of(c), id(c), path(c)};
           })});
    r.add({"POST", pattern, forward(svc, [](rc& c) {
             return template_service_add{context_of(c), id(c), path(c), std::move(c.body)};
           })});
    r.add({"PUT", pattern, forward(svc, [](rc& c) {
             return template_service_replace{context_of(c), id(c), path(c), std::move(c.body)};
           })});
    r.add({"DELETE", pattern, forward(svc, [](rc& c) {
             return template_service_remove{context_of(c), id(c), path(c)};
           })});
  }
}

} // namespace steward::http
