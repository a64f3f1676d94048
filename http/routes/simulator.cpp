// Operating the simulated cloud (staff only): its world, and injecting
// failures. Failure injection travels as a control message on the command
// exchange, so it reaches an in-process simulator and steward-sim alike.
#include <set>

#include "bus/oslo.hpp"
#include "common/access.hpp"
#include "common/clock.hpp"
#include "common/ids.hpp"
#include "http/routes/routes.hpp"
#include "store/outbox.hpp"

namespace steward::http {

namespace {

using nlohmann::json;

const std::set<std::string> commands = {
  "compute.instance.create", "compute.instance.start", "compute.instance.stop",
  "compute.instance.restart", "compute.instance.resize", "compute.instance.migrate",
  "compute.instance.migrate_confirm", "compute.instance.live_migrate",
  "compute.instance.snapshot", "compute.instance.delete", "compute.host.disable",
  "compute.host.enable"};

route_fn show_world(route_services& svc) {
  return [&svc](route_context ctx, respond_fn respond) {
    if (!access::is_staff(ctx.who))
      return respond(error_response(ctx.family, 403, "The simulator is for operators"));
    if (!svc.simulator_state)
      return respond(error_response(ctx.family, 404, "No simulated cloud runs inside stewardd "
                                                     "([compute] driver = bus)"));
    respond(json_response(200, svc.simulator_state().dump()));
  };
}

route_fn fail_next(route_services& svc) {
  return [&svc](route_context ctx, respond_fn respond) {
    if (!access::is_staff(ctx.who))
      return respond(error_response(ctx.family, 403, "The simulator is for operators"));
    auto& b = ctx.body;
    if (!b.is_object() || !b.contains("command") || !b["command"].is_string()
        || !commands.count(b["command"].get<std::string>()))
      return respond(error_response(ctx.family, 400, "command must name a compute command, "
                                                     "e.g. compute.instance.migrate"));
    if (!b.contains("count") || !b["count"].is_number_integer() || b["count"].get<int>() < 1
        || b["count"].get<int>() > 1000)
      return respond(error_response(ctx.family, 400, "count must be a whole number from 1 to 1000"));
    json payload = {{"request_id", "req-" + make_uuid()}, {"cloud", "*"},
                    {"command", b["command"]}, {"count", b["count"]}};
    auto note = bus::make_notification("steward.compute", "simulator.fail_next", "INFO", payload, now());
    auto family = ctx.family;
    store::enqueue(svc.db, svc.command_exchange, "compute.all", note,
                   [family, payload, respond](const store::commit_result& r) {
                     if (!r.ok)
                       return respond(error_response(family, 500, "Not stored: " + r.error));
                     respond(json_response(202, json{{"status", "failure injection sent"},
                                                     {"command", payload["command"]},
                                                     {"count", payload["count"]}}.dump()));
                   });
  };
}

} // namespace

void add_simulator_routes(router& r, route_services& svc) {
  r.add({"GET", "/v1/admin/simulator", show_world(svc)});
  r.add({"POST", "/v1/admin/simulator/fail_next", fail_next(svc)});
}

} // namespace steward::http
