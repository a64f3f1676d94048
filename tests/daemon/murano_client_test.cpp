// Debian's murano CLI (python3-muranoclient), unmodified, against a real
// stewardd: environments, a configuration session, the applications and the
// model edited with its JSON patches, and Murano's errors as the client
// prints them. Each answer is cross-checked over HTTP. Skipped when the
// client is not installed.
#include <gtest/gtest.h>

#include "tests/daemon/stewardd_fixture.hpp"
#include "tests/support/python_tool.hpp"

using namespace steward;
using namespace steward::test;
using nlohmann::json;

namespace {

const char* const wendy = "web-token-00001";

struct murano_client : stewardd_fixture {
  void SetUp() override {
    if (!python_module_installed("muranoclient.shell"))
      GTEST_SKIP() << "python3-muranoclient is not installed for " << debian_python;
    write_tokens(R"({
      "web-token-00001": {"user_id": "wendy", "projects": {")" + web_shop + R"(": "admin"}}})");
    start_stewardd();
    // Deployments need the catalog the simulated cloud reports as it starts.
    ASSERT_TRUE(eventually([&] { return !call("GET", "/api/flavors/", wendy).json().empty(); }));
  }
  // The murano CLI as an application manager runs it without Keystone.
  run_result murano(std::vector<std::string> args) {
    std::vector<std::string> full = {
      "-c", "from muranoclient.shell import main; import sys; sys.exit(main(sys.argv[1:]))",
      "--os-no-client-auth", "--os-auth-token", wendy,
      "--murano-url", "http://127.0.0.1:" + std::to_string(proc->port())};
    full.insert(full.end(), args.begin(), args.end());
    return run_python(dir, full);
  }
  run_result ok(std::vector<std::string> args) {
    auto r = murano(args);
    EXPECT_EQ(r.status, 0) << r.out << r.err;
    return r;
  }
  json environments() { return call("GET", "/v1/environments", wendy).json()["environments"]; }
  // The JSON the CLI prints (model-show, model-edit, show --only-apps),
  // after any warning lines it prints first (no glance client, here).
  json printed(const run_result& r) {
    for (std::size_t line = 0; line < r.out.size(); line = r.out.find('\n', line) + 1) {
      auto parsed = json::parse(r.out.substr(line), nullptr, false);
      if (!parsed.is_discarded())
        return parsed;
      if (r.out.find('\n', line) == std::string::npos)
        break;
    }
    ADD_FAILURE() << "not JSON: " << r.out << r.err;
    return json();
  }
};

} // namespace

TEST_F(murano_client, an_environment_from_create_to_delete) {
  auto created = ok({"environment-create", "shop"});
  EXPECT_NE(created.out.find("shop"), std::string::npos) << created.out;
  auto listed = environments();
  ASSERT_EQ(listed.size(), 1u);
  auto id = listed[0]["id"].get<std::string>();
  EXPECT_NE(created.out.find(id), std::string::npos) << "the table shows its id";
  auto model = call("GET", "/v1/environments/" + id + "/model", wendy).json();
  EXPECT_TRUE(model.contains("region") && model["region"].is_null())
    << "the client sends region: null, which the model keeps";

  auto again = murano({"environment-create", "shop"});
  EXPECT_NE(again.status, 0);
  EXPECT_NE(again.err.find("Environment with specified name already exists (HTTP 409)"),
            std::string::npos)
    << again.err;

  auto list = ok({"environment-list"});
  EXPECT_NE(list.out.find("ready"), std::string::npos) << list.out;
  auto shown = ok({"environment-show", "shop"});  // found by name
  EXPECT_NE(shown.out.find(web_shop), std::string::npos) << shown.out;

  auto renamed = ok({"environment-rename", id, "store"});
  EXPECT_NE(renamed.out.find("store"), std::string::npos);
  EXPECT_EQ(environments()[0]["name"], "store");

  auto deleted = ok({"environment-delete", "store"});
  EXPECT_EQ(environments().size(), 0u);
  auto missing = murano({"environment-delete", "store"});
  EXPECT_NE(missing.status, 0);
  EXPECT_NE(missing.out.find("Failed to delete 'store'; environment not found"),
            std::string::npos)
    << missing.out << missing.err;
}

TEST_F(murano_client, applications_and_the_model_are_edited_in_a_session) {
  ok({"environment-create", "shop"});
  auto id = environments()[0]["id"].get<std::string>();
  auto created = ok({"environment-session-create", id});
  ASSERT_EQ(call("GET", "/v1/environments/" + id, wendy).json()["status"], "pending");
  // The table's row "| id | <session id> |".
  auto row = created.out.find("| id ");
  ASSERT_NE(row, std::string::npos) << created.out;
  auto value = created.out.find_first_not_of(' ', created.out.find('|', row + 1) + 1);
  auto session_id = created.out.substr(value, 32);
  EXPECT_EQ(call("GET", "/v1/environments/" + id + "/sessions/" + session_id, wendy).status, 200);

  dir.write("apps.json", R"([{"op": "add", "path": "/-", "value": {
      "name": "telnet", "?": {"type": "io.murano.apps.linux.Telnet", "id": "===id1==="},
      "instance": {"flavor": "m1.small", "image": "Ubuntu 22.04 x64", "name": "vm-1",
                   "?": {"type": "io.murano.resources.LinuxMuranoInstance", "id": "===id2==="}}}}])");
  ok({"environment-apps-edit", "--session-id", session_id, id, dir.file("apps.json")});
  auto apps = printed(ok({"environment-show", "--session-id", session_id, "--only-apps", id}));
  ASSERT_EQ(apps.size(), 1u) << apps;
  EXPECT_EQ(apps[0]["name"], "telnet");
  EXPECT_EQ(apps[0]["?"]["id"].get<std::string>().size(), 32u) << "the client's uuids";
  EXPECT_EQ(printed(ok({"environment-show", "--only-apps", id})), json::array())
    << "the deployed model has none yet";

  dir.write("patch.json",
            R"([{"op": "replace", "path": "/defaultNetworks/flat", "value": true}])");
  auto model = printed(ok({"environment-model-edit", "--session-id", session_id, id,
                           dir.file("patch.json")}));
  EXPECT_EQ(model["defaultNetworks"]["flat"], true);
  EXPECT_EQ(printed(ok({"environment-model-show", "--session-id", session_id, "--path",
                        "/defaultNetworks/flat", id})),
            true);
  dir.write("bad.json", R"([{"op": "replace", "path": "/?/id", "value": "x"}])");
  auto refused = murano({"environment-model-edit", "--session-id", session_id, id,
                         dir.file("bad.json")});
  EXPECT_NE(refused.status, 0);
  EXPECT_NE(refused.err.find("is not allowed for a path with name '?/id'"), std::string::npos)
    << refused.err;

  // Deployed: the instance is made, the Telnet application warned of.
  ok({"environment-deploy", "--session-id", session_id, id});
  ASSERT_TRUE(eventually([&] {
    return call("GET", "/v1/environments/" + id, wendy).json()["status"] == "ready";
  }));
  auto listed = ok({"deployment-list", id});
  EXPECT_NE(listed.out.find("completed_w_warnings"), std::string::npos) << listed.out;
  auto everywhere = ok({"deployment-list", "--all-environments"});
  EXPECT_NE(everywhere.out.find("completed_w_warnings"), std::string::npos) << everywhere.out;
  auto instances = call("GET", "/api/instances/?hostname=vm-1", wendy).json();
  ASSERT_EQ(instances.size(), 1u) << instances;
  EXPECT_EQ(instances[0]["state"], "Online");
  EXPECT_EQ(printed(ok({"environment-show", "--only-apps", id}))[0]["instance"]["openstackId"],
            instances[0]["uuid"]);
  // Its actions, called and answered.
  std::string action_id;
  auto deployed_apps = printed(ok({"environment-show", "--only-apps", id}));
  for (auto& [key, value] : deployed_apps[0]["instance"]["?"]["_actions"].items())
    if (value["name"] == "stop")
      action_id = key;
  ASSERT_FALSE(action_id.empty()) << deployed_apps.dump(1);
  auto called = ok({"environment-action-call", id, "--action-id", action_id});
  auto task = called.out.substr(called.out.find("id: ") + 4, 32);
  ASSERT_TRUE(eventually([&] {
    return call("GET", "/v1/environments/" + id + "/actions/" + task, wendy).status == 200;
  }));
  auto result = ok({"environment-action-get-result", id, "--task-id", task});
  EXPECT_NE(result.out.find("Offline"), std::string::npos) << result.out;
  auto flavors = ok({"static-action-call", "io.steward.Inventory", "listFlavors", "--arguments",
                     "minCores=2"});
  EXPECT_NE(flavors.out.find("m1.medium"), std::string::npos) << flavors.out;
  EXPECT_EQ(flavors.out.find("m1.small"), std::string::npos) << flavors.out;
  // Deleted: the instance first, then the environment.
  ok({"environment-delete", id});
  ASSERT_TRUE(eventually([&] { return environments().empty(); }));
  EXPECT_TRUE(call("GET", "/api/instances/?hostname=vm-1", wendy).json().empty());
}

TEST_F(murano_client, an_environment_template_from_create_to_environment) {
  auto created = ok({"env-template-create", "--is-public", "web"});
  EXPECT_NE(created.out.find("web"), std::string::npos) << created.out;
  auto listed = call("GET", "/v1/templates", wendy).json()["templates"];
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["is_public"], true);
  auto id = listed[0]["id"].get<std::string>();
  EXPECT_NE(ok({"env-template-list"}).out.find(id), std::string::npos);

  dir.write("app.json", R"({"name": "telnet", "?": {"type": "io.murano.apps.linux.Telnet",
      "id": "app-1"}, "instance": {"flavor": "m1.small", "image": "Ubuntu 22.04 x64",
      "name": "vm-1", "?": {"type": "io.murano.resources.LinuxMuranoInstance", "id": "vm-1"}}})");
  auto with_app = ok({"env-template-add-app", id, dir.file("app.json")});
  EXPECT_NE(with_app.out.find("app-1"), std::string::npos) << "it shows the template after";
  EXPECT_EQ(call("GET", "/v1/templates/" + id + "/services", wendy).json().size(), 1u);
  EXPECT_NE(ok({"env-template-show", id}).out.find("io.murano.apps.linux.Telnet"),
            std::string::npos);
  auto missing = murano({"env-template-show", "nope"});
  EXPECT_NE(missing.status, 0);
  EXPECT_NE(missing.err.find("Environment template nope not found"), std::string::npos)
    << missing.err;

  EXPECT_NE(ok({"env-template-update", id, "web-2"}).out.find("web-2"), std::string::npos);
  auto cloned = ok({"env-template-clone", id, "copy"});
  EXPECT_NE(cloned.out.find("app-1"), std::string::npos) << cloned.out;
  auto again = murano({"env-template-create", "copy"});
  EXPECT_NE(again.status, 0);
  EXPECT_NE(again.err.find("Env Template with specified name already exists (HTTP 409)"),
            std::string::npos)
    << again.err;

  auto env = ok({"env-template-create-env", id, "shop"});
  auto environments_now = environments();
  ASSERT_EQ(environments_now.size(), 1u);
  EXPECT_EQ(environments_now[0]["name"], "shop");
  EXPECT_EQ(environments_now[0]["status"], "pending");
  EXPECT_NE(env.out.find(environments_now[0]["id"].get<std::string>()), std::string::npos)
    << env.out;
  EXPECT_NE(env.out.find("session_id"), std::string::npos) << env.out;

  ok({"env-template-del-app", id, "app-1"});
  EXPECT_EQ(call("GET", "/v1/templates/" + id + "/services", wendy).json(), json::array());
  ok({"env-template-delete", id});
  EXPECT_EQ(call("GET", "/v1/templates/" + id, wendy).status, 404);
  EXPECT_EQ(call("GET", "/v1/templates", wendy).json()["templates"].size(), 1u) << "the clone";
}
