#pragma once
// An environment's rules, as Murano has them: names, the status its sessions
// give it, which configuration session may still be used, and the checks of
// the X-Configuration-Session a request names. No actors here.
#include <optional>
#include <string>
#include <variant>

#include "common/access.hpp"
#include "common/clock.hpp"
#include "common/refusal.hpp"
#include "messages/environment.hpp"

namespace steward::environment {

constexpr std::size_t max_name = 255;

/// What is wrong with a name of an environment or a template: nothing, all
/// blank, or over `max_name` characters.
enum class name_fault { none, blank, too_long };
name_fault fault_of(const std::string& name);

/// Why `name` cannot name an environment ("" when it can): blank or too long.
/// `creating`: the create's message for a blank one, else the rename's.
std::string check_name(const std::string& name, bool creating);

/// A new environment of `tenant`, with its initial object model: the
/// environment object, the members the create gave (`given`), and a default
/// network unless they name one.
environment make_environment(const std::string& name, const std::string& tenant,
                             const nlohmann::json& given, sys_time now);

/// Its status, from its sessions (newest first: deploying, deleting or a
/// failure decides; an open one makes it pending; a deployed one ends the
/// search).
environment_status status_of(const environment& e);
/// The session deploying it, when its status is deploying.
const config_session* acquired_by(const environment& e);

/// Whether a session may still be used: opened on the environment's current
/// version, and no other session deploying (for an opened one).
bool is_valid(const environment& e, const config_session& s);

config_session* find_session(environment& e, const std::string& id);
const config_session* find_session(const environment& e, const std::string& id);

/// Opens a configuration session for `user` on a copy of the model;
/// refused while the environment deploys or is being deleted.
std::optional<refusal> open_session(environment& e, const std::string& user, sys_time now,
                                    std::string& id);

/// A new session of `user` on a copy of the model, in `state` (a deploy
/// or an action runs in one of its own).
config_session& add_session(environment& e, const std::string& user, session_state state,
                            sys_time now);

/// The session a write names in X-Configuration-Session, to edit: named,
/// known, valid, not deploying.
std::variant<config_session*, refusal> session_to_edit(environment& e, const std::string& id);
/// The session a read names (none: the deployed model): known; used only
/// while valid and not deployed, else the deployed model is read.
std::variant<const nlohmann::json*, refusal> model_to_read(const environment& e,
                                                          const std::string& session_id);
/// A session its user asks about (show, delete): known and theirs.
std::variant<config_session*, refusal> own_session(environment& e, const std::string& id,
                                                   const access::caller& who);

/// The session a deploy names: known, its user's, valid, and opened (a
/// session deploys once).
std::variant<config_session*, refusal> session_to_deploy(environment& e, const std::string& id,
                                                         const access::caller& who);

/// Murano's words for states and statuses.
const char* name_of(session_state s);
const char* name_of(environment_status s);
const char* name_of(report_level l);

/// The worst level of a deployment's reports (info when it has none worse).
report_level worst_level(const deployment& d);

/// A deployment's state, from the levels of its reports: running,
/// running_w_warnings, running_w_errors while it runs; then success,
/// completed_w_warnings, completed_w_errors.
std::string deployment_state(const deployment& d);

} // namespace steward::environment
