// A maintenance session's stored row on the test coordinator: a row written
// before rows had a version is read back and the session goes on where it
// stopped; a row of a later version is neither guessed at nor overwritten
// (tests/actors/deterministic.hpp).
#include "actors/inventory/host_json.hpp"
#include "tests/actors/deterministic.hpp"

using namespace steward;
using nlohmann::json;

namespace {

// A session as Steward stored it before rows had a version: its first
// round over compute-1 answered by pa, its reply time and maintenance_at
// passed (the clock of the test stands at 2030-01-01 00:00:00).
json legacy_row() {
  return json::parse(R"({
    "session_id": "s-1", "state": "MAINTENANCE", "workflow": "default",
    "maintenance_at": "2029-12-31 23:50:00", "metadata": {"ticket": "OPS-7"},
    "actions": [], "hosts": ["compute-1"], "maintained": [], "host": null,
    "projects": ["pa"],
    "round": {"state": "MAINTENANCE", "allowed_actions": [],
              "reply_at": "2029-12-31 23:45:00", "actions_at": "2029-12-31 23:50:00",
              "replies": {"pa": {"state": "ACK_MAINTENANCE", "instance_actions": {},
                                 "at": "2029-12-31 23:44:00"}},
              "instances": {}},
    "moves": {}, "host_done_at": null, "failed_state": null, "failure_reason": null,
    "reply_seconds": 20, "own_action_seconds": 120, "host_seconds": 0,
    "base_url": "http://steward:12347", "created_at": "2029-12-31 23:00:00",
    "updated_at": "2029-12-31 23:44:00"
  })");
}

struct session_rows : test::deterministic_actors {
  session_rows() {
    inventory::host h;
    h.id = "h-1";
    h.hypervisor_hostname = "compute-1";
    h.vcpus = 8;
    h.memory_mb = 16384;
    h.local_gb = 200;
    stored.rows[{"host", "h-1"}] = {"host", "h-1", "", inventory::to_stored(h).dump(), 1};
  }
  void put_row(const json& doc) {
    stored.rows[{"maintenance_session", "s-1"}] = {"maintenance_session", "s-1", "", doc.dump(), 6};
  }
  json row() const { return json::parse(stored.rows.at({"maintenance_session", "s-1"}).document); }
  std::vector<std::string> commands() const {
    std::vector<std::string> out;
    for (auto& b : stored.batches)
      for (auto& o : b.outbox)
        for (auto type : {"compute.host.disable", "compute.host.enable"})
          if (o.body.find(type) != std::string::npos)
            out.push_back(type);
    return out;
  }
  json detail() {
    auto r = as_operator(maintenance, maintenance_detail{{}, "s-1"});
    EXPECT_EQ(r.status, 200) << r.error;
    return r.body;
  }
};

} // namespace

TEST_F(session_rows, a_row_stored_before_rows_had_a_version_recovers_and_goes_on) {
  auto legacy = legacy_row();
  put_row(legacy);
  start();
  run();
  // The answered round is over and maintenance_at passed: compute-1 was
  // disabled, maintained (host_seconds 0) and enabled again; pa is told.
  EXPECT_EQ(commands(), (std::vector<std::string>{"compute.host.disable", "compute.host.enable"}));
  auto now_stored = row();
  EXPECT_EQ(now_stored["schema"], 1) << "its next write is of the current version";
  EXPECT_EQ(now_stored["state"], "MAINTENANCE_COMPLETE");
  EXPECT_EQ(now_stored["maintained"], json({"compute-1"}));
  EXPECT_EQ(now_stored["round"]["state"], "MAINTENANCE_COMPLETE");
  EXPECT_EQ(now_stored["round"]["reply_at"], "2030-01-01 00:00:20");
  EXPECT_EQ(now_stored["move_seconds"], 600) << "the default of a row without it";
  for (auto key : {"session_id", "workflow", "maintenance_at", "metadata", "actions", "hosts",
                   "projects", "reply_seconds", "base_url", "created_at"})
    EXPECT_EQ(now_stored[key], legacy[key]) << key << " read back as it was";
  EXPECT_EQ(stored.rows.at({"maintenance_session", "s-1"}).version, 7);
  auto shown = detail();
  now_stored.erase("schema");
  EXPECT_EQ(shown, now_stored) << "the detail is the stored document without its version";
  // Its timer: pa does not answer, and the last round ends at its reply_at.
  advance(std::chrono::seconds{20});
  EXPECT_EQ(row()["state"], "MAINTENANCE_DONE");
  EXPECT_EQ(detail()["state"], "MAINTENANCE_DONE");
}

TEST_F(session_rows, a_row_of_a_later_version_is_skipped_and_kept) {
  auto later = legacy_row();
  later["schema"] = 2;
  put_row(later);
  start();
  run();
  EXPECT_TRUE(commands().empty()) << "not guessed at";
  EXPECT_EQ(stored.rows.at({"maintenance_session", "s-1"}).document, later.dump())
    << "nor overwritten";
  EXPECT_EQ(as_operator(maintenance, maintenance_detail{{}, "s-1"}).status, 404);
}
