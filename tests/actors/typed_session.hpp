#pragma once
// A maintenance session with every field set, for the tests of its JSON
// edges and of its serialization.
#include <chrono>

#include <nlohmann/json.hpp>

#include "messages/maintenance.hpp"

namespace steward::test {

/// A session in PLANNED_MAINTENANCE holding compute-2, with a round under
/// way, a move of each status and every optional set (whole seconds, as a
/// session keeps its dates).
inline maintenance::session every_field_session() {
  using namespace std::chrono;
  using namespace maintenance;
  auto at = [](int64_t s) { return sys_time{seconds{s}}; };
  session s;
  s.session_id = "7c0f8a52-1d4e-4b7a-9a63-0e1f2a3b4c5d";
  s.state = phase::planned;
  s.workflow = "default";
  s.maintenance_at = at(1900000000);
  s.metadata = {{"ticket", "OPS-42"}, {"reply_seconds", 30}};
  s.actions = nlohmann::json::array({{{"plugin", "dummy"}, {"type", "pre"}}});
  s.hosts = {"compute-1", "compute-2", "compute-3"};
  s.maintained = {"compute-1"};
  s.host = "compute-2";
  s.projects = std::vector<std::string>{"pa", "pb"};
  round r;
  r.state = phase::planned;
  r.allowed_actions = {instance_action::migrate, instance_action::live_migrate,
                       instance_action::own_action};
  r.reply_at = at(1900000620);
  r.actions_at = at(1900000620);
  r.replies["pa"] = reply{false, {{"a2", instance_action::live_migrate}}, at(1900000610)};
  r.replies["pb"] = reply{true, {}, at(1900000611)};
  r.replies["pc"] = std::nullopt;
  r.instances = {{"a2", "pa"}, {"b3", "pb"}, {"c4", "pc"}};
  s.asking = r;
  move waiting;
  waiting.project = "pa";
  move own;
  own.project = "pb";
  own.action = instance_action::own_action;
  own.progress = move::status::own;
  own.deadline = at(1900000720);
  move moving;
  moving.project = "pc";
  moving.action = instance_action::live_migrate;
  moving.progress = move::status::moving;
  moving.target = "compute-1";
  moving.deadline = at(1900001200);
  moving.was_erred = true;
  move done = moving;
  done.progress = move::status::done;
  done.was_erred = false;
  s.moves = {{"a9", waiting}, {"b3", own}, {"c4", moving}, {"d5", done}};
  s.host_done_at = at(1900002000);
  s.failed_state = phase::prepare;
  s.failure_reason = "project pb refused to move its instances from compute-2";
  s.reply_seconds = 30;
  s.own_action_seconds = 100;
  s.host_seconds = 45;
  s.move_seconds = 300;
  s.base_url = "http://steward:12347";
  s.created_at = at(1899990000);
  s.updated_at = at(1900000611);
  return s;
}

} // namespace steward::test
