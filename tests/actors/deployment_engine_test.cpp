// The deployment engine's rules, without actors: what a deployment asks of
// instances (a diff against what earlier ones made), how the compute
// layer's news moves it, how it ends, and the stored row of it all.
#include <gtest/gtest.h>

#include "actors/environment/deployment_engine.hpp"
#include "actors/environment/environment_json.hpp"
#include "actors/environment/environment_rules.hpp"
#include "common/time_format.hpp"

using namespace steward;
using namespace steward::environment;
using nlohmann::json;

namespace {

using env_value = steward::environment::environment;

sys_time at(const char* t) { return *timefmt::parse(t, "%Y-%m-%d %H:%M"); }

constexpr std::chrono::seconds limit{600};

json vm(const std::string& id, const std::string& flavor) {
  return {{"name", "vm-" + id},
          {"flavor", flavor},
          {"image", "Ubuntu 22.04 x64"},
          {"?", {{"type", "io.murano.resources.LinuxMuranoInstance"}, {"id", id}}}};
}

json app(const std::string& id, json instance) {
  return {{"name", "app-" + id},
          {"instance", std::move(instance)},
          {"?", {{"type", "io.murano.apps.linux.Telnet"}, {"id", id}}}};
}

// An environment with one opened session whose model has these applications.
env_value with_services(json services) {
  auto e = make_environment("shop", "p-1", json::object(), at("2030-01-01 10:00"));
  std::string id;
  open_session(e, "wendy", at("2030-01-01 10:01"), id);
  e.sessions.back().model["services"] = std::move(services);
  return e;
}

instance_progress news(const std::string& uuid, instance::state s, const std::string& flavor,
                       int64_t version) {
  instance_progress p;
  p.uuid = uuid;
  p.current = s;
  p.flavor_name = flavor;
  p.version = version;
  return p;
}

std::vector<std::string> texts(const deployment& d) {
  std::vector<std::string> out;
  for (auto& r : d.reports)
    out.push_back(r.text);
  return out;
}

// Deploys the last session and answers every task with `outcome_of`.
template <class Outcome>
void deploy_all(env_value& e, Outcome outcome_of) {
  auto& d = begin_deployment(e, e.sessions.back(), at("2030-01-01 10:02"), limit);
  auto tasks = d.tasks;
  for (auto& t : tasks)
    record_progress(e, outcome_of(t), at("2030-01-01 10:03"));
  ASSERT_TRUE(settled(*running_deployment(e)));
  EXPECT_FALSE(finish_deployment(e, at("2030-01-01 10:04")));
}

} // namespace

TEST(deployment_engine, a_first_deployment_creates_each_instance_and_warns_of_what_it_cannot_run) {
  auto e = with_services({app("a", vm("i-a", "m1.small")), app("b", vm("i-b", "m1.small"))});
  auto& d = begin_deployment(e, e.sessions.back(), at("2030-01-01 10:02"), limit);
  EXPECT_EQ(e.sessions.back().state, session_state::deploying);
  EXPECT_EQ(status_of(e), environment_status::deploying);
  ASSERT_EQ(d.tasks.size(), 2u);
  EXPECT_EQ(d.tasks[0].step, instance_step::create);
  EXPECT_EQ(d.tasks[0].name, "vm-i-a");
  EXPECT_EQ(d.tasks[0].instance_id.size(), 32u) << "chosen before it is asked for";
  EXPECT_NE(d.tasks[0].instance_id, d.tasks[1].instance_id);
  EXPECT_EQ(d.deadline, at("2030-01-01 10:12"));
  auto t = texts(d);
  EXPECT_EQ(t.front(), "Action deploy is scheduled");
  EXPECT_NE(std::find(t.begin(), t.end(), "Creating instance vm-i-a"), t.end());
  int warnings = 0;
  for (auto& r : d.reports)
    if (r.level == report_level::warning) {
      ++warnings;
      EXPECT_NE(r.text.find("io.murano.apps.linux.Telnet"), std::string::npos) << r.text;
    }
  EXPECT_EQ(warnings, 2) << "one per application object; the environment and network are run";
  EXPECT_EQ(deployment_state(d), "running_w_warnings");
}

TEST(deployment_engine, news_moves_tasks_and_the_end_replaces_the_model) {
  auto e = with_services({app("a", vm("i-a", "m1.small")), app("b", vm("i-b", "m1.small"))});
  auto& d = begin_deployment(e, e.sessions.back(), at("2030-01-01 10:02"), limit);
  auto a = d.tasks[0].instance_id, b = d.tasks[1].instance_id;
  EXPECT_FALSE(record_progress(e, news(a, instance::state::provisioning, "m1.small", 2),
                               at("2030-01-01 10:03")))
    << "still on its way";
  EXPECT_FALSE(record_progress(e, news("other", instance::state::online, "m1.small", 2),
                               at("2030-01-01 10:03")));
  EXPECT_TRUE(record_progress(e, news(a, instance::state::online, "m1.small", 3),
                              at("2030-01-01 10:03")));
  EXPECT_FALSE(settled(*running_deployment(e)));
  EXPECT_TRUE(record_progress(e, news(b, instance::state::erred, "m1.small", 3),
                              at("2030-01-01 10:03")));
  ASSERT_TRUE(settled(*running_deployment(e)));
  EXPECT_NE(texts(*running_deployment(e)).back().find("failed in the compute layer"),
            std::string::npos);
  EXPECT_FALSE(finish_deployment(e, at("2030-01-01 10:04")));
  auto& done = e.deployments.back();
  EXPECT_EQ(done.reports.back().text, "Deployment finished with errors");
  EXPECT_EQ(deployment_state(done), "completed_w_errors");
  EXPECT_EQ(e.version, 1) << "up by one even on failure";
  EXPECT_EQ(e.sessions.back().state, session_state::deploy_failure);
  EXPECT_EQ(e.model["services"][0]["instance"]["openstackId"], a);
  EXPECT_EQ(e.model["services"][1]["instance"]["openstackId"], b) << "made, though it failed";
  EXPECT_EQ(e.instances.size(), 2u);
  EXPECT_FALSE(running_deployment(e));
}

TEST(deployment_engine, a_refused_instance_is_not_owned_and_a_clean_run_succeeds) {
  auto e = with_services({vm("i-a", "m1.small"), vm("i-b", "m1.huge")});
  deploy_all(e, [](const instance_task& t) {
    auto p = news(t.instance_id, instance::state::online, t.flavor, 2);
    if (t.flavor == "m1.huge")
      p.refused = "flavor: no such flavor";
    return p;
  });
  ASSERT_EQ(e.instances.size(), 1u);
  EXPECT_EQ(e.instances[0].object_id, "i-a");
  auto& reports = e.deployments.back().reports;
  EXPECT_TRUE(std::any_of(reports.begin(), reports.end(), [](const report& r) {
    return r.level == report_level::error
           && r.text == "Instance vm-i-b could not be created: flavor: no such flavor";
  }));

  auto clean = with_services({vm("i-a", "m1.small")});
  deploy_all(clean, [](const instance_task& t) {
    return news(t.instance_id, instance::state::online, t.flavor, 2);
  });
  EXPECT_EQ(clean.deployments.back().reports.back().text, "Deployment finished");
  EXPECT_EQ(deployment_state(clean.deployments.back()), "success");
  EXPECT_EQ(clean.sessions.back().state, session_state::deployed);
}

TEST(deployment_engine, a_redeploy_is_a_diff) {
  auto e = with_services({vm("i-a", "m1.small"), vm("i-b", "m1.small"), vm("i-c", "m1.small")});
  deploy_all(e, [](const instance_task& t) {
    return news(t.instance_id, instance::state::online, t.flavor, 2);
  });
  auto owned = e.instances;
  std::string id;
  ASSERT_FALSE(open_session(e, "wendy", at("2030-01-01 11:00"), id));
  auto& services = find_session(e, id)->model["services"];
  services.erase(1);                              // i-b goes
  services[1]["flavor"] = "m1.medium";            // i-c grows
  auto& d = begin_deployment(e, *find_session(e, id), at("2030-01-01 11:01"), limit);
  ASSERT_EQ(d.tasks.size(), 2u) << "i-a unchanged: left alone";
  EXPECT_EQ(d.tasks[0].step, instance_step::resize);
  EXPECT_EQ(d.tasks[0].instance_id, owned[2].instance_id);
  EXPECT_EQ(d.tasks[1].step, instance_step::remove);
  EXPECT_EQ(d.tasks[1].instance_id, owned[1].instance_id);
  auto t = texts(d);
  EXPECT_NE(std::find(t.begin(), t.end(), "Instance vm-i-a is unchanged"), t.end());

  auto grown = d.tasks[0].instance_id, gone = d.tasks[1].instance_id;
  EXPECT_FALSE(record_progress(e, news(grown, instance::state::offline, "m1.small", 5),
                               at("2030-01-01 11:02")))
    << "stopped for its resize: not there yet";
  EXPECT_FALSE(record_progress(e, news(grown, instance::state::online, "m1.small", 6),
                               at("2030-01-01 11:02")));
  EXPECT_TRUE(record_progress(e, news(grown, instance::state::online, "m1.medium", 9),
                              at("2030-01-01 11:03")));
  instance_progress removed;
  removed.uuid = gone;
  removed.gone = true;
  EXPECT_TRUE(record_progress(e, removed, at("2030-01-01 11:03")));
  EXPECT_FALSE(finish_deployment(e, at("2030-01-01 11:04")));
  ASSERT_EQ(e.instances.size(), 2u);
  EXPECT_EQ(e.instances[0].object_id, "i-a");
  EXPECT_EQ(e.instances[1].flavor, "m1.medium");
  EXPECT_EQ(e.version, 2);
  ASSERT_EQ(e.model["services"].size(), 2u);
  EXPECT_EQ(e.model["services"][1]["openstackId"], grown);
}

TEST(deployment_engine, what_the_compute_layer_leaves_pending_fails_at_the_deadline) {
  auto e = with_services({vm("i-a", "m1.small")});
  begin_deployment(e, e.sessions.back(), at("2030-01-01 10:02"), limit);
  auto& d = *running_deployment(e);
  expire(d, d.deadline);
  ASSERT_TRUE(settled(d));
  EXPECT_NE(d.reports.back().text.find("did not finish its creation within 600 s"),
            std::string::npos)
    << d.reports.back().text;
  EXPECT_FALSE(finish_deployment(e, d.deadline));
  EXPECT_EQ(e.sessions.back().state, session_state::deploy_failure);
  EXPECT_EQ(e.instances.size(), 1u) << "it may exist: a delete must reach it";
}

TEST(deployment_engine, a_destroy_removes_every_instance_then_the_environment) {
  auto e = with_services({vm("i-a", "m1.small")});
  deploy_all(e, [](const instance_task& t) {
    return news(t.instance_id, instance::state::online, t.flavor, 2);
  });
  auto& d = begin_destruction(e, "wendy", at("2030-01-01 12:00"), limit);
  EXPECT_EQ(status_of(e), environment_status::deleting);
  ASSERT_EQ(d.tasks.size(), 1u);
  EXPECT_EQ(d.reports.front().text, "Action destroy is scheduled");
  instance_progress removed;
  removed.uuid = d.tasks[0].instance_id;
  removed.gone = true;
  ASSERT_TRUE(record_progress(e, removed, at("2030-01-01 12:01")));
  EXPECT_TRUE(finish_deployment(e, at("2030-01-01 12:02"))) << "the record is to go";

  auto failing = with_services({vm("i-a", "m1.small")});
  deploy_all(failing, [](const instance_task& t) {
    return news(t.instance_id, instance::state::online, t.flavor, 2);
  });
  auto& again = begin_destruction(failing, "wendy", at("2030-01-01 12:00"), limit);
  auto refused = news(again.tasks[0].instance_id, instance::state::online, "m1.small", 3);
  refused.refused = "Instance must be offline";
  ASSERT_TRUE(record_progress(failing, refused, at("2030-01-01 12:01")));
  EXPECT_FALSE(finish_deployment(failing, at("2030-01-01 12:02")));
  EXPECT_EQ(status_of(failing), environment_status::delete_failure);
  EXPECT_EQ(failing.instances.size(), 1u);
}

TEST(deployment_engine, an_instance_object_made_unreadable_keeps_its_instance) {
  auto e = with_services({vm("i-a", "m1.small")});
  deploy_all(e, [](const instance_task& t) {
    return news(t.instance_id, instance::state::online, t.flavor, 2);
  });
  std::string id;
  ASSERT_FALSE(open_session(e, "wendy", at("2030-01-01 11:00"), id));
  find_session(e, id)->model["services"][0].erase("flavor");
  auto& d = begin_deployment(e, *find_session(e, id), at("2030-01-01 11:01"), limit);
  EXPECT_TRUE(d.tasks.empty()) << "an error to report, not an instance to delete";
  EXPECT_EQ(deployment_state(d), "running_w_errors");
}

TEST(deployment_engine, unreadable_instance_objects_are_errors_and_reports_belong_to_services) {
  auto broken = vm("i-x", "m1.small");
  broken.erase("image");
  auto e = with_services({app("a", vm("i-a", "m1.small")), app("b", broken)});
  auto& d = begin_deployment(e, e.sessions.back(), at("2030-01-01 10:02"), limit);
  EXPECT_EQ(d.tasks.size(), 1u);
  EXPECT_EQ(deployment_state(d), "running_w_errors");
  auto ids = object_ids_of(d.description, "a");
  EXPECT_EQ(ids, (std::vector<std::string>{"a", "i-a"}));
  EXPECT_TRUE(object_ids_of(d.description, "nothing").empty());
}

TEST(deployment_engine, the_stored_row_keeps_tasks_deadlines_and_instances) {
  auto e = with_services({vm("i-a", "m1.small"), vm("i-b", "m1.small")});
  deploy_all(e, [](const instance_task& t) {
    return news(t.instance_id, instance::state::online, t.flavor, 2);
  });
  begin_destruction(e, "wendy", at("2030-01-01 12:00"), limit);
  auto back = from_stored(to_stored(e));
  ASSERT_TRUE(back);
  ASSERT_EQ(back->deployments.size(), 2u);
  auto& d = back->deployments.back();
  EXPECT_EQ(d.action, deployment_action::destroy);
  EXPECT_EQ(d.deadline, e.deployments.back().deadline);
  ASSERT_EQ(d.tasks.size(), 2u);
  EXPECT_EQ(d.tasks[1].instance_id, e.deployments.back().tasks[1].instance_id);
  EXPECT_EQ(d.tasks[1].step, instance_step::remove);
  EXPECT_EQ(d.tasks[1].outcome, step_outcome::pending);
  ASSERT_EQ(back->instances.size(), 2u);
  EXPECT_EQ(back->instances[0].instance_id, e.instances[0].instance_id);
  EXPECT_EQ(back->instances[0].flavor, "m1.small");
  auto doc = deployment_document(e, e.deployments.front());
  EXPECT_EQ(doc["state"], "success");
  EXPECT_EQ(doc["action"]["method"], "deploy");
  EXPECT_EQ(doc["environment_id"], e.id);
  auto report = report_document(e.deployments.front(), e.deployments.front().reports.front());
  EXPECT_EQ(report["task_id"], e.deployments.front().id);
  EXPECT_EQ(report["level"], "info");
}

TEST(deployment_engine, deployed_instances_offer_actions_that_run_as_a_deployment) {
  auto e = with_services({vm("i-a", "m1.small")});
  deploy_all(e, [](const instance_task& t) {
    return news(t.instance_id, instance::state::online, t.flavor, 2);
  });
  auto& offered = e.model["services"][0]["?"]["_actions"];
  ASSERT_EQ(offered.size(), 3u) << offered;
  EXPECT_EQ(offered["i-a_restartVM"]["name"], "restartVM");
  EXPECT_EQ(offered["i-a_stop"]["enabled"], true);
  EXPECT_FALSE(e.model.contains("_actions"));

  auto unknown = begin_action(e, "wendy", "i-a_explode", json::object(), at("2030-01-01 11:00"),
                              limit);
  ASSERT_TRUE(std::holds_alternative<refusal>(unknown));
  EXPECT_EQ(std::get<refusal>(unknown).status, 404);
  offered["i-a_start"]["enabled"] = false;
  auto disabled = begin_action(e, "wendy", "i-a_start", json::object(), at("2030-01-01 11:00"),
                               limit);
  ASSERT_TRUE(std::holds_alternative<refusal>(disabled));
  EXPECT_EQ(std::get<refusal>(disabled).status, 400);

  auto begun = begin_action(e, "wendy", "i-a_restartVM", {{"hard", true}},
                            at("2030-01-01 11:00"), limit);
  ASSERT_TRUE(std::holds_alternative<deployment*>(begun));
  auto& d = *std::get<deployment*>(begun);
  EXPECT_EQ(d.action, deployment_action::call);
  EXPECT_EQ(d.method, "restartVM");
  EXPECT_EQ(d.target, "i-a");
  EXPECT_EQ(d.args["hard"], true);
  EXPECT_EQ(d.reports.front().text, "Action restartVM is scheduled");
  ASSERT_EQ(d.tasks.size(), 1u);
  EXPECT_EQ(d.tasks[0].step, instance_step::restart);
  EXPECT_EQ(status_of(e), environment_status::deploying);
  auto busy = begin_action(e, "wendy", "i-a_stop", json::object(), at("2030-01-01 11:00"), limit);
  ASSERT_TRUE(std::holds_alternative<refusal>(busy));
  EXPECT_EQ(std::get<refusal>(busy).status, 403);

  auto id = d.tasks[0].instance_id;
  EXPECT_FALSE(record_progress(e, news(id, instance::state::stopping, "m1.small", 4),
                               at("2030-01-01 11:01")));
  EXPECT_TRUE(record_progress(e, news(id, instance::state::online, "m1.small", 7),
                              at("2030-01-01 11:02")));
  EXPECT_FALSE(finish_deployment(e, at("2030-01-01 11:03")));
  auto& done = e.deployments.back();
  EXPECT_EQ(done.result["isException"], false);
  EXPECT_EQ(done.result["result"]["state"], "Online");
  EXPECT_EQ(done.result["result"]["instance_id"], id);
  EXPECT_EQ(e.version, 2);
  EXPECT_EQ(status_of(e), environment_status::ready);
  EXPECT_EQ(e.instances.size(), 1u);

  auto stop = begin_action(e, "wendy", "i-a_stop", json::object(), at("2030-01-01 12:00"), limit);
  ASSERT_TRUE(std::holds_alternative<deployment*>(stop));
  auto refused = news(id, instance::state::online, "m1.small", 8);
  refused.refused = "Instance must be online";
  ASSERT_TRUE(record_progress(e, refused, at("2030-01-01 12:01")));
  EXPECT_FALSE(finish_deployment(e, at("2030-01-01 12:02")));
  EXPECT_EQ(e.deployments.back().result["isException"], true);
  EXPECT_NE(e.deployments.back().result["result"].get<std::string>().find("was refused"),
            std::string::npos);
}
