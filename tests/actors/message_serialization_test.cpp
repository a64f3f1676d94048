// Every message type of the type-id block, but the local ones, round-trips
// through CAF's binary serializer: what one node sends, another reads back
// field for field.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>
#include <caf/deep_to_string.hpp>

#include "actors/interfaces.hpp"
#include "tests/actors/typed_host.hpp"
#include "tests/actors/typed_instance.hpp"
#include "tests/actors/typed_session.hpp"

using namespace steward;
using nlohmann::json;

namespace {

struct serialization : ::testing::Test {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};

  // Writes `x`, reads it back into a fresh value, and checks that both say
  // the same (to_string shows every field the inspect function names).
  template <class T>
  T round_trip(T x) {
    std::vector<char> buf;
    caf::binary_serializer sink{sys, buf};
    auto written = sink(x);
    EXPECT_FALSE(written) << to_string(written);
    T back;
    caf::binary_deserializer source{sys, buf};
    auto read = source(back);
    EXPECT_FALSE(read) << to_string(read);
    EXPECT_EQ(caf::deep_to_string(back), caf::deep_to_string(x));
    tested.insert(caf::type_name<T>::value);
    return back;
  }

  std::set<std::string> tested;  // type names
};

access::caller someone() {
  access::caller who;
  who.user_id = "alice";
  who.projects = {{"p-1", access::role::admin}, {"p-2", access::role::member}};
  who.customers = {"c-1"};
  return who;
}

request_context ctx() {
  return {someone(), "http://127.0.0.1:8080"};
}

// A host create body with every field given.
inventory::host_fields every_host_field() {
  inventory::host_fields f;
  f.hypervisor_hostname = "c-1";
  f.vcpus = 8;
  f.memory_mb = 16384;
  f.local_gb = 200;
  f.hypervisor_version = 6002000;
  f.hypervisor_type = "QEMU";
  f.cloud = "east";
  f.disabled_reason = "disk";
  f.cpu_info = "{}";
  f.enabled = false;
  f.disabled_until = sys_time{std::chrono::seconds{1900000000}};
  f.clears_disabled_until = true;
  f.extra = {{"gpu", inventory::capability{inventory::capability::type::text, "a100"}},
             {"old", std::nullopt}};
  return f;
}

sys_time at(int64_t seconds) {
  return sys_time{std::chrono::seconds{seconds}};
}

lease::lease_fields every_lease_field() {
  lease::lease_fields f;
  f.name = "ünïcode";
  f.project_id = "p-1";
  f.start = lease::lease_date{true, {}};
  f.end = lease::lease_date{false, at(1900000000)};
  f.before_end = lease::lease_date{false, at(1899990000)};
  f.reservations = {{1, 2, R"(["==", "$vcpus", "8"])", "", "snapshot"}};
  f.names_dates = true;
  return f;
}

instance::instance_fields every_instance_field() {
  instance::instance_fields f;
  f.hostname = "vm-1";
  f.description = "ünïcode";
  f.project = "p-1";
  f.image_template = "t-1";
  f.flavor = "f-1";
  f.ssh_public_key = "k-1";
  f.security_groups = {"sg-1", ""};
  f.internal_ips = {"10.0.0.5"};
  f.external_ips = {"::1"};
  f.data_volume_size = 40960;
  f.errors = {{"hostname", {"This field may not be blank."}}};
  return f;
}

maintenance::session_fields every_session_field() {
  maintenance::session_fields f;
  f.maintenance_at = at(1900000000);
  f.maintenance_at_text = "2030-03-17 17:46:40";
  f.metadata = {{"reply_seconds", 30}, {"note", "ünïcode"}};
  f.actions = json::array({{{"plugin", "dummy"}}});
  f.hosts = {"compute-1", "compute-2"};
  f.reply_seconds = 30;
  f.own_action_seconds = 60;
  f.host_seconds = 90;
  f.move_seconds = 120;
  return f;
}

maintenance::reply_fields every_reply_field() {
  maintenance::reply_fields f;
  f.state = "ACK_PREPARE_MAINTENANCE";
  f.instance_actions = {{"i-1", {"\"MIGRATE\"", maintenance::instance_action::migrate}},
                        {"i-2", {"7", std::nullopt}}};
  return f;
}

// Constraints with a value, a null and a default each.
maintenance::group_constraint a_group_constraint() {
  maintenance::group_constraint g;
  g.group_id = "g-1";
  g.project_id = "p-1";
  g.max_impacted_members = 1;
  g.group_name = std::nullopt;
  return g;
}

maintenance::instance_constraint an_instance_constraint() {
  maintenance::instance_constraint c;
  c.instance_id = "i-1";
  c.project_id = "p-1";
  c.group_id = "g-1";
  c.lead_time = std::nullopt;
  c.migration_type = maintenance::instance_action::own_action;
  return c;
}

// Every request of every family, each with its fields set.
void requests_of_the_families(serialization& t) {
  query_params query = {{"page_size", "1"}, {"tag", "a"}, {"tag", "b"}};
  auto update = t.round_trip(lease_update{ctx(), "lease-1", {every_lease_field(), std::nullopt}});
  ASSERT_TRUE(update.body.value.start);
  EXPECT_TRUE(update.body.value.start->now);
  EXPECT_EQ(update.body.value.reservations.at(0).before_end, "snapshot");
  EXPECT_EQ(update.id, "lease-1");
  EXPECT_EQ(update.ctx.base_url, "http://127.0.0.1:8080");
  EXPECT_EQ(update.ctx.who.projects.at("p-1"), access::role::admin);
  EXPECT_EQ(update.ctx.who.customers, ctx().who.customers);
  auto refused_lease = t.round_trip(
    lease_create{ctx(), {{}, api_reply::fail(400, "Missing parameter name")}});
  ASSERT_TRUE(refused_lease.body.refused);
  EXPECT_EQ(refused_lease.body.refused->status, 400);
  EXPECT_FALSE(refused_lease.body.value.name) << "no name stays none";
  t.round_trip(lease_list{ctx()});
  t.round_trip(lease_show{ctx(), "lease-1"});
  t.round_trip(lease_delete{ctx(), "lease-1"});
  t.round_trip(reservable_host_list{ctx()});
  inventory::enrollment_fields enrolment{
    "compute-1", {{"gpu", inventory::capability{inventory::capability::type::boolean, "true"}},
                  {"old", std::nullopt}}};
  t.round_trip(reservable_host_enroll{ctx(), {enrolment, std::nullopt}});
  t.round_trip(reservable_host_show{ctx(), "1"});
  auto capabilities = t.round_trip(reservable_host_update{ctx(), "1", {enrolment.extra, std::nullopt}});
  EXPECT_EQ(capabilities.body.value.count("old"), 1u) << "a capability to remove stays";
  t.round_trip(reservable_host_withdraw{ctx(), "1"});
  t.round_trip(host_allocation_list{ctx(), "lease-1", "r-1"});
  t.round_trip(host_allocation_show{ctx(), "1"});
  EXPECT_TRUE(t.round_trip(host_property_list{ctx(), true}).detail);
  t.round_trip(host_property_update{ctx(), "gpu"});

  EXPECT_EQ(t.round_trip(instance_list{ctx(), query}).query.count("tag"), 2u);
  t.round_trip(instance_show{ctx(), "i-1"});
  EXPECT_EQ(t.round_trip(instance_create{ctx(), every_instance_field()}).body.security_groups.size(),
            2u);
  t.round_trip(instance_delete{ctx(), "i-1"});
  t.round_trip(instance_start{ctx(), "i-1"});
  t.round_trip(instance_stop{ctx(), "i-1"});
  t.round_trip(instance_restart{ctx(), "i-1"});
  t.round_trip(instance_resize{ctx(), "i-1", {{"f-2", std::nullopt}, std::nullopt}});
  auto resize = t.round_trip(
    instance::pending_resize{instance::flavor_spec{"f-2", "m1.large", 4, 8192, 80}, std::nullopt});
  EXPECT_EQ(resize.flavor->vcpus, 4) << "the resize the registry hands the instance";
  auto refused_resize = t.round_trip(instance_resize{
    ctx(), "i-1", {{}, api_reply::ok({{"disk_size", "A valid integer is required."}}, 400)}});
  EXPECT_EQ(refused_resize.body.refused->body["disk_size"], "A valid integer is required.");
  t.round_trip(instance_usage{ctx(), "i-1", query});
  t.round_trip(catalog_list{ctx(), "flavors"});
  t.round_trip(catalog_show{ctx(), "flavors", "f-1"});

  t.round_trip(maintenance_list{ctx()});
  EXPECT_EQ(t.round_trip(maintenance_create{ctx(), {every_session_field(), std::nullopt}})
              .body.value.metadata["note"],
            "ünïcode");
  t.round_trip(maintenance_show{ctx(), "s-1"});
  t.round_trip(maintenance_detail{ctx(), "s-1"});
  t.round_trip(maintenance_update{ctx(), "s-1"});
  t.round_trip(maintenance_delete{ctx(), "s-1"});
  t.round_trip(project_maintenance_show{ctx(), "s-1", "p-1"});
  EXPECT_EQ(t.round_trip(project_maintenance_reply{ctx(), "s-1", "p-1",
                                                   {every_reply_field(), std::nullopt}})
              .project_id,
            "p-1");
  EXPECT_EQ(t.round_trip(constraint_show{ctx(), constraint_scope::group, "g-1"}).scope,
            constraint_scope::group);
  EXPECT_TRUE(t.round_trip(instance_constraint_put{ctx(), "i-1",
                                                    {an_instance_constraint(), std::nullopt}})
                .body.value
              == an_instance_constraint());
  EXPECT_TRUE(
    t.round_trip(group_constraint_put{ctx(), "g-1", {a_group_constraint(), std::nullopt}})
      .body.value
    == a_group_constraint());
  t.round_trip(constraint_delete{ctx(), constraint_scope::group, "g-1"});

  t.round_trip(host_list{ctx(), {{"status", "enabled"}}});
  auto created = t.round_trip(host_create{ctx(), {every_host_field(), std::nullopt}});
  EXPECT_EQ(created.body.value.extra.count("old"), 1u) << "a capability to remove stays";
  EXPECT_FALSE(created.body.refused);
  t.round_trip(host_show{ctx(), "c-1"});
  auto refused = t.round_trip(host_update{ctx(), "c-1", {{}, api_reply::fail(400, "No data to update")}});
  ASSERT_TRUE(refused.body.refused);
  EXPECT_EQ(refused.body.refused->error, "No data to update");
  t.round_trip(host_delete{ctx(), "c-1"});

  EXPECT_TRUE(t.round_trip(environment_list{ctx(), true, "p-2"}).all_tenants);
  environment::environment_fields named{"shop", {{"region", "RegionTwo"}}};
  EXPECT_EQ(t.round_trip(environment_create{ctx(), {named, std::nullopt}}).body.value.model["region"],
            "RegionTwo");
  t.round_trip(environment_show{ctx(), "e-1", "s-1"});
  t.round_trip(environment_rename{ctx(), "e-1", {named, std::nullopt}});
  EXPECT_TRUE(t.round_trip(environment_delete{ctx(), "e-1", true}).abandon);
  t.round_trip(environment_configure{ctx(), "e-1"});
  t.round_trip(configuration_show{ctx(), "e-1", "s-1"});
  t.round_trip(configuration_delete{ctx(), "e-1", "s-1"});
  EXPECT_EQ(t.round_trip(session_deploy{ctx(), "e-1", "s-1"}).session_id, "s-1");
  t.round_trip(deployment_list{ctx(), ""});
  EXPECT_EQ(t.round_trip(deployment_show{ctx(), "e-1", "d-1", "app-1"}).service_id, "app-1");
  EXPECT_EQ(t.round_trip(action_call{ctx(), "e-1", "i-1_stop", {{{"force", true}}, std::nullopt}})
              .args.value["force"],
            true);
  t.round_trip(action_result{ctx(), "e-1", "d-1"});
  EXPECT_TRUE(t.round_trip(instance_statistics{ctx(), "e-1", "i-1", true}).aggregated);
  environment::static_call call{"io.steward.Inventory", "listFlavors", "", "=0", {{"minCores", 2}}};
  EXPECT_EQ(t.round_trip(static_action_call{ctx(), {call, std::nullopt}})
              .body.value.parameters["minCores"],
            2);
  t.round_trip(service_show{ctx(), "e-1", "s-1", "app-1/name"});
  json application = {{"name", "ünïcode"}, {"?", {{"id", "app-1"}, {"type", "io.murano.X"}}}};
  EXPECT_EQ(t.round_trip(service_add{ctx(), "e-1", "s-1", "", application}).value, application);
  t.round_trip(service_replace{ctx(), "e-1", "s-1", "app-1", application});
  t.round_trip(service_remove{ctx(), "e-1", "s-1", "app-1"});
  t.round_trip(model_show{ctx(), "e-1", "s-1", "defaultNetworks"});
  environment::model_changes changes = {
    {environment::patch_op::replace, {"defaultNetworks", "flat"}, true},
    {environment::patch_op::remove, {"a/b", "~"}, nullptr}};
  auto patched = t.round_trip(model_patch{ctx(), "e-1", "s-1", {changes, std::nullopt}});
  EXPECT_EQ(patched.body.value.at(1).path.at(0), "a/b");

  EXPECT_FALSE(t.round_trip(template_list{ctx(), std::nullopt}).is_public);
  EXPECT_EQ(t.round_trip(template_list{ctx(), false}).is_public, std::optional<bool>{false});
  environment::template_fields given{"web", true, std::string{"two"}, std::nullopt,
                                     json::array({application})};
  auto fields = t.round_trip(template_create{ctx(), {given, std::nullopt}}).body.value;
  EXPECT_EQ(fields.is_public, std::optional<bool>{true});
  EXPECT_EQ(fields.description_text, std::optional<std::string>{"two"});
  EXPECT_FALSE(fields.networking);
  EXPECT_EQ(fields.services, json::array({application}));
  t.round_trip(template_show{ctx(), "t-1"});
  t.round_trip(template_update{ctx(), "t-1", {given, std::nullopt}});
  t.round_trip(template_delete{ctx(), "t-1"});
  EXPECT_EQ(t.round_trip(template_service_show{ctx(), "t-1", "app-1/name"}).path, "app-1/name");
  EXPECT_EQ(t.round_trip(template_service_add{ctx(), "t-1", "", application}).value, application);
  t.round_trip(template_service_replace{ctx(), "t-1", "app-1", application});
  t.round_trip(template_service_remove{ctx(), "t-1", "app-1"});
  t.round_trip(template_create_environment{ctx(), "t-1", {named, std::nullopt}});
  t.round_trip(template_clone{ctx(), "t-1", {given, std::nullopt}});
  t.round_trip(resources_show{ctx()});
  EXPECT_EQ(t.round_trip(tenant_migrate{ctx(), "p-1"}).tenant, "p-1");
  EXPECT_EQ(t.round_trip(tenant_plan{ctx(), "p-1"}).tenant, "p-1");
  EXPECT_EQ(t.round_trip(host_reassign{ctx(), "compute-4"}).host, "compute-4");
  EXPECT_EQ(t.round_trip(host_evacuate{ctx(), "compute-3"}).host, "compute-3");
  t.round_trip(clouds_reset{ctx()});
  EXPECT_EQ(t.round_trip(migration_cancel{ctx(), "p-1"}).tenant, "p-1");
  EXPECT_EQ(t.round_trip(migration_events{ctx(), "op-1"}).id, "op-1");
  EXPECT_EQ(t.round_trip(environment_from_template{ctx(), named, json::array({application})})
              .services[0],
            application);
}

void replies(serialization& t) {
  auto reply = api_reply::not_ready("later");
  reply.body = {{"lease", {{"id", "lease-1"}}}};
  reply.text = std::make_shared<const std::string>("{\"lease\":{}}");
  auto r = t.round_trip(reply);
  EXPECT_EQ(r.status, 503);
  ASSERT_TRUE(r.text);
  EXPECT_EQ(*r.text, *reply.text);
  EXPECT_EQ(r.headers, reply.headers);
  EXPECT_FALSE(t.round_trip(api_reply::ok(nullptr, 204)).text) << "no text stays none";
}

// A lease with every field set, each optional time both ways.
lease::lease sample_lease() {
  using namespace std::chrono;
  sys_time t0{seconds{1900000000}};
  lease::lease l;
  l.id = "l-1";
  l.name = "ünïcode";
  l.project_id = "p-1";
  l.user_id = "alice";
  l.start = t0 + hours{1};
  l.end = t0 + hours{3};
  l.before_end = t0 + hours{2};
  l.status = lease::lease_status::active;
  l.reservations = {{"r-1", 1, 2, "[\"==\", \"$vcpus\", \"8\"]", "", "snapshot",
                     lease::reservation_status::active, {{"h-1", "compute-1"}}, t0,
                     t0 + nanoseconds{123456789}}};
  l.events = {{"e-1", lease::event_type::start_lease, l.start, lease::event_status::done, t0,
               l.start},
              {"e-2", lease::event_type::end_lease, l.end, lease::event_status::undone, t0,
               std::nullopt}};
  l.created_at = t0;
  return l;
}

void entities_events_and_the_world(serialization& t) {
  auto i = test::every_field_instance();
  auto held = t.round_trip(instance_snapshot{"i-1", "p-1", std::make_shared<const instance::instance>(i), 5});
  ASSERT_TRUE(held.doc);
  EXPECT_TRUE(*held.doc == i);
  instance::instance bare;  // every optional absent
  bare.uuid = "i-2";
  auto plain = t.round_trip(instance_snapshot{"i-2", "", std::make_shared<const instance::instance>(bare), 1});
  ASSERT_TRUE(plain.doc);
  EXPECT_TRUE(*plain.doc == bare);
  EXPECT_FALSE(plain.doc->host);
  EXPECT_FALSE(plain.doc->resize);

  auto l = sample_lease();
  auto leased = t.round_trip(lease_snapshot{"l-1", "p-1", std::make_shared<const lease::lease>(l), 3});
  ASSERT_TRUE(leased.doc);
  EXPECT_TRUE(*leased.doc == l);
  EXPECT_EQ(leased.version, 3);
  EXPECT_FALSE(t.round_trip(lease_snapshot{"l-2", "", nullptr, 0}).doc) << "no lease stays none";

  auto h = test::every_field_host();
  auto hosted = t.round_trip(host_snapshot{h.id, "", std::make_shared<const inventory::host>(h), 4});
  ASSERT_TRUE(hosted.doc);
  EXPECT_TRUE(*hosted.doc == h);
  inventory::host plain_host;  // every optional absent
  plain_host.id = "h-2";
  auto bare_host = t.round_trip(host_snapshot{"h-2", "", std::make_shared<const inventory::host>(plain_host), 1});
  ASSERT_TRUE(bare_host.doc);
  EXPECT_TRUE(*bare_host.doc == plain_host);
  EXPECT_FALSE(t.round_trip(host_snapshot{"h-3", "", nullptr, 0}).doc);
  auto hosts_known = t.round_trip(std::vector<host_snapshot>{hosted, bare_host});
  ASSERT_EQ(hosts_known.size(), 2u);
  EXPECT_TRUE(*hosts_known[0].doc == h);
  auto instances_known = t.round_trip(std::vector<instance_snapshot>{held, plain});
  ASSERT_EQ(instances_known.size(), 2u);
  EXPECT_TRUE(*instances_known[1].doc == bare);

  auto s = test::every_field_session();
  auto snap = t.round_trip(
    session_snapshot{s.session_id, "", std::make_shared<const maintenance::session>(s), 7});
  ASSERT_TRUE(snap.doc);
  EXPECT_TRUE(*snap.doc == s);
  EXPECT_EQ(snap.version, 7);
  maintenance::session plain_session;  // every optional absent
  plain_session.session_id = "s-2";
  auto bare_session = t.round_trip(session_snapshot{
    "s-2", "", std::make_shared<const maintenance::session>(plain_session), 1});
  ASSERT_TRUE(bare_session.doc);
  EXPECT_TRUE(*bare_session.doc == plain_session);
  EXPECT_FALSE(t.round_trip(session_snapshot{"s-3", "", nullptr, 0}).doc)
    << "no session stays none";

  environment::environment env;
  env.id = "e-1";
  env.name = "shop";
  env.tenant_id = "p-1";
  env.version = 2;
  env.model = {{"name", "shop"}};
  env.sessions.push_back({"s-1", "wendy", 2, environment::session_state::deploying, at(1900000000),
                          at(1900000001), {{"name", "edited"}}});
  env.deployments.push_back(
    {"d-1", "s-1", environment::deployment_action::destroy, {{"name", "shop"}}, at(1900000000),
     at(1900000600), std::nullopt,
     {{"app-1", "i-1", "vm-1", "m1.small", "Ubuntu", "", environment::instance_step::resize,
       environment::step_outcome::failed}},
     {{"r-1", "Action deploy is scheduled", environment::report_level::warning,
       std::string{"app-1"}, std::nullopt, at(1900000000)}},
     "restartVM", "app-1", {{"hard", true}}, {{"isException", false}}});
  env.instances.push_back({"app-1", "i-1", "vm-1", "m1.small"});
  auto env_snap = t.round_trip(environment_snapshot{
    "e-1", "p-1", std::make_shared<const environment::environment>(env), 3});
  ASSERT_TRUE(env_snap.doc);
  EXPECT_EQ(env_snap.doc->sessions.at(0).model["name"], "edited");
  EXPECT_EQ(env_snap.doc->deployments.at(0).reports.at(0).level,
            environment::report_level::warning);
  auto& task = env_snap.doc->deployments.at(0).tasks.at(0);
  EXPECT_EQ(task.step, environment::instance_step::resize);
  EXPECT_EQ(task.outcome, environment::step_outcome::failed);
  EXPECT_EQ(env_snap.doc->deployments.at(0).action, environment::deployment_action::destroy);
  EXPECT_EQ(env_snap.doc->deployments.at(0).deadline, at(1900000600));
  EXPECT_EQ(env_snap.doc->instances.at(0).flavor, "m1.small");
  EXPECT_EQ(env_snap.doc->deployments.at(0).args["hard"], true);
  EXPECT_EQ(env_snap.doc->deployments.at(0).result["isException"], false);

  environment::environment_template tmpl;
  tmpl.id = "t-1";
  tmpl.name = "web";
  tmpl.tenant_id = "p-1";
  tmpl.is_public = true;
  tmpl.description_text = "two servers";
  tmpl.networking = {{"flat", true}};
  tmpl.created = at(1900000000);
  tmpl.updated = at(1900000001);
  tmpl.version = 4;
  tmpl.services = json::array({{{"?", {{"id", "app-1"}, {"type", "io.murano.X"}}}}});
  auto tmpl_snap = t.round_trip(template_snapshot{
    "t-1", "p-1", std::make_shared<const environment::environment_template>(tmpl), 5});
  ASSERT_TRUE(tmpl_snap.doc);
  EXPECT_TRUE(tmpl_snap.doc->is_public);
  EXPECT_EQ(tmpl_snap.doc->networking["flat"], true);
  EXPECT_EQ(tmpl_snap.doc->updated, at(1900000001));
  EXPECT_EQ(tmpl_snap.doc->version, 4);
  EXPECT_EQ(tmpl_snap.doc->services, tmpl.services);

  migration::operation op;
  op.id = "op-1";
  op.tenant = "p-1";
  op.tenant_name = "it";
  op.kind = migration::operation_kind::reassignment;
  op.host = "compute-4";
  op.status = migration::operation_status::failed;
  op.cancel_requested = true;
  op.created = at(1900000000);
  op.updated = at(1900000002);
  op.prerequisites.push_back(
    {migration::prerequisite_kind::image, "i-1", "cirros", "i-9", true, false, false});
  migration::server_move move;
  move.source_id = "s-1";
  move.name = "web-1";
  move.flavor = "f-9";
  move.image = "i-9";
  move.key_name = "alice-key";
  move.was_running = false;
  move.destination_id = "s-9";
  move.target_host = "dest-1";
  move.step = migration::server_step::resuming;
  move.error = "it could not boot";
  op.servers.push_back(move);
  auto op_snap = t.round_trip(
    migration_snapshot{"op-1", "", std::make_shared<const migration::operation>(op), 7});
  ASSERT_TRUE(op_snap.doc);
  EXPECT_EQ(op_snap.doc->status, migration::operation_status::failed);
  EXPECT_EQ(op_snap.doc->kind, migration::operation_kind::reassignment);
  EXPECT_EQ(op_snap.doc->host, "compute-4");
  EXPECT_TRUE(op_snap.doc->cancel_requested);
  EXPECT_EQ(op_snap.doc->updated, at(1900000002));
  ASSERT_EQ(op_snap.doc->prerequisites.size(), 1u);
  EXPECT_EQ(op_snap.doc->prerequisites[0].kind, migration::prerequisite_kind::image);
  EXPECT_TRUE(op_snap.doc->prerequisites[0].requested);
  ASSERT_EQ(op_snap.doc->servers.size(), 1u);
  EXPECT_EQ(op_snap.doc->servers[0].step, migration::server_step::resuming);
  EXPECT_EQ(op_snap.doc->servers[0].target_host, "dest-1");
  EXPECT_FALSE(op_snap.doc->servers[0].was_running);
  EXPECT_EQ(op_snap.doc->servers[0].error, "it could not boot");

  t.round_trip(domain_event{"lease.create", "p-1", "blazar.lease", {{"id", "l-1"}}});
  t.round_trip(commit_ack{false, "disk full"});
  auto events = t.round_trip(
    committed_events{{{1, "host.update", "", "2030-01-01T00:00:00.000000", "{}", ""},
                      {2, "migration.server.migrate", "", "2030-01-01T00:00:01.000000", "{}",
                       "stream-1"}}});
  ASSERT_EQ(events.events.size(), 2u);
  EXPECT_EQ(events.events[1].stream, "stream-1");

  world_view w;
  w.hosts["h-1"] = test::typed_host({{"id", "h-1"}, {"hypervisor_hostname", "c-1"}});
  w.instances["i-1"] = test::typed_instance({{"uuid", "i-1"}, {"host", "c-1"}});
  auto g = a_group_constraint();
  w.group_constraints["g-1"] = std::make_shared<const maintenance::group_constraint>(g);
  auto c = an_instance_constraint();
  w.instance_constraints["i-1"] = std::make_shared<const maintenance::instance_constraint>(c);
  auto view = t.round_trip(w);
  EXPECT_EQ(view.hosts.at("h-1")->hypervisor_hostname, "c-1");
  EXPECT_TRUE(*view.instance_constraints.at("i-1") == c);
  EXPECT_TRUE(*view.group_constraints.at("g-1") == g);
  EXPECT_EQ(view.instances.at("i-1")->host, "c-1");
  auto moved = t.round_trip(world_change{world_part::instance, "i-1", nullptr,
                                         test::typed_instance({{"uuid", "i-1"}, {"host", "c-2"}}),
                                         nullptr, nullptr});
  ASSERT_TRUE(moved.instance);
  EXPECT_EQ(moved.instance->host, "c-2");
  EXPECT_FALSE(
    t.round_trip(world_change{world_part::instance, "i-1", nullptr, nullptr, nullptr, nullptr})
      .instance)
    << "a removal";
  auto host_changed = t.round_trip(
    world_change{world_part::host, "h-1",
                 test::typed_host({{"id", "h-1"}, {"hypervisor_hostname", "c-1"}}), nullptr,
                 nullptr, nullptr});
  ASSERT_TRUE(host_changed.host);
  EXPECT_EQ(host_changed.host->hypervisor_hostname, "c-1");
  auto ruled = t.round_trip(world_change{world_part::instance_constraint, "i-1", nullptr, nullptr,
                                         view.instance_constraints.at("i-1"), nullptr});
  ASSERT_TRUE(ruled.instance_rule);
  EXPECT_TRUE(*ruled.instance_rule == c);
  auto grouped = t.round_trip(world_change{world_part::group_constraint, "g-1", nullptr, nullptr,
                                           nullptr, view.group_constraints.at("g-1")});
  ASSERT_TRUE(grouped.group_rule);
  EXPECT_TRUE(*grouped.group_rule == g);
}

void store_and_bus_records(serialization& t) {
  store::write_batch b;
  b.upserts = {{"lease", "l-1", "p-1", "{\"id\":\"l-1\"}", 3}};
  b.deletes = {{"host", "h-9"}};
  b.events = {{0, "lease.update", "p-1", "2030-01-01T00:00:00.000000", "{}", "stream-1"}};
  b.outbox = {{0, "openstack", "notifications.info", "m-1", "{\"oslo.version\":\"2.0\"}"}};
  b.processed = {"m-0"};
  b.confirmed = {41, 42};
  b.deliveries_counted = {"m-5"};
  b.deliveries_forgotten = {"m-4"};
  auto back = t.round_trip(b);
  EXPECT_EQ(back.confirmed, b.confirmed);
  EXPECT_EQ(back.deletes, b.deletes);

  bus::notification n;
  n.message_id = "m-1";
  n.publisher_id = "nova-compute:c-1";
  n.event_type = "instance.update";
  n.priority = "INFO";
  n.timestamp = "2030-01-01 00:00:00.000000";
  n.payload = {{"nova_object.data", {{"uuid", "i-1"}}}};
  EXPECT_EQ(t.round_trip(n).payload, n.payload);
}

void requests_between_kinds(serialization& t) {
  using inventory::capability;
  auto e = t.round_trip(host_enrollment{
    "h-1", inventory::enrollment{"1", sys_time{std::chrono::seconds{1890000000}}, std::nullopt},
    {{"gpu", capability{capability::type::text, "a100"}}, {"rack", std::nullopt}}});
  ASSERT_TRUE(e.enrolled);
  EXPECT_EQ(e.enrolled->number, "1");
  ASSERT_TRUE(e.extra.at("gpu"));
  EXPECT_EQ(e.extra.at("gpu")->value, "a100");
  ASSERT_TRUE(e.extra.count("rack")) << "a removal stays a removal";
  EXPECT_FALSE(e.extra.at("rack"));
  EXPECT_FALSE(t.round_trip(host_enrollment{"h-1", std::nullopt, {}}).enrolled);
  t.round_trip(host_maintenance_mark{"h-1", "s-1", true});
  auto refused = t.round_trip(host_change_outcome{refusal{404, "Host h-1 could not be found"}, nullptr});
  ASSERT_TRUE(refused.refused);
  EXPECT_EQ(refused.refused->status, 404);
  auto changed = t.round_trip(host_change_outcome{std::nullopt, test::typed_host({{"id", "h-1"}})});
  EXPECT_FALSE(changed.refused);
  ASSERT_TRUE(changed.host);

  t.round_trip(lease_start_request{"l-1"});
  auto l = sample_lease();
  EXPECT_TRUE(t.round_trip(lease_reallocation{"l-1", l}).lease == l);
  EXPECT_EQ(t.round_trip(lease_allocation{refusal{409, "Not enough hosts available"}, {}})
              .refused->message,
            "Not enough hosts available");
  auto allocated = t.round_trip(lease_allocation{std::nullopt, l});
  EXPECT_FALSE(allocated.refused);
  EXPECT_TRUE(allocated.lease == l) << "every field, to the nanosecond";

  t.round_trip(instances_on_hosts{{"c-1", "c-2"}});
  auto hosted = t.round_trip(hosted_instances{{{"i-1", "default", "c-1", "web-1"}}});
  ASSERT_EQ(hosted.instances.size(), 1u);
  EXPECT_EQ(hosted.instances[0].cloud, "default");
  auto wanted = t.round_trip(
    deployment_instance{"i-1", "p-1", "vm-1", "m1.small", "Ubuntu 22.04 x64", "", "of shop",
                        "dest-1"});
  EXPECT_EQ(wanted.image, "Ubuntu 22.04 x64");
  EXPECT_EQ(t.round_trip(deployment_instance_resize{"i-1", "m1.large"}).flavor, "m1.large");
  t.round_trip(deployment_instance_delete{"i-1"});
  EXPECT_EQ(t.round_trip(deployment_instance_power{"i-1", power_action::stop}).action,
            power_action::stop);
  EXPECT_EQ(t.round_trip(uptime_query{{"i-1", "i-2"}}).uuids.size(), 2u);
  auto uptimes = t.round_trip(instance_uptimes{{{"i-1", true, 3600}}});
  ASSERT_EQ(uptimes.instances.size(), 1u);
  EXPECT_EQ(uptimes.instances[0].seconds, 3600);
  instance_progress p;
  p.uuid = "i-1";
  p.current = instance::state::resizing;
  p.resizing = true;
  p.flavor_name = "m1.large";
  p.version = 7;
  auto back = t.round_trip(p);
  EXPECT_EQ(back.current, instance::state::resizing);
  EXPECT_TRUE(back.resizing && !back.at_rest());
  EXPECT_EQ(back.version, 7);
  EXPECT_TRUE(back.has_flavor("m1.large"));
}

} // namespace

TEST_F(serialization, requests_of_the_families) { requests_of_the_families(*this); }
TEST_F(serialization, replies) { replies(*this); }
TEST_F(serialization, entities_events_and_the_world) { entities_events_and_the_world(*this); }
TEST_F(serialization, store_and_bus_records) { store_and_bus_records(*this); }
TEST_F(serialization, requests_between_kinds) { requests_between_kinds(*this); }

TEST_F(serialization, a_field_that_is_not_json_is_refused) {
  // What a broken or hostile peer could send: a JSON field that is not JSON.
  std::vector<char> buf;
  caf::binary_serializer sink{sys, buf};
  std::string id = "l-1", not_json = "{\"start_date\":";
  ASSERT_FALSE(sink(id, not_json));
  lease_reallocation back;
  caf::binary_deserializer source{sys, buf};
  EXPECT_TRUE(source(back)) << "read without an error";
}

// Every type of the block that is not local has a round trip above.
TEST_F(serialization, every_message_type_is_covered) {
  requests_of_the_families(*this);
  replies(*this);
  entities_events_and_the_world(*this);
  store_and_bus_records(*this);
  requests_between_kinds(*this);
  std::set<std::string> local;
#define STEWARD_NAME(T) local.insert(caf::type_name<T>::value);
  STEWARD_LOCAL_MESSAGE_TYPES(STEWARD_NAME)
#undef STEWARD_NAME
  std::vector<std::string> missing;
#define STEWARD_CHECK(T)                                                       \
  if (!local.count(caf::type_name<T>::value) && !tested.count(caf::type_name<T>::value)) \
    missing.push_back(caf::type_name<T>::value);
  STEWARD_MESSAGE_TYPES(STEWARD_CHECK)
#undef STEWARD_CHECK
  EXPECT_TRUE(missing.empty()) << "no round trip for " << ::testing::PrintToString(missing);
}
