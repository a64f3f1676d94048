// Maintenance sessions as documents: creation, project replies, what a
// project is asked about, and instance / instance-group constraints. The
// workflow that moves a session on is tested in maintenance_workflow_test.cpp.
#include <gtest/gtest.h>

#include "tests/actors/bodies.hpp"
#include "actors/instance/instance_state.hpp"
#include "actors/maintenance/constraints.hpp"
#include "actors/maintenance/session_document.hpp"
#include "actors/maintenance/workflow.hpp"
#include "common/time_format.hpp"
#include "tests/actors/typed_host.hpp"
#include "tests/actors/typed_instance.hpp"
#include "tests/actors/typed_session.hpp"

using namespace steward;
using namespace steward::maintenance;
using nlohmann::json;

namespace {

// The tests read a session as its document shows it.
json doc(const maintenance::session& s) {
  return to_document(s);
}

const sys_time now_ = *timefmt::parse("2030-02-21 14:50:00", "%Y-%m-%d %H:%M:%S");
const std::string base = "http://steward:12347";

json host_doc(const std::string& name) {
  return {{"id", "id-" + name}, {"hypervisor_hostname", name}, {"cloud", "default"},
          {"vcpus", 8}, {"memory_mb", 16384}, {"local_gb", 200}, {"status", "enabled"},
          {"state", "up"}, {"in_maintenance", false}};
}

json instance_doc(const std::string& uuid, const std::string& host, const std::string& project) {
  return {{"uuid", uuid}, {"host", host}, {"project", project}, {"cloud_name", "default"},
          {"cores", 2}, {"ram", 4096}, {"system_volume_size", 10240}, {"data_volume_size", 0},
          {"hostname", "vm-" + uuid}, {"state", instance::symbol(instance::state::online)}};
}

// compute-1: a1 (pa), b1 (pb); compute-2: a2 (pa); compute-3: c1 (pc).
world_view world() {
  world_view w;
  for (auto name : {"compute-1", "compute-2", "compute-3"})
    w.hosts["id-" + std::string{name}] = test::typed_host(host_doc(name));
  w.instances["a1"] = test::typed_instance(instance_doc("a1", "compute-1", "pa"));
  w.instances["b1"] = test::typed_instance(instance_doc("b1", "compute-1", "pb"));
  w.instances["a2"] = test::typed_instance(instance_doc("a2", "compute-2", "pa"));
  w.instances["c1"] = test::typed_instance(instance_doc("c1", "compute-3", "pc"));
  return w;
}

json body() {
  return {{"state", "MAINTENANCE"}, {"workflow", "default"},
          {"maintenance_at", "2030-02-21 16:00:00"}, {"hosts", {"compute-1", "compute-2"}},
          {"metadata", json::object()}, {"actions", json::array()}};
}

struct made {
  std::optional<refusal> refused;
  maintenance::session value;
};

made create(const json& b, std::vector<std::string> busy = {}, const world_view& w = world(),
            maintenance_settings settings = {}) {
  made m;
  m.refused = steward::test::make_session_from(b, w, busy, now_, settings, base, m.value);
  return m;
}

// "400: message", or "" when accepted.
std::string refusal_of(const json& b, std::vector<std::string> busy = {},
                       const world_view& w = world()) {
  auto m = create(b, std::move(busy), w);
  return m.refused ? std::to_string(m.refused->status) + ": " + m.refused->message : "";
}

json with(json b, const std::string& key, json value) {
  b[key] = std::move(value);
  return b;
}

json with_metadata(const std::string& key, json value) {
  auto b = body();
  b["metadata"][key] = std::move(value);
  return b;
}

} // namespace

// -- times -------------------------------------------------------------------

TEST(maintenance_session, fenix_date_format_both_ways) {
  EXPECT_EQ(show_time(now_), "2030-02-21 14:50:00");
  EXPECT_EQ(read_time(json("2030-02-21 14:50:00")), now_);
  EXPECT_EQ(read_time(json(show_time(now_ + std::chrono::seconds{75}))),
            now_ + std::chrono::seconds{75});
  EXPECT_FALSE(read_time(json(nullptr)));
  EXPECT_FALSE(read_time(json(12)));
  EXPECT_FALSE(read_time(json("2030-02-21T14:50:00")));
}

TEST(maintenance_session, running_until_done_or_failed) {
  auto in = [](phase p) {
    maintenance::session s;
    s.state = p;
    return s;
  };
  EXPECT_TRUE(is_running(in(phase::maintenance)));
  EXPECT_TRUE(is_running(in(phase::planned)));
  EXPECT_TRUE(is_running(in(phase::complete)));
  EXPECT_FALSE(is_running(in(phase::done)));
  EXPECT_FALSE(is_running(in(phase::failed)));
}

// -- the document and the stored row --------------------------------------------

TEST(maintenance_session_json, the_document_field_for_field) {
  auto d = doc(test::every_field_session());
  EXPECT_EQ(d, json::parse(R"({
    "session_id": "7c0f8a52-1d4e-4b7a-9a63-0e1f2a3b4c5d",
    "state": "PLANNED_MAINTENANCE",
    "workflow": "default",
    "maintenance_at": "2030-03-17 17:46:40",
    "metadata": {"ticket": "OPS-42", "reply_seconds": 30},
    "actions": [{"plugin": "dummy", "type": "pre"}],
    "hosts": ["compute-1", "compute-2", "compute-3"],
    "maintained": ["compute-1"],
    "host": "compute-2",
    "projects": ["pa", "pb"],
    "round": {
      "state": "PLANNED_MAINTENANCE",
      "allowed_actions": ["MIGRATE", "LIVE_MIGRATE", "OWN_ACTION"],
      "reply_at": "2030-03-17 17:57:00",
      "actions_at": "2030-03-17 17:57:00",
      "replies": {
        "pa": {"state": "ACK_PLANNED_MAINTENANCE", "instance_actions": {"a2": "LIVE_MIGRATE"},
               "at": "2030-03-17 17:56:50"},
        "pb": {"state": "NACK_PLANNED_MAINTENANCE", "instance_actions": {},
               "at": "2030-03-17 17:56:51"},
        "pc": null
      },
      "instances": {"a2": "pa", "b3": "pb", "c4": "pc"}
    },
    "moves": {
      "a9": {"project": "pa", "action": "MIGRATE", "status": "waiting", "target": null,
             "deadline": null},
      "b3": {"project": "pb", "action": "OWN_ACTION", "status": "own", "target": null,
             "deadline": "2030-03-17 17:58:40"},
      "c4": {"project": "pc", "action": "LIVE_MIGRATE", "status": "moving",
             "target": "compute-1", "deadline": "2030-03-17 18:06:40", "was_erred": true},
      "d5": {"project": "pc", "action": "LIVE_MIGRATE", "status": "done",
             "target": "compute-1", "deadline": "2030-03-17 18:06:40", "was_erred": false}
    },
    "host_done_at": "2030-03-17 18:20:00",
    "failed_state": "PREPARE_MAINTENANCE",
    "failure_reason": "project pb refused to move its instances from compute-2",
    "reply_seconds": 30,
    "own_action_seconds": 100,
    "host_seconds": 45,
    "move_seconds": 300,
    "base_url": "http://steward:12347",
    "created_at": "2030-03-17 15:00:00",
    "updated_at": "2030-03-17 17:56:51"
  })"));
}

TEST(maintenance_session_json, the_stored_row_reads_back_whole) {
  auto s = test::every_field_session();
  auto row = to_stored(s);
  EXPECT_EQ(row["schema"], 1);
  auto back = from_stored(json::parse(row.dump()));
  ASSERT_TRUE(back);
  EXPECT_TRUE(*back == s);
  auto made = create(body());
  ASSERT_FALSE(made.refused);
  auto fresh = from_stored(to_stored(made.value));
  ASSERT_TRUE(fresh);
  EXPECT_TRUE(*fresh == made.value) << "every optional absent";
}

TEST(maintenance_session_json, a_row_of_before_the_schema_reads_back) {
  // What Steward stored before sessions were typed: the same document,
  // without "schema" (and, older still, without move_seconds).
  auto legacy = doc(test::every_field_session());
  legacy.erase("move_seconds");
  auto back = from_stored(legacy);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->state, phase::planned);
  EXPECT_EQ(back->move_seconds, 600) << "the default of its time";
  EXPECT_EQ(back->moves.at("c4").target, "compute-1");
  EXPECT_TRUE(back->asking->replies.at("pb")->refused);
  EXPECT_FALSE(back->asking->replies.at("pc"));
}

TEST(maintenance_session_json, rows_it_cannot_read_are_refused) {
  auto row = to_stored(test::every_field_session());
  auto with = [&](const char* key, json value) {
    auto r = row;
    r[key] = std::move(value);
    return r;
  };
  EXPECT_FALSE(from_stored(with("schema", 2))) << "a later version";
  EXPECT_FALSE(from_stored(with("schema", "1")));
  EXPECT_FALSE(from_stored(with("session_id", 7)));
  EXPECT_FALSE(from_stored(with("state", "SCALE_IN"))) << "a state Steward never runs";
  EXPECT_FALSE(from_stored(with("state", nullptr)));
  EXPECT_FALSE(from_stored(json::array()));
  EXPECT_FALSE(from_stored(json::parse("\"text\"")));
}

// -- make_session ------------------------------------------------------------

TEST(maintenance_session, built_from_the_admin_request) {
  auto m = create(body());
  ASSERT_FALSE(m.refused) << m.refused->message;
  auto& s = m.value;
  EXPECT_FALSE(doc(s)["session_id"].get<std::string>().empty());
  EXPECT_EQ(doc(s)["state"], "MAINTENANCE");
  EXPECT_EQ(doc(s)["workflow"], "default");
  EXPECT_EQ(doc(s)["maintenance_at"], "2030-02-21 16:00:00");
  EXPECT_EQ(doc(s)["hosts"], json({"compute-1", "compute-2"}));
  EXPECT_EQ(doc(s)["maintained"], json::array());
  EXPECT_TRUE(doc(s)["host"].is_null());
  EXPECT_TRUE(doc(s)["projects"].is_null());
  EXPECT_TRUE(doc(s)["round"].is_null());
  EXPECT_EQ(doc(s)["moves"], json::object());
  EXPECT_TRUE(doc(s)["failed_state"].is_null());
  EXPECT_TRUE(doc(s)["failure_reason"].is_null());
  EXPECT_EQ(doc(s)["created_at"], "2030-02-21 14:50:00");
  EXPECT_TRUE(doc(s)["updated_at"].is_null());
  EXPECT_EQ(doc(s)["base_url"], base);
  // The configured times when metadata says nothing.
  maintenance_settings defaults;
  EXPECT_EQ(doc(s)["reply_seconds"], defaults.reply_seconds);
  EXPECT_EQ(doc(s)["own_action_seconds"], defaults.own_action_seconds);
  EXPECT_EQ(doc(s)["host_seconds"], defaults.host_seconds);
  EXPECT_EQ(project_url(s, "pa"),
            base + "/v1/maintenance/" + doc(s)["session_id"].get<std::string>() + "/pa");
  EXPECT_TRUE(is_running(s));
}

TEST(maintenance_session, each_session_has_its_own_id) {
  auto a = create(body());
  auto b = create(body());
  ASSERT_FALSE(a.refused);
  ASSERT_FALSE(b.refused);
  EXPECT_NE(doc(a.value)["session_id"], doc(b.value)["session_id"]);
}

TEST(maintenance_session, state_and_workflow_may_be_left_out) {
  auto b = body();
  b.erase("state");
  b.erase("workflow");
  b.erase("metadata");
  b.erase("actions");
  auto m = create(b);
  ASSERT_FALSE(m.refused) << m.refused->message;
  EXPECT_EQ(doc(m.value)["workflow"], "default");
  EXPECT_EQ(doc(m.value)["metadata"], json::object());
  EXPECT_EQ(doc(m.value)["actions"], json::array());
}

TEST(maintenance_session, maintenance_at_may_be_now) {
  EXPECT_EQ(refusal_of(with(body(), "maintenance_at", "2030-02-21 14:50:00")), "");
}

TEST(maintenance_session, refusals) {
  EXPECT_EQ(refusal_of(json::array()), "400: The request body must be a JSON object");
  EXPECT_EQ(refusal_of(json("MAINTENANCE")), "400: The request body must be a JSON object");
  EXPECT_EQ(refusal_of(with(body(), "state", "PLANNED_MAINTENANCE")),
            "400: A session starts in state MAINTENANCE");
  EXPECT_EQ(refusal_of(with(body(), "state", "MAINTENANCE_DONE")),
            "400: A session starts in state MAINTENANCE");
  EXPECT_EQ(refusal_of(with(body(), "workflow", "vnf")),
            "400: Unknown workflow 'vnf' (Steward runs 'default')");
  auto b = body();
  b.erase("maintenance_at");
  EXPECT_EQ(refusal_of(b), "400: Missing parameter maintenance_at");
  EXPECT_EQ(refusal_of(with(body(), "maintenance_at", 1893456000)),
            "400: Missing parameter maintenance_at");
  EXPECT_EQ(refusal_of(with(body(), "maintenance_at", "tomorrow")),
            "400: tomorrow is an invalid date. Required format: %Y-%m-%d %H:%M:%S");
  EXPECT_EQ(refusal_of(with(body(), "maintenance_at", "2030-02-21T16:00:00")),
            "400: 2030-02-21T16:00:00 is an invalid date. Required format: %Y-%m-%d %H:%M:%S");
  EXPECT_EQ(refusal_of(with(body(), "maintenance_at", "2030-02-21 16:00")),
            "400: 2030-02-21 16:00 is an invalid date. Required format: %Y-%m-%d %H:%M:%S");
  EXPECT_EQ(refusal_of(with(body(), "maintenance_at", "2030-02-21 14:49:59")),
            "400: maintenance_at 2030-02-21 14:49:59 is in the past");
  EXPECT_EQ(refusal_of(with(body(), "metadata", json::array())), "400: metadata must be an object");
  EXPECT_EQ(refusal_of(with(body(), "actions", "reboot")), "400: actions must be a list");
}

TEST(maintenance_session, hosts_must_be_names_of_the_inventory) {
  EXPECT_EQ(refusal_of(with(body(), "hosts", "compute-1")),
            "400: hosts must be a list of host names");
  EXPECT_EQ(refusal_of(with(body(), "hosts", json::object())),
            "400: hosts must be a list of host names");
  EXPECT_EQ(refusal_of(with(body(), "hosts", {"compute-1", 2})),
            "400: hosts must be a list of host names");
  EXPECT_EQ(refusal_of(with(body(), "hosts", {"compute-1", "compute-9"})),
            "400: Host compute-9 is not a compute host of the inventory");
  // An empty inventory has nothing to maintain.
  EXPECT_EQ(refusal_of(with(body(), "hosts", json::array()), {}, world_view{}),
            "400: The inventory has no compute host to maintain");
}

TEST(maintenance_session, a_host_of_another_running_session_is_a_conflict) {
  EXPECT_EQ(refusal_of(body(), {"compute-2"}),
            "409: Host compute-2 is in another running maintenance session");
  // Not asked for here: no conflict.
  EXPECT_EQ(refusal_of(body(), {"compute-3"}), "");
  // Every host is asked for when none is named.
  EXPECT_EQ(refusal_of(with(body(), "hosts", json::array()), {"compute-3"}),
            "409: Host compute-3 is in another running maintenance session");
}

TEST(maintenance_session, no_hosts_means_every_inventory_host) {
  auto m = create(with(body(), "hosts", json::array()));
  ASSERT_FALSE(m.refused) << m.refused->message;
  EXPECT_EQ(doc(m.value)["hosts"], json({"compute-1", "compute-2", "compute-3"}));
  auto b = body();
  b.erase("hosts");
  m = create(b);
  ASSERT_FALSE(m.refused) << m.refused->message;
  EXPECT_EQ(doc(m.value)["hosts"], json({"compute-1", "compute-2", "compute-3"}));
}

TEST(maintenance_session, named_hosts_keep_their_order_once_each) {
  auto m = create(with(body(), "hosts", {"compute-3", "compute-1", "compute-3"}));
  ASSERT_FALSE(m.refused) << m.refused->message;
  EXPECT_EQ(doc(m.value)["hosts"], json({"compute-3", "compute-1"}));
}

TEST(maintenance_session, metadata_overrides_the_configured_times) {
  auto b = body();
  b["metadata"] = {{"reply_seconds", 5}, {"own_action_seconds", 30}, {"host_seconds", 600},
                   {"note", "firmware"}};
  maintenance_settings settings;
  settings.reply_seconds = 40;
  settings.own_action_seconds = 300;
  settings.host_seconds = 7;
  auto m = create(b, {}, world(), settings);
  ASSERT_FALSE(m.refused) << m.refused->message;
  EXPECT_EQ(doc(m.value)["reply_seconds"], 5);
  EXPECT_EQ(doc(m.value)["own_action_seconds"], 30);
  EXPECT_EQ(doc(m.value)["host_seconds"], 600);
  EXPECT_EQ(doc(m.value)["metadata"]["note"], "firmware");
  // Without metadata, the settings.
  m = create(body(), {}, world(), settings);
  ASSERT_FALSE(m.refused);
  EXPECT_EQ(doc(m.value)["reply_seconds"], 40);
  EXPECT_EQ(doc(m.value)["own_action_seconds"], 300);
  EXPECT_EQ(doc(m.value)["host_seconds"], 7);
  // The bounds are allowed.
  EXPECT_EQ(refusal_of(with_metadata("reply_seconds", 0)), "");
  EXPECT_EQ(refusal_of(with_metadata("host_seconds", 86400)), "");
}

TEST(maintenance_session, bad_metadata_seconds) {
  for (auto key : {"reply_seconds", "own_action_seconds", "host_seconds"}) {
    auto expected = std::string{"400: metadata "} + key
                    + " must be a whole number of seconds (0 to 86400)";
    EXPECT_EQ(refusal_of(with_metadata(key, "20")), expected);
    EXPECT_EQ(refusal_of(with_metadata(key, -1)), expected);
    EXPECT_EQ(refusal_of(with_metadata(key, 86401)), expected);
    EXPECT_EQ(refusal_of(with_metadata(key, 1.5)), expected);
    EXPECT_EQ(refusal_of(with_metadata(key, nullptr)), expected);
  }
}

// -- replies -----------------------------------------------------------------

namespace {

// A session in its first round (MAINTENANCE) over compute-1 and compute-2.
maintenance::session asking() {
  auto m = create(body());
  EXPECT_FALSE(m.refused);
  effects fx;
  EXPECT_TRUE(advance(m.value, world(), now_, {}, fx));
  EXPECT_TRUE(doc(m.value)["round"].is_object());
  return m.value;
}

// The same session past its first round, asking compute-2's projects
// (PREPARE_MAINTENANCE; compute-2 has the fewest instances).
maintenance::session preparing() {
  auto s = asking();
  effects fx;
  EXPECT_TRUE(advance(s, world(), now_ + std::chrono::hours{2}, {}, fx));
  EXPECT_EQ(doc(s)["state"], "PREPARE_MAINTENANCE");
  EXPECT_EQ(doc(s)["host"], "compute-2");
  return s;
}

std::string reply_refusal(maintenance::session& s, const std::string& project, const json& b) {
  auto r = steward::test::record_reply_from(s, project, b, now_);
  return r ? std::to_string(r->status) + ": " + r->message : "";
}

} // namespace

TEST(maintenance_reply, only_while_a_round_waits) {
  auto m = create(body());
  ASSERT_FALSE(m.refused);
  auto id = doc(m.value)["session_id"].get<std::string>();
  EXPECT_EQ(reply_refusal(m.value, "pa", {{"state", "ACK_MAINTENANCE"}}),
            "409: Session " + id + " is not waiting for replies (state MAINTENANCE)");
  EXPECT_EQ(reply_refusal(m.value, "pa", json::array()),
            "400: The request body must be a JSON object");
}

TEST(maintenance_reply, a_project_not_asked_is_not_found) {
  auto s = asking();
  auto id = doc(s)["session_id"].get<std::string>();
  // pc's instance is on compute-3, which is not in the session.
  EXPECT_EQ(reply_refusal(s, "pc", {{"state", "ACK_MAINTENANCE"}}),
            "404: Project pc has no instances in state MAINTENANCE of session " + id);
  EXPECT_EQ(reply_refusal(s, "nobody", {{"state", "ACK_MAINTENANCE"}}),
            "404: Project nobody has no instances in state MAINTENANCE of session " + id);
  auto p = preparing();
  // pb has nothing on compute-2.
  EXPECT_EQ(reply_refusal(p, "pb", {{"state", "ACK_PREPARE_MAINTENANCE"}}).substr(0, 4), "404:");
}

TEST(maintenance_reply, the_state_must_be_the_one_asked_about) {
  auto s = asking();
  EXPECT_EQ(reply_refusal(s, "pa", {{"state", "ACK_PLANNED_MAINTENANCE"}}),
            "400: Reply state must be ACK_MAINTENANCE or NACK_MAINTENANCE, not "
            "'ACK_PLANNED_MAINTENANCE'");
  EXPECT_EQ(reply_refusal(s, "pa", {{"state", "NACK_PREPARE_MAINTENANCE"}}),
            "400: Reply state must be ACK_MAINTENANCE or NACK_MAINTENANCE, not "
            "'NACK_PREPARE_MAINTENANCE'");
  EXPECT_EQ(reply_refusal(s, "pa", {{"state", "MAINTENANCE"}}),
            "400: Reply state must be ACK_MAINTENANCE or NACK_MAINTENANCE, not 'MAINTENANCE'");
  EXPECT_EQ(reply_refusal(s, "pa", json::object()),
            "400: Reply state must be ACK_MAINTENANCE or NACK_MAINTENANCE, not ''");
  auto p = preparing();
  EXPECT_EQ(reply_refusal(p, "pa", {{"state", "ACK_MAINTENANCE"}}),
            "400: Reply state must be ACK_PREPARE_MAINTENANCE or NACK_PREPARE_MAINTENANCE, not "
            "'ACK_MAINTENANCE'");
  // Nothing of the refused replies was kept.
  EXPECT_TRUE(doc(s)["round"]["replies"]["pa"].is_null());
  EXPECT_TRUE(doc(p)["round"]["replies"]["pa"].is_null());
}

TEST(maintenance_reply, instance_actions_must_be_an_object) {
  auto p = preparing();
  EXPECT_EQ(reply_refusal(p, "pa", {{"state", "ACK_PREPARE_MAINTENANCE"},
                                    {"instance_actions", json::array({"MIGRATE"})}}),
            "400: instance_actions must map instance ids to actions");
  EXPECT_EQ(reply_refusal(p, "pa", {{"state", "ACK_PREPARE_MAINTENANCE"},
                                    {"instance_actions", "MIGRATE"}}),
            "400: instance_actions must map instance ids to actions");
}

TEST(maintenance_reply, instances_must_be_the_projects_and_the_rounds) {
  auto s = asking();
  // b1 is pb's.
  EXPECT_EQ(reply_refusal(s, "pa", {{"state", "ACK_MAINTENANCE"},
                                    {"instance_actions", {{"b1", "MIGRATE"}}}}),
            "400: Instance b1 is not an instance of project pa in this maintenance state");
  auto p = preparing();
  // a1 is pa's but on compute-1, not in this round (compute-2).
  EXPECT_EQ(reply_refusal(p, "pa", {{"state", "ACK_PREPARE_MAINTENANCE"},
                                    {"instance_actions", {{"a1", "MIGRATE"}}}}),
            "400: Instance a1 is not an instance of project pa in this maintenance state");
  EXPECT_EQ(reply_refusal(p, "pa", {{"state", "ACK_PREPARE_MAINTENANCE"},
                                    {"instance_actions", {{"zz", "MIGRATE"}}}}),
            "400: Instance zz is not an instance of project pa in this maintenance state");
  EXPECT_TRUE(doc(p)["round"]["replies"]["pa"].is_null());
}

TEST(maintenance_reply, actions_must_be_allowed) {
  auto s = asking();
  // The first round allows no action at all.
  EXPECT_EQ(reply_refusal(s, "pa", {{"state", "ACK_MAINTENANCE"},
                                    {"instance_actions", {{"a1", "MIGRATE"}}}}),
            "400: Action \"MIGRATE\" is not allowed in state MAINTENANCE (allowed: [])");
  auto p = preparing();
  EXPECT_EQ(reply_refusal(p, "pa", {{"state", "ACK_PREPARE_MAINTENANCE"},
                                    {"instance_actions", {{"a2", "EVACUATE"}}}}),
            "400: Action \"EVACUATE\" is not allowed in state PREPARE_MAINTENANCE (allowed: "
            "[\"MIGRATE\",\"LIVE_MIGRATE\",\"OWN_ACTION\"])");
  EXPECT_EQ(reply_refusal(p, "pa", {{"state", "ACK_PREPARE_MAINTENANCE"},
                                    {"instance_actions", {{"a2", 3}}}}),
            "400: Action 3 is not allowed in state PREPARE_MAINTENANCE (allowed: "
            "[\"MIGRATE\",\"LIVE_MIGRATE\",\"OWN_ACTION\"])");
  EXPECT_EQ(reply_refusal(p, "pa", {{"state", "ACK_PREPARE_MAINTENANCE"},
                                    {"instance_actions", {{"a2", "migrate"}}}})
              .substr(0, 4),
            "400:");
}

TEST(maintenance_reply, an_accepted_reply_is_recorded) {
  auto s = asking();
  auto later = now_ + std::chrono::seconds{3};
  ASSERT_FALSE(steward::test::record_reply_from(s, "pa", {{"state", "ACK_MAINTENANCE"}}, later));
  EXPECT_EQ(doc(s)["round"]["replies"]["pa"],
            json({{"state", "ACK_MAINTENANCE"}, {"instance_actions", json::object()},
                  {"at", "2030-02-21 14:50:03"}}));
  EXPECT_TRUE(doc(s)["round"]["replies"]["pb"].is_null());
  EXPECT_EQ(doc(s)["updated_at"], "2030-02-21 14:50:03");
  // A NACK is a reply too, and a later reply replaces the earlier one.
  ASSERT_FALSE(steward::test::record_reply_from(s, "pa", {{"state", "NACK_MAINTENANCE"}}, later));
  EXPECT_EQ(doc(s)["round"]["replies"]["pa"]["state"], "NACK_MAINTENANCE");

  auto p = preparing();
  ASSERT_FALSE(steward::test::record_reply_from(p, "pa", {{"state", "ACK_PREPARE_MAINTENANCE"},
                                      {"instance_actions", {{"a2", "LIVE_MIGRATE"}}}},
                            later));
  EXPECT_EQ(doc(p)["round"]["replies"]["pa"]["instance_actions"], json({{"a2", "LIVE_MIGRATE"}}));
}

// -- what a project is asked about ----------------------------------------------

TEST(maintenance_project_instances, the_rounds_instances_of_the_project) {
  auto m = create(body());
  ASSERT_FALSE(m.refused);
  // Before the first round, nothing.
  EXPECT_TRUE(project_instances(m.value, "pa").empty());
  auto s = asking();
  EXPECT_EQ(project_instances(s, "pa"), (std::vector<std::string>{"a1", "a2"}));
  EXPECT_EQ(project_instances(s, "pb"), (std::vector<std::string>{"b1"}));
  // pc's c1 is on compute-3, outside the session.
  EXPECT_TRUE(project_instances(s, "pc").empty());
  auto p = preparing();
  EXPECT_EQ(project_instances(p, "pa"), (std::vector<std::string>{"a2"}));
  EXPECT_TRUE(project_instances(p, "pb").empty());
}

TEST(maintenance_project_instances, the_moves_of_the_project_while_a_host_is_emptied) {
  auto s = preparing();
  effects fx;
  ASSERT_FALSE(steward::test::record_reply_from(s, "pa", {{"state", "ACK_PREPARE_MAINTENANCE"},
                                      {"instance_actions", {{"a2", "OWN_ACTION"}}}},
                            now_));
  ASSERT_TRUE(advance(s, world(), now_ + std::chrono::hours{2}, {}, fx));
  ASSERT_TRUE(doc(s)["round"].is_null());
  ASSERT_TRUE(doc(s)["moves"].contains("a2"));
  EXPECT_EQ(project_instances(s, "pa"), (std::vector<std::string>{"a2"}));
  EXPECT_TRUE(project_instances(s, "pb").empty());
}

// -- constraints ---------------------------------------------------------------

namespace {

access::caller member_of(const std::string& project) {
  return {"alice", false, {{project, access::role::member}}, {}};
}

std::string instance_refusal(const json& b, const std::string& id = "a1",
                             const access::caller& who = member_of("pa")) {
  instance_constraint out;
  auto r = steward::test::instance_constraint_from(b, id, world(), who, out);
  return r ? std::to_string(r->status) + ": " + r->message : "";
}

std::string group_refusal(const json& b, const std::string& id = "g1",
                          const access::caller& who = member_of("pa")) {
  group_constraint out;
  auto r = steward::test::group_constraint_from(b, id, who, out);
  return r ? std::to_string(r->status) + ": " + r->message : "";
}

} // namespace

TEST(maintenance_constraints, instance_constraint_with_defaults_filled) {
  instance_constraint out;
  ASSERT_FALSE(steward::test::instance_constraint_from({{"project_id", "pa"}}, "a1", world(), member_of("pa"), out));
  EXPECT_EQ(constraint_document(out), json({{"instance_id", "a1"}, {"project_id", "pa"}, {"group_id", nullptr},
                       {"instance_name", "vm-a1"}, {"max_interruption_time", 0},
                       {"migration_type", "MIGRATE"}, {"resource_mitigation", false},
                       {"lead_time", 0}}));
}

TEST(maintenance_constraints, instance_constraint_with_every_field) {
  instance_constraint out;
  json b = {{"instance_id", "a1"},          {"project_id", "pa"},
            {"group_id", "g1"},             {"instance_name", "db-0"},
            {"max_interruption_time", 30},  {"migration_type", "LIVE_MIGRATE"},
            {"resource_mitigation", true},  {"lead_time", 600}};
  ASSERT_FALSE(steward::test::instance_constraint_from(b, "a1", world(), member_of("pa"), out));
  EXPECT_EQ(constraint_document(out), b);
  EXPECT_EQ(out.migration_type, instance_action::live_migrate);
  // Staff may set any project's constraint.
  access::caller staff{"root", true, {}, {}};
  EXPECT_FALSE(steward::test::instance_constraint_from({{"project_id", "pb"}}, "b1", world(), staff, out));
  EXPECT_EQ(out.project_id, "pb");
}

TEST(maintenance_constraints, a_null_stays_null) {
  instance_constraint out;
  json b = {{"project_id", "pa"}, {"group_id", nullptr}, {"instance_name", nullptr},
            {"lead_time", nullptr}, {"migration_type", nullptr}};
  ASSERT_FALSE(steward::test::instance_constraint_from(b, "a1", world(), member_of("pa"), out));
  auto shown = constraint_document(out);
  EXPECT_TRUE(shown["lead_time"].is_null());
  EXPECT_TRUE(shown["migration_type"].is_null());
  EXPECT_EQ(shown["instance_name"], "vm-a1") << "a null name is the instance's hostname";
  EXPECT_EQ(shown["max_interruption_time"], 0) << "one left out takes its default";
}

TEST(maintenance_constraints, stored_rows_read_back) {
  instance_constraint i;
  ASSERT_FALSE(steward::test::instance_constraint_from({{"project_id", "pa"}, {"lead_time", nullptr},
                                         {"group_id", "g1"}, {"migration_type", "OWN_ACTION"}},
                                        "a1", world(), member_of("pa"), i));
  auto row = constraint_document(i);
  row["schema"] = constraint_schema;
  EXPECT_TRUE(read_instance_constraint(row) == i);
  row.erase("schema");
  EXPECT_TRUE(read_instance_constraint(row) == i) << "a row of before the schema";
  row["schema"] = 2;
  EXPECT_FALSE(read_instance_constraint(row)) << "a later version";
  EXPECT_FALSE(read_instance_constraint({{"instance_id", "a1"}})) << "no project";
  EXPECT_FALSE(read_instance_constraint(json::array()));
  group_constraint g;
  ASSERT_FALSE(steward::test::group_constraint_from({{"project_id", "pa"}, {"max_impacted_members", 1},
                                      {"group_name", nullptr}},
                                     "g1", member_of("pa"), g));
  EXPECT_TRUE(read_group_constraint(constraint_document(g)) == g);
  EXPECT_FALSE(read_group_constraint({{"group_id", 3}, {"project_id", "pa"}}));
}

TEST(maintenance_constraints, instance_constraint_refusals) {
  EXPECT_EQ(instance_refusal(json::array()), "400: The request body must be a JSON object");
  EXPECT_EQ(instance_refusal({{"project_id", "pa"}, {"colour", "red"}}), "400: Unknown field colour");
  EXPECT_EQ(instance_refusal({{"project_id", 7}}), "400: project_id must be a string");
  EXPECT_EQ(instance_refusal({{"project_id", "pa"}, {"group_id", 1}}),
            "400: group_id must be a string");
  EXPECT_EQ(instance_refusal({{"project_id", "pa"}, {"lead_time", -5}}),
            "400: lead_time must be a non-negative whole number");
  EXPECT_EQ(instance_refusal({{"project_id", "pa"}, {"lead_time", "60"}}),
            "400: lead_time must be a non-negative whole number");
  EXPECT_EQ(instance_refusal({{"project_id", "pa"}, {"max_interruption_time", 2.5}}),
            "400: max_interruption_time must be a non-negative whole number");
  EXPECT_EQ(instance_refusal({{"project_id", "pa"}, {"resource_mitigation", "yes"}}),
            "400: resource_mitigation must be true or false");
  for (json t : {json("EVACUATE"), json("migrate"), json(1)})
    EXPECT_EQ(instance_refusal({{"project_id", "pa"}, {"migration_type", t}}),
              "400: migration_type must be MIGRATE, LIVE_MIGRATE or OWN_ACTION")
      << t;
  for (auto t : {"MIGRATE", "LIVE_MIGRATE", "OWN_ACTION"})
    EXPECT_EQ(instance_refusal({{"project_id", "pa"}, {"migration_type", t}}), "") << t;
  EXPECT_EQ(instance_refusal({{"project_id", "pa"}, {"instance_id", "a2"}}),
            "400: instance_id a2 differs from the URL's a1");
  EXPECT_EQ(instance_refusal(json::object()), "400: Missing parameter project_id");
  EXPECT_EQ(instance_refusal({{"project_id", nullptr}}), "400: Missing parameter project_id");
  EXPECT_EQ(instance_refusal({{"project_id", "pa"}}, "a1", member_of("pb")),
            "403: The token has no role in project pa");
  EXPECT_EQ(instance_refusal({{"project_id", "pa"}}, "zz"), "404: Instance zz is not in the inventory");
  // b1 is pb's, named as pa's by a member of pa.
  EXPECT_EQ(instance_refusal({{"project_id", "pa"}}, "b1"),
            "400: Instance b1 does not belong to project pa");
}

TEST(maintenance_constraints, group_constraint_with_defaults_filled) {
  group_constraint out;
  ASSERT_FALSE(steward::test::group_constraint_from({{"project_id", "pa"}, {"anti_affinity_group", true}}, "g1",
                                     member_of("pa"), out));
  EXPECT_EQ(constraint_document(out), json({{"group_id", "g1"}, {"project_id", "pa"}, {"group_name", nullptr},
                       {"anti_affinity_group", true}, {"max_instances_per_host", 0},
                       {"max_impacted_members", 0}, {"recovery_time", 0},
                       {"resource_mitigation", false}}));
  json b = {{"group_id", "g1"},           {"project_id", "pa"},
            {"group_name", "db"},         {"anti_affinity_group", false},
            {"max_instances_per_host", 2}, {"max_impacted_members", 1},
            {"recovery_time", 15},        {"resource_mitigation", true}};
  ASSERT_FALSE(steward::test::group_constraint_from(b, "g1", member_of("pa"), out));
  EXPECT_EQ(constraint_document(out), b);
}

TEST(maintenance_constraints, group_constraint_refusals) {
  EXPECT_EQ(group_refusal(json("g1")), "400: The request body must be a JSON object");
  EXPECT_EQ(group_refusal({{"project_id", "pa"}, {"members", json::array()}}),
            "400: Unknown field members");
  EXPECT_EQ(group_refusal({{"project_id", "pa"}, {"anti_affinity_group", 1}}),
            "400: anti_affinity_group must be true or false");
  EXPECT_EQ(group_refusal({{"project_id", "pa"}, {"max_instances_per_host", -1}}),
            "400: max_instances_per_host must be a non-negative whole number");
  EXPECT_EQ(group_refusal({{"project_id", "pa"}, {"max_impacted_members", "1"}}),
            "400: max_impacted_members must be a non-negative whole number");
  EXPECT_EQ(group_refusal({{"project_id", "pa"}, {"group_name", false}}),
            "400: group_name must be a string");
  EXPECT_EQ(group_refusal({{"project_id", "pa"}, {"group_id", "g2"}}),
            "400: group_id g2 differs from the URL's g1");
  EXPECT_EQ(group_refusal({{"group_name", "db"}}), "400: Missing parameter project_id");
  EXPECT_EQ(group_refusal({{"project_id", "pa"}}, "g1", member_of("pb")),
            "403: The token has no role in project pa");
}
