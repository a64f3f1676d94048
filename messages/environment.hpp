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

/// What a deployment does to the instance of one object of the model: the
/// steps of a deploy, and the instance actions an action call runs.
enum class instance_step : char {
  create = 'c',
  resize = 'r',
  remove = 'x',
  restart = 'R',
  stop = 'S',
  start = 'A',
};

/// How that step stands. `refused`: the compute contract refused to make the
/// instance, so there is none.
enum class step_outcome : char { pending = 'p', done = 'd', failed = 'f', refused = 'n' };

/// One instance step of a deployment. The instance's id is chosen before it
/// is asked for, so that asking again (after a restart) never makes a second.
struct instance_task {
  std::string object_id;    // `?/id` of the object in the model
  std::string instance_id;
  std::string name;         // the instance's hostname
  std::string flavor;       // as the model names it (a name or an id)
  std::string image;
  std::string keyname;      // "" for none
  instance_step step = instance_step::create;
  step_outcome outcome = step_outcome::pending;
};

/// What a deployment runs: Murano's `deploy`, the `destroy` that a delete
/// without abandon runs before the record goes, or an action called on an
/// object of the model.
enum class deployment_action : char { deploy = 'd', destroy = 'x', call = 'c' };

/// One deployment (Murano's task): the model it deploys, what it does to
/// instances, and its reports.
struct deployment {
  std::string id;
  std::string session_id;
  deployment_action action = deployment_action::deploy;
  nlohmann::json description = nlohmann::json::object();  // the model deployed
  sys_time started;
  sys_time deadline;  // what is still pending then has failed
  std::optional<sys_time> finished;
  std::vector<instance_task> tasks;
  std::vector<report> reports;
  // An action call's: the method, the object it is called on, its
  // arguments, and once it ended its result ({"isException", "result"}).
  std::string method;
  std::string target;
  nlohmann::json args = nlohmann::json::object();
  nlohmann::json result;
};

/// An instance that the environment's deployments made and still own.
struct deployed_instance {
  std::string object_id;
  std::string instance_id;
  std::string name;
  std::string flavor;  // as the model named it
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
  std::vector<deployed_instance> instances;
};

/// What a create or rename body gives.
struct environment_fields {
  std::string name;
  /// A create's other members, copied into the new model as Murano does
  /// (`defaultNetworks`, `region`, ...): the model is free-form.
  nlohmann::json model = nlohmann::json::object();
};

/// An environment template (Murano's): a named set of applications that a
/// project keeps, and may make public, to create environments from. Its
/// applications are free-form JSON, as an environment's are.
struct environment_template {
  std::string id;
  std::string name;
  std::string tenant_id;
  bool is_public = false;            // every project may read, clone and use it
  std::string description_text;
  nlohmann::json networking = nlohmann::json::object();  // Murano's, kept as given
  sys_time created;
  sys_time updated;
  int64_t version = 0;               // + 1 at every change
  nlohmann::json services = nlohmann::json::array();     // the applications
};

/// What a template create, update or clone body gives; what it leaves out
/// stays as it was (or as a new template has it).
struct template_fields {
  std::string name;
  std::optional<bool> is_public;
  std::optional<std::string> description_text;
  std::optional<nlohmann::json> networking;  // an object
  std::optional<nlohmann::json> services;    // a list of applications
};

/// A static action call (`POST /v1/actions`): a class's method, run
/// without an environment.
struct static_call {
  std::string class_name;
  std::string method_name;
  std::string package_name;   // "" for any
  std::string class_version;  // a version spec: "=0", "=1.2", "1.2.3", ">=0.1"
  nlohmann::json parameters = nlohmann::json::object();
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
