#include <gtest/gtest.h>

#include "actors/catalog/catalog.hpp"


using steward::catalog::kind;
using steward::catalog::id_from_url;
using nlohmann::json;

namespace {

json update() {
  return json::parse(R"({
    "cloud": {"uuid": "cl1", "name": "default", "customer": "cu1"},
    "flavors": [{"uuid": "f1", "name": "m1.small", "cores": 1, "ram": 2048, "disk": 20480},
                {"uuid": "f2", "name": "m1.large", "cores": 4, "ram": 8192, "disk": 81920}],
    "templates": [{"uuid": "t1", "name": "CentOS", "os": "CentOS 6.5"}],
    "keys": [{"uuid": "k1", "name": "alice-key", "fingerprint": "aa:bb", "user": "alice"}],
    "security_groups": [{"uuid": "sg1", "name": "http", "description": "web",
                         "rules": [{"protocol": "tcp", "from_port": 80, "to_port": 80, "cidr": "0.0.0.0/0"}]}],
    "customers": [{"uuid": "cu1", "name": "Customer One", "abbreviation": "C1"},
                  {"uuid": "cu2", "name": "Customer Two", "abbreviation": "C2"}],
    "project_groups": [{"uuid": "pg1", "name": "Group", "customer": "cu1"}],
    "projects": [{"uuid": "p1", "name": "Project One", "customer": "cu1", "project_groups": ["pg1"], "clouds": ["cl1"]},
                 {"uuid": "p2", "name": "Project Two", "customer": "cu2", "clouds": []}]})");
}

steward::access::caller user(std::string id, std::map<std::string, steward::access::role> projects,
                    std::set<std::string> customers = {}) {
  return {std::move(id), false, std::move(projects), std::move(customers)};
}

} // namespace

TEST(catalog, update_applies_and_round_trips) {
  steward::catalog::catalog c;
  ASSERT_EQ(c.apply_update(update()), "");
  EXPECT_EQ(c.find_flavor("f2")->cores, 4);
  EXPECT_EQ(c.find_cloud_by_name("default")->uuid, "cl1");
  EXPECT_EQ(c.find_key("alice-key")->uuid, "k1");
  EXPECT_TRUE(c.project_uses_cloud("p1", "cl1"));
  EXPECT_FALSE(c.project_uses_cloud("p2", "cl1"));
  auto back = steward::catalog::catalog::from_json(c.to_json());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->to_json(), c.to_json());
  // The cloud's offer is replaced as a whole.
  auto smaller = update();
  smaller["flavors"] = json::array({smaller["flavors"][0]});
  ASSERT_EQ(c.apply_update(smaller), "");
  EXPECT_FALSE(c.find_flavor("f2"));
}

TEST(catalog, bad_updates_change_nothing) {
  steward::catalog::catalog c;
  ASSERT_EQ(c.apply_update(update()), "");
  auto before = c.to_json();
  for (auto bad : {json::array(), json{{"flavors", json::array()}},
                   json{{"cloud", {{"uuid", "x"}}}},
                   json{{"cloud", {{"uuid", "cl9"}, {"name", "default"}}}}}) {
    EXPECT_NE(c.apply_update(bad), "") << bad.dump();
  }
  auto broken = update();
  broken["flavors"][0]["cores"] = "one";
  EXPECT_NE(c.apply_update(broken).find("cores"), std::string::npos);
  EXPECT_EQ(c.to_json(), before);
}

TEST(catalog, uploads_keys_and_networks_are_each_clouds) {
  steward::catalog::catalog c;
  auto first = update();
  first["templates"].push_back({{"uuid", "t2"}, {"name", "Ubuntu"}, {"status", "saving"},
                                {"progress", 40}});
  first["networks"] = {{{"uuid", "n1"}, {"name", "p1-net"}, {"project", "p1"},
                        {"cidr", "10.0.0.0/24"}}};
  ASSERT_EQ(c.apply_update(first), "");
  EXPECT_TRUE(c.find_template("t1")->bootable()) << "an image with no status is active";
  EXPECT_EQ(c.find_template("t1")->progress, 100);
  EXPECT_FALSE(c.find_template("t2")->bootable());
  EXPECT_EQ(c.find_template("t2")->progress, 40);
  EXPECT_EQ(c.find_network("n1")->cloud, "cl1");
  EXPECT_EQ(c.find_network("n1")->project, "p1");

  // Another cloud holds the same user's key; this one drops its network.
  ASSERT_EQ(c.apply_update({{"cloud", {{"uuid", "cl2"}, {"name", "other"}}},
                            {"keys", first["keys"]}}),
            "");
  EXPECT_EQ(c.find_key("k1")->clouds, (std::vector<std::string>{"cl1", "cl2"}));
  EXPECT_EQ(c.find_key_in("cl2", "alice-key")->uuid, "k1");
  auto second = first;
  second["keys"] = json::array();
  second.erase("networks");
  ASSERT_EQ(c.apply_update(second), "");
  EXPECT_EQ(c.find_key("k1")->clouds, std::vector<std::string>{"cl2"}) << "cl1 no longer holds it";
  EXPECT_FALSE(c.find_key_in("cl1", "alice-key"));
  EXPECT_FALSE(c.find_network("n1")) << "a cloud's networks are replaced as a whole";

  ASSERT_EQ(c.apply_update(first), "");
  auto back = steward::catalog::catalog::from_json(c.to_json());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->to_json(), c.to_json()) << "uploads, key clouds and networks are stored";

  auto before = c.to_json();
  for (auto progress : {json(101), json(-1), json("half")}) {
    auto bad = first;
    bad["templates"][1]["progress"] = progress;
    EXPECT_NE(c.apply_update(bad).find("progress"), std::string::npos) << progress;
  }
  auto bad = first;
  bad["templates"][1]["status"] = "";
  EXPECT_NE(c.apply_update(bad).find("status"), std::string::npos);
  bad = first;
  bad["networks"][0].erase("name");
  EXPECT_NE(c.apply_update(bad).find("network"), std::string::npos);
  EXPECT_EQ(c.to_json(), before) << "a bad update changes nothing";
}

TEST(catalog, visibility_follows_roles_and_ownership) {
  steward::catalog::catalog c;
  ASSERT_EQ(c.apply_update(update()), "");
  auto member = user("bob", {{"p1", steward::access::role::member}});
  auto owner = user("carol", {}, {"cu2"});
  steward::access::caller staff{"root", true, {}, {}};
  EXPECT_TRUE(c.can_see_project(member, "p1"));
  EXPECT_FALSE(c.can_see_project(member, "p2"));
  EXPECT_TRUE(c.can_see_project(owner, "p2"));
  EXPECT_TRUE(c.can_see_customer(member, "cu1"));
  EXPECT_FALSE(c.can_see_customer(member, "cu2"));
  EXPECT_TRUE(c.can_see_cloud(member, "cl1"));
  EXPECT_FALSE(c.can_see_cloud(owner, "cl1"));
  EXPECT_TRUE(c.visible(kind::flavor, "f1", member));
  EXPECT_FALSE(c.visible(kind::flavor, "f1", owner));
  EXPECT_FALSE(c.visible(kind::ssh_key, "k1", member));
  EXPECT_TRUE(c.visible(kind::ssh_key, "k1", user("alice", {})));
  EXPECT_EQ(c.render_all(kind::customer, staff, "http://h").size(), 2u);
  EXPECT_EQ(c.render_all(kind::project, member, "http://h").size(), 1u);
}

TEST(catalog, rendering_and_urls) {
  steward::catalog::catalog c;
  ASSERT_EQ(c.apply_update(update()), "");
  auto p = c.render(kind::project, "p1", "http://h:1");
  EXPECT_EQ(p["url"], "http://h:1/api/projects/p1/");
  EXPECT_EQ(p["customer_name"], "Customer One");
  EXPECT_EQ(p["project_groups"][0]["url"], "http://h:1/api/project-groups/pg1/");
  EXPECT_TRUE(c.render(kind::flavor, "nope", "http://h").is_null());
  EXPECT_EQ(id_from_url("http://h/api/flavors/f1/", kind::flavor), "f1");
  EXPECT_EQ(id_from_url("f1", kind::flavor), "f1");
  EXPECT_FALSE(id_from_url("http://h/api/projects/p1/", kind::flavor));
  EXPECT_FALSE(id_from_url("http://h/api/flavors/", kind::flavor));
  EXPECT_FALSE(id_from_url("", kind::flavor));
}
