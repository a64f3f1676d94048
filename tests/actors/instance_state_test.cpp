// Every transition of the instance state machine, allowed and forbidden.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "actors/instance/instance_state.hpp"

using namespace steward::instance;

namespace {

const std::vector<state> all = {
  state::provisioning_scheduled, state::provisioning, state::online, state::offline,
  state::starting_scheduled, state::starting, state::stopping_scheduled, state::stopping,
  state::erred, state::deletion_scheduled, state::deleting, state::resizing_scheduled,
  state::resizing};

// REFERENCE.md: transition -> {from states} -> to.
const std::map<transition, std::pair<std::set<char>, char>> allowed = {
  {transition::begin_provisioning, {{'p'}, 'P'}},
  {transition::set_online, {{'A', 'P'}, '+'}},
  {transition::set_offline, {{'P', 'O', 'R'}, '-'}},
  {transition::schedule_starting, {{'-'}, 'a'}},
  {transition::begin_starting, {{'a'}, 'A'}},
  {transition::schedule_stopping, {{'+'}, 'o'}},
  {transition::begin_stopping, {{'o'}, 'O'}},
  {transition::schedule_deletion, {{'-'}, 'd'}},
  {transition::begin_deleting, {{'d'}, 'D'}},
  {transition::schedule_resizing, {{'-'}, 'r'}},
  {transition::begin_resizing, {{'r'}, 'R'}},
  {transition::set_resized, {{'R'}, '-'}},
};

} // namespace

TEST(instance_state, every_transition_from_every_state) {
  for (auto& [t, rule] : allowed)
    for (auto from : all) {
      auto to = next(from, t);
      bool ok = rule.first.count(static_cast<char>(from)) > 0;
      EXPECT_EQ(to.has_value(), ok) << transition_name(t) << " from " << display_name(from);
      if (ok && to) {
        EXPECT_EQ(static_cast<char>(*to), rule.second) << transition_name(t);
      }
    }
}

TEST(instance_state, erred_from_anywhere) {
  for (auto from : all)
    EXPECT_EQ(next(from, transition::set_erred), state::erred);
}

TEST(instance_state, names_and_symbols) {
  EXPECT_STREQ(display_name(state::provisioning_scheduled), "Provisioning Scheduled");
  EXPECT_STREQ(display_name(state::online), "Online");
  EXPECT_EQ(symbol(state::online), "+");
  for (auto s : all) {
    EXPECT_EQ(parse_state(symbol(s)), s);
    EXPECT_EQ(parse_state(display_name(s)), s);
  }
  EXPECT_EQ(parse_state("online"), state::online);
  EXPECT_FALSE(parse_state("x"));
  EXPECT_FALSE(parse_state(""));
}
