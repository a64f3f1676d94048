#pragma once
// How a kind of entity names itself in the store, in its documents and in its
// events.

namespace steward {

struct entity_kind {
  const char* kind;                      // "host": the store's kind and the event prefix
  const char* id_field;                  // "id" or "uuid"
  const char* publisher;                 // oslo publisher_id of its notifications
  const char* project_field = "project"; // the owning project's field ("" for none)
};

} // namespace steward
