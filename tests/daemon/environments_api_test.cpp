// /v1/environments (Murano) over HTTP on a real stewardd: environments,
// configuration sessions, applications and the object model, with the
// errors as Murano words them, kept across a restart.
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "tests/daemon/murano_fixture.hpp"

using namespace steward;
using namespace steward::test;
using nlohmann::json;

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

// -- deployments ---------------------------------------------------------------

TEST_F(deployments_api, two_instances_one_failed_by_the_cloud) {
  ASSERT_EQ(call("POST", "/v1/admin/simulator/fail_next", staff,
                 json{{"command", "compute.instance.create"}, {"count", 1}})
              .status,
            202);
  auto env = create("shop");
  auto session = configure(env);
  auto services = "/v1/environments/" + env + "/services/";
  ASSERT_EQ(murano("PUT", services, wendy,
                   json::array({app_with("a", vm_object("i-a")), app_with("b", vm_object("i-b"))}),
                   session)
              .status,
            200);
  auto deploy_url = "/v1/environments/" + env + "/sessions/" + session + "/deploy";
  EXPECT_EQ(murano("POST", "/v1/environments/" + env + "/sessions/nope/deploy", wendy).status, 404);
  auto other = murano("POST", deploy_url, walter);
  EXPECT_EQ(other.status, 401) << "another user's session";
  EXPECT_EQ(murano("POST", deploy_url, larry).status, 403) << "another project's environment";
  auto r = murano("POST", deploy_url, wendy);
  ASSERT_EQ(r.status, 200) << r.body;
  r = murano("POST", deploy_url, wendy);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(message_of(r), "Session <SessionId " + session
                             + "> is already deployed or deployment is in progress");

  auto shown = settled(env);
  EXPECT_EQ(shown["status"], "deploy failure");
  EXPECT_EQ(shown["version"], 1) << "up by one even on failure";
  EXPECT_EQ(murano("GET", "/v1/environments/" + env + "/sessions/" + session, wendy).status, 403)
    << "as in Murano, a session of an older version than its environment is invalid";
  auto list = deployments(env);
  ASSERT_EQ(list.size(), 1u);
  auto& d = list[0];
  EXPECT_EQ(d["state"], "completed_w_errors");
  EXPECT_EQ(d["environment_id"], env);
  EXPECT_FALSE(d["finished"].is_null());
  EXPECT_EQ(d["description"]["services"].size(), 2u);
  auto all = reports(env, d["id"]);
  ASSERT_GE(all.size(), 4u);
  EXPECT_EQ(all[0]["text"], "Action deploy is scheduled");
  EXPECT_EQ(all.back()["text"], "Deployment finished with errors");
  EXPECT_TRUE(has_report(all, "warning", "io.murano.apps.linux.Telnet")) << all.dump(1);
  EXPECT_TRUE(has_report(all, "error", "failed in the compute layer")) << all.dump(1);
  EXPECT_TRUE(has_report(all, "info", "is running")) << all.dump(1);
  for (auto& report : all)
    EXPECT_EQ(report["task_id"], d["id"]);

  // Each instance is in the shared inventory, in the environment's project.
  auto made = instances();
  ASSERT_TRUE(made.count("vm-i-a") && made.count("vm-i-b"));
  std::set<std::string> states{made["vm-i-a"]["state"], made["vm-i-b"]["state"]};
  EXPECT_EQ(states, (std::set<std::string>{"Online", "Erred"}));
  EXPECT_EQ(made["vm-i-a"]["project_uuid"], web_shop);
  auto model = murano("GET", "/v1/environments/" + env + "/model/services", wendy).json();
  EXPECT_EQ(model[0]["instance"]["openstackId"], made["vm-i-a"]["uuid"])
    << "the model replaced by the result";

  // Reports of one application: its objects only.
  auto of_a = reports(env, d["id"], "?service_id=a");
  ASSERT_FALSE(of_a.empty());
  for (auto& report : of_a)
    EXPECT_TRUE(report["entity_id"] == "a" || report["entity_id"] == "i-a") << report.dump();
  EXPECT_TRUE(reports(env, d["id"], "?service_id=nothing").empty());
  EXPECT_EQ(murano("GET", "/v1/environments/" + env + "/deployments/nope", wendy).status, 404);
  EXPECT_EQ(murano("GET", "/v1/environments/" + env + "/deployments", larry).status, 403);

  // The project's deployments, newest first; another project sees none of them.
  deploy(create("second"), json::array({vm_object("i-c")}));
  auto mine = murano("GET", "/v1/deployments", wendy).json()["deployments"];
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_GE(mine[0]["started"], mine[1]["started"]);
  EXPECT_TRUE(murano("GET", "/v1/deployments", larry).json()["deployments"].empty());
  EXPECT_EQ(murano("GET", "/v1/deployments", staff).status, 403) << "staff with no project";
}

TEST_F(deployments_api, a_redeploy_is_a_diff_and_a_delete_destroys_first) {
  auto env = create("shop");
  deploy(env, json::array({vm_object("i-a"), vm_object("i-b"), vm_object("i-c")}));
  auto shown = settled(env);
  ASSERT_EQ(shown["status"], "ready") << shown.dump();
  EXPECT_EQ(deployments(env)[0]["state"], "success");
  auto before = instances();
  ASSERT_EQ(before["vm-i-a"]["state"], "Online");

  // i-b goes, i-c grows, i-a stays as it is.
  deploy(env, json::array({vm_object("i-a"), vm_object("i-c", "m1.medium")}));
  shown = settled(env);
  ASSERT_EQ(shown["status"], "ready") << deployments(env).dump(1);
  EXPECT_EQ(shown["version"], 2);
  auto after = instances();
  EXPECT_FALSE(after.count("vm-i-b")) << "removed from the model: deleted";
  EXPECT_GT(after["vm-i-c"]["ram"], before["vm-i-c"]["ram"]) << "m1.medium";
  EXPECT_EQ(after["vm-i-c"]["state"], "Online");
  EXPECT_EQ(after["vm-i-c"]["uuid"], before["vm-i-c"]["uuid"]) << "resized, not made again";
  EXPECT_EQ(after["vm-i-a"]["uuid"], before["vm-i-a"]["uuid"]);
  auto last = deployments(env)[0];
  EXPECT_EQ(last["state"], "success");
  auto log = reports(env, last["id"]);
  EXPECT_TRUE(has_report(log, "info", "Instance vm-i-a is unchanged")) << log.dump(1);
  EXPECT_TRUE(has_report(log, "info", "deleted")) << log.dump(1);

  // A delete without abandon destroys the instances, then the record.
  auto r = murano("DELETE", "/v1/environments/" + env, wendy);
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_TRUE(eventually([&] {
    return murano("GET", "/v1/environments/" + env, wendy).status == 404;
  }));
  auto gone = instances();
  EXPECT_FALSE(gone.count("vm-i-a") || gone.count("vm-i-c"));
}

TEST_F(deployments_api, an_abandon_mid_deployment_removes_the_record_at_once) {
  restart({"--simulator-durations", "compute.instance.create=3600"});
  auto env = create("shop");
  deploy(env, json::array({vm_object("i-a")}));
  EXPECT_EQ(murano("GET", "/v1/environments/" + env, wendy).json()["status"], "deploying");
  auto r = murano("DELETE", "/v1/environments/" + env, wendy);
  EXPECT_EQ(r.status, 403) << "a delete that would destroy waits for the deployment";
  r = murano("POST", "/v1/environments/" + env + "/configure", wendy);
  EXPECT_EQ(r.status, 403) << "no session while it deploys";
  r = murano("POST", "/v1/environments/" + env + "/actions/i-a_stop", wendy, json::object());
  EXPECT_EQ(r.status, 403) << "no action while it deploys";
  ASSERT_EQ(murano("DELETE", "/v1/environments/" + env + "?abandon=true", wendy).status, 200);
  EXPECT_EQ(murano("GET", "/v1/environments/" + env, wendy).status, 404);
  EXPECT_TRUE(murano("GET", "/v1/deployments", wendy).json()["deployments"].empty());
}

TEST_F(deployments_api, a_compute_layer_that_does_not_finish_in_time_fails_the_deployment) {
  restart({"--simulator-durations", "compute.instance.create=3600",
                  "--environments-deploy-seconds", "1"});
  auto env = create("shop");
  deploy(env, json::array({vm_object("i-a")}));
  auto shown = settled(env);
  EXPECT_EQ(shown["status"], "deploy failure");
  auto d = deployments(env)[0];
  EXPECT_EQ(d["state"], "completed_w_errors");
  auto log = reports(env, d["id"]);
  EXPECT_TRUE(has_report(log, "error", "did not finish its creation within 1 s")) << log.dump(1);
  // What it made may still come up: a delete reaches it.
  EXPECT_TRUE(instances().count("vm-i-a"));
}

TEST_F(deployments_api, deployed_instances_offer_actions_with_real_results) {
  auto env = create("shop");
  deploy(env, json::array({app_with("a", vm_object("i-a"))}));
  ASSERT_EQ(settled(env)["status"], "ready");
  auto services = murano("GET", "/v1/environments/" + env + "/model/services", wendy).json();
  auto offered = services[0]["instance"]["?"]["_actions"];
  ASSERT_TRUE(offered.contains("i-a_stop")) << services.dump(1);
  EXPECT_FALSE(services[0]["?"].contains("_actions")) << "only what the engine runs";
  auto actions = "/v1/environments/" + env + "/actions/";
  auto result = [&](const std::string& task) {
    json out;
    EXPECT_TRUE(eventually([&] {
      auto r = murano("GET", actions + task, wendy);
      out = r.json();
      return r.status == 200;
    }));
    return out;
  };

  EXPECT_EQ(murano("POST", actions + "i-a_explode", wendy, json::object()).status, 404);
  auto bad = murano("POST", actions + "i-a_stop", wendy, json::array({1}));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(message_of(bad), "The arguments of an action must be a JSON object");
  EXPECT_EQ(murano("POST", actions + "i-a_stop", larry, json::object()).status, 403);
  EXPECT_EQ(murano("GET", actions + "nope", wendy).status, 404);

  auto r = murano("POST", actions + "i-a_stop", wendy, json::object());
  ASSERT_EQ(r.status, 200) << r.body;
  auto stopped = result(r.json()["task_id"]);
  EXPECT_EQ(stopped["isException"], false) << stopped;
  EXPECT_EQ(stopped["result"]["state"], "Offline");
  EXPECT_EQ(instances()["vm-i-a"]["state"], "Offline");

  r = murano("POST", actions + "i-a_restartVM", wendy);
  ASSERT_EQ(r.status, 200) << r.body;
  auto restarted = result(r.json()["task_id"]);
  EXPECT_EQ(restarted["result"]["state"], "Online") << restarted;
  EXPECT_EQ(instances()["vm-i-a"]["state"], "Online");
  EXPECT_EQ(settled(env)["version"], 3) << "each action is a deployment of its own";
  auto calls = deployments(env);
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[0]["action"]["method"], "restartVM");
  EXPECT_EQ(calls[0]["action"]["object_id"], "i-a");
}

TEST_F(deployments_api, static_actions_read_the_catalog) {
  auto call_static = [&](const json& body) { return murano("POST", "/v1/actions", wendy, body); };
  json body = {{"className", "io.steward.Inventory"},
               {"methodName", "listFlavors"},
               {"classVersion", "=0"},
               {"packageName", nullptr},
               {"parameters", {{"minCores", 2}}}};
  auto r = call_static(body);
  ASSERT_EQ(r.status, 200) << r.body;
  auto flavors = r.json();
  ASSERT_FALSE(flavors.empty());
  for (auto& f : flavors)
    EXPECT_GE(f["cores"], 2) << f;
  EXPECT_TRUE(std::is_sorted(flavors.begin(), flavors.end(), [](const json& a, const json& b) {
    return a["name"] < b["name"];
  }));
  body["parameters"] = json::object();
  EXPECT_GT(call_static(body).json().size(), flavors.size()) << "the small ones too";

  for (auto [change, status] : {std::pair{json{{"className", "io.murano.Nothing"}}, 404},
                                std::pair{json{{"methodName", "dropTables"}}, 404},
                                std::pair{json{{"packageName", "io.murano"}}, 404},
                                std::pair{json{{"classVersion", "=1"}}, 404},
                                std::pair{json{{"classVersion", "=x"}}, 400},
                                std::pair{json{{"parameters", {{"colour", "red"}}}}, 400},
                                std::pair{json{{"parameters", {{"minRam", "lots"}}}}, 400},
                                std::pair{json{{"parameters", json::array()}}, 400},
                                std::pair{json{{"className", nullptr}}, 400}}) {
    auto changed = body;
    changed.update(change);
    auto refused = call_static(changed);
    EXPECT_EQ(refused.status, status) << change;
    EXPECT_FALSE(message_of(refused).empty()) << refused.body;
  }
  EXPECT_EQ(call_static(json::array()).status, 400);
}

TEST_F(deployments_api, statistics_of_the_instances_and_of_stewardd) {
  restart({"--test-clock", "true"});
  auto env = create("shop");
  deploy(env, json::array({vm_object("i-a"), vm_object("i-b")}));
  ASSERT_EQ(settled(env)["status"], "ready");
  auto stats = "/v1/environments/" + env + "/instance-statistics/";
  auto raw = murano("GET", stats + "raw", wendy).json();
  ASSERT_EQ(raw.size(), 2u) << raw;
  for (auto& r : raw) {
    EXPECT_EQ(r["type"], 200);
    EXPECT_EQ(r["type_name"], "io.murano.resources.LinuxMuranoInstance");
    EXPECT_EQ(r["active"], true);
    EXPECT_TRUE(r["type_title"].is_null());
  }
  // Uptime is the instances' own: an hour on Steward's clock is an hour more.
  ASSERT_EQ(call("POST", "/v1/admin/clock", staff, json{{"advance_seconds", 3600}}).status, 200);
  auto later = murano("GET", stats + "raw", wendy).json();
  for (auto& r : later)
    EXPECT_GE(r["duration"], 3600) << r;
  auto one_id = later[0]["instance_id"].get<std::string>();
  auto one = murano("GET", stats + "raw/" + one_id, wendy).json();
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0]["instance_id"], one_id);
  EXPECT_EQ(murano("GET", stats + "raw/nope", wendy).status, 404);
  auto total = murano("GET", stats + "aggregated", wendy).json();
  ASSERT_EQ(total.size(), 1u);
  EXPECT_EQ(total[0]["count"], 2);
  EXPECT_GE(total[0]["duration"], 7200);
  EXPECT_EQ(murano("GET", stats + "aggregated", larry).status, 403);
  // A stopped instance is not active and has no uptime.
  auto stop = murano("POST", "/v1/environments/" + env + "/actions/i-a_stop", wendy);
  ASSERT_EQ(stop.status, 200) << stop.body;
  ASSERT_EQ(settled(env)["status"], "ready");
  for (auto& r : murano("GET", stats + "raw", wendy).json())
    if (r["instance_id"] == instances()["vm-i-a"]["uuid"]) {
      EXPECT_EQ(r["active"], false);
      EXPECT_EQ(r["duration"], 0);
    }

  // stewardd's own counters: staff only, every project's requests.
  EXPECT_EQ(murano("GET", "/v1/stats", wendy).status, 403);
  auto before = murano("GET", "/v1/stats", staff).json()[0];
  EXPECT_EQ(murano("GET", "/v1/environments/nope", wendy).status, 404);
  auto after = murano("GET", "/v1/stats", staff).json()[0];
  EXPECT_EQ(after["request_count"], before["request_count"].get<int64_t>() + 2)
    << "the refused one and the first look";
  EXPECT_EQ(after["error_count"], before["error_count"].get<int64_t>() + 1);
  auto per_project = json::parse(after["requests_per_tenant"].get<std::string>());
  EXPECT_GE(per_project[web_shop], 10) << per_project;
  EXPECT_GT(after["requests_per_second"], 0.0);
  EXPECT_GT(after["average_response_time"], 0.0);
  EXPECT_GE(after["cpu_count"], 1);
  EXPECT_GE(after["cpu_percent"], 0.0);
  EXPECT_FALSE(after["host"].get<std::string>().empty());
}

TEST_F(deployments_api, a_deployment_can_be_followed_live_on_the_event_stream) {
  sse_client live{proc->port(), "/v1/events?types=environment.deploy",
                  {{"X-Auth-Token", wendy}}};
  ASSERT_EQ(live.status(), 200);
  sse_client other{proc->port(), "/v1/events?types=environment.deploy",
                   {{"X-Auth-Token", larry}}};
  auto env = create("shop");
  deploy(env, json::array({app_with("a", vm_object("i-a"))}));
  std::vector<std::string> texts;
  std::optional<sse_event> e;
  ASSERT_TRUE((e = live.next()));
  EXPECT_EQ(e->type, "environment.deploy.start");
  auto started = json::parse(e->data)["payload"];
  EXPECT_EQ(started["environment_id"], env);
  EXPECT_EQ(started["state"], "running_w_warnings") << "the Telnet application is warned of at once";
  while ((e = live.next()) && e->type == "environment.deploy.report")
    texts.push_back(json::parse(e->data)["payload"]["text"]);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type, "environment.deploy.end");
  EXPECT_EQ(json::parse(e->data)["payload"]["state"], "completed_w_warnings");
  ASSERT_GE(texts.size(), 4u);
  EXPECT_EQ(texts.front(), "Action deploy is scheduled");
  EXPECT_EQ(texts.back(), "Deployment finished with warnings");
  EXPECT_NE(std::find(texts.begin(), texts.end(), "Creating instance vm-i-a"), texts.end());
  // Another project's stream shows none of it: its next event is its own.
  auto mine = create("lab-env", larry);
  deploy_as(mine, json::array(), larry);
  ASSERT_TRUE((e = other.next()));
  EXPECT_EQ(json::parse(e->data)["payload"]["environment_id"], mine);
  // A deployment with nothing to do ends at once.
  while ((e = other.next()) && e->type == "environment.deploy.report") {
  }
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type, "environment.deploy.end");
  EXPECT_EQ(json::parse(e->data)["payload"]["state"], "success");
}

// Shows of the deployed model are answered from what the registry
// published, on the io threads: never older than a write already answered,
// never to another project.
TEST_F(environments_api, a_show_never_lags_a_write_it_follows) {
  auto id = create("shop");
  auto show = "/v1/environments/" + id;
  for (int i = 0; i < 50; ++i) {
    ASSERT_EQ(murano("GET", show, wendy).status, 200);  // published
    auto name = "shop-" + std::to_string(i);
    ASSERT_EQ(murano("PUT", show, wendy, {{"name", name}}).status, 200);
    auto r = murano("GET", show, walter);
    ASSERT_EQ(r.status, 200);
    ASSERT_EQ(r.json()["name"], name) << "round " << i;
    auto other = murano("GET", show, larry);
    EXPECT_EQ(other.status, 403);
    EXPECT_EQ(message_of(other), "User is not authorized to access these tenant resources");
  }
  auto session = configure(id);
  EXPECT_EQ(murano("GET", show, wendy).json()["status"], "pending")
    << "opening a session is a write too";
  EXPECT_EQ(murano("GET", show, wendy, nullptr, session).json()["status"], "pending");
  ASSERT_EQ(murano("DELETE", show, wendy).status, 200);
  EXPECT_EQ(murano("GET", show, wendy).status, 404) << "gone at once";
}
