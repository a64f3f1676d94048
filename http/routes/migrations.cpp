// Migrations between two clouds (Pumphouse): both clouds' resources, a
// tenant's migration, and the event stream of each operation.
#include "http/routes/routes.hpp"
#include "messages/migration.hpp"

namespace steward::http {

namespace {

std::string id(const route_context& c) { return path_param(c, "id"); }

// GET /events/{id}: the registry says whether the caller may follow that
// operation; then its events from the first (or after Last-Event-ID), live
// until its last.
route_fn operation_events(route_services& svc) {
  return [&svc](route_context ctx, respond_fn respond) {
    stream_subscription sub;
    sub.filter.who = ctx.who;
    sub.filter.stream = id(ctx);
    sub.filter.final_types = migration::final_event_types();
    sub.resume = true;  // from its first event unless Last-Event-ID says later
    if (auto bad = read_last_event_id(ctx, sub))
      return respond(std::move(*bad));
    auto family = ctx.family;
    svc.actors.ask(migration_events{context_of(ctx), id(ctx)},
                   [&svc, family, respond, sub = std::move(sub)](api_reply reply) mutable {
                     if (reply.status != 200)
                       return respond(to_response(family, reply));
                     start_stream(svc, std::move(sub), respond);
                   });
  };
}

} // namespace

void add_migration_routes(router& r, route_services& svc) {
  using rc = route_context;
  r.add({"GET", "/resources",
         forward(svc, [](rc& c) { return resources_show{context_of(c)}; })});
  r.add({"POST", "/tenants/{id}",
         forward(svc, [](rc& c) { return tenant_migrate{context_of(c), id(c)}; })});
  r.add({"GET", "/tenants/{id}/plan",
         forward(svc, [](rc& c) { return tenant_plan{context_of(c), id(c)}; })});
  r.add({"DELETE", "/tenants/{id}/migration",
         forward(svc, [](rc& c) { return migration_cancel{context_of(c), id(c)}; })});
  r.add({"POST", "/hosts/{id}",
         forward(svc, [](rc& c) { return host_evacuate{context_of(c), id(c)}; })});
  r.add({"DELETE", "/hosts/{id}",
         forward(svc, [](rc& c) { return host_reassign{context_of(c), id(c)}; })});
  r.add({"POST", "/reset", forward(svc, [](rc& c) { return clouds_reset{context_of(c)}; })});
  r.add({"GET", "/events/{id}", operation_events(svc)});
}

} // namespace steward::http
