#include <gtest/gtest.h>

#include "http/router.hpp"

using namespace steward;
using namespace steward::http;

namespace {

const char* tokens_json = R"({
  "staff-token-123": {"user_id": "root", "staff": true},
  "alice-token-123": {"user_id": "alice", "projects": {"p1": "admin"}, "customers": ["c1"]}
})";

struct fixture : ::testing::Test {
  token_registry tokens;
  router r{tokens};
  route_context seen;

  void SetUp() override {
    ASSERT_EQ(tokens.parse(tokens_json), "");
    auto echo = [this](route_context ctx, respond_fn respond) {
      seen = ctx;
      respond(json_response(200, R"({"ok": true})"));
    };
    r.add({"GET", "/v1/leases", echo});
    r.add({"POST", "/v1/leases", echo});
    r.add({"GET", "/v1/leases/{id}", echo});
    r.add({"GET", "/api/instances/", echo});
    r.add({"GET", "/v1/environments/{id}/services", echo});
    r.add({"GET", "/v1/environments/{id}/services/{path*}", echo});
    route open{"GET", "/healthz", echo};
    open.public_route = true;
    r.add(open);
  }

  response call(std::string method, std::string path, std::string body = "",
                std::map<std::string, std::string> headers = {{"x-auth-token", "staff-token-123"}}) {
    request req;
    req.method = std::move(method);
    req.path = std::move(path);
    req.body = std::move(body);
    req.headers = std::move(headers);
    response out;
    r.handle(req, [&](response resp) { out = std::move(resp); });
    return out;
  }
};

nlohmann::json body_of(const response& r) {
  return nlohmann::json::parse(r.body);
}

} // namespace

TEST_F(fixture, json_suffix_and_trailing_slash_match) {
  EXPECT_EQ(call("GET", "/v1/leases/abc.json").status, 200);
  EXPECT_EQ(seen.params["id"], "abc");
  EXPECT_EQ(call("GET", "/v1/leases.json").status, 200);
  EXPECT_EQ(call("GET", "/v1/leases/").status, 200);
  EXPECT_EQ(call("GET", "/api/instances").status, 200);
}

TEST_F(fixture, a_rest_segment_takes_the_rest_of_the_path) {
  EXPECT_EQ(call("GET", "/v1/environments/e1/services/app-1/instance/name").status, 200);
  EXPECT_EQ(seen.params["id"], "e1");
  EXPECT_EQ(seen.params["path"], "app-1/instance/name");
  seen = {};
  EXPECT_EQ(call("GET", "/v1/environments/e1/services/app-1").status, 200);
  EXPECT_EQ(seen.params["path"], "app-1");
  seen = {};
  EXPECT_EQ(call("GET", "/v1/environments/e1/services/").status, 200);
  EXPECT_FALSE(seen.params.count("path")) << "no rest: the route without one";
  EXPECT_EQ(call("GET", "/v1/environments/e1").status, 404);
}

TEST_F(fixture, unknown_route_and_method_in_family_shape) {
  auto r = call("GET", "/v1/leases/a/b/c");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(body_of(r)["error_code"], 404); // Blazar's shape
  r = call("DELETE", "/v1/leases");
  EXPECT_EQ(r.status, 405);
  EXPECT_TRUE(body_of(r).contains("error_message"));
  r = call("GET", "/api/nothing/");
  EXPECT_EQ(r.status, 404);
  EXPECT_TRUE(body_of(r).contains("detail")); // Waldur's shape
  r = call("GET", "/nowhere");
  EXPECT_EQ(body_of(r)["error"]["code"], 404); // Steward's shape
}

TEST_F(fixture, tokens_in_every_accepted_header) {
  EXPECT_EQ(call("GET", "/v1/leases", "", {}).status, 401);
  EXPECT_EQ(call("GET", "/v1/leases", "", {{"x-auth-token", "wrong-token"}}).status, 401);
  EXPECT_EQ(call("GET", "/v1/leases", "", {{"authorization", "Token alice-token-123"}}).status, 200);
  EXPECT_EQ(seen.who.user_id, "alice");
  EXPECT_EQ(call("GET", "/v1/leases", "", {{"authorization", "Bearer staff-token-123"}}).status, 200);
  EXPECT_TRUE(seen.who.staff);
  EXPECT_EQ(call("GET", "/healthz", "", {}).status, 200);
}

TEST_F(fixture, bodies_must_be_json_of_an_accepted_type) {
  auto r = call("POST", "/v1/leases", "{not json",
                {{"x-auth-token", "staff-token-123"}, {"content-type", "application/json"}});
  EXPECT_EQ(r.status, 400);
  r = call("POST", "/v1/leases", "a=b",
           {{"x-auth-token", "staff-token-123"}, {"content-type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(r.status, 415);
  r = call("POST", "/v1/leases", R"({"name": "x"})",
           {{"x-auth-token", "staff-token-123"}, {"content-type", "application/json; charset=utf-8"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(seen.body["name"], "x");
}

TEST(token_registry, bad_files_are_refused_with_the_reason) {
  token_registry t;
  EXPECT_NE(t.parse("[]").find("one JSON object"), std::string::npos);
  EXPECT_NE(t.parse(R"({"short": {"user_id": "x"}})").find("shorter"), std::string::npos);
  EXPECT_NE(t.parse(R"({"longenough": {"staff": true}})").find("user_id"), std::string::npos);
  EXPECT_NE(t.parse(R"({"longenough": {"user_id": "x", "projects": {"p": "king"}}})").find("role"),
            std::string::npos);
  EXPECT_NE(t.parse(R"({"longenough": {"user_id": "x", "colour": 1}})").find("unknown field"),
            std::string::npos);
  EXPECT_EQ(t.parse(R"({"longenough": {"user_id": "x", "staff": true}})"), "");
  EXPECT_EQ(t.some_staff_token(), "longenough");
}
