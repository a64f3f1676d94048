#pragma once
// An application environment as Steward holds it (Murano): a project's
// object model of applications, the configuration sessions that edit copies
// of it, and the deployments that made it real. A value: the environment
// actor owns one. The object model itself is free-form JSON, because that is
// what it is (Murano's API "doesn't know anything about it"); everything
// around it is typed. JSON documents are made only at its edges
// (actors/environment/environment_json.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"

namespace steward::environment {

/// A configuration session's state, in Murano's words.
enum class session_state : char {
  opened = 'o',
  deploying = 'd',
  deployed = 'D',
  deploy_failure = 'f',
  deleting = 'x',
  delete_failure = 'X',
};

/// A copy of the environment's model that one user edits and may deploy.
struct config_session {
  std::string id;
  std::string user_id;
  int64_t version = 0;  // the environment's version it was opened on
  session_state state = session_state::opened;
  sys_time created;
  sys_time updated;
  nlohmann::json model = nlohmann::json::object();  // the copy being edited
};

/// How bad a deployment's report is.
enum class report_level : char { info = 'i', warning = 'w', error = 'e' };

/// One line of a deployment's log: what happened to which object.
struct report {
  std::string id;
  std::string text;
  report_level level = report_level::info;
  std::optional<std::string> entity_id;  // the object of the model it is about
  std::optional<std::string> details;
  sys_time timestamp;
};

/// One deployment (Murano's task): the model it deploys and its reports.
struct deployment {
  std::string id;
  std::string session_id;
  nlohmann::json description = nlohmann::json::object();  // the model deployed
  sys_time started;
  std::optional<sys_time> finished;
  std::vector<report> reports;
};

struct environment {
  std::string id;
  std::string name;
  std::string tenant_id;
  sys_time created;
  sys_time updated;
  int64_t version = 0;  // + 1 at the end of every deployment, failed or not
  nlohmann::json model = nlohmann::json::object();  // as last deployed
  std::vector<config_session> sessions;    // in the order opened
  std::vector<deployment> deployments;     // in the order started
};

/// What a create or rename body gives.
struct environment_fields {
  std::string name;
  /// A create's other members, copied into the new model as Murano does
  /// (`defaultNetworks`, `region`, ...): the model is free-form.
  nlohmann::json model = nlohmann::json::object();
};

/// One operation of a model patch (`application/env-model-json-patch`).
enum class patch_op : char { add = 'a', replace = 'r', remove = 'x' };

struct model_change {
  patch_op op = patch_op::replace;
  std::vector<std::string> path;  // the JSON pointer's tokens, unescaped
  nlohmann::json value;           // required even to remove, as Murano has it
};

using model_changes = std::vector<model_change>;

/// What the API shows as an environment's status, from its sessions.
enum class environment_status {
  ready,
  pending,
  deploying,
  deploy_failure,
  deleting,
  delete_failure,
};

} // namespace steward::environment
