// An instance's JSON edges: the document its events carry is the one Steward
// stored before instances were typed, field for field; the stored row reads
// back to the same instance, and a row of a later version is refused.
#include <gtest/gtest.h>

#include <chrono>

#include "actors/instance/instance_json.hpp"
#include "tests/actors/typed_instance.hpp"

using namespace steward::instance;
using steward::sys_time;
using nlohmann::json;

namespace {

instance full() { return steward::test::every_field_instance(); }

} // namespace

TEST(instance_json, the_document_has_the_fields_it_always_had) {
  auto doc = to_document(full());
  json expected = {
    {"uuid", "0123456789abcdef0123456789abcdef"}, {"hostname", "wëb-1"},
    {"description", "front end"}, {"created", "2030-03-17T17:46:40.123456"},
    {"start_time", "2030-03-17T18:46:40.123456"}, {"project", "pa"}, {"template", "tp1"},
    {"cloud", "cl1"}, {"cloud_name", "default"}, {"flavor", "fl1"}, {"flavor_name", "small"},
    {"cores", 2}, {"ram", 4096}, {"system_volume_size", 10240}, {"key", "ky1"},
    {"key_name", "alice"}, {"key_fingerprint", "aa:bb"},
    {"security_groups",
     {{{"uuid", "sg1"}, {"name", "http"}, {"description", "web"},
       {"rules", {{{"from_port", 80}, {"protocol", "tcp"}}}}}}},
    {"internal_ips", {"10.0.0.2"}}, {"external_ips", {"192.0.2.7"}},
    {"data_volume_size", 20480}, {"state", "r"}, {"host", "compute-1"}, {"agreed_sla", nullptr},
    {"request_id", "req-1"}, {"restart_pending", true},
    {"pending_resize",
     {{"flavor",
       {{"flavorid", "fl2"}, {"name", "large"}, {"vcpus", 4}, {"memory_mb", 8192},
        {"root_gb", 40}}}}}};
  EXPECT_EQ(doc, expected) << doc.dump(2);
}

TEST(instance_json, what_is_not_there_is_left_out_or_null) {
  instance i;
  i.uuid = "i-2";
  auto doc = to_document(i);
  EXPECT_TRUE(doc["start_time"].is_null());
  EXPECT_TRUE(doc["host"].is_null());
  EXPECT_FALSE(doc.contains("request_id"));
  EXPECT_FALSE(doc.contains("restart_pending"));
  EXPECT_FALSE(doc.contains("pending_resize"));
  EXPECT_EQ(*from_document(doc), i);
}

TEST(instance_json, the_stored_row_reads_back_to_the_same_instance) {
  auto i = full();
  auto row = to_stored(i);
  EXPECT_EQ(row["schema"], stored_schema);
  auto back = from_stored(json::parse(row.dump()));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, i);
  auto disk = full();
  disk.resize = pending_resize{std::nullopt, 40960};
  EXPECT_EQ(*from_stored(to_stored(disk)), disk);
}

TEST(instance_json, a_row_without_a_version_is_the_document) {
  auto doc = to_document(full());
  auto back = from_stored(doc);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, full());
  auto learned = doc;
  learned["host"] = "";  // as an instance learned without a host was stored
  EXPECT_EQ(from_stored(learned)->host, "") << "an empty host stays empty, not none";
}

TEST(instance_json, what_is_not_an_instance_row_is_refused) {
  auto later = to_stored(full());
  later["schema"] = stored_schema + 1;
  EXPECT_FALSE(from_stored(later)) << "a later version is not guessed at";
  EXPECT_FALSE(from_stored(json::array()));
  EXPECT_FALSE(from_stored({{"hostname", "no uuid"}}));
  EXPECT_FALSE(from_stored({{"uuid", 7}}));
  auto odd = to_document(full());
  odd["state"] = "?";
  odd["cores"] = "two";
  auto read = from_stored(odd);
  ASSERT_TRUE(read) << "mistyped fields read as empty, the row is kept";
  EXPECT_EQ(read->current, state::erred);
  EXPECT_EQ(read->cores, 0);
}
