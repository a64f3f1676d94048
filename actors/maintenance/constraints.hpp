#pragma once
// Instance and instance-group constraints (/v1/instance, /v1/instance_group):
// what a project tells the maintenance workflow about its instances. No
// actors here.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "actors/maintenance/session_document.hpp"
#include "common/access.hpp"

namespace steward::maintenance {

/// A constraint as a document gives it (a PUT body's fields, a stored
/// row): the defaults for what it leaves out, a null stays null; nothing
/// without a text id and project.
std::optional<instance_constraint> instance_constraint_of(const nlohmann::json& doc);
std::optional<group_constraint> group_constraint_of(const nlohmann::json& doc);

/// The constraint a PUT gave, to store: the instance must be in the
/// inventory, of its `project_id`, where the caller has a role; its name
/// defaults to the instance's.
std::optional<refusal> make_instance_constraint(const instance_constraint& given,
                                                const world_view& world,
                                                const access::caller& who,
                                                instance_constraint& made);

/// The group constraint a PUT gave, to store: of a project where the caller
/// has a role.
std::optional<refusal> make_group_constraint(const group_constraint& given,
                                             const access::caller& who, group_constraint& made);

/// A constraint as the API shows it.
nlohmann::json constraint_document(const instance_constraint& c);
nlohmann::json constraint_document(const group_constraint& c);

/// The version of the stored rows this code writes ("schema"; rows written
/// before there was one are the same document).
constexpr int constraint_schema = 1;

/// A stored row read back; nothing when it is not one (no text id or
/// project, or of a later version).
std::optional<instance_constraint> read_instance_constraint(const nlohmann::json& row);
std::optional<group_constraint> read_group_constraint(const nlohmann::json& row);

} // namespace steward::maintenance
