#include <gtest/gtest.h>

#include "actors/inventory/host_document.hpp"
#include "actors/inventory/host_json.hpp"
#include "http/routes/inventory_body.hpp"
#include "tests/actors/typed_host.hpp"

using namespace steward;
using namespace steward::inventory;
using nlohmann::json;

namespace {

// A body as its route reads it, then the host's rules: "" or the error.
std::string create(const json& body, host& out) {
  auto fields = http::read_host_create(body);
  return fields.refused ? fields.refused->error : make_host(fields.value, now(), out);
}

std::string update(host& h, const json& body, bool& changed) {
  auto fields = http::read_host_update(body);
  return fields.refused ? fields.refused->error
                        : update_host(h, fields.value, now(), changed);
}

} // namespace

TEST(host_document, create_validates_every_field) {
  host h;
  EXPECT_EQ(create({{"hypervisor_hostname", "c-1"}, {"vcpus", 8}}, h), "");
  EXPECT_EQ(h.vcpus, 8);
  EXPECT_TRUE(h.enabled);
  EXPECT_TRUE(h.up);
  EXPECT_EQ(h.id.size(), 36u);
  EXPECT_EQ(h.service_name, "c-1");
  std::vector<std::pair<json, std::string>> bad = {
    {json::array(), "JSON object"},
    {json::object(), "Missing parameter hypervisor_hostname"},
    {{{"hypervisor_hostname", "bad name"}}, "hypervisor_hostname"},
    {{{"hypervisor_hostname", 7}}, "hypervisor_hostname"},
    {{{"hypervisor_hostname", "c"}, {"vcpus", -1}}, "vcpus"},
    {{{"hypervisor_hostname", "c"}, {"vcpus", "8"}}, "vcpus"},
    {{{"hypervisor_hostname", "c"}, {"status", "sleepy"}}, "status"},
    {{{"hypervisor_hostname", "c"}, {"colour", "red"}}, "Unknown field 'colour'"},
    {{{"hypervisor_hostname", "c"}, {"extra", {{std::string(65, 'k'), "v"}}}}, "64"},
    {{{"hypervisor_hostname", "c"}, {"extra", {{"gpu", {1, 2}}}}}, "gpu"},
    {{{"hypervisor_hostname", "c"}, {"disabled_until", "soon"}}, "disabled_until"},
    {{{"hypervisor_hostname", "c"}, {"disabled_until", "2030-01-01T00:00:00"}}, "needs status"},
  };
  for (auto& [body, expect] : bad) {
    host out;
    auto err = create(body, out);
    EXPECT_NE(err.find(expect), std::string::npos) << body.dump() << " -> " << err;
  }
}

TEST(host_document, update_rules) {
  host h;
  ASSERT_EQ(create({{"hypervisor_hostname", "c-1"}}, h), "");
  bool changed = false;
  EXPECT_EQ(update(h, json::object(), changed), "No data to update");
  EXPECT_NE(update(h, {{"hypervisor_hostname", "x"}}, changed), "");
  EXPECT_NE(update(h, {{"id", "x"}}, changed), "");
  auto before = h;
  EXPECT_NE(update(h, {{"vcpus", 4}, {"status", "bogus"}}, changed), "");
  EXPECT_EQ(h, before) << "a refused update changes nothing";
  EXPECT_EQ(update(h, {{"status", "disabled"}, {"disabled_until", "2030-01-01T00:00:00Z"},
                            {"disabled_reason", "disk"}, {"extra", {{"gpu", "true"}}}},
                        changed), "");
  EXPECT_TRUE(changed);
  EXPECT_TRUE(h.updated_at);
  EXPECT_EQ(to_document(h)["extra"]["gpu"], "true");
  ASSERT_TRUE(enable_deadline(h));
  EXPECT_EQ(update(h, {{"extra", {{"gpu", nullptr}}}}, changed), "");
  EXPECT_FALSE(h.extra.count("gpu"));
  EXPECT_EQ(update(h, {{"status", "enabled"}}, changed), "");
  EXPECT_FALSE(h.disabled_until);
  EXPECT_EQ(h.disabled_reason, "");
  EXPECT_FALSE(enable_deadline(h));
  EXPECT_EQ(update(h, {{"status", "enabled"}}, changed), "");
  EXPECT_FALSE(changed);
}

TEST(host_document, capabilities_merge_and_keep_their_type) {
  host h = learned_host("c-1", now());
  EXPECT_TRUE(merge_capabilities(
    h, {{"gpu", read_capability("a100")}, {"gpus", read_capability(4)},
        {"fast", read_capability(true)}},
    now()));
  auto doc = to_document(h);
  EXPECT_EQ(doc["extra"], (json{{"gpu", "a100"}, {"gpus", 4}, {"fast", true}}));
  EXPECT_FALSE(merge_capabilities(h, {{"gpus", read_capability(4)}}, now()))
    << "the same value changes nothing";
  EXPECT_TRUE(merge_capabilities(h, {{"gpu", std::nullopt}}, now()));
  EXPECT_FALSE(h.extra.count("gpu"));
  EXPECT_FALSE(read_capability(json::array()));
  EXPECT_FALSE(read_capability(nullptr));
}

TEST(host_document, service_status_from_nova) {
  auto h = learned_host("c-9", now());
  EXPECT_TRUE(apply_service_status(h, {{"disabled", true}, {"disabled_reason", "maint"},
                                       {"forced_down", true}}, now()));
  EXPECT_FALSE(h.enabled);
  EXPECT_FALSE(h.up);
  EXPECT_FALSE(apply_service_status(h, {{"disabled", true}, {"disabled_reason", "maint"},
                                        {"forced_down", true}}, now()));
  EXPECT_TRUE(apply_service_status(h, {{"disabled", false}, {"forced_down", false}}, now()));
  EXPECT_EQ(h.disabled_reason, "");
  EXPECT_TRUE(apply_service_status(h, {{"vcpus", 16}, {"memory_mb", 65536}, {"local_gb", 1000},
                                       {"cloud", "source"}, {"hypervisor_type", "KVM"}}, now()));
  EXPECT_EQ(h.vcpus, 16);
  EXPECT_EQ(h.cloud, "source");
  EXPECT_FALSE(apply_service_status(h, {{"vcpus", -3}, {"cloud", ""}}, now())) << "nonsense is ignored";
}

// A host learned from the bus is held to the API's rules.
TEST(host_document, nova_service_payloads_follow_the_api_rules) {
  json ok = {{"host", "compute-9"}, {"binary", "nova-compute"}, {"disabled", false},
             {"disabled_reason", nullptr}, {"forced_down", false}, {"vcpus", 8}, {"cloud", "c"}};
  EXPECT_EQ(check_nova_service(ok), "");
  auto refused = [&](const char* key, json value, const char* says) {
    auto data = ok;
    data[key] = std::move(value);
    auto why = check_nova_service(data);
    EXPECT_NE(why.find(says), std::string::npos) << key << ": " << why;
  };
  refused("host", std::string(256, 'h'), "'host' must be 1 to 255");
  refused("host", "bad host/name", "'host' must be 1 to 255");
  refused("host", 7, "'host' must be 1 to 255");
  refused("vcpus", -1, "'vcpus' must be a non-negative integer");
  refused("memory_mb", "lots", "'memory_mb' must be a non-negative integer");
  refused("cloud", std::string(300, 'c'), "'cloud' is longer than 255");
  refused("disabled_reason", json::array(), "'disabled_reason' must be a string");
  refused("disabled", "yes", "'disabled' must be a boolean");
  json no_host = ok;
  no_host.erase("host");
  EXPECT_NE(check_nova_service(no_host), "");
}

// -- the JSON edges -------------------------------------------------------------

// What the inventory API shows and host.* events carry, field for field.
TEST(host_json, the_document_has_every_field) {
  auto doc = to_document(test::every_field_host());
  EXPECT_EQ(doc, json::parse(R"({
    "id": "5b1e9e1c-2f7a-4d8e-9c1b-3a4d5e6f7a8b", "hypervisor_hostname": "compute-7",
    "service_name": "compute-7.svc", "cloud": "source", "hypervisor_type": "KVM",
    "hypervisor_version": 6002000, "vcpus": 64, "memory_mb": 262144, "local_gb": 2000,
    "cpu_info": "{\"arch\": \"x86_64\"}", "status": "disabled", "state": "down",
    "disabled_reason": "disk swap", "disabled_until": "2030-03-17T17:46:40.250000",
    "extra": {"gpu": "a100", "gpus": 4, "ratio": 1.5, "fast": true},
    "created_at": "2029-11-22 00:00:00", "updated_at": "2029-11-22 00:10:00",
    "enrolled": {"id": "3", "created_at": "2029-11-22 00:01:40",
                 "updated_at": "2029-11-22 00:03:20"},
    "in_maintenance": true, "maintenance_session": "s-1"})"));
  auto plain = to_document(learned_host("c-1", now()));
  EXPECT_TRUE(plain["enrolled"].is_null());
  EXPECT_EQ(plain["in_maintenance"], false);
  EXPECT_TRUE(plain["maintenance_session"].is_null());
  EXPECT_TRUE(plain["updated_at"].is_null());
  EXPECT_TRUE(plain["disabled_until"].is_null());
}

TEST(host_json, the_stored_row_reads_back_equal) {
  auto h = test::every_field_host();
  auto row = to_stored(h);
  EXPECT_EQ(row["schema"], stored_schema);
  auto back = from_stored(json::parse(row.dump()));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, h);
  auto fresh = learned_host("c-2", now());
  EXPECT_EQ(from_stored(to_stored(fresh)).value(), fresh) << "dates are kept in whole seconds";
}

// Rows written before hosts were typed have no schema, and a released host
// kept `in_maintenance: false` with a null session, a withdrawn one a null
// `enrolled`.
TEST(host_json, rows_written_before_hosts_were_typed_read_back) {
  auto legacy = json::parse(R"({
    "id": "h-1", "hypervisor_hostname": "compute-1", "service_name": "compute-1",
    "cloud": "default", "hypervisor_type": "QEMU", "hypervisor_version": 0, "vcpus": 8,
    "memory_mb": 16384, "local_gb": 100, "cpu_info": "", "status": "enabled", "state": "up",
    "disabled_reason": "", "disabled_until": null, "extra": {"gpu": "true", "n": 2},
    "created_at": "2026-11-22 18:00:00", "updated_at": null,
    "enrolled": null, "in_maintenance": false, "maintenance_session": null})");
  auto h = from_stored(legacy);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->hypervisor_hostname, "compute-1");
  EXPECT_EQ(h->vcpus, 8);
  EXPECT_FALSE(h->enrolled);
  EXPECT_FALSE(in_maintenance(*h));
  EXPECT_EQ(to_document(*h)["extra"], (json{{"gpu", "true"}, {"n", 2}}));
  EXPECT_EQ(to_document(*h)["created_at"], "2026-11-22 18:00:00");
  legacy["enrolled"] = {{"id", "2"}, {"created_at", "2026-11-22 18:01:00"}, {"updated_at", nullptr}};
  legacy["in_maintenance"] = true;
  legacy["maintenance_session"] = "s-9";
  h = from_stored(legacy);
  ASSERT_TRUE(h && h->enrolled);
  EXPECT_EQ(h->enrolled->number, "2");
  EXPECT_EQ(h->maintenance_session, "s-9");
  auto minimal = from_stored({{"id", "h-2"}, {"hypervisor_hostname", "c-2"}});
  ASSERT_TRUE(minimal);
  EXPECT_TRUE(minimal->enabled && minimal->up);
  EXPECT_EQ(minimal->cloud, "default");
}

TEST(host_json, rows_it_cannot_read_are_refused) {
  EXPECT_FALSE(from_stored(json::array()));
  EXPECT_FALSE(from_stored({{"hypervisor_hostname", "c-1"}})) << "no id";
  EXPECT_FALSE(from_stored({{"id", 7}}));
  auto later = to_stored(test::every_field_host());
  later["schema"] = stored_schema + 1;
  EXPECT_FALSE(from_stored(later)) << "a later version is not guessed at";
  later["schema"] = "1";
  EXPECT_FALSE(from_stored(later));
}
