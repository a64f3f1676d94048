#include <gtest/gtest.h>

#include "actors/inventory/host_document.hpp"

using namespace steward;
using namespace steward::inventory;
using nlohmann::json;

TEST(host_document, create_validates_every_field) {
  json doc;
  EXPECT_EQ(make_host({{"hypervisor_hostname", "c-1"}, {"vcpus", 8}}, now(), doc), "");
  EXPECT_EQ(doc["vcpus"], 8);
  EXPECT_EQ(doc["status"], "enabled");
  EXPECT_EQ(doc["state"], "up");
  EXPECT_EQ(doc["id"].get<std::string>().size(), 36u);
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
    json out;
    auto err = make_host(body, now(), out);
    EXPECT_NE(err.find(expect), std::string::npos) << body.dump() << " -> " << err;
  }
}

TEST(host_document, update_rules) {
  json doc;
  ASSERT_EQ(make_host({{"hypervisor_hostname", "c-1"}}, now(), doc), "");
  bool changed = false;
  EXPECT_EQ(update_host(doc, json::object(), now(), changed), "No data to update");
  EXPECT_NE(update_host(doc, {{"hypervisor_hostname", "x"}}, now(), changed), "");
  EXPECT_NE(update_host(doc, {{"id", "x"}}, now(), changed), "");
  auto before = doc;
  EXPECT_NE(update_host(doc, {{"vcpus", 4}, {"status", "bogus"}}, now(), changed), "");
  EXPECT_EQ(doc, before) << "a refused update changes nothing";
  EXPECT_EQ(update_host(doc, {{"status", "disabled"}, {"disabled_until", "2030-01-01T00:00:00Z"},
                              {"disabled_reason", "disk"}, {"extra", {{"gpu", "true"}}}},
                        now(), changed), "");
  EXPECT_TRUE(changed);
  EXPECT_EQ(doc["extra"]["gpu"], "true");
  ASSERT_TRUE(enable_deadline(doc));
  EXPECT_EQ(update_host(doc, {{"extra", {{"gpu", nullptr}}}}, now(), changed), "");
  EXPECT_FALSE(doc["extra"].contains("gpu"));
  EXPECT_EQ(update_host(doc, {{"status", "enabled"}}, now(), changed), "");
  EXPECT_TRUE(doc["disabled_until"].is_null());
  EXPECT_FALSE(enable_deadline(doc));
  EXPECT_EQ(update_host(doc, {{"status", "enabled"}}, now(), changed), "");
  EXPECT_FALSE(changed);
}

TEST(host_document, service_status_from_nova) {
  auto doc = learned_host("c-9", now());
  EXPECT_TRUE(apply_service_status(doc, {{"disabled", true}, {"disabled_reason", "maint"},
                                         {"forced_down", true}}, now()));
  EXPECT_EQ(doc["status"], "disabled");
  EXPECT_EQ(doc["state"], "down");
  EXPECT_FALSE(apply_service_status(doc, {{"disabled", true}, {"disabled_reason", "maint"},
                                          {"forced_down", true}}, now()));
  EXPECT_TRUE(apply_service_status(doc, {{"disabled", false}, {"forced_down", false}}, now()));
  EXPECT_EQ(doc["disabled_reason"], "");
  EXPECT_TRUE(apply_service_status(doc, {{"vcpus", 16}, {"memory_mb", 65536}, {"local_gb", 1000},
                                         {"cloud", "source"}, {"hypervisor_type", "KVM"}}, now()));
  EXPECT_EQ(doc["vcpus"], 16);
  EXPECT_EQ(doc["cloud"], "source");
  EXPECT_FALSE(apply_service_status(doc, {{"vcpus", -3}, {"cloud", ""}}, now())) << "nonsense is ignored";
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
