// What GET /resources shows of two clouds, made from hosts, instances and
// the catalog, without actors.
#include <gtest/gtest.h>

#include "actors/migration/cloud_resources.hpp"

using namespace steward;
using namespace steward::migration;
using nlohmann::json;

namespace {

catalog::catalog two_clouds() {
  catalog::catalog c;
  auto update = [&](const char* cloud_id, const char* name, json flavors, json templates,
                    json projects) {
    json payload = {{"cloud", {{"uuid", cloud_id}, {"name", name}}},
                    {"flavors", std::move(flavors)},
                    {"templates", std::move(templates)},
                    {"projects", std::move(projects)}};
    EXPECT_EQ(c.apply_update(payload), "");
  };
  update("c-src", "old", json::array({{{"uuid", "f1"}, {"name", "m1.small"}, {"cores", 1},
                                       {"ram", 2048}, {"disk", 20480}}}),
         json::array({{{"uuid", "i1"}, {"name", "cirros"}, {"os", "Cirros"}}}),
         json::array({{{"uuid", "p-it"}, {"name", "it"}, {"clouds", {"c-src"}}},
                      {{"uuid", "p-idle"}, {"name", "idle"}, {"clouds", {"c-src"}}}}));
  update("c-dst", "new", json::array(), json::array(), json::array());
  EXPECT_EQ(c.apply_update(
              {{"cloud", {{"uuid", "c-src"}, {"name", "old"}}},
               {"flavors", {{{"uuid", "f1"}, {"name", "m1.small"}, {"cores", 1}, {"ram", 2048},
                             {"disk", 20480}}}},
               {"templates", {{{"uuid", "i1"}, {"name", "cirros"}, {"os", "Cirros"}},
                              {{"uuid", "i2"}, {"name", "debian"}, {"status", "saving"},
                               {"progress", 40}}}},
               {"keys", {{{"uuid", "k1"}, {"name", "alice-key"}, {"fingerprint", "aa:bb"},
                          {"user", "alice"}}}},
               {"networks", {{{"uuid", "n1"}, {"name", "it-net"}, {"project", "p-it"},
                              {"cidr", "10.0.0.0/24"}}}}}),
            "");
  return c;
}

host_ptr host(const char* id, const char* name, const char* cloud, bool enabled = true,
              bool up = true) {
  inventory::host h;
  h.id = id;
  h.hypervisor_hostname = name;
  h.cloud = cloud;
  h.enabled = enabled;
  h.up = up;
  return std::make_shared<const inventory::host>(h);
}

instance_ptr server(const char* uuid, const char* name, const char* host, instance::state s) {
  instance::instance i;
  i.uuid = uuid;
  i.hostname = name;
  i.cloud_name = "old";
  i.project = "p-it";
  i.image_template = "i1";
  i.host = host;
  i.current = s;
  return std::make_shared<const instance::instance>(i);
}

migration_settings settings() {
  migration_settings s;
  s.source_cloud = "old";
  s.destination_cloud = "new";
  s.source_urls = {{"horizon", "10.0.0.1/horizon"}};
  s.destination_urls = {{"horizon", "10.0.0.2/horizon"}, {"mos", "10.0.0.3"}};
  return s;
}

} // namespace

TEST(cloud_resources, both_clouds_in_the_seed_shape) {
  auto cat = two_clouds();
  world_view w;
  w.hosts["h1"] = host("h1", "cz-1", "old");
  w.hosts["h2"] = host("h2", "cz-2", "old", false);
  w.hosts["h3"] = host("h3", "cz-3", "old", true, false);
  w.hosts["h4"] = host("h4", "cz-9", "new");
  w.hosts["h5"] = host("h5", "spare", "elsewhere");
  w.instances["s2"] = server("s2", "web-2", "cz-1", instance::state::offline);
  w.instances["s1"] = server("s1", "web-1", "cz-1", instance::state::online);
  auto doc = resources_document(w, cat, settings(), {});

  EXPECT_EQ(doc["reset"], false);
  auto& src = doc["source"];
  EXPECT_EQ(src["urls"], (json{{"horizon", "10.0.0.1/horizon"}}));
  EXPECT_EQ(src["tenants"],
            json::array({{{"id", "p-idle"}, {"name", "idle"}, {"description", ""}},
                         {{"id", "p-it"}, {"name", "it"}, {"description", ""}}}))
    << "every project of the cloud, by name, with or without servers";
  ASSERT_EQ(src["resources"].size(), 7u);
  EXPECT_EQ(src["resources"][0],
            (json{{"id", "s1"}, {"type", "server"}, {"name", "web-1"}, {"image_id", "i1"},
                  {"tenant_id", "p-it"}, {"host_name", "cz-1"}, {"status", "active"}}));
  EXPECT_EQ(src["resources"][1]["status"], "stopped");
  EXPECT_EQ(src["resources"][2],
            (json{{"id", "i1"}, {"type", "image"}, {"name", "cirros"}, {"status", "active"}}));
  EXPECT_EQ(src["resources"][3], (json{{"id", "i2"}, {"type", "image"}, {"name", "debian"},
                                       {"status", "saving"}, {"progress", 40}}))
    << "an image on its way says how far it is";
  EXPECT_EQ(src["resources"][4], (json{{"id", "f1"}, {"type", "flavor"}, {"name", "m1.small"},
                                       {"vcpus", 1}, {"ram", 2048}, {"disk", 20}}));
  EXPECT_EQ(src["resources"][5], (json{{"id", "n1"}, {"type", "network"}, {"name", "it-net"},
                                       {"tenant_id", "p-it"}, {"cidr", "10.0.0.0/24"}}));
  EXPECT_EQ(src["resources"][6], (json{{"id", "k1"}, {"type", "keypair"}, {"name", "alice-key"},
                                       {"fingerprint", "aa:bb"}, {"user", "alice"}}));
  EXPECT_EQ(src["hosts"], json::array({{{"id", "h1"}, {"name", "cz-1"}, {"status", "available"}},
                                       {{"id", "h2"}, {"name", "cz-2"}, {"status", "blocked"}},
                                       {{"id", "h3"}, {"name", "cz-3"}, {"status", "error"}}}));
  auto& dst = doc["destination"];
  EXPECT_EQ(dst["urls"], (json{{"horizon", "10.0.0.2/horizon"}, {"mos", "10.0.0.3"}}));
  EXPECT_EQ(dst["tenants"], json::array());
  EXPECT_EQ(dst["resources"], json::array());
  EXPECT_EQ(dst["hosts"], json::array({{{"id", "h4"}, {"name", "cz-9"}, {"status", "available"}}}));
  EXPECT_EQ(doc["hosts"], json::array({{{"id", "h5"}, {"name", "spare"}, {"status", "available"}}}))
    << "a host of neither cloud";
  EXPECT_EQ(doc["events"], json::array());
}

TEST(cloud_resources, operations_under_way_show) {
  auto cat = two_clouds();
  world_view w;
  w.hosts["h1"] = host("h1", "cz-1", "old", false);
  operations_view ops;
  ops.streams = {"e-2", "e-1"};
  ops.tenants["p-it"] = "migration";
  ops.hosts["cz-1"] = "evacuation";
  auto s = settings();
  s.reset = true;
  auto doc = resources_document(w, cat, s, ops);
  EXPECT_EQ(doc["reset"], true);
  EXPECT_EQ(doc["events"], json::array({"e-2", "e-1"}));
  EXPECT_EQ(doc["source"]["tenants"][1]["status"], "migration");
  EXPECT_FALSE(doc["source"]["tenants"][0].contains("status"));
  EXPECT_EQ(doc["source"]["hosts"][0]["status"], "evacuation") << "over its own blocked";
}
