// Health, readiness, the event stream and the test clock.
#include <chrono>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "common/time_format.hpp"
#include "common/event_stream.hpp"
#include "http/routes/routes.hpp"

namespace steward::http {

namespace {

using nlohmann::json;

void healthz(route_context, respond_fn respond) {
  respond(json_response(200, R"({"status": "alive"})"));
}

route_fn readyz(route_services& svc) {
  return [&svc](route_context, respond_fn respond) {
    bool store_ok = svc.store.ok();
    bool bus_ok = svc.bus.ok();
    auto waiting = svc.actors.not_ready();
    bool ready = store_ok && bus_ok && waiting.empty();
    json body = {{"status", ready ? "ready" : "not ready"},
                 {"store", {{"ok", store_ok}, {"backend", svc.store.description}}},
                 {"bus", {{"ok", bus_ok}, {"transport", svc.bus.description}}},
                 {"registries", {{"ok", waiting.empty()}, {"waiting", waiting}}}};
    auto r = json_response(ready ? 200 : 503, body.dump());
    if (!ready)
      r.headers.emplace_back("Retry-After", "1");
    respond(std::move(r));
  };
}

// Comma-separated prefixes in ?types= (or repeated ?type=).
std::vector<std::string> type_prefixes(const request& req) {
  std::vector<std::string> out;
  auto add_list = [&](const std::string& list) {
    std::size_t i = 0;
    while (i <= list.size()) {
      auto j = list.find(',', i);
      if (j == std::string::npos)
        j = list.size();
      if (j > i)
        out.push_back(list.substr(i, j - i));
      i = j + 1;
    }
  };
  for (auto& v : req.params("types"))
    add_list(v);
  for (auto& v : req.params("type"))
    add_list(v);
  return out;
}

route_fn events(route_services& svc) {
  return [&svc](route_context ctx, respond_fn respond) {
    stream_subscription sub;
    sub.filter.who = ctx.who;
    sub.filter.type_prefixes = type_prefixes(ctx.req);
    for (auto& p : ctx.req.params("project_id")) {
      if (!access::can_see_project(ctx.who, p))
        return respond(error_response(ctx.family, 403, "Project " + p + " is not yours"));
      sub.filter.projects.insert(p);
    }
    if (auto bad = read_last_event_id(ctx, sub))
      return respond(std::move(*bad));
    start_stream(svc, std::move(sub), respond);
  };
}

json clock_state() {
  return {{"now", timefmt::iso_micro(now())},
          {"offset_seconds", global_clock().offset().count()}};
}

route_fn show_clock(route_services&) {
  return [](route_context ctx, respond_fn respond) {
    if (!access::is_staff(ctx.who))
      return respond(error_response(ctx.family, 403, "The clock is for operators"));
    respond(json_response(200, clock_state().dump()));
  };
}

route_fn advance_clock(route_services& svc) {
  return [&svc](route_context ctx, respond_fn respond) {
    if (!access::is_staff(ctx.who))
      return respond(error_response(ctx.family, 403, "The clock is for operators"));
    if (!svc.test_clock)
      return respond(error_response(ctx.family, 403,
                                    "The clock can only be moved with [DEFAULT] test_clock = true"));
    auto secs = ctx.body.is_object() ? ctx.body.find("advance_seconds") : ctx.body.end();
    if (!ctx.body.is_object() || secs == ctx.body.end() || !secs->is_number_integer()
        || secs->get<long long>() <= 0 || secs->get<long long>() > 10LL * 365 * 86400)
      return respond(error_response(ctx.family, 400,
                                    "advance_seconds must be a positive whole number of seconds"));
    global_clock().advance(std::chrono::seconds{secs->get<long long>()});
    svc.actors.clock_jumped();
    respond(json_response(200, clock_state().dump()));
  };
}

} // namespace

void add_system_routes(router& r, route_services& svc) {
  route health{"GET", "/healthz", healthz};
  health.public_route = true;
  r.add(health);
  route ready{"GET", "/readyz", readyz(svc)};
  ready.public_route = true;
  r.add(ready);
  r.add({"GET", "/v1/events", events(svc)});
  r.add({"GET", "/v1/admin/clock", show_clock(svc)});
  r.add({"POST", "/v1/admin/clock", advance_clock(svc)});
}

} // namespace steward::http
