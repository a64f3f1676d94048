// Loading workloads: the embedded default, references by name or uuid, and
// every validation error naming the item at fault.
#include "sim/workload.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <set>

#include "sim/world.hpp"
#include "sim_test_util.hpp"

namespace steward::sim::test {
namespace {

TEST(Workload, TheEmbeddedDefaultIsSmallButAlive) {
  workload w = default_workload();
  ASSERT_EQ(w.clouds.size(), 2u) << "a source and a destination of migrations";
  EXPECT_EQ(w.clouds[1].name, "destination");
  EXPECT_EQ(w.clouds[1].hosts.size(), 2u);
  const cloud_spec& c = w.clouds.front();
  EXPECT_EQ(c.name, "default");
  EXPECT_EQ(c.hosts.size(), 4u);
  EXPECT_EQ(c.flavors.size(), 3u);
  EXPECT_EQ(c.templates.size(), 3u);
  EXPECT_FALSE(c.keys.empty());
  EXPECT_FALSE(c.security_groups.empty());
  EXPECT_EQ(c.networks.size(), 3u) << "one per project";
  EXPECT_TRUE(w.clouds[1].networks.empty() && w.clouds[1].keys.empty())
    << "what a migration makes in the destination";
  EXPECT_EQ(w.customers.size(), 2u);
  EXPECT_FALSE(w.project_groups.empty());
  EXPECT_EQ(w.projects.size(), 3u);
  EXPECT_GE(w.instances.size(), 6u);
  EXPECT_LE(w.instances.size(), 8u);
  std::set<std::string> states;
  std::set<std::string> hosts;
  for (const instance_spec& i : w.instances) {
    states.insert(i.state);
    if (!i.host.empty()) hosts.insert(i.host);
  }
  EXPECT_EQ(states, (std::set<std::string>{"active", "stopped", "error"}));
  EXPECT_GE(hosts.size(), 3u) << "instances are spread over the hosts";
  // It fits with the configuration's default ratios and with none at all.
  EXPECT_NO_THROW(world(w, allocation_ratios{}));
  EXPECT_NO_THROW(world(w, allocation_ratios{1, 1, 1}));
}

TEST(Workload, ReferencesMayNameOrIdentify) {
  json doc = small_workload();
  json& i = doc["instances"][0];
  i["flavor"] = "small";          // by name
  i["template"] = "CentOS 7";     // by name
  i["key"] = "k-1";               // by uuid
  i["security_groups"] = {"sg-1"};  // by uuid
  i["project"] = "Project One";   // by name
  doc["clouds"][0]["networks"] = {{{"uuid", "n1"}, {"name", "net"}, {"project", "Project One"}}};
  i.erase("cloud");               // one cloud: it can only be that one
  doc["projects"][0]["clouds"] = {"c1"};
  workload w = parse_workload(doc);
  const instance_spec& got = w.instances.front();
  EXPECT_EQ(got.flavor, "f-small");
  EXPECT_EQ(got.template_uuid, "t-centos");
  EXPECT_EQ(got.key, "alice-key");  // instances carry the key's name
  EXPECT_EQ(got.security_groups, std::vector<std::string>{"ssh"});
  EXPECT_EQ(got.project, "p1");
  EXPECT_EQ(got.cloud, "c1");
  EXPECT_EQ(w.clouds[0].networks.at(0).project, "p1");
  EXPECT_EQ(w.projects.front().clouds, std::vector<std::string>{"cloud-1"});
}

TEST(Workload, OptionalFieldsHaveDefaults) {
  json doc = small_workload();
  json& h = doc["clouds"][0]["hosts"][0];
  h.erase("disabled");
  json& i = doc["instances"][0];
  for (const char* k : {"template", "key", "security_groups", "state", "data_volume_gb",
                        "internal_ips"}) {
    i.erase(k);
  }
  workload w = parse_workload(doc);
  EXPECT_FALSE(w.clouds[0].hosts[0].disabled);
  EXPECT_EQ(w.clouds[0].hosts[0].hypervisor_type, "QEMU");
  EXPECT_EQ(w.instances[0].state, "active");
  EXPECT_EQ(w.instances[0].data_volume_gb, 0);
  EXPECT_TRUE(w.instances[0].key.empty());
}

struct bad_case {
  const char* name;
  std::function<void(json&)> spoil;
  std::vector<std::string> message;  // every part must be in the error
};

json& cloud(json& doc) { return doc["clouds"][0]; }
json& inst(json& doc, int n = 0) { return doc["instances"][n]; }

const std::vector<bad_case>& bad_cases() {
  static const std::vector<bad_case> cases = {
      {"no clouds", [](json& d) { d["clouds"] = json::array(); }, {"names no cloud"}},
      {"top-level typo", [](json& d) { d["clowds"] = 1; }, {"unknown field 'clowds'"}},
      {"not an object", [](json& d) { d["clouds"][0] = "c1"; }, {"clouds[0]", "must be an object"}},
      {"host field typo", [](json& d) { cloud(d)["hosts"][0]["memory_gb"] = 1; },
       {"host 'h1'", "unknown field 'memory_gb'"}},
      {"host without vcpus", [](json& d) { cloud(d)["hosts"][0].erase("vcpus"); },
       {"host 'h1'", "'vcpus' is missing"}},
      {"host vcpus not a number", [](json& d) { cloud(d)["hosts"][0]["vcpus"] = "8"; },
       {"host 'h1'", "'vcpus' must be an integer"}},
      {"host without capacity", [](json& d) { cloud(d)["hosts"][0]["memory_mb"] = 0; },
       {"host 'h1'", "'memory_mb' must be at least 1"}},
      {"duplicate host", [](json& d) { cloud(d)["hosts"][1]["name"] = "h1"; },
       {"duplicate host name 'h1'"}},
      {"duplicate host across clouds",
       [](json& d) {
         json second = cloud(d);
         second["uuid"] = "cloud-2";
         second["name"] = "c2";
         for (json& f : second["flavors"]) f["uuid"] = f["uuid"].get<std::string>() + "-2";
         d["clouds"].push_back(second);
       },
       {"cloud 'c2'", "duplicate host name 'h1'"}},
      {"duplicate cloud name",
       [](json& d) {
         json second = cloud(d);
         second["uuid"] = "cloud-2";
         second["hosts"] = json::array();
         d["clouds"].push_back(second);
       },
       {"duplicate cloud name 'c1'"}},
      {"duplicate flavor uuid", [](json& d) { cloud(d)["flavors"][1]["uuid"] = "f-small"; },
       {"cloud 'c1'", "duplicate flavor uuid 'f-small'"}},
      {"duplicate flavor name", [](json& d) { cloud(d)["flavors"][1]["name"] = "small"; },
       {"cloud 'c1'", "duplicate flavor name 'small'"}},
      {"flavor without cores", [](json& d) { cloud(d)["flavors"][0].erase("cores"); },
       {"flavor 'small'", "'cores' is missing"}},
      {"empty uuid", [](json& d) { cloud(d)["templates"][0]["uuid"] = ""; },
       {"templates[0]", "'uuid' must not be empty"}},
      {"duplicate customer", [](json& d) { d["customers"].push_back(d["customers"][0]); },
       {"duplicate customer uuid 'cust-1'"}},
      {"duplicate project", [](json& d) { d["projects"].push_back(d["projects"][0]); },
       {"duplicate project uuid 'p1'"}},
      {"duplicate instance",
       [](json& d) {
         json copy = inst(d);
         copy["display_name"] = "i1-again";
         d["instances"].push_back(copy);
       },
       {"instance 'i1-again'", "duplicate instance uuid 'i1'"}},
      {"unknown cloud customer", [](json& d) { cloud(d)["customer"] = "nobody"; },
       {"cloud 'c1'", "unknown customer 'nobody'"}},
      {"unknown group customer", [](json& d) { d["project_groups"][0]["customer"] = "nobody"; },
       {"project group 'Group One'", "unknown customer 'nobody'"}},
      {"unknown project customer", [](json& d) { d["projects"][0]["customer"] = "nobody"; },
       {"project 'Project One'", "unknown customer 'nobody'"}},
      {"unknown project group", [](json& d) { d["projects"][0]["project_groups"] = {"pg-9"}; },
       {"project 'Project One'", "unknown project group 'pg-9'"}},
      {"project group of another customer",
       [](json& d) {
         d["customers"].push_back({{"uuid", "cust-2"}, {"name", "Two"}});
         d["project_groups"][0]["customer"] = "cust-2";
       },
       {"project 'Project One'", "belongs to another customer"}},
      {"project in unknown cloud", [](json& d) { d["projects"][0]["clouds"] = {"nowhere"}; },
       {"project 'Project One'", "unknown cloud 'nowhere'"}},
      {"instance in unknown cloud", [](json& d) { inst(d)["cloud"] = "c9"; },
       {"instance 'i1'", "unknown cloud 'c9'"}},
      {"instance without cloud among several",
       [](json& d) {
         d["clouds"].push_back({{"uuid", "cloud-2"}, {"name", "c2"}});
         inst(d).erase("cloud");
       },
       {"instance 'i1'", "'cloud' is missing"}},
      {"instance on unknown host", [](json& d) { inst(d)["host"] = "h9"; },
       {"instance 'i1'", "unknown host 'h9' in cloud 'c1'"}},
      {"unknown flavor", [](json& d) { inst(d)["flavor"] = "huge"; },
       {"instance 'i1'", "unknown flavor 'huge'"}},
      {"network of an unknown project",
       [](json& d) { cloud(d)["networks"] = {{{"uuid", "n1"}, {"name", "net"}, {"project", "p9"}}}; },
       {"network 'net'", "unknown project 'p9'"}},
      {"network of a project not in the cloud",
       [](json& d) {
         d["projects"][0]["clouds"] = json::array();
         d["instances"] = json::array();
         cloud(d)["networks"] = {{{"uuid", "n1"}, {"name", "net"}, {"project", "p1"}}};
       },
       {"network 'net'", "is not in the cloud"}},
      {"network without a project",
       [](json& d) { cloud(d)["networks"] = {{{"uuid", "n1"}, {"name", "net"}}}; },
       {"networks[0]", "'project' is missing"}},
      {"unknown template", [](json& d) { inst(d)["template"] = "t-9"; },
       {"instance 'i1'", "unknown template 't-9'"}},
      {"unknown key", [](json& d) { inst(d)["key"] = "bob-key"; },
       {"instance 'i1'", "unknown key 'bob-key'"}},
      {"unknown security group", [](json& d) { inst(d)["security_groups"] = {"web"}; },
       {"instance 'i1'", "unknown security group 'web'"}},
      {"unknown project", [](json& d) { inst(d)["project"] = "p9"; },
       {"instance 'i1'", "unknown project 'p9'"}},
      {"project not in the cloud", [](json& d) { d["projects"][0]["clouds"] = json::array(); },
       {"instance 'i1'", "project 'Project One' is not in cloud 'c1'"}},
      {"unknown state", [](json& d) { inst(d)["state"] = "paused"; },
       {"instance 'i1'", "state 'paused' is not one of active, stopped, error"}},
      {"active without host", [](json& d) { inst(d).erase("host"); },
       {"instance 'i1'", "has no host"}},
      {"negative data volume", [](json& d) { inst(d)["data_volume_gb"] = -1; },
       {"instance 'i1'", "'data_volume_gb' must be at least 0"}},
      {"ips not strings", [](json& d) { inst(d)["internal_ips"] = {1}; },
       {"instance 'i1'", "'internal_ips' must be a list of non-empty strings"}},
      {"instance field typo", [](json& d) { inst(d)["flavour"] = "small"; },
       {"instance 'i1'", "unknown field 'flavour'"}},
      {"instance without display name", [](json& d) { inst(d).erase("display_name"); },
       {"instance 'i1'", "'display_name' is missing"}},
  };
  return cases;
}

TEST(Workload, EveryFaultIsNamed) {
  for (const bad_case& c : bad_cases()) {
    SCOPED_TRACE(c.name);
    json doc = small_workload();
    c.spoil(doc);
    try {
      parse_workload(doc);
      ADD_FAILURE() << "accepted";
    } catch (const workload_error& e) {
      for (const std::string& part : c.message) {
        EXPECT_NE(std::string(e.what()).find(part), std::string::npos)
            << "'" << e.what() << "' does not say '" << part << "'";
      }
    }
  }
}

TEST(Workload, TextAndFilesNameTheirSource) {
  try {
    parse_workload_text("{not json", "w.json");
    ADD_FAILURE() << "accepted";
  } catch (const workload_error& e) {
    EXPECT_NE(std::string(e.what()).find("w.json: not valid JSON"), std::string::npos) << e.what();
  }
  try {
    load_workload_file("/nonexistent/workload.json");
    ADD_FAILURE() << "accepted";
  } catch (const workload_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/workload.json: cannot be read"),
              std::string::npos)
        << e.what();
  }
  char path[] = "/tmp/steward-sim-workload-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  json doc = small_workload();
  doc["instances"][0]["flavor"] = "huge";
  std::ofstream(path) << doc.dump();
  try {
    load_workload_file(path);
    ADD_FAILURE() << "accepted";
  } catch (const workload_error& e) {
    EXPECT_NE(std::string(e.what()).find(std::string(path) + ": instance 'i1'"), std::string::npos)
        << e.what();
  }
  doc = small_workload();
  std::ofstream(path, std::ios::trunc) << doc.dump();
  EXPECT_EQ(load_workload_file(path).instances.size(), 3u);
  std::remove(path);
}

TEST(Workload, AHostOverCapacityIsRefusedWithTheRatiosInForce) {
  json doc = small_workload();
  for (int n = 0; n < 8; ++n) {  // eight more small ones on h1: 9 x 2048 MiB > 16384
    json extra = doc["instances"][0];
    extra["uuid"] = "extra-" + std::to_string(n);
    extra["internal_ips"] = json::array();
    doc["instances"].push_back(extra);
  }
  workload w = parse_workload(doc);
  try {
    world(w, allocation_ratios{});
    ADD_FAILURE() << "accepted";
  } catch (const workload_error& e) {
    EXPECT_NE(std::string(e.what()).find("host 'h1' is over capacity"), std::string::npos)
        << e.what();
  }
  EXPECT_NO_THROW(world(w, allocation_ratios{4, 2, 2})) << "fits with more memory overcommit";
}

} // namespace
} // namespace steward::sim::test
