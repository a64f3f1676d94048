#pragma once
// The JSON edges of an environment: the documents Murano's API shows (an
// environment, a configuration session, a deployment and its reports) and
// the stored row. No actors here.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "messages/environment.hpp"

namespace steward::environment {

/// As a create or rename answers it.
nlohmann::json basic_document(const environment& e);
/// As a list shows it: with its status.
nlohmann::json listed_document(const environment& e);
/// As a show answers it: with its applications (`services`, from `model`:
/// the deployed one or the session's copy) and the session deploying it.
nlohmann::json full_document(const environment& e, const nlohmann::json& model);
/// Applications as the API shows them: each with the environment's status.
nlohmann::json shown_services(const environment& e, nlohmann::json services);

nlohmann::json session_document(const environment& e, const config_session& s);

/// A deployment as its lists show it: the model it deployed, its action,
/// its state from its reports' levels.
nlohmann::json deployment_document(const environment& e, const deployment& d);
/// One of its reports (Murano's status).
nlohmann::json report_document(const deployment& d, const report& r);

/// The version of the stored row this code writes ("schema").
constexpr int stored_schema = 1;
/// The stored row (also what the environment's events carry): every field,
/// the sessions' copies and the deployments with their reports.
nlohmann::json to_stored(const environment& e);
/// A stored row read back; nothing when it is not one (no text id, name or
/// tenant, or of a later version).
std::optional<environment> from_stored(const nlohmann::json& row);

} // namespace steward::environment
