#include "actors/instance/instance_state.hpp"

#include <algorithm>
#include <cctype>
#include <initializer_list>

#include "common/text.hpp"

namespace steward::instance {

namespace {

struct rule {
  transition t;
  std::initializer_list<state> from;
  state to;
};

// REFERENCE.md, "Instances (Waldur)": the complete list.
const rule rules[] = {
  {transition::begin_provisioning, {state::provisioning_scheduled}, state::provisioning},
  {transition::set_online, {state::starting, state::provisioning}, state::online},
  {transition::set_offline, {state::provisioning, state::stopping, state::resizing}, state::offline},
  {transition::schedule_starting, {state::offline}, state::starting_scheduled},
  {transition::begin_starting, {state::starting_scheduled}, state::starting},
  {transition::schedule_stopping, {state::online}, state::stopping_scheduled},
  {transition::begin_stopping, {state::stopping_scheduled}, state::stopping},
  {transition::schedule_deletion, {state::offline}, state::deletion_scheduled},
  {transition::begin_deleting, {state::deletion_scheduled}, state::deleting},
  {transition::schedule_resizing, {state::offline}, state::resizing_scheduled},
  {transition::begin_resizing, {state::resizing_scheduled}, state::resizing},
  {transition::set_resized, {state::resizing}, state::offline},
};

const state all_states[] = {
  state::provisioning_scheduled, state::provisioning, state::online, state::offline,
  state::starting_scheduled, state::starting, state::stopping_scheduled, state::stopping,
  state::erred, state::deletion_scheduled, state::deleting, state::resizing_scheduled,
  state::resizing};

} // namespace

bool is_scheduled(state s) {
  return s == state::provisioning_scheduled || s == state::starting_scheduled
         || s == state::stopping_scheduled || s == state::deletion_scheduled
         || s == state::resizing_scheduled;
}

std::optional<state> next(state from, transition t) {
  if (t == transition::set_erred)
    return state::erred;
  for (auto& r : rules)
    if (r.t == t)
      return std::find(r.from.begin(), r.from.end(), from) != r.from.end()
               ? std::optional<state>{r.to}
               : std::nullopt;
  return std::nullopt;
}

const char* display_name(state s) {
  switch (s) {
    case state::provisioning_scheduled: return "Provisioning Scheduled";
    case state::provisioning: return "Provisioning";
    case state::online: return "Online";
    case state::offline: return "Offline";
    case state::starting_scheduled: return "Starting Scheduled";
    case state::starting: return "Starting";
    case state::stopping_scheduled: return "Stopping Scheduled";
    case state::stopping: return "Stopping";
    case state::erred: return "Erred";
    case state::deletion_scheduled: return "Deletion Scheduled";
    case state::deleting: return "Deleting";
    case state::resizing_scheduled: return "Resizing Scheduled";
    case state::resizing: return "Resizing";
  }
  return "Erred";
}

std::string symbol(state s) { return std::string(1, static_cast<char>(s)); }

std::optional<state> parse_state(const std::string& text) {
  for (auto s : all_states) {
    if (text.size() == 1 && text[0] == static_cast<char>(s))
      return s;
    if (lower(text) == lower(display_name(s)))
      return s;
  }
  return std::nullopt;
}

const char* transition_name(transition t) {
  switch (t) {
    case transition::begin_provisioning: return "begin_provisioning";
    case transition::set_online: return "set_online";
    case transition::set_offline: return "set_offline";
    case transition::schedule_starting: return "schedule_starting";
    case transition::begin_starting: return "begin_starting";
    case transition::schedule_stopping: return "schedule_stopping";
    case transition::begin_stopping: return "begin_stopping";
    case transition::schedule_deletion: return "schedule_deletion";
    case transition::begin_deleting: return "begin_deleting";
    case transition::schedule_resizing: return "schedule_resizing";
    case transition::begin_resizing: return "begin_resizing";
    case transition::set_resized: return "set_resized";
    case transition::set_erred: return "set_erred";
  }
  return "?";
}

} // namespace steward::instance
