// Operating the simulated cloud (staff only): its world, and injecting
// failures. Failure injection travels as a control message on the command
// exchange, so it reaches an in-process simulator and steward-sim alike.
#include <set>

#include "common/access.hpp"
#include "http/routes/routes.hpp"

namespace steward::http {

namespace {

using nlohmann::json;

const std::set<std::string> commands = {
  "compute.instance.create", "compute.instance.start", "compute.instance.stop",
  "compute.instance.restart", "compute.instance.resize", "compute.instance.migrate",
  "compute.instance.migrate_confirm", "compute.instance.live_migrate",
  "compute.instance.snapshot", "compute.instance.delete", "compute.host.disable",
  "compute.host.enable", "compute.host.reassign", "compute.tenant.create", "compute.flavor.create",
  "compute.image.create"};

// Sends `type` to the compute layer of `cloud` and answers 202 with
// `answer` once it is stored (its "request_id", if it has one, filled in).
void send_to_cloud(route_services& svc, api_family family, const std::string& cloud,
                   const std::string& type, json payload, json answer, respond_fn respond) {
  svc.actors.send_to_compute(
    cloud, type, std::move(payload),
    [family, answer = std::move(answer), respond](runtime::sent_command sent) mutable {
      if (!sent.stored)
        return respond(error_response(family, 500, "Not stored: " + sent.error));
      if (answer.contains("request_id"))
        answer["request_id"] = sent.request_id;
      respond(json_response(202, answer.dump()));
    });
}

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
    if (b.contains("lose") && !b["lose"].is_boolean())
      return respond(error_response(ctx.family, 400, "lose must be true or false"));
    bool lose = b.value("lose", false);
    json payload = {{"command", b["command"]}, {"count", b["count"]}, {"lose", lose}};
    send_to_cloud(svc, ctx.family, "*", "simulator.fail_next", payload,
                  {{"status", "failure injection sent"}, {"command", b["command"]},
                   {"count", b["count"]}, {"lose", lose}},
                  std::move(respond));
  };
}

// A compute command sent to the cloud directly, as a project's own tooling
// would call its cloud's API behind Steward's back (a VNF manager moving its
// instances itself, say). Steward learns the outcome from the notifications.
route_fn direct_command(route_services& svc) {
  return [&svc](route_context ctx, respond_fn respond) {
    if (!access::is_staff(ctx.who))
      return respond(error_response(ctx.family, 403, "The simulator is for operators"));
    auto& b = ctx.body;
    if (!b.is_object() || !b.contains("type") || !b["type"].is_string()
        || !commands.count(b["type"].get<std::string>()))
      return respond(error_response(ctx.family, 400, "type must name a compute command, "
                                                     "e.g. compute.instance.live_migrate"));
    auto payload = b.value("payload", json::object());
    if (!payload.is_object())
      return respond(error_response(ctx.family, 400, "payload must be an object"));
    if (b.contains("cloud") && !b["cloud"].is_string())
      return respond(error_response(ctx.family, 400, "cloud must be a string"));
    auto cloud = b.value("cloud", std::string{"default"});
    send_to_cloud(svc, ctx.family, cloud, b["type"].get<std::string>(), std::move(payload),
                  {{"status", "command sent"}, {"request_id", nullptr}}, std::move(respond));
  };
}

} // namespace

void add_simulator_routes(router& r, route_services& svc) {
  r.add({"GET", "/v1/admin/simulator", show_world(svc)});
  r.add({"POST", "/v1/admin/simulator/fail_next", fail_next(svc)});
  r.add({"POST", "/v1/admin/simulator/command", direct_command(svc)});
}

} // namespace steward::http
