// An environment's rules, object model and stored row, without actors.
#include <gtest/gtest.h>

#include "actors/environment/environment_json.hpp"
#include "actors/environment/environment_rules.hpp"
#include "actors/environment/object_model.hpp"
#include "common/time_format.hpp"

using namespace steward;
using namespace steward::environment;
using nlohmann::json;

namespace {

sys_time at(const char* t) { return *timefmt::parse(t, "%Y-%m-%d %H:%M"); }

config_session session_in(session_state state, int64_t version, const char* updated) {
  config_session s;
  s.id = std::string{"s-"} + updated;
  s.state = state;
  s.version = version;
  s.created = s.updated = at(updated);
  return s;
}

} // namespace

TEST(environment_rules, status_comes_from_the_newest_sessions) {
  auto e = make_environment("shop", "p-1", json::object(), at("2030-01-01 10:00"));
  EXPECT_EQ(status_of(e), environment_status::ready);
  e.sessions.push_back(session_in(session_state::opened, 0, "2030-01-01 10:01"));
  EXPECT_EQ(status_of(e), environment_status::pending);
  e.sessions.push_back(session_in(session_state::deploying, 0, "2030-01-01 10:02"));
  EXPECT_EQ(status_of(e), environment_status::deploying);
  ASSERT_TRUE(acquired_by(e));
  EXPECT_EQ(acquired_by(e)->id, "s-2030-01-01 10:02");
  EXPECT_FALSE(is_valid(e, e.sessions[0])) << "an open session while another deploys";
  e.sessions[1].state = session_state::deploy_failure;
  e.version = 1;
  EXPECT_EQ(status_of(e), environment_status::deploy_failure);
  EXPECT_FALSE(acquired_by(e));
  EXPECT_FALSE(is_valid(e, e.sessions[0])) << "opened on an older version";
  e.sessions.push_back(session_in(session_state::opened, 1, "2030-01-01 10:03"));
  EXPECT_EQ(status_of(e), environment_status::deploy_failure)
    << "a failure stays until a later deployment ends well";
  e.sessions.push_back(session_in(session_state::deployed, 1, "2030-01-01 10:04"));
  EXPECT_EQ(status_of(e), environment_status::ready)
    << "a deployed session ends the search: what is older does not count";
  e.sessions.push_back(session_in(session_state::opened, 1, "2030-01-01 10:05"));
  EXPECT_EQ(status_of(e), environment_status::pending) << "one opened since";
  EXPECT_TRUE(is_valid(e, e.sessions[4]));
}

TEST(environment_rules, names_and_the_initial_model) {
  EXPECT_EQ(check_name("shop", true), "");
  EXPECT_EQ(check_name(" \t", true), "Please, specify a name of the environment to create");
  EXPECT_EQ(check_name("", false), "Environment name must contain at least one non-white space symbol");
  EXPECT_EQ(check_name(std::string(255, 'x'), true), "");
  std::string accents;
  for (int i = 0; i < 255; ++i)
    accents += "é";
  EXPECT_EQ(check_name(accents, true), "") << "255 characters, not bytes";
  EXPECT_NE(check_name(std::string(256, 'x'), true), "");
  auto e = make_environment("shop", "p-1", {{"region", "RegionTwo"}}, at("2030-01-01 10:00"));
  EXPECT_EQ(e.model["name"], "shop");
  EXPECT_EQ(e.model["region"], "RegionTwo") << "what the create gave goes into the model";
  EXPECT_EQ(e.model["?"]["type"], "io.murano.Environment");
  EXPECT_EQ(e.model["defaultNetworks"]["environment"]["?"]["type"],
            "io.murano.resources.NeutronNetwork");
  EXPECT_TRUE(e.model["defaultNetworks"]["flat"].is_null());
  json own = {{"environment", {{"name", "mine"}}}, {"flat", true}};
  EXPECT_EQ(make_environment("x", "p", {{"defaultNetworks", own}}, at("2030-01-01 10:00"))
              .model["defaultNetworks"],
            own);
}

TEST(environment_rules, sessions_to_edit_and_to_read) {
  auto e = make_environment("shop", "p-1", json::object(), at("2030-01-01 10:00"));
  std::string id;
  ASSERT_FALSE(open_session(e, "wendy", at("2030-01-01 10:01"), id));
  EXPECT_EQ(std::get<refusal>(session_to_edit(e, "")).status, 400);
  EXPECT_EQ(std::get<refusal>(session_to_edit(e, "nope")).status, 404);
  ASSERT_TRUE(std::holds_alternative<config_session*>(session_to_edit(e, id)));
  std::get<config_session*>(session_to_edit(e, id))->model["name"] = "edited";
  EXPECT_EQ((*std::get<const json*>(model_to_read(e, id)))["name"], "edited");
  EXPECT_EQ((*std::get<const json*>(model_to_read(e, "")))["name"], "shop");
  e.sessions[0].state = session_state::deploying;
  EXPECT_EQ(std::get<refusal>(session_to_edit(e, id)).message,
            "Session <SessionId " + id + "> is already in deployment state");
  EXPECT_TRUE(open_session(e, "wendy", at("2030-01-01 10:02"), id)) << "not while deploying";
  access::caller walter;
  walter.user_id = "walter";
  EXPECT_EQ(std::get<refusal>(own_session(e, e.sessions[0].id, walter)).status, 401);
}

TEST(environment_rules, the_services_path_selects_by_id_then_index) {
  json model = {{"services", {{{"name", "a"}, {"?", {{"id", "app-1"}}}},
                              {{"name", "b"}, {"?", {{"id", "7"}}}}}}};
  EXPECT_EQ((*services_at(model, "app-1"))["name"], "a");
  EXPECT_EQ((*services_at(model, "7"))["name"], "b") << "an id that looks like an index";
  EXPECT_EQ((*services_at(model, "0"))["name"], "a") << "an index where no id matches";
  EXPECT_FALSE(services_at(model, "2"));
  EXPECT_FALSE(services_at(model, "app-1/name/deeper"));
  EXPECT_EQ(*services_at(json::object(), ""), json::array());
  EXPECT_FALSE(add_service(model, "", json::array({{{"?", {{"id", "c"}}}}})));
  EXPECT_EQ(model["services"].size(), 3u) << "a list body extends";
  EXPECT_EQ(add_service(model, "app-1/name", json{{"x", 1}})->status, 400) << "not a list";
  EXPECT_EQ(replace_service(model, "nope", json::object())->status, 404);
  EXPECT_EQ(replace_service(model, "", json::object())->status, 400) << "the list stays a list";
  EXPECT_TRUE(model["services"].is_array());
  EXPECT_FALSE(remove_service(model, "app-1"));
  EXPECT_EQ(remove_service(model, "app-1")->status, 404);
  EXPECT_FALSE(remove_service(model, ""));
  EXPECT_FALSE(model.contains("services"));
}

TEST(environment_rules, a_patch_applies_whole_or_not_at_all) {
  json model = {{"name", "shop"}, {"list", {1, 2}}};
  model_changes ok = {{patch_op::add, {"list", "-"}, 3},
                      {patch_op::add, {"list", "0"}, 0},
                      {patch_op::replace, {"name", }, "store"},
                      {patch_op::remove, {"list", "1"}, nullptr}};
  ASSERT_FALSE(apply_changes(model, ok));
  EXPECT_EQ(model, (json{{"name", "store"}, {"list", {0, 2, 3}}}));
  model_changes partly = {{patch_op::add, {"new"}, 1}, {patch_op::replace, {"list", "9"}, 1}};
  auto refused = apply_changes(model, partly);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 404);
  EXPECT_EQ(refused->message, "can't replace outside of list");
  EXPECT_FALSE(model.contains("new"));
  EXPECT_EQ(apply_changes(model, {{patch_op::add, {"a", "b"}, 1}})->status, 404)
    << "under a member that is not there";
  EXPECT_EQ(check_allowed({patch_op::add, {"defaultNetworks"}, json::object()})->status, 403);
  EXPECT_FALSE(check_allowed({patch_op::remove, {"services", "0"}, nullptr}));
  EXPECT_EQ(check_value({patch_op::replace, {"defaultNetworks", "flat"}, "yes"})->status, 400);
  EXPECT_EQ(check_value({patch_op::add, {"services", "-"}, 1})->status, 400);
  EXPECT_FALSE(check_value({patch_op::replace, {"region"}, nullptr}));
}

TEST(environment_rules, the_stored_row_reads_back_field_for_field) {
  auto e = make_environment("shop", "p-1", json::object(), at("2030-01-01 10:00"));
  std::string id;
  ASSERT_FALSE(open_session(e, "wendy", at("2030-01-01 10:01"), id));
  e.sessions[0].model["services"] = json::array({{{"?", {{"id", "app-1"}}}}});
  deployment d;
  d.id = "d-1";
  d.session_id = id;
  d.description = e.sessions[0].model;
  d.started = at("2030-01-01 10:02");
  d.finished = at("2030-01-01 10:03");
  d.reports.push_back({"r-1", "Action deploy is scheduled", report_level::info, std::nullopt,
                       std::nullopt, at("2030-01-01 10:02")});
  d.reports.push_back({"r-2", "Boom", report_level::error, std::string{"app-1"},
                       std::string{"trace"}, at("2030-01-01 10:03")});
  e.deployments.push_back(d);
  e.version = 1;
  auto row = to_stored(e);
  EXPECT_EQ(row["schema"], stored_schema);
  auto back = from_stored(json::parse(row.dump()));
  ASSERT_TRUE(back);
  EXPECT_EQ(to_stored(*back), row);
  EXPECT_EQ(deployment_state(back->deployments[0]), "completed_w_errors");
  EXPECT_EQ(back->sessions[0].model["services"][0]["?"]["id"], "app-1");
  row["schema"] = stored_schema + 1;
  EXPECT_FALSE(from_stored(row)) << "a later version is not read";
  EXPECT_FALSE(from_stored(json{{"id", "x"}})) << "not an environment";
  auto listed = listed_document(*back);
  EXPECT_EQ(listed["status"], "pending") << "its session is open";
  EXPECT_EQ(listed["created"], "2030-01-01T10:00:00");
  EXPECT_EQ(session_document(*back, back->sessions[0])["state"], "opened");
}
