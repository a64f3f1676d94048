// Instance rules: create validation, lists (filters, ordering, pagination),
// resize, usage.
#include <gtest/gtest.h>

#include "tests/actors/bodies.hpp"
#include "actors/instance/instance_document.hpp"
#include "common/time_format.hpp"

using namespace steward;
using namespace steward::instance;
using nlohmann::json;

namespace {

catalog::catalog make_catalog() {
  catalog::catalog c;
  auto err = c.apply_update(json::parse(R"({
    "cloud": {"uuid": "cl1", "name": "default", "customer": "cu1"},
    "flavors": [{"uuid": "f1", "name": "small", "cores": 1, "ram": 2048, "disk": 20480},
                {"uuid": "f2", "name": "large", "cores": 4, "ram": 8192, "disk": 81920}],
    "templates": [{"uuid": "t1", "name": "CentOS", "os": "CentOS 6.5"}],
    "keys": [{"uuid": "k1", "name": "alice-key", "fingerprint": "aa:bb", "user": "alice"}],
    "security_groups": [{"uuid": "sg1", "name": "http", "description": "web", "rules": []}],
    "customers": [{"uuid": "cu1", "name": "Acme", "abbreviation": "AC"}],
    "project_groups": [{"uuid": "pg1", "name": "Ops", "customer": "cu1"}],
    "projects": [{"uuid": "p1", "name": "Web", "customer": "cu1", "project_groups": ["pg1"], "clouds": ["cl1"]},
                 {"uuid": "p2", "name": "Lonely", "customer": "cu1", "clouds": []}]})"));
  EXPECT_EQ(err, "");
  auto other = c.apply_update(json::parse(R"({
    "cloud": {"uuid": "cl2", "name": "other", "customer": "cu1"},
    "flavors": [{"uuid": "f9", "name": "elsewhere", "cores": 1, "ram": 512, "disk": 1024}],
    "templates": [{"uuid": "t9", "name": "Debian", "os": "Debian"}]})"));
  EXPECT_EQ(other, "");
  return c;
}

access::caller alice() { return {"alice", false, {{"p1", access::role::admin}}, {}}; }

json good_body() {
  return {{"hostname", "vm-1"},
          {"description", "d"},
          {"template", "http://h/api/iaas-templates/t1/"},
          {"flavor", "http://h/api/flavors/f1/"},
          {"project", "http://h/api/projects/p1/"},
          {"ssh_public_key", "http://h/api/keys/k1/"},
          {"internal_ips", "10.0.0.1, 10.0.0.2"},
          {"external ips", "131.107.140.29"},
          {"security_groups", {{{"url", "http://h/api/security-groups/sg1/"}}}}};
}

// A listed instance with the names a catalog would give it.
listed item_with(steward::instance::instance& value, const std::string& hostname, const std::string& state,
                 const std::string& customer, const std::string& project,
                 const std::string& group, const std::string& templ) {
  value.uuid = hostname + "-id";
  value.hostname = hostname;
  value.current = parse_state(state).value_or(state::erred);
  listed l;
  l.value = &value;
  l.hostname = hostname;
  l.state = state;
  l.current = value.current;
  l.customer_name = customer;
  l.project_name = project;
  l.template_name = templ;
  if (!group.empty()) {
    l.project_group_names = {group};
    l.project_group_name = group;
  }
  return l;
}

} // namespace

TEST(instance_document, a_valid_create) {
  auto c = make_catalog();
  steward::instance::instance doc;
  auto r = steward::test::make_instance_from(good_body(), c, alice(), now(), doc);
  ASSERT_FALSE(r) << r->body.dump();
  EXPECT_EQ(doc.current, state::provisioning_scheduled);
  EXPECT_EQ(doc.cores, 1);
  EXPECT_EQ(doc.internal_ips.size(), 2u);
  EXPECT_EQ(doc.external_ips[0], "131.107.140.29");
  auto shown = render(doc, c, "http://h");
  EXPECT_EQ(shown["customer_name"], "Acme");
  EXPECT_EQ(shown["project_name"], "Web");
  EXPECT_EQ(shown["template_name"], "CentOS");
  EXPECT_EQ(shown["state"], "Provisioning Scheduled");
  EXPECT_EQ(shown["project"], "http://h/api/projects/p1/");
  EXPECT_EQ(shown["project_groups"][0]["url"], "http://h/api/project-groups/pg1/");
  EXPECT_EQ(shown["security_groups"][0]["name"], "http");
  EXPECT_EQ(shown["url"], "http://h/api/instances/" + doc.uuid + "/");
  for (auto field : {"url", "uuid", "hostname", "description", "start_time", "template",
                     "template_name", "template_os", "cloud", "cloud_name", "cloud_uuid",
                     "project", "project_name", "project_uuid", "customer", "customer_name",
                     "customer_abbreviation", "key_name", "key_fingerprint", "project_groups",
                     "security_groups", "external_ips", "internal_ips", "state", "backups",
                     "backup_schedules", "instance_licenses", "agreed_sla",
                     "system_volume_size", "data_volume_size", "cores", "ram"})
    EXPECT_TRUE(shown.contains(field)) << field;
}

TEST(instance_document, every_create_field_is_validated) {
  auto c = make_catalog();
  struct bad {
    std::string field;
    json value;
  };
  std::vector<bad> cases = {
    {"hostname", nullptr}, {"hostname", ""}, {"hostname", std::string(81, 'x')},
    {"template", nullptr}, {"template", "http://h/api/iaas-templates/nope/"},
    {"template", "http://h/api/iaas-templates/t9/"},   // a cloud the project does not use
    {"flavor", nullptr}, {"flavor", "http://h/api/flavors/nope/"}, {"flavor", 5},
    {"flavor", "http://h/api/flavors/f9/"},
    {"project", nullptr}, {"project", "http://h/api/projects/zzz/"},
    {"project", "http://h/api/clouds/p1/"},
    {"ssh_public_key", nullptr}, {"ssh_public_key", "http://h/api/keys/nope/"},
    {"internal_ips", "10.0.0.300"}, {"external ips", "not-an-ip"},
    {"security_groups", "http"}, {"security_groups", {{{"url", "http://h/api/security-groups/x/"}}}},
    {"description", 7},
  };
  for (auto& b : cases) {
    auto body = good_body();
    if (b.value.is_null())
      body.erase(b.field);
    else
      body[b.field] = b.value;
    steward::instance::instance doc;
    auto r = steward::test::make_instance_from(body, c, alice(), now(), doc);
    ASSERT_TRUE(r) << b.field << " = " << b.value.dump();
    EXPECT_EQ(r->status, 400);
    auto key = b.field == "external ips" ? std::string{"external ips"} : b.field;
    EXPECT_TRUE(r->body.contains(key)) << b.field << ": " << r->body.dump();
  }
  steward::instance::instance doc;
  EXPECT_EQ(steward::test::make_instance_from(json::array(), c, alice(), now(), doc)->status, 400);
}

TEST(instance_document, an_image_still_uploading_boots_nothing) {
  auto c = make_catalog();
  ASSERT_EQ(c.apply_update(json::parse(R"({
    "cloud": {"uuid": "cl1", "name": "default", "customer": "cu1"},
    "flavors": [{"uuid": "f1", "name": "small", "cores": 1, "ram": 2048, "disk": 20480}],
    "templates": [{"uuid": "t1", "name": "CentOS", "os": "CentOS 6.5", "status": "saving",
                   "progress": 50}]})")),
            "");
  steward::instance::instance doc;
  auto r = steward::test::make_instance_from(good_body(), c, alice(), now(), doc);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(r->body["template"], json::array({"Template is not available yet: its image is saving."}))
    << r->body.dump();
}

TEST(instance_document, only_admins_and_staff_create) {
  auto c = make_catalog();
  steward::instance::instance doc;
  access::caller manager{"alice", false, {{"p1", access::role::manager}}, {}};
  auto r = steward::test::make_instance_from(good_body(), c, manager, now(), doc);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
  access::caller stranger{"alice", false, {}, {}};
  r = steward::test::make_instance_from(good_body(), c, stranger, now(), doc);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400) << "an invisible project does not exist for the caller";
  access::caller staff{"alice", true, {}, {}};
  EXPECT_FALSE(steward::test::make_instance_from(good_body(), c, staff, now(), doc));
}

TEST(instance_document, filters_including_deprecated_names) {
  steward::instance::instance doc;
  auto d = item_with(doc, "Web-Server", "+", "Acme Corp", "Shop", "Retail", "CentOS 7");
  auto q = [](std::multimap<std::string, std::string> params) {
    list_query out;
    EXPECT_FALSE(parse_list_query(params, out));
    return out;
  };
  EXPECT_TRUE(matches(d, q({{"hostname", "web"}})));
  EXPECT_FALSE(matches(d, q({{"hostname", "db"}})));
  EXPECT_TRUE(matches(d, q({{"customer_name", "acme"}})));
  EXPECT_TRUE(matches(d, q({{"template_name", "centos"}})));
  EXPECT_TRUE(matches(d, q({{"project_name", "sho"}})));
  EXPECT_TRUE(matches(d, q({{"project", "shop"}})));
  EXPECT_TRUE(matches(d, q({{"project_group_name", "ret"}})));
  EXPECT_TRUE(matches(d, q({{"project_group", "retail"}})));
  EXPECT_FALSE(matches(d, q({{"project_group", "other"}})));
  EXPECT_TRUE(matches(d, q({{"state", "+"}})));
  EXPECT_FALSE(matches(d, q({{"state", "-"}})));
  list_query bad;
  auto r = parse_list_query({{"state", "?"}}, bad);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
}

TEST(instance_document, ordering_by_every_field_and_alias) {
  steward::instance::instance da, db, dc;
  std::vector<listed> items = {item_with(db, "b", "-", "Zed", "P2", "G1", "T3"),
                               item_with(da, "a", "+", "Yak", "P3", "G3", "T1"),
                               item_with(dc, "c", "p", "Xen", "P1", "G2", "T2")};
  auto hostnames = [&](std::multimap<std::string, std::string> params) {
    list_query q;
    EXPECT_FALSE(parse_list_query(params, q));
    std::vector<const listed*> sorted;
    for (auto& i : items)
      sorted.push_back(&i);
    order(sorted, q);
    std::string out;
    for (auto* i : sorted)
      out += i->hostname;
    return out;
  };
  EXPECT_EQ(hostnames({}), "abc");
  EXPECT_EQ(hostnames({{"o", "hostname"}}), "abc");
  EXPECT_EQ(hostnames({{"o", "-hostname"}}), "cba");
  EXPECT_EQ(hostnames({{"o", "state"}}), "abc");  // '+' < '-' < 'p'
  EXPECT_EQ(hostnames({{"o", "customer_name"}}), "cab");
  EXPECT_EQ(hostnames({{"o", "project__customer__name"}}), "cab");
  EXPECT_EQ(hostnames({{"o", "-customer_name"}}), "bac");
  EXPECT_EQ(hostnames({{"o", "project_name"}}), "cba");
  EXPECT_EQ(hostnames({{"o", "project__name"}}), "cba");
  EXPECT_EQ(hostnames({{"o", "project_group_name"}}), "bca");
  EXPECT_EQ(hostnames({{"o", "project__project_groups__name"}}), "bca");
  EXPECT_EQ(hostnames({{"o", "template_name"}}), "acb");
  EXPECT_EQ(hostnames({{"o", "template__name"}}), "acb");
  EXPECT_EQ(hostnames({{"o", "no_such_field"}}), "abc");
}

TEST(instance_document, pagination_edges) {
  auto page = [](std::size_t total, std::multimap<std::string, std::string> params,
                 page_result& p) {
    list_query q;
    EXPECT_FALSE(parse_list_query(params, q));
    return paginate(total, q, p);
  };
  page_result p;
  EXPECT_FALSE(page(0, {}, p));
  EXPECT_EQ(p.count, 0u) << "an empty list is an empty first page";
  EXPECT_FALSE(page(25, {}, p));
  EXPECT_EQ(p.count, 10u);
  EXPECT_EQ(p.last, 3);
  EXPECT_FALSE(page(25, {{"page", "3"}}, p));
  EXPECT_EQ(p.first, 20u);
  EXPECT_EQ(p.count, 5u) << "the last page holds the rest";
  EXPECT_FALSE(page(25, {{"page", "last"}}, p));
  EXPECT_EQ(p.number, 3);
  auto past = page(25, {{"page", "4"}}, p);
  ASSERT_TRUE(past);
  EXPECT_EQ(past->status, 404);
  EXPECT_EQ(past->body["detail"], "Invalid page.");
  EXPECT_TRUE(page(25, {{"page", "0"}}, p));
  EXPECT_TRUE(page(25, {{"page", "two"}}, p));
  EXPECT_FALSE(page(500, {{"page_size", "1000"}}, p));
  EXPECT_EQ(p.count, 100u) << "page_size over the maximum is the maximum";
  EXPECT_FALSE(page(500, {{"page_size", "-3"}}, p));
  EXPECT_EQ(p.count, 10u);
  EXPECT_FALSE(page(25, {{"page", "2"}}, p));
  auto link = link_header("http://h", "/api/instances/", {{"page", "2"}, {"o", "-state"}}, p);
  EXPECT_NE(link.find("<http://h/api/instances/?o=-state&page=1>; rel=\"first\""), std::string::npos) << link;
  EXPECT_NE(link.find("page=1>; rel=\"prev\""), std::string::npos);
  EXPECT_NE(link.find("page=3>; rel=\"next\""), std::string::npos);
  EXPECT_NE(link.find("page=3>; rel=\"last\""), std::string::npos);
}

TEST(instance_document, resize_rules) {
  auto c = make_catalog();
  steward::instance::instance doc;
  ASSERT_FALSE(steward::test::make_instance_from(good_body(), c, alice(), now(), doc));
  pending_resize want;
  EXPECT_FALSE(steward::test::check_resize_from({{"flavor", "http://h/api/flavors/f2/"}}, doc, c, want));
  ASSERT_TRUE(want.flavor);
  EXPECT_EQ(want.flavor->flavorid, "f2");
  auto other = steward::test::check_resize_from({{"flavor", "http://h/api/flavors/f9/"}}, doc, c, want);
  ASSERT_TRUE(other);
  EXPECT_TRUE(other->body.contains("flavor"));
  auto smaller = steward::test::check_resize_from({{"disk_size", 100}}, doc, c, want);
  ASSERT_TRUE(smaller);
  EXPECT_EQ(smaller->body["disk_size"], "Disk size must be strictly greater than the current one");
  want = {};
  EXPECT_FALSE(steward::test::check_resize_from({{"disk_size", 40960}}, doc, c, want));
  EXPECT_EQ(want.data_volume_size, 40960);
  EXPECT_TRUE(steward::test::check_resize_from(json::object(), doc, c, want));
  EXPECT_TRUE(steward::test::check_resize_from({{"disk_size", 40960}, {"flavor", "x"}}, doc, c, want));
  EXPECT_TRUE(steward::test::check_resize_from({{"disk_size", "big"}}, doc, c, want));
}

TEST(instance_document, usage_slices) {
  std::deque<usage_sample> samples;
  for (long long t = 0; t < 60; t += 10)
    samples.push_back({1000 + t, double(t), 1, 2});
  json out;
  auto now_t = timefmt::from_unix(1060);
  ASSERT_FALSE(usage(samples, {{"item", "cpu"}, {"from", "1000"}, {"to", "1060"},
                               {"datapoints", "3"}}, now_t, out));
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0]["from"], 1000);
  EXPECT_EQ(out[0]["to"], 1020);
  EXPECT_DOUBLE_EQ(out[0]["value"].get<double>(), 5.0);
  ASSERT_FALSE(usage(samples, {{"item", "memory"}}, now_t, out));
  EXPECT_EQ(out.size(), 6u) << "six datapoints over the last hour by default";
  EXPECT_TRUE(usage(samples, {{"item", "disk"}}, now_t, out));
  EXPECT_TRUE(usage(samples, {}, now_t, out));
  EXPECT_TRUE(usage(samples, {{"item", "cpu"}, {"from", "2000"}, {"to", "1000"}}, now_t, out));
  EXPECT_TRUE(usage(samples, {{"item", "cpu"}, {"datapoints", "0"}}, now_t, out));
  EXPECT_TRUE(usage(samples, {{"item", "cpu"}, {"from", "soon"}}, now_t, out));
}

// An instance learned from the bus is held to the API's rules.
TEST(instance_document, nova_instance_payloads_follow_the_api_rules) {
  json ok = {{"uuid", "vm-1"}, {"display_name", "web-1"}, {"tenant_id", "p"}, {"state", "active"},
             {"flavor", {{"nova_object.data", {{"flavorid", "f"}, {"vcpus", 2}}}}}};
  EXPECT_EQ(check_nova_instance(ok), "");
  auto refused = [&](json data, const char* says) {
    auto why = check_nova_instance(data);
    EXPECT_NE(why.find(says), std::string::npos) << data.dump().substr(0, 200) << ": " << why;
  };
  auto with = [&](const char* key, json value) {
    auto data = ok;
    data[key] = std::move(value);
    return data;
  };
  refused(with("display_name", std::string(81, 'x')), "'display_name' is longer than 80");
  refused(with("display_name", 42), "'display_name' must be a string");
  refused(with("uuid", ""), "'uuid'");
  refused(with("uuid", 5), "'uuid'");
  refused(with("tenant_id", json::object()), "'tenant_id' must be a string");
  refused(with("data_volume_gb", -3), "'data_volume_gb' must be a whole number");
  refused(with("data_volume_gb", 9007199254740993LL), "'data_volume_gb' must be a whole number");
  refused(with("data_volume_gb", 1e300), "'data_volume_gb' must be a whole number");
  refused(with("flavor", "small"), "'flavor' must be an object");
  refused(with("flavor", {{"nova_object.data", {{"vcpus", "two"}}}}), "flavor: 'vcpus'");
  json no_uuid = ok;
  no_uuid.erase("uuid");
  refused(no_uuid, "'uuid'");
  EXPECT_EQ(check_nova_instance(with("display_name", std::string(80, 'x'))), "")
    << "80 characters, like the API's hostname";
}
