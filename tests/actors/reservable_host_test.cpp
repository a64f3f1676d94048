#include <gtest/gtest.h>

#include "actors/lease/reservable_host.hpp"
#include "actors/inventory/host_json.hpp"
#include "common/time_format.hpp"
#include "http/routes/lease_body.hpp"
#include "tests/actors/typed_host.hpp"

using namespace steward;
using namespace steward::lease;
using nlohmann::json;

namespace {

sys_time at(const char* t) { return *timefmt::parse(t, "%Y-%m-%d %H:%M"); }

// An inventory host as the host registry holds it, enrolled as number "3".
inventory::host inventory_host() {
  auto h = *test::typed_host({{"id", "0b6c1f2e-host"},
          {"hypervisor_hostname", "compute-2"},
          {"hypervisor_type", "QEMU"},
          {"hypervisor_version", 4002000},
          {"vcpus", 16},
          {"cpu_info", "{\"arch\": \"x86_64\"}"},
          {"memory_mb", 65536},
          {"local_gb", 500},
          {"service_name", "compute-2"},
          {"status", "enabled"},
          {"state", "up"},
          {"extra", {{"gpu", "true"}, {"rack", 7}, {"vcpus", "999"}, {"id", "fake"},
                     {"reservable", false}}},
          });
  h.enrolled = enrollment("3", at("2030-02-21 14:50"));
  return h;
}

// What the route reads of an enrolment (creating) or an update body.
steward::parsed<inventory::capability_changes> read(const json& body, bool creating) {
  if (!creating)
    return steward::http::read_capability_update(body);
  auto enrolment = steward::http::read_enrollment(body);
  return {enrolment.value.extra, enrolment.refused};
}

std::string capability_refusal(const json& body, bool creating) {
  auto r = read(body, creating).refused;
  if (!r)
    return "";
  EXPECT_EQ(r->status, 400) << r->error;
  return r->error;
}

// The changes read, as JSON (null: removed).
json capabilities(const json& body, bool creating) {
  auto r = read(body, creating);
  EXPECT_FALSE(r.refused) << (r.refused ? r.refused->error : "");
  auto& caps = r.value;
  json out = json::object();
  for (auto& [name, value] : caps)
    out[name] = value ? inventory::capability_json(*value) : json(nullptr);
  return out;
}

} // namespace

TEST(reservable_host, enrollment_record) {
  auto e = enrollment("12", at("2030-02-21 14:50"));
  EXPECT_EQ(e.number, "12");
  EXPECT_EQ(e.created_at, at("2030-02-21 14:50"));
  EXPECT_FALSE(e.updated_at);
}

TEST(reservable_host, enrolled_and_number) {
  auto h = inventory_host();
  EXPECT_EQ(host_number(h), "3");
  EXPECT_EQ(number_of(h), 3);
  h.enrolled.reset();
  EXPECT_EQ(host_number(h), "");
  EXPECT_EQ(number_of(h), 0);
  EXPECT_EQ(show_host(h)["id"], "");
  EXPECT_TRUE(show_host(h)["created_at"].is_null());
}

TEST(reservable_host, show_host_flattens_capabilities_host_columns_win) {
  auto shown = show_host(inventory_host());
  EXPECT_EQ(shown["gpu"], "true");
  EXPECT_EQ(shown["rack"], 7);
  EXPECT_EQ(shown["vcpus"], 16) << "the host column wins over a capability of the same name";
  EXPECT_EQ(shown["id"], "3") << "the id is the enrolled number, not the inventory id";
  EXPECT_EQ(shown["reservable"], true) << "an enabled, up host is reservable";
  EXPECT_EQ(shown["hypervisor_hostname"], "compute-2");
  EXPECT_EQ(shown["hypervisor_type"], "QEMU");
  EXPECT_EQ(shown["hypervisor_version"], 4002000);
  EXPECT_EQ(shown["cpu_info"], "{\"arch\": \"x86_64\"}");
  EXPECT_EQ(shown["memory_mb"], 65536);
  EXPECT_EQ(shown["local_gb"], 500);
  EXPECT_EQ(shown["service_name"], "compute-2");
  EXPECT_TRUE(shown["status"].is_null());
  EXPECT_EQ(shown["trust_id"], "");
  EXPECT_EQ(shown["created_at"], "2030-02-21 14:50:00");
  EXPECT_TRUE(shown["updated_at"].is_null());
  EXPECT_FALSE(shown.contains("extra"));
  EXPECT_FALSE(shown.contains("enrolled"));
  EXPECT_FALSE(shown.contains("state"));
}

TEST(reservable_host, show_host_dates_follow_the_enrollment) {
  auto h = inventory_host();
  h.enrolled->updated_at = at("2030-02-22 08:00");
  auto shown = show_host(h);
  EXPECT_EQ(shown["created_at"], "2030-02-21 14:50:00");
  EXPECT_EQ(shown["updated_at"], "2030-02-22 08:00:00");
}

TEST(reservable_host, show_host_without_capabilities) {
  auto h = inventory_host();
  h.extra.clear();
  auto shown = show_host(h);
  EXPECT_EQ(shown["id"], "3");
  EXPECT_FALSE(shown.contains("gpu"));
  EXPECT_EQ(shown["vcpus"], 16);
}

TEST(reservable_host, unusable_hosts_are_not_reservable) {
  auto h = inventory_host();
  h.enabled = false;
  EXPECT_EQ(show_host(h)["reservable"], false) << "disabled";
  h = inventory_host();
  h.up = false;
  EXPECT_EQ(show_host(h)["reservable"], false) << "down";
  h = inventory_host();
  h.maintenance_session = "s-1";
  EXPECT_EQ(show_host(h)["reservable"], false) << "in maintenance";
  h.maintenance_session.clear();
  EXPECT_EQ(show_host(h)["reservable"], true);
}

TEST(reservable_host, create_capabilities_skip_the_name) {
  EXPECT_EQ(capabilities({{"name", "compute-1"}, {"gpu", "true"}, {"cores", 8}, {"fast", true}},
                         true),
            (json{{"gpu", "true"}, {"cores", 8}, {"fast", true}}));
  EXPECT_EQ(capabilities({{"name", "compute-1"}}, true), json::object())
    << "a host may be enrolled without capabilities";
}

TEST(reservable_host, update_capabilities_flat_or_in_values) {
  EXPECT_EQ(capabilities({{"gpu", "false"}}, false), (json{{"gpu", "false"}}));
  EXPECT_EQ(capabilities({{"gpu", "false"}, {"rack", 3}}, false),
            (json{{"gpu", "false"}, {"rack", 3}}));
  EXPECT_EQ(capabilities({{"values", {{"gpu", "false"}, {"rack", "r2"}}}}, false),
            (json{{"gpu", "false"}, {"rack", "r2"}}));
  EXPECT_EQ(capabilities({{"gpu", nullptr}}, false), (json{{"gpu", nullptr}}));
}

TEST(reservable_host, capability_refusals) {
  EXPECT_EQ(capability_refusal(json::object(), false), "No data to update");
  EXPECT_EQ(capability_refusal({{"values", json::object()}}, false), "No data to update");
  EXPECT_EQ(capability_refusal({{"values", "gpu=true"}}, false), "Malformed parameter values");
  EXPECT_EQ(capability_refusal({{"vcpus", 4}}, false), "Parameter vcpus of a host cannot be changed");
  EXPECT_EQ(capability_refusal({{"values", {{"hypervisor_hostname", "x"}}}}, false),
            "Parameter hypervisor_hostname of a host cannot be changed");
  EXPECT_EQ(capability_refusal({{"name", "compute-1"}, {"reservable", false}}, true),
            "Parameter reservable of a host cannot be changed");
  EXPECT_EQ(capability_refusal({{"name", "renamed"}}, false),
            "Parameter name of a host cannot be changed") << "only a create names the host";
  std::string long_key(65, 'k');
  EXPECT_EQ(capability_refusal({{long_key, "v"}}, false),
            "Extra capability name '" + long_key + "' must have 1 to 64 characters");
  EXPECT_EQ(capability_refusal({{"", "v"}}, false),
            "Extra capability name '' must have 1 to 64 characters");
  EXPECT_EQ(capability_refusal({{std::string(64, 'k'), "v"}}, false), "") << "64 is allowed";
  EXPECT_EQ(capability_refusal({{"gpu", {{"model", "a100"}}}}, false),
            "Extra capability gpu must be a string, a number or a boolean");
  EXPECT_EQ(capability_refusal({{"name", "compute-1"}, {"gpu", json::array({1, 2})}}, true),
            "Extra capability gpu must be a string, a number or a boolean");
  EXPECT_EQ(capability_refusal(json::array(), true), "The request body must be a JSON object");
  EXPECT_EQ(capability_refusal("gpu=true", false), "The request body must be a JSON object");
}

TEST(reservable_host, show_allocation_filters_by_lease_and_reservation) {
  std::vector<allocation> allocations = {
    {"lease-a", "res-a1", at("2030-01-01 10:00"), at("2030-01-02 10:00")},
    {"lease-a", "res-a2", at("2030-01-03 10:00"), at("2030-01-04 10:00")},
    {"lease-b", "res-b1", at("2030-01-05 10:00"), at("2030-01-06 10:00")},
  };
  auto ids = [](const json& shown) {
    std::vector<std::string> out;
    for (auto& r : shown["reservations"])
      out.push_back(r["id"]);
    return out;
  };
  auto all = show_allocation("3", allocations, "", "");
  EXPECT_EQ(all["resource_id"], "3");
  EXPECT_EQ(ids(all), (std::vector<std::string>{"res-a1", "res-a2", "res-b1"}));
  EXPECT_EQ(all["reservations"][0],
            (json{{"id", "res-a1"}, {"lease_id", "lease-a"},
                  {"start_date", "2030-01-01T10:00:00.000000"},
                  {"end_date", "2030-01-02T10:00:00.000000"}}));
  EXPECT_EQ(ids(show_allocation("3", allocations, "lease-a", "")),
            (std::vector<std::string>{"res-a1", "res-a2"}));
  EXPECT_EQ(ids(show_allocation("3", allocations, "", "res-b1")),
            (std::vector<std::string>{"res-b1"}));
  EXPECT_EQ(ids(show_allocation("3", allocations, "lease-a", "res-a2")),
            (std::vector<std::string>{"res-a2"}));
  auto none = show_allocation("3", allocations, "lease-a", "res-b1");
  EXPECT_EQ(none["resource_id"], "3");
  EXPECT_TRUE(none["reservations"].is_array());
  EXPECT_TRUE(none["reservations"].empty());
  auto empty = show_allocation("5", {}, "", "");
  EXPECT_EQ(empty, (json{{"resource_id", "5"}, {"reservations", json::array()}}));
}
