#pragma once
// The JSON edges of an instance that need no catalog: the document its
// instance.* events carry and the row the store keeps. (The API shows an
// instance with its catalog's names: instance_document.hpp.) No actors here.
#include <optional>

#include <nlohmann/json.hpp>

#include "messages/instance.hpp"

namespace steward::instance {

/// A flavor as Nova's flavor payload names it (`flavorid`, `name`, `vcpus`,
/// `memory_mb`, `root_gb`): in the document, a resize and compute commands.
nlohmann::json flavor_document(const flavor_spec& f);
flavor_spec read_flavor(const nlohmann::json& f);

/// The instance as its events carry it (instance.create, .update, .delete),
/// field for field the document Steward stored before instances were typed.
nlohmann::json to_document(const instance& i);
/// Such a document read back; nothing when it has no text uuid. Missing or
/// mistyped fields read as empty; an unknown state as erred.
std::optional<instance> from_document(const nlohmann::json& doc);

/// The version of the stored row this code writes. A row names its version
/// in "schema"; rows written before there was one are the same document.
constexpr int stored_schema = 1;

/// The stored row: the document and its version (the instance actor's
/// stage() builds it from the event's document, to make that once).
nlohmann::json to_stored(const instance& i);
/// A stored row of any version read back into an instance; nothing when it
/// is not one (unreadable, or of a later version than this code knows).
std::optional<instance> from_stored(const nlohmann::json& row);

} // namespace steward::instance
