#pragma once
// The JSON edges of an environment template: the documents Murano's API
// shows and the stored row. No actors here.
#include <optional>

#include <nlohmann/json.hpp>

#include "messages/environment.hpp"

namespace steward::environment {

/// As a list, a create or an update shows it.
nlohmann::json template_document(const environment_template& t);
/// As a show or a clone answers it: with its applications.
nlohmann::json full_template_document(const environment_template& t);

/// The version of the stored row this code writes ("schema").
constexpr int template_schema = 1;
/// The stored row (also what the template's events carry).
nlohmann::json template_to_stored(const environment_template& t);
/// A stored row read back; nothing when it is not one (no text id, name or
/// tenant, no dates, or of a later version).
std::optional<environment_template> template_from_stored(const nlohmann::json& row);

} // namespace steward::environment
