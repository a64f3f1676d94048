#pragma once
// How a kind of entity names itself in the store and in its events.
//
// What the skeletons of registry and entity need of an entity's value, each
// kind declares for its type beside its actor (found by argument-dependent
// lookup): `entity_id(kind, value)`, `entity_project(kind, value)` ("" for
// none), `presented(value)` (the document its events carry) and
// `stage(change, kind, value, version, event_type)` (its stored row).

namespace steward {

struct entity_kind {
  const char* kind;       // "host": the store's kind and the event prefix
  const char* publisher;  // oslo publisher_id of its notifications
};

} // namespace steward
