// /v1/environments (Murano) over HTTP on a real stewardd: environments,
// configuration sessions, applications and the object model, with the
// errors as Murano words them, kept across a restart.
#include <gtest/gtest.h>

#include "tests/daemon/stewardd_fixture.hpp"

using namespace steward;
using namespace steward::test;
using nlohmann::json;

namespace {

const char* const staff = "staff-token-0001";
const char* const wendy = "web-token-00001";   // web-shop's administrator
const char* const walter = "web-token-00002";  // a member of web-shop
const char* const larry = "lab-token-00001";   // lab's

struct environments_api : stewardd_fixture {
  void SetUp() override {
    write_tokens(R"({
      "staff-token-0001": {"user_id": "root", "staff": true},
      "web-token-00001": {"user_id": "wendy", "projects": {")" + web_shop + R"(": "admin"}},
      "web-token-00002": {"user_id": "walter", "projects": {")" + web_shop + R"(": "member"}},
      "lab-token-00001": {"user_id": "larry", "projects": {")" + lab + R"(": "admin"}}})");
    start_stewardd();
  }
  // A call as muranoclient makes it: the session, when there is one, in
  // X-Configuration-Session.
  http_result murano(const std::string& method, const std::string& target, const char* token,
                     const json& body = nullptr, const std::string& session = "",
                     const std::string& content_type = "application/json") {
    header_list headers = {{"X-Auth-Token", token}};
    if (!session.empty())
      headers.emplace_back("X-Configuration-Session", session);
    if (!body.is_null())
      headers.emplace_back("Content-Type", content_type);
    return http_call(proc->port(), method, target, body.is_null() ? "" : body.dump(), headers);
  }
  std::string message_of(const http_result& r) {
    return r.json()["error"].value("message", "");
  }
  std::string create(const std::string& name, const char* token = wendy) {
    auto r = murano("POST", "/v1/environments", token, {{"name", name}});
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().value("id", "");
  }
  std::string configure(const std::string& env, const char* token = wendy) {
    auto r = murano("POST", "/v1/environments/" + env + "/configure", token);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().value("id", "");
  }
};

json telnet(const std::string& id) {
  return {{"name", "telnet-" + id},
          {"instance",
           {{"flavor", "m1.small"},
            {"image", "debian-12"},
            {"name", "vm-" + id},
            {"?", {{"type", "io.murano.resources.LinuxMuranoInstance"}, {"id", "i-" + id}}}}},
          {"?", {{"type", "io.murano.apps.linux.Telnet"}, {"id", id}}}};
}

} // namespace

TEST_F(environments_api, an_environment_lives_with_murano_words_for_every_refusal) {
  auto r = murano("POST", "/v1/environments", wendy, {{"name", "shop"}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto env = r.json();
  EXPECT_EQ(env["name"], "shop");
  EXPECT_EQ(env["tenant_id"], web_shop);
  EXPECT_EQ(env["version"], 0);
  EXPECT_EQ(env["id"].get<std::string>().size(), 32u);
  EXPECT_EQ(env["created"].get<std::string>().size(), 19u) << "2014-05-14T13:02:54";
  auto id = env["id"].get<std::string>();

  for (auto [body, message] :
       {std::pair{json{{"name", "  "}}, "Please, specify a name of the environment to create"},
        std::pair{json::object(), "Please, specify a name of the environment to create"},
        std::pair{json{{"name", 7}}, "Environment name must be a string"},
        std::pair{json{{"name", std::string(256, 'x')}},
                  "Environment name should be 255 characters maximum"}}) {
    r = murano("POST", "/v1/environments", wendy, body);
    EXPECT_EQ(r.status, 400) << body.dump();
    EXPECT_EQ(message_of(r), message) << body.dump();
  }
  r = murano("POST", "/v1/environments", wendy, {{"name", "shop"}});
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(message_of(r), "Environment with specified name already exists");
  EXPECT_EQ(murano("POST", "/v1/environments", larry, {{"name", "shop"}}).status, 200)
    << "names are unique per project";
  EXPECT_EQ(murano("POST", "/v1/environments", staff, {{"name", "ops"}}).status, 403)
    << "an environment belongs to a project";

  r = murano("GET", "/v1/environments", wendy);
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(r.json()["environments"].size(), 1u) << "only the caller's project";
  EXPECT_EQ(r.json()["environments"][0]["status"], "ready");
  EXPECT_EQ(murano("GET", "/v1/environments?all_tenants=true", wendy).status, 403);
  EXPECT_EQ(murano("GET", "/v1/environments?all_tenants=True", staff).json()["environments"].size(),
            2u);
  EXPECT_EQ(
    murano("GET", "/v1/environments?tenant=" + lab, staff).json()["environments"].size(), 1u);

  r = murano("GET", "/v1/environments/" + id, walter);
  ASSERT_EQ(r.status, 200) << "any role in the project reads it";
  EXPECT_EQ(r.json()["services"], json::array());
  EXPECT_TRUE(r.json()["acquired_by"].is_null());
  r = murano("GET", "/v1/environments/" + id, larry);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(message_of(r), "User is not authorized to access these tenant resources");
  r = murano("GET", "/v1/environments/nope", wendy);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(message_of(r), "Environment with id nope not found");

  auto other = create("shop-2");
  r = murano("PUT", "/v1/environments/" + other, wendy, {{"name", "shop"}});
  EXPECT_EQ(r.status, 409) << "a rename to a taken name";
  r = murano("PUT", "/v1/environments/" + other, wendy, {{"name", " "}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(message_of(r), "Environment name must contain at least one non-white space symbol");
  r = murano("PUT", "/v1/environments/" + other, wendy, {{"name", "shop-b"}});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json()["name"], "shop-b");
  EXPECT_EQ(murano("POST", "/v1/environments", wendy, {{"name", "shop-2"}}).status, 200)
    << "the old name is free again";

  r = murano("DELETE", "/v1/environments/" + other, larry);
  EXPECT_EQ(r.status, 403);
  r = murano("DELETE", "/v1/environments/" + other, wendy);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "");
  EXPECT_EQ(murano("GET", "/v1/environments/" + other, wendy).status, 404);
}

TEST_F(environments_api, sessions_belong_to_their_user) {
  auto env = create("shop");
  auto r = murano("POST", "/v1/environments/" + env + "/configure", wendy);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json()["state"], "opened");
  EXPECT_EQ(r.json()["environment_id"], env);
  EXPECT_EQ(r.json()["user_id"], "wendy");
  EXPECT_EQ(r.json()["version"], 0);
  auto session = r.json()["id"].get<std::string>();
  EXPECT_EQ(murano("GET", "/v1/environments/" + env, wendy).json()["status"], "pending")
    << "an open session";

  auto path = "/v1/environments/" + env + "/sessions/" + session;
  EXPECT_EQ(murano("GET", path, wendy).json()["id"], session);
  r = murano("GET", path, walter);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(message_of(r), "User <UserId walter> is not authorized to access session <SessionId "
                           + session + ">.");
  r = murano("GET", "/v1/environments/" + env + "/sessions/nope", wendy);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(message_of(r), "Session <SessionId nope> is not found");
  EXPECT_EQ(murano("DELETE", path, walter).status, 401);
  EXPECT_EQ(murano("DELETE", path, wendy).status, 200);
  EXPECT_EQ(murano("GET", path, wendy).status, 404);
  EXPECT_EQ(murano("GET", "/v1/environments/" + env, wendy).json()["status"], "ready");
}

TEST_F(environments_api, applications_are_edited_in_a_session_copy) {
  auto env = create("shop");
  auto services = "/v1/environments/" + env + "/services";
  auto r = murano("POST", services, wendy, telnet("app-1"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(message_of(r), "X-Configuration-Session header which indicates to the session is missed");
  EXPECT_EQ(murano("POST", services, wendy, telnet("app-1"), "nope").status, 404);
  auto session = configure(env);
  EXPECT_EQ(murano("POST", services, wendy, json::object(), session).status, 400)
    << "an empty application";
  r = murano("POST", services, wendy, telnet("app-1"), session);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json(), telnet("app-1"));
  ASSERT_EQ(murano("POST", services, wendy, telnet("app-2"), session).status, 200);

  r = murano("GET", services, wendy, nullptr, session);
  ASSERT_EQ(r.json().size(), 2u);
  EXPECT_EQ(r.json()[0]["?"]["status"], "pending") << "each with the environment's status";
  EXPECT_EQ(murano("GET", services, wendy).json(), json::array()) << "not deployed: not there";
  EXPECT_EQ(murano("GET", services + "/app-2/instance/name", wendy, nullptr, session).json(),
            "vm-app-2");
  EXPECT_EQ(murano("GET", services + "/1/name", wendy, nullptr, session).json(), "telnet-app-2")
    << "an index where no id matches";
  EXPECT_EQ(murano("GET", services + "/app-9", wendy, nullptr, session).status, 404);
  EXPECT_EQ(murano("GET", "/v1/environments/" + env, wendy, nullptr, session)
              .json()["services"].size(),
            2u);

  auto renamed = telnet("app-2");
  renamed["name"] = "telnet-two";
  ASSERT_EQ(murano("PUT", services + "/app-2", wendy, renamed, session).status, 200);
  EXPECT_EQ(murano("GET", services + "/app-2/name", wendy, nullptr, session).json(), "telnet-two");
  ASSERT_EQ(murano("PUT", services + "/app-1/name", wendy, "telnet-one", session).status, 200);
  EXPECT_EQ(murano("GET", services + "/app-1/name", wendy, nullptr, session).json(), "telnet-one");
  ASSERT_EQ(murano("DELETE", services + "/app-1", wendy, nullptr, session).status, 200);
  EXPECT_EQ(murano("DELETE", services + "/app-1", wendy, nullptr, session).status, 404);
  r = murano("GET", services, wendy, nullptr, session);
  ASSERT_EQ(r.json().size(), 1u);
  EXPECT_EQ(r.json()[0]["name"], "telnet-two");
  ASSERT_EQ(murano("PUT", services, wendy, json::array({telnet("app-3")}), session).status, 200)
    << "the whole list, as muranoclient sends it";
  EXPECT_EQ(murano("GET", services, wendy, nullptr, session).json()[0]["?"]["id"], "app-3");
  EXPECT_EQ(murano("GET", services, larry, nullptr, session).status, 403);

  // Kept across a restart: the environment, its session, the session's copy.
  start_stewardd();
  EXPECT_EQ(murano("GET", services + "/app-3/name", wendy, nullptr, session).json(), "telnet-app-3");
  EXPECT_EQ(murano("GET", "/v1/environments/" + env, wendy).json()["status"], "pending");
}

TEST_F(environments_api, the_model_is_patched_by_murano_rules) {
  auto env = create("shop");
  auto model = "/v1/environments/" + env + "/model";
  auto r = murano("GET", model, wendy);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json()["name"], "shop");
  EXPECT_EQ(r.json()["?"]["type"], "io.murano.Environment");
  EXPECT_EQ(r.json()["defaultNetworks"]["environment"]["name"], "shop-network");
  EXPECT_EQ(murano("GET", model + "/defaultNetworks/environment/name", wendy).json(),
            "shop-network");
  EXPECT_EQ(murano("GET", model + "/nothing", wendy).status, 404);

  auto session = configure(env);
  auto patch = [&](json ops, const std::string& with = "") {
    return murano("PATCH", model, wendy, std::move(ops), with.empty() ? session : with,
                  "application/env-model-json-patch");
  };
  r = patch({{{"op", "replace"}, {"path", "/defaultNetworks/flat"}, {"value", true}},
             {{"op", "add"}, {"path", "/owner"}, {"value", "web team"}}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["defaultNetworks"]["flat"], true) << "the whole model, patched";
  EXPECT_EQ(murano("GET", model + "/owner", wendy, nullptr, session).json(), "web team");
  r = patch({{{"op", "add"}, {"path", "/region"}, {"value", "RegionTwo"}}});
  EXPECT_EQ(r.status, 403) << "a region is only replaced";
  EXPECT_EQ(message_of(r), "Method 'add' is not allowed for a path with name 'region'. Allowed "
                           "operations are: replace");
  EXPECT_EQ(murano("GET", model + "/defaultNetworks/flat", wendy).body, "")
    << "the deployed model is untouched: null, which Murano answers with no body";

  r = patch({{{"op", "replace"}, {"path", "/?/id"}, {"value", "x"}}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(message_of(r), "Method 'replace' is not allowed for a path with name '?/id'. Allowed "
                           "operations are: no operations");
  r = patch({{{"op", "remove"}, {"path", "/name"}, {"value", "x"}}});
  EXPECT_EQ(r.status, 403);
  r = patch({{{"op", "replace"}, {"path", "/name"}, {"value", 123}}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(message_of(r), "123 is not of type 'string' (name)");
  r = patch({{{"op", "remove"}, {"path", "/nothing"}}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(message_of(r), "Operation \"remove\" requires a member named \"value\".");
  r = patch({{{"op", "remove"}, {"path", "/nothing"}, {"value", nullptr}}});
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(message_of(r), "can't remove non-existent object 'nothing'");
  r = patch({{{"op", "add"}, {"path", "nothing"}, {"value", 1}}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(message_of(r), "Pointer `nothing` does not start with \"/\".");
  EXPECT_EQ(patch(json::object()).status, 400);
  EXPECT_EQ(patch({{{"op", "add"}, {"path", "/a"}, {"value", 1}}}, "nope").status, 404);
  EXPECT_EQ(murano("PATCH", model, wendy, json::array({{{"op", "add"}, {"path", "/a"},
                                                       {"value", 1}}}),
                   session)
              .status,
            415)
    << "a patch is application/env-model-json-patch";
  r = murano("PATCH", model, wendy, json::array({{{"op", "add"}, {"path", "/a"}, {"value", 1}}}),
             "", "application/env-model-json-patch");
  EXPECT_EQ(r.status, 400) << "no session: nothing to patch";
  // A refused patch changes nothing, even its operations before the refused one.
  r = patch({{{"op", "add"}, {"path", "/tags"}, {"value", json::array()}},
             {{"op", "replace"}, {"path", "/missing"}, {"value", 1}}});
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(murano("GET", model + "/tags", wendy, nullptr, session).status, 404);
}
