// An instance's stored row on the test coordinator: a row written before
// rows had a version is read back and goes on where it stopped; a row of a
// later version is neither guessed at nor overwritten
// (tests/actors/deterministic.hpp).
#include "tests/actors/deterministic.hpp"

using namespace steward;
using nlohmann::json;

namespace {

// An instance as Steward stored it before rows had a version: its document,
// here with a start scheduled and not yet begun.
json legacy_row() {
  return {{"uuid", "i-1"}, {"hostname", "vm-1"}, {"description", "web"},
          {"created", "2029-12-31T10:00:00.123456"}, {"start_time", nullptr},
          {"project", "pa"}, {"template", "tp1"}, {"cloud", "cl1"}, {"cloud_name", "default"},
          {"flavor", "fl1"}, {"flavor_name", "small"}, {"cores", 1}, {"ram", 1024},
          {"system_volume_size", 10240}, {"key", "ky1"}, {"key_name", "k"},
          {"key_fingerprint", "aa:bb"},
          {"security_groups",
           {{{"uuid", "sg1"}, {"name", "http"}, {"description", ""}, {"rules", {{{"port", 80}}}}}}},
          {"internal_ips", {"10.0.0.1"}}, {"external_ips", json::array()},
          {"data_volume_size", 20480}, {"state", "a"}, {"host", "compute-1"},
          {"agreed_sla", nullptr}, {"request_id", "req-0"}};
}

struct instance_rows : test::deterministic_actors {
  void put_row(const json& doc) {
    stored.rows[{"instance", "i-1"}] = {"instance", "i-1", "pa", doc.dump(), 4};
  }
  json row() const { return json::parse(stored.rows.at({"instance", "i-1"}).document); }
  std::size_t commands(const std::string& type) const {
    std::size_t n = 0;
    for (auto& b : stored.batches)
      for (auto& o : b.outbox)
        n += o.body.find(type) != std::string::npos;
    return n;
  }
};

} // namespace

TEST_F(instance_rows, a_row_stored_before_rows_had_a_version_recovers_and_goes_on) {
  auto legacy = legacy_row();
  put_row(legacy);
  start();
  run();
  EXPECT_EQ(commands("compute.instance.start"), 1u) << "its scheduled start began";
  auto now_stored = row();
  EXPECT_EQ(now_stored["schema"], 1) << "its next write is of the current version";
  EXPECT_EQ(now_stored["state"], "A");
  EXPECT_NE(now_stored["request_id"], "req-0");
  for (auto& [key, value] : legacy.items()) {
    if (key == "state" || key == "request_id")
      continue;
    EXPECT_EQ(now_stored[key], value) << key << " read back as it was";
  }
  EXPECT_EQ(stored.rows.at({"instance", "i-1"}).version, 5);
}

TEST_F(instance_rows, a_row_of_a_later_version_is_skipped_and_kept) {
  auto later = legacy_row();
  later["schema"] = 2;
  put_row(later);
  start();
  run();
  EXPECT_EQ(commands("compute.instance.start"), 0u) << "not guessed at";
  EXPECT_EQ(stored.rows.at({"instance", "i-1"}).document, later.dump()) << "nor overwritten";
}
