#pragma once
// A stewardd for the Murano family's tests (/v1/environments, /v1/templates):
// the tokens of two projects' users and staff, calls as muranoclient makes
// them, and for deployments the simulated cloud's catalog known first.
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/daemon/stewardd_fixture.hpp"

namespace steward::test {

inline const char* const staff = "staff-token-0001";
inline const char* const wendy = "web-token-00001";   // web-shop's administrator
inline const char* const walter = "web-token-00002";  // a member of web-shop
inline const char* const larry = "lab-token-00001";   // lab's

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
                     const nlohmann::json& body = nullptr, const std::string& session = "",
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

inline nlohmann::json telnet(const std::string& id) {
  return {{"name", "telnet-" + id},
          {"instance",
           {{"flavor", "m1.small"},
            {"image", "debian-12"},
            {"name", "vm-" + id},
            {"?", {{"type", "io.murano.resources.LinuxMuranoInstance"}, {"id", "i-" + id}}}}},
          {"?", {{"type", "io.murano.apps.linux.Telnet"}, {"id", id}}}};
}

// An instance object as an application's model has it (the simulated
// cloud's flavor and image names).
inline nlohmann::json vm_object(const std::string& id, const std::string& flavor = "m1.small") {
  return {{"name", "vm-" + id},
          {"flavor", flavor},
          {"image", "Ubuntu 22.04 x64"},
          {"?", {{"type", "io.murano.resources.LinuxMuranoInstance"}, {"id", id}}}};
}

inline nlohmann::json app_with(const std::string& id, nlohmann::json instance) {
  return {{"name", "app-" + id},
          {"instance", std::move(instance)},
          {"?", {{"type", "io.murano.apps.linux.Telnet"}, {"id", id}}}};
}

struct deployments_api : environments_api {
  // The simulated cloud reports its catalog as stewardd starts: deployments
  // and static actions need it known.
  void SetUp() override {
    environments_api::SetUp();
    wait_for_catalog();
  }
  void restart(const std::vector<std::string>& args) {
    start_stewardd(args);
    wait_for_catalog();
  }
  void wait_for_catalog() {
    ASSERT_TRUE(eventually([&] { return !call("GET", "/api/flavors/", wendy).json().empty(); }));
  }
  // Until the environment has none of its sessions deploying or deleting.
  nlohmann::json settled(const std::string& env) {
    nlohmann::json shown;
    EXPECT_TRUE(eventually([&] {
      shown = murano("GET", "/v1/environments/" + env, wendy).json();
      auto status = shown.value("status", "");
      return status != "deploying" && status != "deleting";
    })) << shown.dump();
    return shown;
  }
  nlohmann::json deployments(const std::string& env) {
    return murano("GET", "/v1/environments/" + env + "/deployments", wendy).json()["deployments"];
  }
  nlohmann::json reports(const std::string& env, const std::string& deployment,
               const std::string& query = "") {
    return murano("GET", "/v1/environments/" + env + "/deployments/" + deployment + query, wendy)
      .json()["reports"];
  }
  // The instances of web-shop by hostname, as /api/instances/ shows them.
  std::map<std::string, nlohmann::json> instances() {
    std::map<std::string, nlohmann::json> out;
    auto all = call("GET", "/api/instances/?page_size=100", staff).json();
    for (auto& i : all)
      out[i["hostname"].get<std::string>()] = i;
    return out;
  }
  // Opens a session, gives it these applications and deploys it.
  void deploy(const std::string& env, const nlohmann::json& services) {
    deploy_as(env, services, wendy);
  }
  void deploy_as(const std::string& env, const nlohmann::json& services, const char* token) {
    auto session = configure(env, token);
    ASSERT_EQ(murano("PUT", "/v1/environments/" + env + "/services/", token, services, session)
                .status,
              200);
    auto r = murano("POST", "/v1/environments/" + env + "/sessions/" + session + "/deploy", token);
    ASSERT_EQ(r.status, 200) << r.body;
  }
  bool has_report(const nlohmann::json& reports, const std::string& level,
                  const std::string& part) {
    for (auto& r : reports)
      if (r["level"] == level && r["text"].get<std::string>().find(part) != std::string::npos)
        return true;
    return false;
  }
};

} // namespace steward::test
