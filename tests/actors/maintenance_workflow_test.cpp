// Fenix's default workflow driven step by step: the test holds the view of
// the cloud and the time, calls `advance`, and plays the compute layer itself
// (hosts disabled/enabled and marked as the effects say; instances moved by
// hand to the host a command names).
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "tests/actors/bodies.hpp"
#include "actors/instance/instance_state.hpp"
#include "actors/maintenance/constraints.hpp"
#include "actors/maintenance/placement.hpp"
#include "actors/maintenance/workflow.hpp"
#include "common/json_fields.hpp"
#include "common/time_format.hpp"
#include "tests/actors/typed_host.hpp"
#include "tests/actors/typed_instance.hpp"

using namespace steward;
using namespace steward::maintenance;
using nlohmann::json;
using std::chrono::seconds;

namespace {

const sys_time t0 = *timefmt::parse("2030-02-21 14:50:00", "%Y-%m-%d %H:%M:%S");
const std::string base = "http://steward:12347";

std::string at(sys_time t) {
  return show_time(t);
}

std::vector<compute_order> orders(const effects& fx, const std::string& type) {
  std::vector<compute_order> out;
  for (auto& c : fx.commands)
    if (c.type == type)
      out.push_back(c);
  return out;
}

std::vector<notice> notices(const effects& fx, const std::string& type) {
  std::vector<notice> out;
  for (auto& n : fx.notices)
    if (n.type == type)
      out.push_back(n);
  return out;
}

// The commands' types in order, with their host or instance: "compute.host.disable compute-2".
std::vector<std::string> summary(const effects& fx) {
  std::vector<std::string> out;
  for (auto& c : fx.commands) {
    auto p = c.payload;
    auto what = p.contains("instance_uuid") ? p["instance_uuid"].get<std::string>()
                                            : p["host"].get<std::string>();
    if (p.contains("target_host"))
      what += " -> " + p["target_host"].get<std::string>();
    out.push_back(c.type + " " + what);
  }
  return out;
}

// The view of a small cloud, the time, one session.
struct bench {
  world_view w;
  sys_time now = t0;
  maintenance_settings settings;
  maintenance::session s;
  std::vector<effects> history;

  void host(const std::string& name, int vcpus = 8, int ram = 16384, int disk = 200) {
    w.hosts["id-" + name] = test::typed_host(
      {{"id", "id-" + name}, {"hypervisor_hostname", name}, {"cloud", "default"},
       {"vcpus", vcpus}, {"memory_mb", ram}, {"local_gb", disk}, {"status", "enabled"},
       {"state", "up"}, {"in_maintenance", false}});
  }
  void instance(const std::string& uuid, const std::string& on, const std::string& project,
                int cores = 2, int ram = 4096, int system_mib = 10240) {
    w.instances[uuid] = test::typed_instance({{"uuid", uuid}, {"host", on}, {"project", project},
                             {"cloud_name", "default"}, {"cores", cores}, {"ram", ram},
                             {"system_volume_size", system_mib}, {"data_volume_size", 0},
                             {"state", instance::symbol(instance::state::online)}});
  }
  void constraint(const std::string& uuid, json fields) {
    json c = {{"instance_id", uuid}, {"project_id", w.instances.at(uuid)->project},
              {"group_id", nullptr}, {"migration_type", "MIGRATE"}, {"lead_time", 0}};
    c.update(fields);
    w.instance_constraints[uuid]
      = std::make_shared<const instance_constraint>(read_instance_constraint(c).value());
  }
  void group(const std::string& id, json fields) {
    json g = {{"group_id", id}, {"project_id", "pa"}, {"anti_affinity_group", false},
              {"max_instances_per_host", 0}, {"max_impacted_members", 0}};
    g.update(fields);
    w.group_constraints[id]
      = std::make_shared<const group_constraint>(read_group_constraint(g).value());
  }
  // The host as the inventory shows it.
  json host_doc(const std::string& name) const {
    return inventory::to_document(*w.hosts.at("id-" + name));
  }
  void edit_host(const std::string& name, const std::string& key, json value) {
    auto d = host_doc(name);
    d[key] = std::move(value);
    w.hosts["id-" + name] = test::typed_host(d);
  }
  // A maintenance session (`session`) holds the host.
  void hold_host(const std::string& name, const std::string& session) {
    auto h = *w.hosts.at("id-" + name);
    h.maintenance_session = session;
    w.hosts["id-" + name] = std::make_shared<const inventory::host>(h);
  }
  std::string host_of(const std::string& uuid) const {
    return w.instances.at(uuid)->host.value_or("");
  }
  void edit_instance(const std::string& uuid, const std::string& key, json value) {
    auto d = instance::to_document(*w.instances.at(uuid));
    d[key] = std::move(value);
    w.instances[uuid] = test::typed_instance(d);
  }
  void move(const std::string& uuid, const std::string& to) { edit_instance(uuid, "host", to); }

  // A session over `hosts` starting at maintenance_at = now + `wait`.
  void start(json hosts, seconds wait = seconds{0}, json metadata = json::object()) {
    json body = {{"state", "MAINTENANCE"}, {"workflow", "default"},
                 {"maintenance_at", at(now + wait)}, {"hosts", hosts}, {"metadata", metadata}};
    auto r = steward::test::make_session_from(body, w, {}, now, settings, base, s);
    ASSERT_FALSE(r) << r->message;
  }

  // One advance; the host side of its effects (disable/enable, marks) is
  // applied to the view as the compute layer and the inventory would.
  effects go(bool* changed = nullptr) {
    effects fx;
    bool c = advance(s, w, now, settings, fx);
    if (changed)
      *changed = c;
    for (auto& cmd : fx.commands) {
      if (cmd.type == "compute.host.disable") {
        edit_host(cmd.payload["host"], "status", "disabled");
        edit_host(cmd.payload["host"], "disabled_reason", cmd.payload["reason"]);
      } else if (cmd.type == "compute.host.enable") {
        edit_host(cmd.payload["host"], "status", "enabled");
        edit_host(cmd.payload["host"], "disabled_reason", "");
      }
    }
    for (auto& m : fx.marks) {
      auto h = *w.hosts.at(m.host_id);
      h.maintenance_session = m.in_maintenance ? s.session_id : "";
      w.hosts[m.host_id] = std::make_shared<const inventory::host>(h);
    }
    history.push_back(fx);
    return fx;
  }

  void later(int secs) { now += seconds{secs}; }

  void reply(const std::string& project, const std::string& state, json actions = json::object()) {
    auto r = steward::test::record_reply_from(s, project, {{"state", state}, {"instance_actions", actions}}, now);
    ASSERT_FALSE(r) << r->message;
  }

  std::string state() const { return name_of(s.state); }
  std::string held() const { return s.host.value_or(""); }
  // The session as its document shows it.
  json shown() const { return to_document(s); }
};

// The usual cloud: compute-1: a1 (pa), b1 (pb); compute-2: a2 (pa);
// compute-3: c1 (pc), b2 (pb); compute-4: empty (out of the session unless
// asked for).
void usual(bench& b) {
  for (auto name : {"compute-1", "compute-2", "compute-3", "compute-4"})
    b.host(name);
  b.instance("a1", "compute-1", "pa");
  b.instance("b1", "compute-1", "pb");
  b.instance("a2", "compute-2", "pa");
  b.instance("c1", "compute-3", "pc");
  b.instance("b2", "compute-3", "pb");
}

const json three = {"compute-1", "compute-2", "compute-3"};

// The usual cloud with the first round answered: compute-2 (fewest
// instances) is held and its project asked (PREPARE_MAINTENANCE).
void preparing(bench& b) {
  usual(b);
  b.start(three);
  b.go();
  b.reply("pa", "ACK_MAINTENANCE");
  b.reply("pb", "ACK_MAINTENANCE");
  b.reply("pc", "ACK_MAINTENANCE");
  b.go();
  ASSERT_EQ(b.state(), "PREPARE_MAINTENANCE");
  ASSERT_EQ(b.held(), "compute-2");
}

} // namespace

// -- the first round -----------------------------------------------------------

TEST(maintenance_workflow, first_round_tells_every_project_on_the_hosts) {
  bench b;
  usual(b);
  b.start({"compute-1", "compute-2"}, std::chrono::hours{1});
  bool changed = false;
  auto fx = b.go(&changed);
  EXPECT_TRUE(changed);
  EXPECT_EQ(b.state(), "MAINTENANCE");
  EXPECT_TRUE(fx.commands.empty());
  EXPECT_TRUE(fx.marks.empty());
  auto told = notices(fx, "maintenance.scheduled");
  ASSERT_EQ(told.size(), 2u); // pa and pb; pc has nothing on compute-1/2
  EXPECT_EQ(told[0].project, "pa");
  EXPECT_EQ(told[1].project, "pb");
  auto& p = told[0].payload;
  EXPECT_EQ(p["project_id"], "pa");
  EXPECT_EQ(p["session_id"], b.shown()["session_id"]);
  EXPECT_EQ(p["state"], "MAINTENANCE");
  EXPECT_EQ(p["instance_ids"], project_url(b.s, "pa"));
  EXPECT_EQ(p["reply_url"], project_url(b.s, "pa"));
  EXPECT_EQ(p["allowed_actions"], json::array());
  EXPECT_EQ(p["actions_at"], "2030-02-21 15:50:00"); // maintenance_at
  EXPECT_EQ(p["reply_at"], "2030-02-21 14:50:20");   // now + reply_seconds (20)
  EXPECT_EQ(b.shown()["projects"], json({"pa", "pb"}));
  EXPECT_EQ(b.shown()["round"]["instances"], json({{"a1", "pa"}, {"a2", "pa"}, {"b1", "pb"}}));
  EXPECT_EQ(b.shown()["updated_at"], "2030-02-21 14:50:00");
  EXPECT_EQ(wake_at(b.s), t0 + seconds{20});
  // Nothing more to do until someone answers or the time passes.
  fx = b.go(&changed);
  EXPECT_FALSE(changed);
  EXPECT_TRUE(fx.notices.empty());
}

TEST(maintenance_workflow, waits_for_maintenance_at_after_the_replies) {
  bench b;
  usual(b);
  b.start({"compute-1", "compute-2"}, std::chrono::hours{1});
  b.go();
  b.reply("pa", "ACK_MAINTENANCE");
  bool changed = false;
  b.go(&changed);
  EXPECT_FALSE(changed) << "pb has not answered and its time is not up";
  b.reply("pb", "ACK_MAINTENANCE");
  auto fx = b.go(&changed);
  EXPECT_TRUE(changed);
  EXPECT_EQ(b.state(), "MAINTENANCE");
  EXPECT_TRUE(b.shown()["round"].is_null());
  EXPECT_TRUE(fx.commands.empty());
  EXPECT_EQ(wake_at(b.s), t0 + std::chrono::hours{1});
  b.later(3599);
  fx = b.go(&changed);
  EXPECT_FALSE(changed);
  EXPECT_TRUE(fx.commands.empty());
  b.later(1);
  fx = b.go();
  EXPECT_EQ(b.state(), "PREPARE_MAINTENANCE");
  EXPECT_EQ(summary(fx), std::vector<std::string>{"compute.host.disable compute-2"});
}

TEST(maintenance_workflow, a_silent_first_round_ends_at_reply_at) {
  bench b;
  usual(b);
  b.start({"compute-1", "compute-2"}, std::chrono::hours{1});
  b.go();
  b.later(19);
  bool changed = true;
  b.go(&changed);
  EXPECT_FALSE(changed);
  EXPECT_TRUE(b.shown()["round"].is_object());
  b.later(1);
  b.go(&changed);
  EXPECT_TRUE(changed);
  EXPECT_TRUE(b.shown()["round"].is_null());
  EXPECT_EQ(b.state(), "MAINTENANCE");
  EXPECT_TRUE(b.held().empty());
}

TEST(maintenance_workflow, a_nack_of_the_first_round_fails_before_anything_is_held) {
  bench b;
  usual(b);
  b.start(three, std::chrono::hours{1});
  b.go();
  b.reply("pa", "ACK_MAINTENANCE");
  b.reply("pb", "NACK_MAINTENANCE");
  b.reply("pc", "ACK_MAINTENANCE");
  auto fx = b.go();
  EXPECT_EQ(b.state(), "MAINTENANCE_FAILED");
  EXPECT_EQ(b.shown()["failed_state"], "MAINTENANCE");
  EXPECT_EQ(b.shown()["failure_reason"], "project pb refused the maintenance");
  EXPECT_TRUE(fx.commands.empty());
  EXPECT_TRUE(fx.marks.empty());
  EXPECT_FALSE(wake_at(b.s));
  auto said = notices(fx, "maintenance.session");
  ASSERT_EQ(said.size(), 1u);
  EXPECT_EQ(said[0].payload["state"], "MAINTENANCE_FAILED");
  EXPECT_EQ(said[0].payload["reason"], "project pb refused the maintenance");
  // Resumed: every project is asked again.
  effects rfx;
  EXPECT_FALSE(resume(b.s, b.now, rfx));
  EXPECT_EQ(b.state(), "MAINTENANCE");
  EXPECT_TRUE(b.shown()["failure_reason"].is_null());
  fx = b.go();
  EXPECT_EQ(notices(fx, "maintenance.scheduled").size(), 3u);
  EXPECT_TRUE(b.shown()["round"].is_object());
}

// -- hosts one at a time -------------------------------------------------------

TEST(maintenance_workflow, an_empty_host_goes_straight_to_start_maintenance) {
  bench b;
  usual(b);
  b.start({"compute-1", "compute-4"}, seconds{0}, {{"host_seconds", 600}});
  b.go();
  b.reply("pa", "ACK_MAINTENANCE");
  b.reply("pb", "ACK_MAINTENANCE");
  auto fx = b.go();
  EXPECT_EQ(b.state(), "START_MAINTENANCE");
  EXPECT_EQ(b.held(), "compute-4");
  EXPECT_EQ(summary(fx), std::vector<std::string>{"compute.host.disable compute-4"});
  EXPECT_EQ(fx.commands[0].cloud, "default");
  EXPECT_EQ(fx.commands[0].payload["reason"],
            "maintenance session " + b.shown()["session_id"].get<std::string>());
  ASSERT_EQ(fx.marks.size(), 1u);
  EXPECT_EQ(fx.marks[0].host_id, "id-compute-4");
  EXPECT_TRUE(fx.marks[0].in_maintenance);
  auto h = notices(fx, "maintenance.host");
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0].payload["host"], "compute-4");
  EXPECT_EQ(h[0].payload["state"], "IN_MAINTENANCE");
  EXPECT_TRUE(notices(fx, "maintenance.scheduled").empty()) << "nobody to ask about an empty host";
  EXPECT_EQ(b.shown()["host_done_at"], "2030-02-21 15:00:00");
  EXPECT_EQ(wake_at(b.s), t0 + seconds{600});
  bool changed = true;
  b.later(599);
  b.go(&changed);
  EXPECT_FALSE(changed);
  b.later(1);
  fx = b.go();
  // Maintained, enabled again, and the next host (with instances) is taken up:
  // not the first host of the session any more, so PLANNED.
  EXPECT_EQ(b.shown()["maintained"], json({"compute-4"}));
  EXPECT_EQ(b.state(), "PLANNED_MAINTENANCE");
  EXPECT_EQ(b.held(), "compute-1");
  EXPECT_EQ(summary(fx), (std::vector<std::string>{"compute.host.enable compute-4",
                                                   "compute.host.disable compute-1"}));
  ASSERT_EQ(fx.marks.size(), 2u);
  EXPECT_EQ(fx.marks[0].host_id, "id-compute-4");
  EXPECT_FALSE(fx.marks[0].in_maintenance);
  EXPECT_EQ(fx.marks[1].host_id, "id-compute-1");
  EXPECT_TRUE(fx.marks[1].in_maintenance);
  h = notices(fx, "maintenance.host");
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0].payload["state"], "MAINTENANCE_COMPLETE");
  EXPECT_EQ(h[0].payload["host"], "compute-4");
  EXPECT_TRUE(b.shown()["host_done_at"].is_null());
}

TEST(maintenance_workflow, the_first_host_is_prepared_the_next_planned) {
  bench b;
  preparing(b);
  auto& fx = b.history.back();
  // compute-2 is disabled and marked before anything moves.
  EXPECT_EQ(summary(fx), std::vector<std::string>{"compute.host.disable compute-2"});
  ASSERT_EQ(fx.marks.size(), 1u);
  EXPECT_EQ(fx.marks[0].host_id, "id-compute-2");
  EXPECT_TRUE(fx.marks[0].in_maintenance);
  auto told = notices(fx, "maintenance.scheduled");
  ASSERT_EQ(told.size(), 1u);
  EXPECT_EQ(told[0].project, "pa");
  EXPECT_EQ(told[0].payload["state"], "PREPARE_MAINTENANCE");
  EXPECT_EQ(told[0].payload["allowed_actions"], json({"MIGRATE", "LIVE_MIGRATE", "OWN_ACTION"}));
  EXPECT_EQ(told[0].payload["reply_at"], "2030-02-21 14:50:20");
  EXPECT_EQ(told[0].payload["actions_at"], "2030-02-21 14:50:20");
  EXPECT_EQ(b.shown()["round"]["instances"], json({{"a2", "pa"}}));
  EXPECT_EQ(wake_at(b.s), t0 + seconds{20});

  b.reply("pa", "ACK_PREPARE_MAINTENANCE", {{"a2", "MIGRATE"}});
  auto mfx = b.go();
  // compute-4 is empty, so it has the most free memory.
  EXPECT_EQ(summary(mfx), std::vector<std::string>{"compute.instance.migrate a2 -> compute-4"});
  EXPECT_EQ(mfx.commands[0].cloud, "default");
  EXPECT_EQ(b.shown()["moves"]["a2"]["status"], "moving");
  EXPECT_EQ(b.shown()["moves"]["a2"]["target"], "compute-4");
  b.move("a2", "compute-4");
  auto dfx = b.go();
  EXPECT_EQ(summary(dfx), (std::vector<std::string>{"compute.instance.migrate_confirm a2",
                                                    "compute.host.enable compute-2",
                                                    "compute.host.disable compute-1"}));
  EXPECT_EQ(b.shown()["maintained"], json({"compute-2"}));
  EXPECT_EQ(b.state(), "PLANNED_MAINTENANCE");
  EXPECT_EQ(b.held(), "compute-1");
  auto told2 = notices(dfx, "maintenance.scheduled");
  ASSERT_EQ(told2.size(), 3u);
  EXPECT_EQ(told2[0].payload["state"], "INSTANCE_ACTION_DONE");
  EXPECT_EQ(told2[0].project, "pa");
  EXPECT_EQ(told2[0].payload["instance_ids"], json({"a2"}));
  EXPECT_EQ(told2[1].payload["state"], "PLANNED_MAINTENANCE");
  EXPECT_EQ(told2[1].project, "pa");
  EXPECT_EQ(told2[2].payload["state"], "PLANNED_MAINTENANCE");
  EXPECT_EQ(told2[2].project, "pb");
  EXPECT_EQ(b.shown()["round"]["instances"], json({{"a1", "pa"}, {"b1", "pb"}}));
  // START_MAINTENANCE was passed through (host_seconds 0).
  std::vector<std::string> states;
  for (auto& n : notices(dfx, "maintenance.session"))
    states.push_back(n.payload["state"]);
  EXPECT_EQ(states, (std::vector<std::string>{"START_MAINTENANCE", "PLANNED_MAINTENANCE"}));
}

// -- replies honoured ----------------------------------------------------------

TEST(maintenance_workflow, live_migrate_is_not_confirmed) {
  bench b;
  preparing(b);
  b.reply("pa", "ACK_PREPARE_MAINTENANCE", {{"a2", "LIVE_MIGRATE"}});
  auto fx = b.go();
  EXPECT_EQ(summary(fx),
            std::vector<std::string>{"compute.instance.live_migrate a2 -> compute-4"});
  b.move("a2", "compute-4");
  fx = b.go();
  EXPECT_TRUE(orders(fx, "compute.instance.migrate_confirm").empty());
  EXPECT_EQ(b.shown()["maintained"], json({"compute-2"}));
}

TEST(maintenance_workflow, migrate_waits_for_the_instance_to_leave) {
  bench b;
  preparing(b);
  b.reply("pa", "ACK_PREPARE_MAINTENANCE", {{"a2", "MIGRATE"}});
  b.go();
  b.later(30);
  bool changed = true;
  auto fx = b.go(&changed);
  EXPECT_FALSE(changed) << "still on compute-2";
  EXPECT_TRUE(fx.commands.empty());
  // The deadline of a move is move_seconds after it was commanded.
  EXPECT_EQ(wake_at(b.s), t0 + seconds{600});
  b.move("a2", "compute-4");
  fx = b.go();
  auto confirm = orders(fx, "compute.instance.migrate_confirm");
  ASSERT_EQ(confirm.size(), 1u);
  EXPECT_EQ(confirm[0].payload, json({{"instance_uuid", "a2"}}));
  EXPECT_EQ(confirm[0].cloud, "default");
}

TEST(maintenance_workflow, a_move_that_does_not_end_in_time_fails_the_session) {
  bench b;
  preparing(b);
  b.reply("pa", "ACK_PREPARE_MAINTENANCE", {{"a2", "MIGRATE"}});
  b.go();
  b.later(599);
  b.go();
  EXPECT_EQ(b.state(), "PREPARE_MAINTENANCE") << "own_action_seconds (120) is not a move's time";
  b.later(1);
  auto fx = b.go();
  EXPECT_EQ(b.state(), "MAINTENANCE_FAILED");
  EXPECT_EQ(b.shown()["failure_reason"], "moving instance a2 off compute-2 did not finish in time");
  EXPECT_EQ(summary(fx), std::vector<std::string>{"compute.host.enable compute-2"});
}

TEST(maintenance_workflow, silent_projects_get_the_constraint_or_the_configured_default) {
  bench b;
  usual(b);
  b.constraint("a1", {{"migration_type", "LIVE_MIGRATE"}});
  b.start({"compute-1"});
  b.go();
  b.later(20); // nobody answers
  b.go();
  ASSERT_EQ(b.state(), "PREPARE_MAINTENANCE");
  b.later(20); // nobody answers again
  auto fx = b.go();
  // a1 by its constraint; b1 by the configured default (MIGRATE). Both go
  // to the empty hosts with the most memory: compute-4 first, then compute-2
  // (compute-4 counts a1 on its way there).
  EXPECT_EQ(summary(fx), (std::vector<std::string>{"compute.instance.live_migrate a1 -> compute-4",
                                                   "compute.instance.migrate b1 -> compute-2"}));
  EXPECT_EQ(b.shown()["moves"]["a1"]["action"], "LIVE_MIGRATE");
  EXPECT_EQ(b.shown()["moves"]["b1"]["action"], "MIGRATE");
}

TEST(maintenance_workflow, the_configured_default_action) {
  bench b;
  usual(b);
  b.settings.default_action = instance_action::live_migrate;
  b.start({"compute-2"});
  b.go();
  b.later(20);
  b.go();
  b.later(20);
  auto fx = b.go();
  EXPECT_EQ(summary(fx),
            std::vector<std::string>{"compute.instance.live_migrate a2 -> compute-4"});
}

TEST(maintenance_workflow, a_reply_overrides_the_constraint) {
  bench b;
  usual(b);
  b.constraint("a2", {{"migration_type", "LIVE_MIGRATE"}});
  b.start({"compute-2"});
  b.go();
  b.reply("pa", "ACK_MAINTENANCE");
  b.go();
  b.reply("pa", "ACK_PREPARE_MAINTENANCE", {{"a2", "MIGRATE"}});
  auto fx = b.go();
  EXPECT_EQ(summary(fx), std::vector<std::string>{"compute.instance.migrate a2 -> compute-4"});
}

// -- OWN_ACTION ------------------------------------------------------------------

TEST(maintenance_workflow, own_action_waits_for_the_project_to_move_it) {
  bench b;
  preparing(b);
  b.reply("pa", "ACK_PREPARE_MAINTENANCE", {{"a2", "OWN_ACTION"}});
  auto fx = b.go();
  EXPECT_TRUE(fx.commands.empty());
  EXPECT_EQ(b.shown()["moves"]["a2"]["status"], "own");
  EXPECT_EQ(b.shown()["moves"]["a2"]["deadline"], "2030-02-21 14:52:00");
  EXPECT_EQ(wake_at(b.s), t0 + seconds{120});
  b.later(60);
  b.move("a2", "compute-3"); // the project moved it itself
  fx = b.go();
  EXPECT_TRUE(orders(fx, "compute.instance.migrate").empty());
  EXPECT_TRUE(orders(fx, "compute.instance.migrate_confirm").empty());
  auto done = notices(fx, "maintenance.scheduled");
  ASSERT_GE(done.size(), 1u);
  EXPECT_EQ(done[0].payload["state"], "INSTANCE_ACTION_DONE");
  EXPECT_EQ(done[0].payload["instance_ids"], json({"a2"}));
  EXPECT_EQ(b.shown()["maintained"], json({"compute-2"}));
}

TEST(maintenance_workflow, own_action_may_remove_the_instance) {
  bench b;
  preparing(b);
  b.reply("pa", "ACK_PREPARE_MAINTENANCE", {{"a2", "OWN_ACTION"}});
  b.go();
  b.w.instances.erase("a2");
  auto fx = b.go();
  EXPECT_TRUE(orders(fx, "compute.instance.migrate").empty());
  auto done = notices(fx, "maintenance.scheduled");
  ASSERT_GE(done.size(), 1u);
  EXPECT_EQ(done[0].payload["state"], "INSTANCE_ACTION_DONE");
  EXPECT_EQ(b.shown()["maintained"], json({"compute-2"}));
}

TEST(maintenance_workflow, after_own_action_seconds_steward_migrates_what_is_left) {
  bench b;
  usual(b);
  b.start({"compute-1"}, seconds{0}, {{"own_action_seconds", 300}});
  b.go();
  b.later(20);
  b.go();
  b.reply("pa", "ACK_PREPARE_MAINTENANCE", {{"a1", "OWN_ACTION"}});
  b.reply("pb", "ACK_PREPARE_MAINTENANCE", {{"b1", "OWN_ACTION"}});
  b.go();
  auto start = b.now;
  EXPECT_EQ(wake_at(b.s), start + seconds{300});
  b.move("b1", "compute-2"); // pb did it
  b.go();
  EXPECT_EQ(b.shown()["moves"]["b1"]["status"], "done");
  b.later(299);
  auto fx = b.go();
  EXPECT_TRUE(fx.commands.empty());
  b.later(1);
  fx = b.go();
  // compute-2 has b1 now; compute-4 is empty.
  EXPECT_EQ(summary(fx), std::vector<std::string>{"compute.instance.migrate a1 -> compute-4"});
  EXPECT_EQ(b.shown()["moves"]["a1"]["action"], "MIGRATE");
  EXPECT_EQ(b.shown()["moves"]["a1"]["status"], "moving");
  b.move("a1", "compute-4");
  fx = b.go();
  EXPECT_EQ(orders(fx, "compute.instance.migrate_confirm").size(), 1u);
  EXPECT_EQ(b.state(), "MAINTENANCE_COMPLETE");
}

TEST(maintenance_workflow, own_action_default_falls_back_to_migrate) {
  bench b;
  usual(b);
  b.settings.default_action = instance_action::own_action;
  b.start({"compute-2"});
  b.go();
  b.later(20);
  b.go();
  b.later(20);
  auto fx = b.go();
  EXPECT_TRUE(fx.commands.empty());
  EXPECT_EQ(b.shown()["moves"]["a2"]["status"], "own");
  b.later(120);
  fx = b.go();
  EXPECT_EQ(summary(fx), std::vector<std::string>{"compute.instance.migrate a2 -> compute-4"});
}

// -- failures and resume ---------------------------------------------------------

TEST(maintenance_workflow, a_nack_fails_releases_the_host_and_moves_nothing) {
  bench b;
  preparing(b);
  b.reply("pa", "NACK_PREPARE_MAINTENANCE");
  auto fx = b.go();
  EXPECT_EQ(b.state(), "MAINTENANCE_FAILED");
  EXPECT_EQ(b.shown()["failed_state"], "PREPARE_MAINTENANCE");
  EXPECT_EQ(b.shown()["failure_reason"], "project pa refused to move its instances from compute-2");
  EXPECT_EQ(summary(fx), std::vector<std::string>{"compute.host.enable compute-2"});
  ASSERT_EQ(fx.marks.size(), 1u);
  EXPECT_EQ(fx.marks[0].host_id, "id-compute-2");
  EXPECT_FALSE(fx.marks[0].in_maintenance);
  EXPECT_TRUE(b.held().empty());
  EXPECT_TRUE(b.shown()["round"].is_null());
  EXPECT_EQ(b.shown()["moves"], json::object());
  EXPECT_FALSE(wake_at(b.s));
  EXPECT_EQ(b.host_doc("compute-2")["status"], "enabled");
  EXPECT_EQ(b.host_of("a2"), "compute-2");
  // A failed session does not go on by itself.
  b.later(600);
  bool changed = true;
  b.go(&changed);
  EXPECT_FALSE(changed);

  // Resumed: compute-2 again, then the rest, to the end.
  effects rfx;
  ASSERT_FALSE(resume(b.s, b.now, rfx));
  EXPECT_EQ(b.state(), "MAINTENANCE");
  EXPECT_TRUE(b.shown()["failed_state"].is_null());
  ASSERT_EQ(notices(rfx, "maintenance.session").size(), 1u);
  fx = b.go();
  EXPECT_EQ(b.state(), "PREPARE_MAINTENANCE");
  EXPECT_EQ(b.held(), "compute-2");
  EXPECT_EQ(summary(fx), std::vector<std::string>{"compute.host.disable compute-2"});
  EXPECT_EQ(notices(fx, "maintenance.scheduled").size(), 1u) << "only pa, about compute-2";
  b.reply("pa", "ACK_PREPARE_MAINTENANCE");
  fx = b.go();
  EXPECT_EQ(summary(fx), std::vector<std::string>{"compute.instance.migrate a2 -> compute-4"});
  b.move("a2", "compute-4");
  b.go();
  EXPECT_EQ(b.held(), "compute-1");
  b.later(20);
  fx = b.go();
  // a1 and b1 to the maintained compute-2.
  EXPECT_EQ(summary(fx), (std::vector<std::string>{"compute.instance.migrate a1 -> compute-2",
                                                   "compute.instance.migrate b1 -> compute-2"}));
  b.move("a1", "compute-2");
  b.move("b1", "compute-2");
  b.go();
  EXPECT_EQ(b.held(), "compute-3");
  b.later(20);
  fx = b.go();
  // compute-1 is maintained and empty now: most free memory among the maintained.
  EXPECT_EQ(summary(fx), (std::vector<std::string>{"compute.instance.migrate b2 -> compute-1",
                                                   "compute.instance.migrate c1 -> compute-1"}));
  b.move("b2", "compute-1");
  b.move("c1", "compute-1");
  fx = b.go();
  EXPECT_EQ(b.state(), "MAINTENANCE_COMPLETE");
  EXPECT_EQ(b.shown()["maintained"], json({"compute-2", "compute-1", "compute-3"}));
  auto told = notices(fx, "maintenance.scheduled");
  std::vector<std::string> complete;
  for (auto& n : told)
    if (n.payload["state"] == "MAINTENANCE_COMPLETE")
      complete.push_back(n.project);
  EXPECT_EQ(complete, (std::vector<std::string>{"pa", "pb", "pc"}));
  b.reply("pa", "ACK_MAINTENANCE_COMPLETE");
  b.reply("pb", "ACK_MAINTENANCE_COMPLETE");
  b.reply("pc", "ACK_MAINTENANCE_COMPLETE");
  b.go();
  EXPECT_EQ(b.state(), "MAINTENANCE_DONE");
  EXPECT_FALSE(wake_at(b.s));
}

TEST(maintenance_workflow, only_a_failed_session_resumes) {
  bench b;
  preparing(b);
  effects fx;
  auto r = resume(b.s, b.now, fx);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 409);
  EXPECT_EQ(b.state(), "PREPARE_MAINTENANCE");
  EXPECT_TRUE(fx.notices.empty());
}

TEST(maintenance_workflow, an_erred_move_fails_the_session) {
  bench b;
  preparing(b);
  b.reply("pa", "ACK_PREPARE_MAINTENANCE", {{"a2", "MIGRATE"}});
  b.go();
  b.edit_instance("a2", "state", instance::symbol(instance::state::erred));
  auto fx = b.go();
  EXPECT_EQ(b.state(), "MAINTENANCE_FAILED");
  EXPECT_EQ(b.shown()["failed_state"], "PREPARE_MAINTENANCE");
  EXPECT_EQ(b.shown()["failure_reason"], "moving instance a2 failed");
  EXPECT_EQ(summary(fx), std::vector<std::string>{"compute.host.enable compute-2"});
  EXPECT_EQ(b.shown()["moves"], json::object());
}

TEST(maintenance_workflow, no_room_anywhere_fails_the_session) {
  bench b;
  usual(b);
  // The only other hosts: one down, one disabled, one full.
  b.edit_host("compute-1", "state", "down");
  b.edit_host("compute-3", "status", "disabled");
  b.host("compute-4", 8, 4096, 200);
  b.instance("d1", "compute-4", "pd", 2, 4096);
  b.start({"compute-2"});
  b.go();
  b.later(20);
  b.go();
  b.reply("pa", "ACK_PREPARE_MAINTENANCE");
  auto fx = b.go();
  EXPECT_EQ(b.state(), "MAINTENANCE_FAILED");
  EXPECT_EQ(b.shown()["failure_reason"], "no host has room for instance a2");
  EXPECT_EQ(summary(fx), std::vector<std::string>{"compute.host.enable compute-2"});
}

TEST(maintenance_workflow, abandon_releases_the_held_host) {
  bench b;
  preparing(b);
  effects fx;
  abandon(b.s, b.w, fx);
  EXPECT_EQ(summary(fx), std::vector<std::string>{"compute.host.enable compute-2"});
  ASSERT_EQ(fx.marks.size(), 1u);
  EXPECT_FALSE(fx.marks[0].in_maintenance);
  bench idle;
  usual(idle);
  idle.start(three);
  effects none;
  abandon(idle.s, idle.w, none);
  EXPECT_TRUE(none.commands.empty());
  EXPECT_TRUE(none.marks.empty());
}

TEST(maintenance_workflow, an_instance_arriving_meanwhile_is_moved_too) {
  bench b;
  preparing(b);
  b.reply("pa", "ACK_PREPARE_MAINTENANCE", {{"a2", "LIVE_MIGRATE"}});
  b.go();
  b.instance("n1", "compute-2", "pc");
  auto fx = b.go();
  EXPECT_EQ(summary(fx), std::vector<std::string>{"compute.instance.migrate n1 -> compute-4"});
  EXPECT_EQ(b.shown()["moves"]["n1"]["project"], "pc");
}

// -- placement -----------------------------------------------------------------

namespace {

// Host loads: compute-1 a1,b1; compute-2 a2; compute-3 c1,b2; compute-4 empty.
std::optional<std::string> target(const bench& b, const std::string& uuid,
                                  const maintenance::session& s) {
  return choose_target(b.w, uuid, s, 4.0);
}

maintenance::session emptying(const std::string& host, std::vector<std::string> maintained = {},
                              std::map<std::string, move> moves = {}) {
  maintenance::session s;
  s.host = host;
  s.maintained = std::move(maintained);
  s.moves = std::move(moves);
  return s;
}

move moving_to(const std::string& host) {
  move m;
  m.progress = move::status::moving;
  m.target = host;
  return m;
}

} // namespace

TEST(maintenance_placement, most_free_memory_first) {
  bench b;
  usual(b);
  EXPECT_EQ(target(b, "a1", emptying("compute-1")), "compute-4");
  b.instance("big", "compute-4", "pd", 2, 12288);
  // compute-4 has 4096 left, compute-2 12288.
  EXPECT_EQ(target(b, "a1", emptying("compute-1")), "compute-2");
}

TEST(maintenance_placement, maintained_hosts_first) {
  bench b;
  usual(b);
  // compute-3 (two instances) is maintained: chosen over the emptier compute-4.
  EXPECT_EQ(target(b, "a1", emptying("compute-1", {"compute-3"})), "compute-3");
  EXPECT_EQ(target(b, "a1", emptying("compute-1", {"compute-3", "compute-2"})), "compute-2");
}

TEST(maintenance_placement, never_an_unusable_host_or_the_one_emptied) {
  bench b;
  usual(b);
  // Without a2, compute-2 is as free as compute-4 and first by name; it is
  // the host emptied, though.
  EXPECT_EQ(target(b, "a2", emptying("compute-2")), "compute-4");
  b.instance("x", "compute-4", "pd");
  // compute-2 has the most free memory; compute-4 is the one emptied.
  EXPECT_EQ(target(b, "x", emptying("compute-4")), "compute-2");
  b.edit_host("compute-2", "status", "disabled");
  EXPECT_EQ(target(b, "x", emptying("compute-4")), "compute-1"); // tie with compute-3: by name
  b.edit_host("compute-1", "state", "down");
  EXPECT_EQ(target(b, "x", emptying("compute-4")), "compute-3");
  b.hold_host("compute-3", "another session");
  EXPECT_FALSE(target(b, "x", emptying("compute-4")));
  // Even maintained, a disabled host is not a target.
  EXPECT_FALSE(target(b, "x", emptying("compute-4", {"compute-2"})));
  // Another cloud's host neither.
  bench c;
  usual(c);
  for (auto name : {"compute-1", "compute-3", "compute-4"})
    c.edit_host(name, "cloud", "other");
  EXPECT_FALSE(target(c, "a2", emptying("compute-2")));
  EXPECT_FALSE(target(c, "zz", emptying("compute-2"))) << "unknown instance";
}

TEST(maintenance_placement, capacity_counts_moves_under_way) {
  bench b;
  for (auto name : {"compute-1", "compute-2"})
    b.host(name, 1, 8192, 20);
  b.instance("x", "compute-1", "pa", 2, 4096, 10240);
  b.instance("y", "compute-1", "pa", 2, 4096, 10240);
  b.instance("z", "compute-1", "pa", 2, 4096, 10240);
  // 1 vcpu * 4.0 = 4 cores, 8192 MiB, 20 GB on compute-2.
  EXPECT_EQ(target(b, "x", emptying("compute-1")), "compute-2");
  std::map<std::string, move> moving = {{"x", moving_to("compute-2")}};
  EXPECT_EQ(target(b, "y", emptying("compute-1", {}, moving)), "compute-2");
  moving["y"] = moving_to("compute-2");
  EXPECT_FALSE(target(b, "z", emptying("compute-1", {}, moving)));
  // Only moving ones count: a waiting move stays where it is.
  moving["y"] = move{};
  EXPECT_EQ(target(b, "z", emptying("compute-1", {}, moving)), "compute-2");
  // The cpu allocation ratio bounds cores.
  EXPECT_FALSE(choose_target(b.w, "x", emptying("compute-1"), 1.0));
  // Disk: 10 GiB of system volume each, 20 GB on the host.
  bench d;
  for (auto name : {"compute-1", "compute-2"})
    d.host(name, 8, 65536, 15);
  d.instance("x", "compute-1", "pa", 1, 1024, 10240);
  d.instance("w", "compute-2", "pa", 1, 1024, 6144);
  EXPECT_FALSE(choose_target(d.w, "x", emptying("compute-1"), 4.0)) << "10 + 6 GiB > 15 GB";
}

TEST(maintenance_placement, groups_keep_anti_affinity_and_per_host_limits) {
  bench b;
  usual(b);
  b.instance("g1", "compute-4", "pa");
  b.instance("g2", "compute-1", "pa");
  for (auto id : {"g1", "g2", "a2"})
    b.constraint(id, {{"group_id", "db"}});
  EXPECT_EQ(group_of(b.w, "a2"), "db");
  EXPECT_EQ(group_of(b.w, "c1"), "");
  // Without group rules: the most free memory (compute-4 has one instance).
  EXPECT_EQ(target(b, "a2", emptying("compute-2")), "compute-4");
  b.group("db", {{"anti_affinity_group", true}});
  // compute-4 and compute-1 have a member: compute-3.
  EXPECT_EQ(target(b, "a2", emptying("compute-2")), "compute-3");
  // A member on its way to compute-3 counts there.
  b.instance("g3", "compute-2", "pa");
  b.constraint("g3", {{"group_id", "db"}});
  std::map<std::string, move> moving = {{"g3", moving_to("compute-3")}};
  EXPECT_FALSE(target(b, "a2", emptying("compute-2", {}, moving)));
  // Two per host at most instead.
  b.group("db", {{"anti_affinity_group", false}, {"max_instances_per_host", 2}});
  b.instance("g4", "compute-4", "pa");
  b.constraint("g4", {{"group_id", "db"}});
  // compute-4 has two members (g1, g4): full for the group; compute-1 has one.
  EXPECT_EQ(target(b, "a2", emptying("compute-2", {}, moving)), "compute-1");
}

TEST(maintenance_workflow, maintained_hosts_are_preferred_to_emptier_ones) {
  bench b;
  b.host("compute-1");
  b.host("compute-2");
  b.host("spare", 16, 65536, 1000); // out of the session, much emptier
  b.instance("a1", "compute-1", "pa");
  b.instance("a2", "compute-2", "pa");
  b.instance("b1", "compute-2", "pb");
  b.start({"compute-1", "compute-2"});
  b.go();
  b.later(20);
  b.go();
  ASSERT_EQ(b.held(), "compute-1");
  b.later(20);
  auto fx = b.go();
  // Nothing maintained yet: the most free memory.
  EXPECT_EQ(summary(fx), std::vector<std::string>{"compute.instance.migrate a1 -> spare"});
  b.move("a1", "spare");
  b.go();
  ASSERT_EQ(b.held(), "compute-2");
  b.later(20);
  fx = b.go();
  EXPECT_EQ(summary(fx), (std::vector<std::string>{"compute.instance.migrate a2 -> compute-1",
                                                   "compute.instance.migrate b1 -> compute-1"}));
}

TEST(maintenance_workflow, max_impacted_members_limits_moves_in_flight) {
  bench b;
  usual(b);
  b.instance("a3", "compute-2", "pa");
  b.constraint("a2", {{"group_id", "db"}});
  b.constraint("a3", {{"group_id", "db"}});
  b.group("db", {{"max_impacted_members", 1}});
  b.start({"compute-2"});
  b.go();
  b.reply("pa", "ACK_MAINTENANCE");
  b.go();
  b.reply("pa", "ACK_PREPARE_MAINTENANCE");
  auto fx = b.go();
  EXPECT_EQ(summary(fx), std::vector<std::string>{"compute.instance.migrate a2 -> compute-4"});
  EXPECT_EQ(b.shown()["moves"]["a3"]["status"], "waiting");
  // No deadline for a waiting move: the next wake is a2's.
  EXPECT_EQ(wake_at(b.s), b.now + seconds{600});
  bool changed = true;
  b.go(&changed);
  EXPECT_FALSE(changed);
  b.move("a2", "compute-4");
  fx = b.go();
  // a2 arrived on compute-4, which still has the most free memory.
  EXPECT_EQ(summary(fx), (std::vector<std::string>{"compute.instance.migrate_confirm a2",
                                                   "compute.instance.migrate a3 -> compute-4"}));
}

TEST(maintenance_workflow, without_a_limit_the_group_moves_together) {
  bench b;
  usual(b);
  b.instance("a3", "compute-2", "pa");
  b.constraint("a2", {{"group_id", "db"}});
  b.constraint("a3", {{"group_id", "db"}});
  b.group("db", {{"max_impacted_members", 0}});
  b.start({"compute-2"});
  b.go();
  b.reply("pa", "ACK_MAINTENANCE");
  b.go();
  b.reply("pa", "ACK_PREPARE_MAINTENANCE");
  auto fx = b.go();
  EXPECT_EQ(orders(fx, "compute.instance.migrate").size(), 2u);
}

// -- lead time and wake-ups ----------------------------------------------------

TEST(maintenance_workflow, lead_time_lengthens_reply_at) {
  bench b;
  usual(b);
  b.constraint("a2", {{"lead_time", 300}});
  b.start({"compute-1", "compute-2"}, std::chrono::hours{1});
  auto fx = b.go();
  auto told = notices(fx, "maintenance.scheduled");
  ASSERT_EQ(told.size(), 2u);
  EXPECT_EQ(told[0].payload["reply_at"], "2030-02-21 14:55:00");
  EXPECT_EQ(told[1].payload["reply_at"], "2030-02-21 14:55:00");
  EXPECT_EQ(b.shown()["round"]["reply_at"], "2030-02-21 14:55:00");
  EXPECT_EQ(wake_at(b.s), t0 + seconds{300});
  // Shorter than reply_seconds: no effect.
  bench c;
  usual(c);
  c.constraint("a2", {{"lead_time", 5}});
  c.start({"compute-2"});
  c.go();
  EXPECT_EQ(c.shown()["round"]["reply_at"], "2030-02-21 14:50:20");
  // An instance outside the session's hosts does not count.
  bench d;
  usual(d);
  d.constraint("c1", {{"lead_time", 300}});
  d.start({"compute-2"});
  d.go();
  EXPECT_EQ(d.shown()["round"]["reply_at"], "2030-02-21 14:50:20");
  // In the round about its host too.
  bench e;
  usual(e);
  e.start({"compute-2"});
  e.go();
  e.later(20);
  e.constraint("a2", {{"lead_time", 90}});
  e.go();
  ASSERT_EQ(e.state(), "PREPARE_MAINTENANCE");
  EXPECT_EQ(e.shown()["round"]["reply_at"], at(e.now + seconds{90}));
}

TEST(maintenance_workflow, wake_at_in_each_phase) {
  bench b;
  usual(b);
  b.start({"compute-4", "compute-2"}, seconds{3600}, {{"host_seconds", 45}});
  EXPECT_EQ(wake_at(b.s), t0 + seconds{3600}) << "nothing asked yet";
  b.go();
  EXPECT_EQ(wake_at(b.s), t0 + seconds{20});   // first round's reply_at
  b.later(20);
  b.go();
  EXPECT_EQ(wake_at(b.s), t0 + seconds{3600}); // maintenance_at
  b.now = t0 + seconds{3600};
  b.go();
  ASSERT_EQ(b.state(), "START_MAINTENANCE");   // compute-4 is empty
  EXPECT_EQ(wake_at(b.s), b.now + seconds{45}); // host_done_at
  b.later(45);
  b.go();
  ASSERT_EQ(b.state(), "PLANNED_MAINTENANCE");
  EXPECT_EQ(wake_at(b.s), b.now + seconds{20}); // the host round's reply_at
  b.reply("pa", "ACK_PLANNED_MAINTENANCE", {{"a2", "OWN_ACTION"}});
  b.go();
  EXPECT_EQ(wake_at(b.s), b.now + seconds{120}); // own action deadline
  b.later(120);
  b.go();
  EXPECT_EQ(wake_at(b.s), b.now + seconds{600}); // the move's deadline
  b.move("a2", "compute-4");
  b.go();
  ASSERT_EQ(b.state(), "START_MAINTENANCE");
  EXPECT_EQ(wake_at(b.s), b.now + seconds{45});
  b.later(45);
  b.go();
  ASSERT_EQ(b.state(), "MAINTENANCE_COMPLETE");
  EXPECT_EQ(wake_at(b.s), b.now + seconds{20}); // the last round's reply_at
  b.later(20);
  b.go();
  EXPECT_EQ(b.state(), "MAINTENANCE_DONE");
  EXPECT_FALSE(wake_at(b.s));
}

// -- the whole run ---------------------------------------------------------------

namespace {

// Plays the compute layer and the projects until the session ends: commands
// are carried out at once, silent projects let their reply time pass.
void run_to_the_end(bench& b, std::vector<std::string>& problems) {
  for (int i = 0; i < 200 && is_running(b.s); ++i) {
    auto held = b.held();
    auto fx = b.go();
    for (auto& c : fx.commands) {
      if (c.type != "compute.instance.migrate" && c.type != "compute.instance.live_migrate")
        continue;
      auto to = c.payload["target_host"].get<std::string>();
      auto h = b.host_doc(to);
      if (bool_field(h, "in_maintenance") || text_field(h, "status") != "enabled"
          || to == b.held())
        problems.push_back(c.payload["instance_uuid"].get<std::string>() + " commanded onto "
                           + to + ", which is under maintenance");
      b.move(c.payload["instance_uuid"], to);
    }
    if (fx.commands.empty() && fx.notices.empty()) {
      auto next = wake_at(b.s);
      if (!next) {
        problems.push_back("stuck in " + b.state());
        return;
      }
      b.now = std::max(b.now, *next);
    }
  }
}

} // namespace

TEST(maintenance_workflow, a_whole_run_over_every_host) {
  bench b;
  usual(b);
  b.instance("c2", "compute-4", "pc");
  b.instance("a3", "compute-1", "pa");
  b.start(json::array(), seconds{600}, {{"host_seconds", 30}});
  ASSERT_EQ(b.shown()["hosts"], json({"compute-1", "compute-2", "compute-3", "compute-4"}));
  std::vector<std::string> problems;
  run_to_the_end(b, problems);
  EXPECT_EQ(problems, std::vector<std::string>{});
  EXPECT_EQ(b.state(), "MAINTENANCE_DONE");
  auto maintained = b.shown()["maintained"].get<std::vector<std::string>>();
  EXPECT_EQ(maintained.size(), 4u);
  EXPECT_EQ(std::set<std::string>(maintained.begin(), maintained.end()),
            (std::set<std::string>{"compute-1", "compute-2", "compute-3", "compute-4"}));
  // Every host back in service; every instance still there, online.
  for (auto& [id, h] : b.w.hosts) {
    EXPECT_TRUE(h->enabled) << id;
    EXPECT_FALSE(inventory::in_maintenance(*h)) << id;
  }
  EXPECT_EQ(b.w.instances.size(), 7u);
  for (auto& [uuid, i] : b.w.instances)
    EXPECT_EQ(i->current, instance::state::online) << uuid;
  // Each host disabled and enabled exactly once.
  std::map<std::string, int> disabled, enabled;
  int done_notices = 0, migrations = 0, confirms = 0;
  std::set<std::string> complete_told;
  for (auto& fx : b.history) {
    for (auto& c : orders(fx, "compute.host.disable"))
      ++disabled[c.payload["host"]];
    for (auto& c : orders(fx, "compute.host.enable"))
      ++enabled[c.payload["host"]];
    migrations += orders(fx, "compute.instance.migrate").size();
    confirms += orders(fx, "compute.instance.migrate_confirm").size();
    for (auto& n : notices(fx, "maintenance.scheduled")) {
      if (n.payload["state"] == "INSTANCE_ACTION_DONE")
        ++done_notices;
      if (n.payload["state"] == "MAINTENANCE_COMPLETE")
        complete_told.insert(n.project);
    }
  }
  for (auto name : {"compute-1", "compute-2", "compute-3", "compute-4"}) {
    EXPECT_EQ(disabled[name], 1) << name;
    EXPECT_EQ(enabled[name], 1) << name;
  }
  // compute-2 first (a2 to the emptiest, compute-4), then compute-3 (b2, c1),
  // compute-4 (a2 again, c2) and compute-1 (a1, a3, b1): eight moves, each
  // confirmed and told to its project.
  EXPECT_EQ(migrations, 8);
  EXPECT_EQ(confirms, 8);
  EXPECT_EQ(done_notices, 8);
  EXPECT_EQ(maintained, (std::vector<std::string>{"compute-2", "compute-3", "compute-4",
                                                  "compute-1"}));
  EXPECT_EQ(complete_told, (std::set<std::string>{"pa", "pb", "pc"}));
}

TEST(maintenance_workflow, a_session_over_empty_hosts_ends_at_maintenance_at) {
  bench b;
  for (auto name : {"compute-1", "compute-2"})
    b.host(name);
  b.start(json::array(), seconds{60});
  auto fx = b.go();
  EXPECT_TRUE(notices(fx, "maintenance.scheduled").empty());
  EXPECT_EQ(b.state(), "MAINTENANCE");
  EXPECT_EQ(wake_at(b.s), t0 + seconds{60});
  b.later(60);
  fx = b.go();
  EXPECT_EQ(b.state(), "MAINTENANCE_DONE");
  EXPECT_EQ(b.shown()["maintained"], json({"compute-1", "compute-2"}));
  EXPECT_EQ(summary(fx), (std::vector<std::string>{
                           "compute.host.disable compute-1", "compute.host.enable compute-1",
                           "compute.host.disable compute-2", "compute.host.enable compute-2"}));
}

// -- found while testing ---------------------------------------------------------

// `advance` goes on from one host to the next within one call, with a view in
// which the host it has just given back still shows disabled and in
// maintenance: that host takes the next host's instances all the same.
TEST(maintenance_workflow,
     a_host_maintained_in_the_same_step_takes_the_next_hosts_instances) {
  bench b;
  b.host("compute-1");
  b.host("compute-2");
  b.instance("a1", "compute-1", "pa");
  b.instance("b1", "compute-2", "pb");
  b.start({"compute-1", "compute-2"}, seconds{0}, {{"reply_seconds", 0}});
  auto fx = b.go();
  // Rounds of zero seconds settle at once: compute-1 is held and emptied.
  EXPECT_EQ(summary(fx), (std::vector<std::string>{"compute.host.disable compute-1",
                                                   "compute.instance.migrate a1 -> compute-2"}));
  b.move("a1", "compute-2");
  fx = b.go();
  // compute-1 is maintained and enabled again in this very step; it is the
  // only host with room for what compute-2 holds.
  EXPECT_EQ(b.state(), "PLANNED_MAINTENANCE") << b.shown()["failure_reason"];
  EXPECT_EQ(summary(fx), (std::vector<std::string>{"compute.instance.migrate_confirm a1",
                                                   "compute.host.enable compute-1",
                                                   "compute.host.disable compute-2",
                                                   "compute.instance.migrate a1 -> compute-1",
                                                   "compute.instance.migrate b1 -> compute-1"}));
}

// A move Steward commands has move_seconds to finish, whatever time projects
// get for their own actions (even none).
TEST(maintenance_workflow, no_own_action_time_does_not_fail_stewards_own_moves) {
  bench b;
  usual(b);
  b.start({"compute-2"}, seconds{0}, {{"own_action_seconds", 0}});
  b.go();
  b.reply("pa", "ACK_MAINTENANCE");
  b.go();
  b.reply("pa", "ACK_PREPARE_MAINTENANCE", {{"a2", "MIGRATE"}});
  auto fx = b.go();
  EXPECT_EQ(summary(fx), std::vector<std::string>{"compute.instance.migrate a2 -> compute-4"});
  EXPECT_EQ(b.state(), "PREPARE_MAINTENANCE") << b.shown()["failure_reason"];
}
