#pragma once
// An environment's object model: free-form JSON where an object names
// itself in "?" ({"id", "type", ...}). What a path selects in it, how the
// services API edits the applications (`services`) and how a model patch
// applies, with Murano's per-path rules. No actors here.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/refusal.hpp"
#include "messages/environment.hpp"

namespace steward::environment {

/// "a/b/c" -> {"a", "b", "c"} (empty segments dropped).
std::vector<std::string> path_tokens(const std::string& path);

/// What `path` selects in `model`: an object's member by name, a list's item
/// by its "?"/"id" (or, failing that, by index); none when nothing is there.
const nlohmann::json* select(const nlohmann::json& model, const std::vector<std::string>& path);

/// The applications of a model, or what `path` selects in them; none when
/// nothing is there. A model without applications has an empty list.
std::optional<nlohmann::json> services_at(const nlohmann::json& model, const std::string& path);
/// Appends `value` to the applications (a list: each of its items) or to
/// the list `path` selects in them.
std::optional<refusal> add_service(nlohmann::json& model, const std::string& path,
                                   const nlohmann::json& value);
/// Replaces the applications (with a list), or what `path` selects in them
/// (an application by its id, or a member of one).
std::optional<refusal> replace_service(nlohmann::json& model, const std::string& path,
                                       nlohmann::json value);
/// Removes the applications, or what `path` selects in them.
std::optional<refusal> remove_service(nlohmann::json& model, const std::string& path);

/// Whether `op` may change `path` (Murano's table: the root, the objects' ids
/// never; the name, region, type and default networks only by replace;
/// anything else by add, replace or remove); 403 otherwise.
std::optional<refusal> check_allowed(const model_change& c);
/// Whether the value fits what the model holds at its path (a name is a
/// string, a default network an object with its name and "?", ...); 400.
std::optional<refusal> check_value(const model_change& c);
/// Applies the changes in order, all or none (RFC 6902 on the tokens);
/// 404 when one does not apply.
std::optional<refusal> apply_changes(nlohmann::json& model, const model_changes& changes);

} // namespace steward::environment
