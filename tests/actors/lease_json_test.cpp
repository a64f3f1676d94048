// A lease's JSON edges: Blazar's document and the stored row, whose every
// version reads back into the same lease.
#include "tests/actors/bodies.hpp"
#include "actors/lease/lease_json.hpp"

#include <gtest/gtest.h>

#include "actors/lease/lease_document.hpp"
#include "actors/lease/lease_events.hpp"
#include "common/time_format.hpp"

// Inside the namespace: `lease` is the type, as in the code under test.
namespace steward::lease {

using nlohmann::json;

namespace {

sys_time at(const char* t) { return *timefmt::parse(t, "%Y-%m-%d %H:%M"); }

// A lease with two reservations on hosts, started, with a later rename.
lease started_lease() {
  json body = {{"name", "lease-1"},
               {"start_date", "2030-02-21 20:00"},
               {"end_date", "2030-02-24 20:00"},
               {"reservations",
                {{{"resource_type", "physical:host"}, {"min", 1}, {"max", 2},
                  {"hypervisor_properties", "[\"==\", \"$hypervisor_hostname\", \"compute-1\"]"},
                  {"resource_properties", ""}, {"before_end", "snapshot"}},
                 {{"resource_type", "physical:host"}, {"min", 1}, {"max", 1}}}}};
  lease l;
  std::vector<host_reservation> wanted;
  EXPECT_FALSE(steward::test::make_lease_from(body, at("2030-02-21 14:50"), 60, "p-1", "alice", l, wanted));
  l.reservations[0].hosts = {{"h-1", "compute-1"}, {"h-2", "compute-2"}};
  l.reservations[1].hosts = {{"h-3", "compute-3"}};
  complete_event(l, event_type::start_lease, at("2030-02-21 20:00") + std::chrono::seconds{7});
  EXPECT_FALSE(steward::test::update_lease_from(l, {{"name", "renamed"}}, at("2030-02-22 10:00")));
  return l;
}

} // namespace

TEST(lease_json, the_stored_row_reads_back_into_the_same_lease) {
  auto l = started_lease();
  auto row = to_stored(l);
  EXPECT_EQ(row["schema"], stored_schema);
  auto back = from_stored(json::parse(row.dump()));
  ASSERT_TRUE(back);
  EXPECT_TRUE(*back == l) << back->name;
  EXPECT_EQ(present(*back), present(l));
}

TEST(lease_json, a_row_stored_before_rows_had_a_version_is_read) {
  // Until schema 1, the stored row was the lease as Blazar shows it.
  auto l = started_lease();
  auto legacy = present(l);
  ASSERT_FALSE(legacy.contains("schema"));
  auto back = from_stored(legacy);
  ASSERT_TRUE(back);
  EXPECT_TRUE(*back == l);
  EXPECT_EQ(back->status, lease_status::active);
}

TEST(lease_json, blazar_document_fields_and_values) {
  auto doc = present(started_lease());
  EXPECT_EQ(doc["name"], "renamed");
  EXPECT_EQ(doc["status"], "ACTIVE");
  EXPECT_EQ(doc["start_date"], "2030-02-21T20:00:00.000000");
  EXPECT_EQ(doc["before_end_date"], "2030-02-24T19:00:00.000000");
  EXPECT_EQ(doc["created_at"], "2030-02-21 14:50:00");
  EXPECT_EQ(doc["updated_at"], "2030-02-22 10:00:00");
  EXPECT_TRUE(doc["status_reason"].is_null());
  EXPECT_EQ(doc["trust_id"], "");
  auto& r = doc["reservations"][0];
  EXPECT_EQ(r["lease_id"], doc["id"]);
  EXPECT_EQ(r["resource_type"], "physical:host");
  EXPECT_EQ(r["status"], "active");
  EXPECT_EQ(r["before_end"], "snapshot");
  EXPECT_EQ(r["hosts"][1], (json{{"id", "h-2"}, {"hypervisor_hostname", "compute-2"}}));
  ASSERT_EQ(doc["events"].size(), 3u);
  for (auto& e : doc["events"]) {
    EXPECT_EQ(e["lease_id"], doc["id"]);
    if (e["event_type"] == "start_lease") {
      EXPECT_EQ(e["status"], "DONE");
      EXPECT_EQ(e["updated_at"], "2030-02-21 20:00:07");
    } else {
      EXPECT_EQ(e["status"], "UNDONE");
      EXPECT_TRUE(e["updated_at"].is_null());
    }
  }
}

TEST(lease_json, rows_that_are_not_a_lease_are_refused) {
  auto row = to_stored(started_lease());
  EXPECT_TRUE(from_stored(row));
  auto with = [&](const char* key, json value) {
    auto r = row;
    r[key] = std::move(value);
    return from_stored(r).has_value();
  };
  EXPECT_FALSE(with("schema", stored_schema + 1)) << "a later version than this code knows";
  EXPECT_FALSE(with("schema", "1"));
  EXPECT_FALSE(with("id", ""));
  EXPECT_FALSE(with("start", "soon"));
  EXPECT_FALSE(with("end", nullptr));
  EXPECT_FALSE(with("events", json::array())) << "no start or end event";
  auto bad_event = row;
  bad_event["events"][0]["status"] = "MAYBE";
  EXPECT_FALSE(from_stored(bad_event));
  auto bad_reservation = row;
  bad_reservation["reservations"][0]["status"] = 3;
  EXPECT_FALSE(from_stored(bad_reservation));
  EXPECT_FALSE(from_stored(json::array()));
  EXPECT_FALSE(from_stored(json::parse("{]", nullptr, false)));
}

} // namespace steward::lease
