#include "actors/environment/environment_rules.hpp"

#include <algorithm>
#include <cctype>
#include <tuple>

#include "common/ids.hpp"

namespace steward::environment {

using nlohmann::json;

namespace {

bool blank(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
}

// The count of characters, as Murano counts a name (UTF-8 code points).
std::size_t characters(const std::string& s) {
  return std::count_if(s.begin(), s.end(), [](unsigned char c) { return (c & 0xC0) != 0x80; });
}

std::string session_named(const std::string& id) {
  return "Session <SessionId " + id + ">";
}

refusal invalid(const std::string& id) {
  return {403, session_named(id) + " is invalid: environment has been updated or updating right "
                                   "now with other session"};
}

refusal unknown(const std::string& id) {
  return {404, session_named(id) + " is not found"};
}

} // namespace

name_fault fault_of(const std::string& name) {
  if (blank(name))
    return name_fault::blank;
  return characters(name) > max_name ? name_fault::too_long : name_fault::none;
}

std::string check_name(const std::string& name, bool creating) {
  switch (fault_of(name)) {
    case name_fault::blank:
      return creating ? "Please, specify a name of the environment to create"
                      : "Environment name must contain at least one non-white space symbol";
    case name_fault::too_long:
      return "Environment name should be 255 characters maximum";
    case name_fault::none:
      break;
  }
  return "";
}

environment make_environment(const std::string& name, const std::string& tenant,
                             const json& given, sys_time now) {
  environment e;
  e.id = random_hex(16);
  e.name = name;
  e.tenant_id = tenant;
  e.created = whole_seconds(now);
  e.updated = e.created;
  // What Murano builds for a new environment: the environment object with
  // what the create gave and, unless it named one, a default network.
  e.model = {{"?", {{"id", random_hex(16)}}}};
  for (auto& [key, value] : given.items())
    e.model[key] = value;
  e.model["name"] = name;
  if (!e.model.contains("defaultNetworks") || e.model["defaultNetworks"].is_null()
      || e.model["defaultNetworks"].empty())
    e.model["defaultNetworks"] = {
      {"environment",
       {{"?", {{"id", random_hex(16)}, {"type", "io.murano.resources.NeutronNetwork"}}},
        {"name", name + "-network"}}},
      {"flat", nullptr}};
  if (!e.model["?"].is_object())
    e.model["?"] = json::object();
  e.model["?"]["type"] = "io.murano.Environment";
  e.model["?"]["metadata"] = json::object();
  if (!e.model["?"].contains("id"))
    e.model["?"]["id"] = random_hex(16);
  return e;
}

environment_status status_of(const environment& e) {
  std::vector<const config_session*> newest_first;
  for (auto& s : e.sessions)
    newest_first.push_back(&s);
  std::stable_sort(newest_first.begin(), newest_first.end(),
                   [](const config_session* a, const config_session* b) {
                     return std::tie(a->version, a->updated) > std::tie(b->version, b->updated);
                   });
  bool opened = false;
  for (auto* s : newest_first) {
    switch (s->state) {
      case session_state::deploying: return environment_status::deploying;
      case session_state::deleting: return environment_status::deleting;
      case session_state::deploy_failure: return environment_status::deploy_failure;
      case session_state::delete_failure: return environment_status::delete_failure;
      case session_state::opened: opened = true; break;
      case session_state::deployed: return opened ? environment_status::pending
                                                  : environment_status::ready;
    }
  }
  return opened ? environment_status::pending : environment_status::ready;
}

const config_session* acquired_by(const environment& e) {
  if (status_of(e) != environment_status::deploying)
    return nullptr;
  for (auto& s : e.sessions)
    if (s.state == session_state::deploying)
      return &s;
  return nullptr;
}

bool is_valid(const environment& e, const config_session& s) {
  if (e.version > s.version)
    return false;
  if (s.state == session_state::opened)
    for (auto& other : e.sessions)
      if (other.state == session_state::deploying)
        return false;
  return true;
}

config_session* find_session(environment& e, const std::string& id) {
  for (auto& s : e.sessions)
    if (s.id == id)
      return &s;
  return nullptr;
}

const config_session* find_session(const environment& e, const std::string& id) {
  return find_session(const_cast<environment&>(e), id);
}

std::optional<refusal> open_session(environment& e, const std::string& user, sys_time now,
                                    std::string& id) {
  auto status = status_of(e);
  if (status == environment_status::deploying || status == environment_status::deleting)
    return refusal{403, "Could not open session for environment <EnvId: " + e.id
                          + ">, environment has deploying or deleting status."};
  id = add_session(e, user, session_state::opened, now).id;
  return std::nullopt;
}

config_session& add_session(environment& e, const std::string& user, session_state state,
                            sys_time now) {
  config_session s;
  s.id = random_hex(16);
  s.user_id = user;
  s.version = e.version;
  s.state = state;
  s.created = whole_seconds(now);
  s.updated = s.created;
  s.model = e.model;
  e.sessions.push_back(std::move(s));
  return e.sessions.back();
}

std::variant<config_session*, refusal> session_to_edit(environment& e, const std::string& id) {
  if (id.empty())
    return refusal{400, "X-Configuration-Session header which indicates to the session is missed"};
  auto s = find_session(e, id);
  if (!s)
    return unknown(id);
  if (!is_valid(e, *s))
    return invalid(id);
  if (s->state == session_state::deploying)
    return refusal{403, session_named(id) + " is already in deployment state"};
  if (s->state != session_state::opened)
    return refusal{403, session_named(id) + " is already deployed or deployment is in progress"};
  return s;
}

std::variant<const json*, refusal> model_to_read(const environment& e,
                                                const std::string& session_id) {
  if (session_id.empty())
    return &e.model;
  auto s = find_session(e, session_id);
  if (!s)
    return unknown(session_id);
  if (is_valid(e, *s) && s->state != session_state::deployed)
    return &s->model;
  return &e.model;
}

std::variant<config_session*, refusal> own_session(environment& e, const std::string& id,
                                                   const access::caller& who) {
  auto s = find_session(e, id);
  if (!s)
    return unknown(id);
  if (s->user_id != who.user_id && !access::is_staff(who))
    return refusal{401, "User <UserId " + who.user_id + "> is not authorized to access session "
                          "<SessionId " + id + ">."};
  return s;
}

std::variant<config_session*, refusal> session_to_deploy(environment& e, const std::string& id,
                                                         const access::caller& who) {
  auto found = own_session(e, id, who);
  if (auto* refused = std::get_if<refusal>(&found))
    return *refused;
  auto s = std::get<config_session*>(found);
  if (!is_valid(e, *s))
    return invalid(id);
  if (s->state != session_state::opened)
    return refusal{403, session_named(id) + " is already deployed or deployment is in progress"};
  return s;
}

const char* name_of(session_state s) {
  switch (s) {
    case session_state::opened: return "opened";
    case session_state::deploying: return "deploying";
    case session_state::deployed: return "deployed";
    case session_state::deploy_failure: return "deploy failure";
    case session_state::deleting: return "deleting";
    case session_state::delete_failure: return "delete failure";
  }
  return "opened";
}

const char* name_of(environment_status s) {
  switch (s) {
    case environment_status::ready: return "ready";
    case environment_status::pending: return "pending";
    case environment_status::deploying: return "deploying";
    case environment_status::deploy_failure: return "deploy failure";
    case environment_status::deleting: return "deleting";
    case environment_status::delete_failure: return "delete failure";
  }
  return "ready";
}

const char* name_of(report_level l) {
  switch (l) {
    case report_level::info: return "info";
    case report_level::warning: return "warning";
    case report_level::error: return "error";
  }
  return "info";
}

report_level worst_level(const deployment& d) {
  auto worst = report_level::info;
  for (auto& r : d.reports)
    if (r.level == report_level::error)
      return report_level::error;
    else if (r.level == report_level::warning)
      worst = report_level::warning;
  return worst;
}

std::string deployment_state(const deployment& d) {
  auto worst = worst_level(d);
  bool errors = worst == report_level::error, warnings = worst == report_level::warning;
  if (d.finished)
    return errors ? "completed_w_errors" : warnings ? "completed_w_warnings" : "success";
  return errors ? "running_w_errors" : warnings ? "running_w_warnings" : "running";
}

} // namespace steward::environment
