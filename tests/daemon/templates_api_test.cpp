// /v1/templates (Murano's environment templates) over HTTP on a real
// stewardd: templates and their applications, who may read, change and
// clone them, and the environments made from them, deployed like any other.
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "tests/daemon/murano_fixture.hpp"

using namespace steward;
using namespace steward::test;
using nlohmann::json;

namespace {

struct templates_api : deployments_api {
  std::string make(const json& body, const char* token = wendy) {
    auto r = murano("POST", "/v1/templates", token, body);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().value("id", "");
  }
  using names = std::set<std::string>;
  names names_listed(const std::string& query, const char* token = wendy) {
    auto r = murano("GET", "/v1/templates" + query, token);
    EXPECT_EQ(r.status, 200) << r.body;
    names out;
    auto listed = r.json();
    for (auto& t : listed["templates"])
      out.insert(t["name"].get<std::string>());
    return out;
  }
};

} // namespace

TEST_F(templates_api, a_template_lives_with_murano_words_for_every_refusal) {
  auto r = murano("POST", "/v1/templates", wendy,
                  {{"name", "web"}, {"description_text", "two servers"}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto made = r.json();
  EXPECT_EQ(made["tenant_id"], web_shop);
  EXPECT_EQ(made["is_public"], false);
  EXPECT_EQ(made["version"], 0);
  EXPECT_EQ(made["description_text"], "two servers");
  EXPECT_EQ(made["networking"], json::object());
  EXPECT_EQ(made["created"].get<std::string>().size(), 19u);
  EXPECT_FALSE(made.contains("services")) << "as Murano, a create shows no applications";
  auto id = made["id"].get<std::string>();

  for (auto [body, message] :
       {std::pair{json{{"name", "  "}}, "Please, specify a name of the environment template."},
        std::pair{json::object(), "Please, specify a name of the environment template."},
        std::pair{json{{"name", 7}}, "Environment template name must be a string"},
        std::pair{json{{"name", std::string(256, 'x')}},
                  "Environment template name should be 255 characters maximum"},
        std::pair{json{{"name", "x"}, {"is_public", "yes"}}, "is_public must be true or false"},
        std::pair{json{{"name", "x"}, {"services", json::object()}},
                  "services must be a list of applications"},
        std::pair{json{{"name", "x"}, {"services", json::array({{{"name", "no header"}}})}},
                  "Each application of a template is an object with \"?\": {\"id\", \"type\"}"}}) {
    r = murano("POST", "/v1/templates", wendy, body);
    EXPECT_EQ(r.status, 400) << body.dump();
    EXPECT_EQ(message_of(r), message) << body.dump();
  }
  r = murano("POST", "/v1/templates", wendy, {{"name", "web"}});
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(message_of(r), "Env Template with specified name already exists");
  EXPECT_EQ(murano("POST", "/v1/templates", larry, {{"name", "web"}}).status, 200)
    << "names are unique per project";
  EXPECT_EQ(murano("POST", "/v1/templates", staff, {{"name", "ops"}}).status, 403)
    << "a template belongs to a project";
  EXPECT_EQ(names_listed(""), (names{"web"})) << "no project's private templates but its own";

  r = murano("GET", "/v1/templates/" + id, walter);
  ASSERT_EQ(r.status, 200) << "any role in the project reads it";
  EXPECT_EQ(r.json()["services"], json::array());
  r = murano("GET", "/v1/templates/" + id, larry);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(message_of(r), "User has no access to these resources.");
  r = murano("GET", "/v1/templates/nope", wendy);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(message_of(r), "EnvTemplate <TempId nope> is not found");

  // Update: the name is required, as in Murano; other fields as given.
  make({{"name", "web-2"}});
  r = murano("PUT", "/v1/templates/" + id, wendy, {{"name", " "}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(message_of(r), "Environment Template must contain at least one non-white space symbol");
  EXPECT_EQ(murano("PUT", "/v1/templates/" + id, wendy, {{"is_public", true}}).status, 400);
  r = murano("PUT", "/v1/templates/" + id, wendy, {{"name", "web-2"}});
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(murano("PUT", "/v1/templates/" + id, larry, {{"name", "mine"}}).status, 403);
  EXPECT_EQ(murano("PUT", "/v1/templates/nope", wendy, {{"name", "x"}}).status, 404);
  r = murano("PUT", "/v1/templates/" + id, walter, {{"name", "web-1"}, {"is_public", true}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["name"], "web-1");
  EXPECT_EQ(r.json()["is_public"], true);
  EXPECT_EQ(r.json()["version"], 1);
  EXPECT_EQ(r.json()["description_text"], "two servers") << "what the update left out stays";
  EXPECT_EQ(murano("POST", "/v1/templates", wendy, {{"name", "web"}}).status, 200)
    << "the old name is free again";

  // Public: every project reads it and lists it, only its own changes it.
  EXPECT_EQ(murano("GET", "/v1/templates/" + id, larry).status, 200);
  EXPECT_EQ(names_listed("", larry), (names{"web", "web-1"}));
  EXPECT_EQ(names_listed("?is_public=true", larry), (names{"web-1"}));
  EXPECT_EQ(names_listed("?is_public=False", larry), (names{"web"}));
  EXPECT_EQ(names_listed("?is_public=false"), (names{"web-2", "web"}));
  r = murano("GET", "/v1/templates?is_public=maybe", wendy);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(message_of(r), "is_public must be true or false");
  EXPECT_EQ(murano("PUT", "/v1/templates/" + id, larry, {{"name", "taken"}}).status, 403);
  EXPECT_EQ(murano("DELETE", "/v1/templates/" + id, larry).status, 403)
    << "unlike Murano, a public template is not every project's to delete";
  EXPECT_EQ(murano("POST", "/v1/templates/" + id + "/services", larry, telnet("x")).status, 403);

  // Kept across a restart, names and all.
  restart({});
  r = murano("GET", "/v1/templates/" + id, larry);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json()["name"], "web-1");
  EXPECT_EQ(murano("POST", "/v1/templates", wendy, {{"name", "web-1"}}).status, 409);

  r = murano("DELETE", "/v1/templates/" + id, wendy);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(murano("GET", "/v1/templates/" + id, wendy).status, 404);
  EXPECT_EQ(murano("DELETE", "/v1/templates/" + id, wendy).status, 404);
  EXPECT_EQ(names_listed("", larry), (names{"web"}));
}

TEST_F(templates_api, applications_of_a_template_are_edited_by_path) {
  auto id = make({{"name", "web"}, {"services", json::array({telnet("a")})}});
  auto services = "/v1/templates/" + id + "/services";
  auto r = murano("POST", services, wendy, json::array({telnet("b"), telnet("c")}));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().size(), 2u) << "the posted applications";
  r = murano("GET", services, wendy);
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(r.json().size(), 3u);
  EXPECT_EQ(r.json()[2]["?"]["id"], "c");
  EXPECT_EQ(murano("GET", services + "/a/instance/flavor", wendy).json(), "m1.small");
  r = murano("PUT", services + "/a/name", wendy, "renamed");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(murano("GET", services + "/a", wendy).json()["name"], "renamed");
  EXPECT_EQ(murano("DELETE", services + "/b", wendy).status, 200);
  EXPECT_EQ(murano("GET", services + "/b", wendy).status, 404);

  for (auto [body, status] : {std::pair{json::object(), 400},
                              std::pair{json{{"name", "no header"}}, 400},
                              std::pair{telnet("a"), 409}}) {
    r = murano("POST", services, wendy, body);
    EXPECT_EQ(r.status, status) << body.dump() << r.body;
  }
  EXPECT_EQ(murano("PUT", services + "/a", wendy, {{"name", "no header"}}).status, 400);
  r = murano("PUT", services + "/a", wendy, {{"?", {{"id", 7}, {"type", "t"}}}});
  EXPECT_EQ(r.status, 400) << "an application's id stays text";
  EXPECT_EQ(message_of(r), "An application of a template names its id and type in \"?\" as text");
  EXPECT_EQ(murano("PUT", services, wendy, json::object()).status, 400) << "the list is a list";
  EXPECT_EQ(murano("DELETE", services + "/nothing", wendy).status, 404);
  EXPECT_EQ(murano("GET", services, larry).status, 403);

  r = murano("GET", "/v1/templates/" + id, wendy);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json()["services"].size(), 2u) << "refused edits left it as it was";
  EXPECT_EQ(r.json()["version"], 3) << "one version per change";
  EXPECT_EQ(murano("PUT", services, wendy, json::array()).status, 200);
  EXPECT_EQ(murano("GET", services, wendy).json(), json::array());
}

TEST_F(templates_api, public_templates_are_cloned_and_make_environments_that_deploy) {
  auto shared = make({{"name", "shared"},
                      {"is_public", true},
                      {"services", json::array({app_with("a", vm_object("i-a"))})}},
                     larry);
  auto secret = make({{"name", "secret"}}, larry);
  auto own = make({{"name", "own"}});

  auto clone = [&](const std::string& id, const json& body) {
    return murano("POST", "/v1/templates/" + id + "/clone", wendy, body);
  };
  auto r = clone(secret, {{"name", "copy"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(message_of(r), "User has no access to these resources.");
  EXPECT_EQ(clone(own, {{"name", "copy"}}).status, 403) << "only a public template is cloned";
  EXPECT_EQ(clone("nope", {{"name", "copy"}}).status, 404);
  EXPECT_EQ(clone(shared, {{"name", ""}}).status, 400);
  EXPECT_EQ(clone(shared, {{"name", "own"}}).status, 409);
  r = clone(shared, {{"name", "copy"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["tenant_id"], web_shop);
  EXPECT_EQ(r.json()["is_public"], false);
  EXPECT_EQ(r.json()["services"].size(), 1u);
  auto copy = r.json()["id"].get<std::string>();
  EXPECT_NE(copy, shared);

  auto create_env = [&](const std::string& id, const json& body, const char* token = wendy) {
    return murano("POST", "/v1/templates/" + id + "/create-environment", token, body);
  };
  EXPECT_EQ(create_env(secret, {{"name", "shop"}}).status, 403);
  EXPECT_EQ(create_env("nope", {{"name", "shop"}}).status, 404);
  r = create_env(copy, {{"name", " "}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(message_of(r), "Please, specify a name of the environment to create");
  r = create_env(copy, {{"name", "shop"}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto env = r.json()["environment_id"].get<std::string>();
  auto session = r.json()["session_id"].get<std::string>();
  r = create_env(shared, {{"name", "shop"}});
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(message_of(r), "Environment with specified name already exists");
  r = create_env(shared, {{"name", "lab-shop"}}, larry);
  ASSERT_EQ(r.status, 200) << "straight from a public template";
  EXPECT_EQ(murano("GET", "/v1/environments/" + r.json()["environment_id"].get<std::string>(),
                   larry)
              .json()["tenant_id"],
            lab);

  // The environment is the caller's, its session holds the applications;
  // deployed, it makes the template's instance.
  auto shown = murano("GET", "/v1/environments/" + env, wendy).json();
  EXPECT_EQ(shown["tenant_id"], web_shop);
  EXPECT_EQ(shown["status"], "pending") << "an open session";
  EXPECT_EQ(shown["services"], json::array()) << "nothing deployed yet";
  auto in_session = murano("GET", "/v1/environments/" + env + "/services", wendy, nullptr, session);
  ASSERT_EQ(in_session.status, 200) << in_session.body;
  ASSERT_EQ(in_session.json().size(), 1u);
  EXPECT_EQ(in_session.json()[0]["?"]["id"], "a");
  r = murano("POST", "/v1/environments/" + env + "/sessions/" + session + "/deploy", wendy);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(settled(env)["status"], "ready");
  auto made = instances();
  ASSERT_TRUE(made.count("vm-i-a"));
  EXPECT_EQ(made["vm-i-a"]["project_uuid"], web_shop);
  EXPECT_EQ(murano("GET", "/v1/templates/" + copy, wendy).json()["services"].size(), 1u)
    << "the template stays as it was";
}
