#pragma once
// The instance state machine of the instances API: a state (messages/instance.hpp)
// is stored as one character and shown by name; transitions are the only way
// to change it.
#include <optional>
#include <string>

#include "messages/instance.hpp"

namespace steward::instance {

enum class transition {
  begin_provisioning,   // p -> P
  set_online,           // A, P -> +
  set_offline,          // P, O, R -> -
  schedule_starting,    // - -> a
  begin_starting,       // a -> A
  schedule_stopping,    // + -> o
  begin_stopping,       // o -> O
  schedule_deletion,    // - -> d
  begin_deleting,       // d -> D
  schedule_resizing,    // - -> r
  begin_resizing,       // r -> R
  set_resized,          // R -> -
  set_erred,            // any -> e
};

/// The state a transition leads to from `from`, or nothing when the
/// transition is not allowed there.
std::optional<state> next(state from, transition t);
/// A transition waits to begin (the instance's timer begins it at once).
bool is_scheduled(state s);
/// "Online", "Provisioning Scheduled", ...
const char* display_name(state s);
/// The symbol as a one-character string, "+".
std::string symbol(state s);
/// The state of a symbol ("+") or of a display name ("Online"), any case.
std::optional<state> parse_state(const std::string& text);
const char* transition_name(transition t);

} // namespace steward::instance
