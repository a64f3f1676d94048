#include "http/routes/routes.hpp"

#include "common/event_stream.hpp"
#include "common/json_text.hpp"

namespace steward::http {

request_context context_of(const route_context& ctx) {
  return {ctx.who, base_url(ctx.req)};
}

std::string path_param(const route_context& ctx, const std::string& name) {
  auto i = ctx.params.find(name);
  return i == ctx.params.end() ? "" : i->second;
}

std::string query_param(const route_context& ctx, const std::string& name) {
  auto i = ctx.req.query.find(name);
  return i == ctx.req.query.end() ? "" : i->second;
}

std::string base_url(const request& req) {
  auto host = req.header("host");
  return "http://" + (host.empty() ? std::string{"localhost"} : host);
}

response to_response(api_family family, const api_reply& reply) {
  response r;
  if (reply.status >= 400 && !reply.error.empty())
    r = error_response(family, reply.status, reply.error);
  else if (reply.text)
    r = json_response(reply.status, *reply.text);
  else if (reply.status == 204 || reply.body.is_null()) {
    r.status = reply.status;
    r.body.clear();
  } else
    r = json_response(reply.status, dump_json(reply.body));
  for (auto& h : reply.headers)
    r.headers.push_back(h);
  return r;
}

std::optional<response> read_last_event_id(const route_context& ctx, stream_subscription& sub) {
  auto last = ctx.req.header("last-event-id");
  if (last.empty())
    if (auto q = ctx.req.param("last_event_id"))
      last = *q;
  if (last.empty())
    return std::nullopt;
  if (last.size() > 19 || last.find_first_not_of("0123456789") != std::string::npos)
    return error_response(ctx.family, 400, "Last-Event-ID must be an event id (a whole number)");
  sub.last_event_id = std::stoull(last);
  sub.resume = true;
  return std::nullopt;
}

void start_stream(route_services& svc, stream_subscription sub, const respond_fn& respond) {
  auto stream = std::make_shared<event_stream>(svc.sse_queue);
  stream->push_raw("retry: 3000\n\n");
  sub.stream = stream;
  response r;
  r.stream = stream;
  respond(std::move(r));
  svc.actors.subscribe(std::move(sub));
}

route_fn forward(route_services& svc, std::function<api_request_body(route_context&)> make) {
  return [&svc, make = std::move(make)](route_context ctx, respond_fn respond) {
    auto family = ctx.family;
    svc.actors.ask(make(ctx), [family, respond = std::move(respond)](api_reply reply) {
      respond(to_response(family, reply));
    });
  };
}

} // namespace steward::http
