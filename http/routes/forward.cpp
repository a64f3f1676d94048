#include "http/routes/routes.hpp"

#include "common/json_text.hpp"

namespace steward::http {

api_command make_command(route_context& ctx, std::string verb) {
  api_command cmd;
  cmd.verb = std::move(verb);
  cmd.body = std::move(ctx.body);
  cmd.query = ctx.req.query;
  for (auto& [name, value] : ctx.params)
    if (name == "id")
      cmd.id = value;
    else
      cmd.query.emplace(name, value);
  cmd.who = ctx.who;
  cmd.base_url = base_url(ctx.req);
  return cmd;
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

route_fn forward(route_services& svc, std::string kind, std::string verb, std::string scope) {
  return [&svc, kind = std::move(kind), verb = std::move(verb),
          scope = std::move(scope)](route_context ctx, respond_fn respond) {
    auto family = ctx.family;
    auto cmd = make_command(ctx, verb);
    cmd.scope = scope;
    svc.actors.ask(kind, std::move(cmd),
                   [family, respond = std::move(respond)](api_reply reply) {
                     respond(to_response(family, reply));
                   });
  };
}

} // namespace steward::http
