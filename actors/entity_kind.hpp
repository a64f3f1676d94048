#pragma once
// How a kind of entity names itself in the store, in its documents and in its
// events.
#include <string>

#include <nlohmann/json.hpp>

#include "common/json_fields.hpp"

namespace steward {

struct entity_kind {
  const char* kind;                      // "host": the store's kind and the event prefix
  const char* id_field;                  // "id" or "uuid"
  const char* publisher;                 // oslo publisher_id of its notifications
  const char* project_field = "project"; // the owning project's field ("" for none)
};

// What the skeletons of registry and entity need of an entity's value. A
// kind whose value is its API document has them here; a typed kind declares
// the same functions for its type (found by argument-dependent lookup).

inline std::string entity_id(const entity_kind& k, const nlohmann::json& doc) {
  return text_field(doc, k.id_field);
}
inline std::string entity_project(const entity_kind& k, const nlohmann::json& doc) {
  return text_field(doc, k.project_field);
}
/// What an event about the entity carries.
inline const nlohmann::json& presented(const nlohmann::json& doc) {
  return doc;
}

} // namespace steward
