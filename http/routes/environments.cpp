// The application environments API (Murano): /v1/environments, their
// configuration sessions, applications (`services`) and object model.
#include "http/routes/environment_body.hpp"
#include "http/routes/routes.hpp"

#include "common/text.hpp"

namespace steward::http {

namespace {

std::string id(const route_context& c) { return path_param(c, "id"); }
std::string path(const route_context& c) { return path_param(c, "path"); }
/// The configuration session a request works in ("" when it names none).
std::string session(const route_context& c) { return c.req.header("x-configuration-session"); }

// Murano takes booleans in any case ("True", "true").
bool flag(const route_context& c, const std::string& name) {
  auto v = lower(query_param(c, name));
  return v == "true" || v == "1";
}

} // namespace

void add_environment_routes(router& r, route_services& svc) {
  using rc = route_context;
  r.add({"GET", "/v1/environments", forward(svc, [](rc& c) {
           return environment_list{context_of(c), flag(c, "all_tenants"), query_param(c, "tenant")};
         })});
  r.add({"POST", "/v1/environments", forward(svc, [](rc& c) {
           return environment_create{context_of(c), read_environment(c.body, true)};
         })});
  // A show of the deployed model that the registry published (and no write
  // made stale since) is answered here, on the io thread; anything else (a
  // session's copy, a show not published yet, a refusal) the actors answer.
  auto ask_show = forward(svc, [](rc& c) {
    return environment_show{context_of(c), id(c), session(c)};
  });
  r.add({"GET", "/v1/environments/{id}", [&svc, ask_show](rc c, respond_fn respond) {
           if (session(c).empty())
             if (auto shown = svc.actors.environment_shows().find(id(c));
                 shown && access::can_see_project(c.who, shown->project))
               return respond(json_response(200, *shown->text));
           ask_show(std::move(c), std::move(respond));
         }});
  r.add({"PUT", "/v1/environments/{id}", forward(svc, [](rc& c) {
           return environment_rename{context_of(c), id(c), read_environment(c.body, false)};
         })});
  r.add({"DELETE", "/v1/environments/{id}", forward(svc, [](rc& c) {
           return environment_delete{context_of(c), id(c), flag(c, "abandon")};
         })});
  r.add({"POST", "/v1/environments/{id}/configure",
         forward(svc, [](rc& c) { return environment_configure{context_of(c), id(c)}; })});
  r.add({"GET", "/v1/environments/{id}/sessions/{session_id}", forward(svc, [](rc& c) {
           return configuration_show{context_of(c), id(c), path_param(c, "session_id")};
         })});
  r.add({"DELETE", "/v1/environments/{id}/sessions/{session_id}", forward(svc, [](rc& c) {
           return configuration_delete{context_of(c), id(c), path_param(c, "session_id")};
         })});
  r.add({"POST", "/v1/environments/{id}/sessions/{session_id}/deploy", forward(svc, [](rc& c) {
           return session_deploy{context_of(c), id(c), path_param(c, "session_id")};
         })});
  r.add({"GET", "/v1/environments/{id}/deployments",
         forward(svc, [](rc& c) { return deployment_list{context_of(c), id(c)}; })});
  r.add({"GET", "/v1/deployments",
         forward(svc, [](rc& c) { return deployment_list{context_of(c), ""}; })});
  r.add({"GET", "/v1/environments/{id}/deployments/{deployment_id}", forward(svc, [](rc& c) {
           return deployment_show{context_of(c), id(c), path_param(c, "deployment_id"),
                                  query_param(c, "service_id")};
         })});
  r.add({"POST", "/v1/environments/{id}/actions/{action_id}", forward(svc, [](rc& c) {
           return action_call{context_of(c), id(c), path_param(c, "action_id"),
                              read_action_arguments(c.body)};
         })});
  r.add({"GET", "/v1/environments/{id}/actions/{task_id}", forward(svc, [](rc& c) {
           return action_result{context_of(c), id(c), path_param(c, "task_id")};
         })});
  r.add({"POST", "/v1/actions", forward(svc, [](rc& c) {
           return static_action_call{context_of(c), read_static_call(c.body)};
         })});
  r.add({"GET", "/v1/environments/{id}/instance-statistics/raw", forward(svc, [](rc& c) {
           return instance_statistics{context_of(c), id(c), "", false};
         })});
  r.add({"GET", "/v1/environments/{id}/instance-statistics/raw/{instance_id}",
         forward(svc, [](rc& c) {
           return instance_statistics{context_of(c), id(c), path_param(c, "instance_id"), false};
         })});
  r.add({"GET", "/v1/environments/{id}/instance-statistics/aggregated", forward(svc, [](rc& c) {
           return instance_statistics{context_of(c), id(c), "", true};
         })});
  // stewardd's own counters, which show every project's traffic: staff only.
  r.add({"GET", "/v1/stats", [&svc](rc c, respond_fn respond) {
           if (!access::is_staff(c.who))
             return respond(
               to_response(c.family, api_reply::fail(403, "Only staff may read the statistics")));
           respond(to_response(c.family, api_reply::ok(nlohmann::json::array(
                                           {svc.stats ? svc.stats->shown() : nlohmann::json()}))));
         }});
  // The applications, and below them any path ("{path*}": "" at the list).
  for (auto pattern : {"/v1/environments/{id}/services", "/v1/environments/{id}/services/{path*}"}) {
    r.add({"GET", pattern, forward(svc, [](rc& c) {
             return service_show{context_of(c), id(c), session(c), path(c)};
           })});
    r.add({"POST", pattern, forward(svc, [](rc& c) {
             return service_add{context_of(c), id(c), session(c), path(c), std::move(c.body)};
           })});
    r.add({"PUT", pattern, forward(svc, [](rc& c) {
             return service_replace{context_of(c), id(c), session(c), path(c), std::move(c.body)};
           })});
    r.add({"DELETE", pattern, forward(svc, [](rc& c) {
             return service_remove{context_of(c), id(c), session(c), path(c)};
           })});
  }
  for (auto pattern : {"/v1/environments/{id}/model", "/v1/environments/{id}/model/{path*}"})
    r.add({"GET", pattern, forward(svc, [](rc& c) {
             return model_show{context_of(c), id(c), session(c), path(c)};
           })});
  route patch{"PATCH", "/v1/environments/{id}/model", forward(svc, [](rc& c) {
                return model_patch{context_of(c), id(c), session(c), read_model_patch(c.body)};
              })};
  patch.body_types = {"application/env-model-json-patch"};
  r.add(std::move(patch));
}

} // namespace steward::http
