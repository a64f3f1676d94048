#pragma once
// Steward's deployment engine, as rules over an environment's value: what a
// deployment must do to instances (a diff of the model it deploys against
// what earlier deployments made), how the compute layer's answers move it
// on, and how it ends. The environment actor sends the commands and stores
// each step; no actors here.
#include <chrono>
#include <string>
#include <variant>
#include <vector>

#include "common/clock.hpp"
#include "common/refusal.hpp"
#include "messages/environment.hpp"
#include "messages/instances.hpp"

namespace steward::environment {

/// Whether a model's object of `type` describes an instance the engine
/// makes (`io.murano.resources.*Instance`).
bool is_instance_type(const std::string& type);

/// Starts deploying `session` (which the caller checked may deploy): the
/// session deploys; a deployment holds what each instance object needs
/// (create, resize, or remove the instance of an object gone from the
/// model; an unchanged one is left alone), a warning for each object of a
/// type the engine does not run, an error for an instance object it cannot
/// read, and its first reports.
deployment& begin_deployment(environment& e, config_session& session, sys_time now,
                             std::chrono::seconds limit);

/// Starts destroying what the environment's deployments made (a delete that
/// does not abandon): a session of `user` in `deleting`, and a deployment
/// that removes every instance.
deployment& begin_destruction(environment& e, const std::string& user, sys_time now,
                              std::chrono::seconds limit);

/// Starts the action `action_id` that the deployed model offers (an object's
/// `?/_actions`), called by `user` with `args`: a session deploying, and a
/// deployment that runs the action's method on the object's instance.
/// Refused while the environment deploys or is being deleted (403), for an
/// action the model does not offer (404), a disabled one (400) or one the
/// engine does not run (400).
std::variant<deployment*, refusal> begin_action(environment& e, const std::string& user,
                                                const std::string& action_id,
                                                const nlohmann::json& args, sys_time now,
                                                std::chrono::seconds limit);

/// The deployment running now, if any.
deployment* running_deployment(environment& e);
const deployment* running_deployment(const environment& e);

/// Takes what the compute layer says of one instance into the running
/// deployment: its task is done or failed, with a report. False when it
/// changes nothing (not an instance it waits on, or no news).
bool record_progress(environment& e, const instance_progress& p, sys_time now);

/// Whether every task of the deployment has an outcome.
bool settled(const deployment& d);

/// The deployment's time is up: what is still pending fails, with a report.
void expire(deployment& d, sys_time now);

/// Ends the running deployment, which has settled: its last report, the
/// version + 1 (even on failure), the instances the environment owns now,
/// and for a deploy the model replaced by the one deployed and the session
/// `deployed` or `deploy failure`; for a destroy the session `delete
/// failure` when it failed. True when a destroy succeeded: the environment
/// is to go.
bool finish_deployment(environment& e, sys_time now);

/// The type of the model's object `object_id` ("" when there is none).
std::string object_type(const nlohmann::json& model, const std::string& object_id);

/// The objects of a model (below `root`) that belong to the application
/// `service_id`: its own id and every id inside it.
std::vector<std::string> object_ids_of(const nlohmann::json& model, const std::string& service_id);

} // namespace steward::environment
