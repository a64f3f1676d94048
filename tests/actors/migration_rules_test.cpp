// A tenant's migration between clouds, step by step, without actors: the
// view changes as the compute layer would change it, and the rules say
// what comes next.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "actors/migration/migration_json.hpp"
#include "actors/migration/migration_rules.hpp"

using namespace steward;
using namespace steward::migration;
using nlohmann::json;
using istate = instance::state;

namespace {

struct clouds {
  catalog::catalog cat;
  world_view world;
  migration_settings settings;
  sys_time t0 = sys_time{std::chrono::seconds{1900000000}};

  clouds() {
    settings.source_cloud = "old";
    settings.destination_cloud = "new";
    settings.parallel_servers = 4;
    catalog_of("c-old", "old", {{{"uuid", "f1"}, {"name", "m1.small"}, {"cores", 1}, {"ram", 2048},
                                 {"disk", 20480}}},
               {{{"uuid", "i1"}, {"name", "cirros"}, {"os", "Cirros"}}},
               {{{"uuid", "p-it"}, {"name", "it"}, {"clouds", {"c-old"}}}});
    catalog_of("c-new", "new", json::array(), json::array(), json::array());
    host("h1", "cz-1", "old", 64);
    host("h9", "cz-9", "new", 64);
    host("h8", "cz-8", "new", 64, true);  // under maintenance: never a target
    host("h7", "cz-7", "new", 64);
    auto leased = *world.hosts["h7"];     // reservable: for leases only
    leased.enrolled = inventory::enrollment{"1", t0, std::nullopt};
    world.hosts["h7"] = std::make_shared<const inventory::host>(leased);
    for (int i = 0; i < 10; ++i)
      server("s" + std::to_string(i), "cz-1", "old", istate::online);
  }
  void catalog_of(const char* id, const char* name, json flavors, json templates, json projects) {
    ASSERT_EQ(cat.apply_update({{"cloud", {{"uuid", id}, {"name", name}}},
                                {"flavors", flavors},
                                {"templates", templates},
                                {"projects", projects}}),
              "");
  }
  void host(const char* id, const char* name, const char* cloud, int64_t vcpus,
            bool maintained = false) {
    inventory::host h;
    h.id = id;
    h.hypervisor_hostname = name;
    h.cloud = cloud;
    h.vcpus = vcpus;
    h.memory_mb = 1 << 20;
    h.local_gb = 100000;
    if (maintained)
      h.maintenance_session = "m-1";
    world.hosts[id] = std::make_shared<const inventory::host>(h);
  }
  void server(const std::string& uuid, const std::string& host, const char* cloud,
              istate state) {
    instance::instance i;
    i.uuid = uuid;
    i.hostname = "vm-" + uuid;
    i.cloud_name = cloud;
    i.project = "p-it";
    i.flavor = "f1";
    i.image_template = "i1";
    i.cores = 1;
    i.ram = 2048;
    i.system_volume_size = 20480;
    i.host = host;
    i.current = state;
    world.instances[uuid] = std::make_shared<const instance::instance>(i);
  }
  void gone(const std::string& uuid) { world.instances.erase(uuid); }
  // The destination has the tenant, and its flavor and image by name.
  void destination_has_all() {
    catalog_of("c-new", "new", {{{"uuid", "f9"}, {"name", "m1.small"}, {"cores", 1},
                                 {"ram", 2048}, {"disk", 20480}}},
               {{{"uuid", "i9"}, {"name", "cirros"}}},
               {{{"uuid", "p-it"}, {"name", "it"}, {"clouds", {"c-old", "c-new"}}}});
  }
  migration_view view() { return {world, cat, settings, 4.0}; }
};

std::vector<std::string> types_of(const migration_effects& fx) {
  std::vector<std::string> out;
  for (auto& e : fx.events)
    out.push_back(e.type);
  return out;
}

std::size_t count(const operation& op, server_step s) {
  return std::count_if(op.servers.begin(), op.servers.end(),
                       [&](const server_move& m) { return m.step == s; });
}

} // namespace

TEST(migration_rules, prerequisites_once_then_servers_within_the_limit) {
  clouds c;
  operation op;
  migration_effects fx;
  ASSERT_FALSE(plan_migration("p-it", "op-1", c.view(), c.t0, op));
  ASSERT_EQ(op.servers.size(), 10u);
  ASSERT_EQ(op.prerequisites.size(), 3u) << "the tenant, its flavor and its image";
  EXPECT_EQ(op.servers[0].flavor, op.prerequisites[1].destination_id)
    << "servers boot from what the destination will have";

  fx = {};
  advance(op, c.view(), c.t0, fx);
  ASSERT_EQ(fx.commands.size(), 3u);
  EXPECT_EQ(fx.commands[0].type, "compute.tenant.create");
  EXPECT_EQ(fx.commands[1].type, "compute.flavor.create");
  EXPECT_EQ(fx.commands[1].payload["flavor"]["name"], "m1.small");
  EXPECT_EQ(fx.commands[2].type, "compute.image.create");
  EXPECT_EQ(fx.commands[2].cloud, "new");
  EXPECT_EQ(types_of(fx), (std::vector<std::string>{event_type::tenant_create,
                                                    event_type::flavor_create,
                                                    event_type::image_created}));
  EXPECT_EQ(count(op, server_step::waiting), 10u) << "nothing boots before they exist";
  fx = {};
  advance(op, c.view(), c.t0, fx);
  EXPECT_TRUE(fx.commands.empty()) << "asked for once";
  EXPECT_FALSE(fx.changed);

  // The compute layer made them.
  c.catalog_of("c-new", "new",
               {{{"uuid", op.prerequisites[1].destination_id}, {"name", "m1.small"}, {"cores", 1},
                 {"ram", 2048}, {"disk", 20480}}},
               {{{"uuid", op.prerequisites[2].destination_id}, {"name", "cirros"}}},
               {{{"uuid", "p-it"}, {"name", "it"}, {"clouds", {"c-old", "c-new"}}}});
  fx = {};
  advance(op, c.view(), c.t0, fx);
  EXPECT_EQ(count(op, server_step::suspending), 4u) << "four at a time";
  auto types = types_of(fx);
  EXPECT_EQ(std::count(types.begin(), types.end(), event_type::server_migrate), 4);
  for (auto& s : op.servers)
    if (s.step == server_step::suspending) {
      EXPECT_EQ(s.target_host, "cz-9") << "not the host under maintenance nor the reservable one";
      EXPECT_FALSE(s.destination_id.empty()) << "chosen before the boot is asked";
      EXPECT_EQ(ask_for(s, c.view()), instance_ask::stop_source);
    }

  // Every server goes the whole way; s3's boot fails.
  for (int round = 0; round < 20 && op.status == operation_status::running; ++round) {
    for (auto& s : op.servers) {
      switch (ask_for(s, c.view())) {
        case instance_ask::stop_source: c.server(s.source_id, "cz-1", "old", istate::offline); break;
        case instance_ask::start_source: c.server(s.source_id, "cz-1", "old", istate::online); break;
        case instance_ask::boot:
          c.server(s.destination_id, s.target_host, "new",
                   s.source_id == "s3" ? istate::erred : istate::online);
          break;
        case instance_ask::stop_destination:
          c.server(s.destination_id, s.target_host, "new", istate::offline);
          break;
        case instance_ask::delete_source: c.gone(s.source_id); break;
        case instance_ask::delete_destination: c.gone(s.destination_id); break;
        case instance_ask::none: break;
      }
    }
    fx = {};
    advance(op, c.view(), c.t0, fx);
    EXPECT_LE(count(op, server_step::suspending) + count(op, server_step::booting)
                + count(op, server_step::terminating) + count(op, server_step::resuming),
              4u);
  }
  ASSERT_EQ(op.status, operation_status::failed);
  EXPECT_EQ(count(op, server_step::migrated), 9u);
  EXPECT_EQ(count(op, server_step::failed), 1u);
  auto& failed = *std::find_if(op.servers.begin(), op.servers.end(),
                               [](auto& s) { return s.source_id == "s3"; });
  EXPECT_EQ(failed.step, server_step::failed);
  EXPECT_EQ(failed.error, "it could not boot in the destination");
  EXPECT_EQ(c.world.instances.at("s3")->current, istate::online) << "resumed in the source";
  EXPECT_EQ(types_of(fx).back(), event_type::tenant_migrated);
  EXPECT_EQ(fx.events.back().payload["migrated"], 9);

  auto back = migration_from_stored(migration_to_stored(op));
  ASSERT_TRUE(back);
  EXPECT_EQ(migration_to_stored(*back), migration_to_stored(op)) << "the row keeps everything";
}

TEST(migration_rules, what_cannot_move_fails_alone_and_a_cancel_leaves_the_rest) {
  clouds c;
  c.server("s-broken", "", "old", istate::erred);
  c.destination_has_all();
  operation op;
  migration_effects fx;
  ASSERT_FALSE(plan_migration("p-it", "op-1", c.view(), c.t0, op));
  for (auto& p : op.prerequisites)
    EXPECT_TRUE(p.ready) << "the destination has them by name already";
  EXPECT_EQ(op.servers[0].flavor, "f9");
  fx = {};
  advance(op, c.view(), c.t0, fx);
  EXPECT_TRUE(fx.commands.empty());
  auto broken = std::find_if(op.servers.begin(), op.servers.end(),
                             [](auto& s) { return s.source_id == "s-broken"; });
  EXPECT_EQ(broken->step, server_step::failed);
  EXPECT_EQ(broken->error, "it is not running in the source");
  fx = {};
  cancel(op, c.t0, fx);
  advance(op, c.view(), c.t0, fx);
  EXPECT_EQ(count(op, server_step::left), 11u - 1 - 4) << "those not begun stay";
  EXPECT_EQ(op.status, operation_status::running) << "those under way finish first";
  for (auto& s : op.servers)
    if (s.step == server_step::suspending)
      c.server(s.source_id, "cz-1", "old", istate::offline);
  for (int round = 0; round < 5; ++round) {
    for (auto& s : op.servers)
      if (ask_for(s, c.view()) == instance_ask::boot)
        c.server(s.destination_id, s.target_host, "new", istate::online);
      else if (ask_for(s, c.view()) == instance_ask::delete_source)
        c.gone(s.source_id);
    fx = {};
    advance(op, c.view(), c.t0, fx);
  }
  EXPECT_EQ(op.status, operation_status::cancelled);
  EXPECT_EQ(count(op, server_step::migrated), 4u);

  operation none;
  EXPECT_EQ(plan_migration("p-nobody", "op-2", c.view(), c.t0, none)->status, 404);
}

TEST(migration_rules, an_empty_source_host_joins_the_destination) {
  clouds c;
  c.host("h2", "cz-2", "old", 64);
  operation op;
  EXPECT_EQ(plan_reassignment("cz-1", "op-1", c.view(), c.t0, op)->status, 409)
    << "it holds servers";
  EXPECT_EQ(plan_reassignment("cz-9", "op-1", c.view(), c.t0, op)->status, 409)
    << "it is in the destination";
  EXPECT_EQ(plan_reassignment("nope", "op-1", c.view(), c.t0, op)->status, 404);
  ASSERT_FALSE(plan_reassignment("h2", "op-1", c.view(), c.t0, op)) << "found by id too";
  EXPECT_EQ(op.host, "cz-2");
  EXPECT_EQ(subject_of(op), "host:cz-2");
  EXPECT_EQ(started_event(op, c.settings).type, event_type::host_reassign);
  migration_effects fx;
  advance(op, c.view(), c.t0, fx);
  ASSERT_EQ(fx.commands.size(), 1u);
  EXPECT_EQ(fx.commands[0].type, "compute.host.reassign");
  EXPECT_EQ(fx.commands[0].cloud, "old") << "asked of the cloud it leaves";
  EXPECT_EQ(fx.commands[0].payload["destination"], "new");
  EXPECT_EQ(op.status, operation_status::running);
  fx = {};
  advance(op, c.view(), c.t0, fx);
  EXPECT_TRUE(fx.commands.empty()) << "asked once";
  c.host("h2", "cz-2", "new", 64);  // its service reports the new cloud
  fx = {};
  advance(op, c.view(), c.t0, fx);
  EXPECT_EQ(op.status, operation_status::completed);
  ASSERT_EQ(fx.events.size(), 1u);
  EXPECT_EQ(fx.events[0].type, event_type::host_reassigned);
  auto back = migration_from_stored(migration_to_stored(op));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->kind, operation_kind::reassignment);
  EXPECT_EQ(back->host, "cz-2");
}

TEST(migration_rules, a_reset_is_done_when_the_view_is_back) {
  clouds c;
  operation migrated;
  migrated.kind = operation_kind::tenant;
  migrated.status = operation_status::completed;
  server_move s;
  s.source_id = "s1";
  s.destination_id = "d1";
  s.step = server_step::migrated;
  migrated.servers.push_back(s);
  s.source_id = "s2";
  s.step = server_step::failed;  // never left: nothing to undo
  migrated.servers.push_back(s);
  operation reassigned;
  reassigned.kind = operation_kind::reassignment;
  reassigned.status = operation_status::completed;
  reassigned.host = "cz-1";
  auto op = plan_reset({&migrated, &reassigned}, "op-9", c.t0);
  EXPECT_EQ(subject_of(op), "clouds");
  ASSERT_EQ(op.servers.size(), 1u);
  c.gone("s1");
  c.server("d1", "cz-9", "new", istate::online);
  c.host("h1", "cz-1", "new", 64);
  migration_effects fx;
  advance(op, c.view(), c.t0, fx);
  ASSERT_EQ(fx.commands.size(), 1u);
  EXPECT_EQ(fx.commands[0].type, "compute.reset");
  EXPECT_EQ(fx.commands[0].cloud, "*");
  EXPECT_EQ(op.status, operation_status::running);
  c.server("s1", "cz-1", "old", istate::online);
  c.gone("d1");
  fx = {};
  advance(op, c.view(), c.t0, fx);
  EXPECT_EQ(op.status, operation_status::running) << "cz-1 is still in the destination";
  c.host("h1", "cz-1", "old", 64);
  fx = {};
  advance(op, c.view(), c.t0, fx);
  EXPECT_EQ(op.status, operation_status::completed);
  ASSERT_EQ(fx.events.size(), 1u);
  EXPECT_EQ(fx.events[0].type, event_type::reset_completed);
  EXPECT_EQ(op.servers[0].step, server_step::migrated) << "a reset's servers are its record";
}

namespace {

// Disables (or enables) host `id` as its compute service would report it.
void block(clouds& c, const char* id, bool blocked = true) {
  auto h = *c.world.hosts[id];
  h.enabled = !blocked;
  c.world.hosts[id] = std::make_shared<const inventory::host>(h);
}

const compute_command* command_for(const migration_effects& fx, const std::string& type,
                                   const std::string& uuid) {
  for (auto& cmd : fx.commands)
    if (cmd.type == type && cmd.payload.value("instance_uuid", "") == uuid)
      return &cmd;
  return nullptr;
}

} // namespace

TEST(migration_rules, an_evacuation_blocks_its_host_then_moves_each_server_within_its_cloud) {
  clouds c;
  c.settings.move_seconds = 60;
  c.host("h2", "cz-2", "old", 64);
  c.host("h3", "cz-3", "old", 64);
  c.server("s9", "cz-1", "old", istate::offline);  // moves cold
  operation op;
  EXPECT_EQ(plan_evacuation("nope", "op-1", c.view(), c.t0, op)->status, 404);
  EXPECT_EQ(plan_evacuation("cz-8", "op-1", c.view(), c.t0, op)->status, 409)
    << "under maintenance, which moves its servers itself";
  ASSERT_FALSE(plan_evacuation("h1", "op-1", c.view(), c.t0, op));
  EXPECT_EQ(subject_of(op), "host:cz-1");
  EXPECT_EQ(started_event(op, c.settings).type, event_type::host_evacuation);
  EXPECT_EQ(started_event(op, c.settings).payload["servers"], 10);

  migration_effects fx;
  advance(op, c.view(), c.t0, fx);
  ASSERT_EQ(fx.commands.size(), 1u);
  EXPECT_EQ(fx.commands[0].type, "compute.host.disable");
  EXPECT_EQ(fx.commands[0].cloud, "old");
  EXPECT_EQ(fx.commands[0].payload["host"], "cz-1");
  EXPECT_EQ(count(op, server_step::waiting), 10u) << "nothing moves before the host is blocked";
  fx = {};
  advance(op, c.view(), c.t0, fx);
  EXPECT_TRUE(fx.commands.empty()) << "asked once";

  block(c, "h1");
  fx = {};
  advance(op, c.view(), c.t0, fx);
  ASSERT_FALSE(fx.events.empty());
  EXPECT_EQ(fx.events[0].type, event_type::host_block);
  EXPECT_EQ(count(op, server_step::relocating), 4u) << "parallel_servers at a time";
  std::set<std::string> targets;
  for (auto& s : op.servers)
    if (s.step == server_step::relocating) {
      auto cmd = command_for(fx, "compute.instance.live_migrate", s.source_id);
      ASSERT_TRUE(cmd) << s.source_id;
      EXPECT_EQ(cmd->cloud, "old");
      EXPECT_EQ(cmd->payload["target_host"], s.target_host);
      EXPECT_EQ(s.deadline, c.t0 + std::chrono::seconds{60});
      targets.insert(s.target_host);
    }
  EXPECT_EQ(targets, (std::set<std::string>{"cz-2", "cz-3"}))
    << "within its cloud, never the host itself, spread by free memory";
  EXPECT_EQ(next_deadline(op), c.t0 + std::chrono::seconds{60});

  // s0 arrives, s1 errs; two more begin.
  auto t1 = c.t0 + std::chrono::seconds{10};
  c.server("s0", op.servers[0].target_host, "old", istate::online);
  c.server("s1", "cz-1", "old", istate::erred);
  fx = {};
  advance(op, c.view(), t1, fx);
  EXPECT_EQ(op.servers[0].step, server_step::migrated);
  EXPECT_EQ(op.servers[1].step, server_step::failed);
  EXPECT_EQ(op.servers[1].error, "it went into error while it moved off cz-1");
  EXPECT_EQ(count(op, server_step::relocating), 4u);
  ASSERT_GE(fx.events.size(), 2u);
  EXPECT_EQ(fx.events[0].type, event_type::server_live_migrated);
  EXPECT_EQ(fx.events[0].payload["host_name"], op.servers[0].target_host);
  EXPECT_EQ(fx.events[1].type, event_type::error);

  // s2 and s3 never arrive: their time is up (a live migration the cloud
  // aborted leaves them where they were).
  fx = {};
  advance(op, c.view(), c.t0 + std::chrono::seconds{60}, fx);
  EXPECT_EQ(op.servers[2].step, server_step::failed);
  EXPECT_EQ(op.servers[3].step, server_step::failed);
  EXPECT_EQ(op.servers[2].error, "it did not reach " + op.servers[2].target_host + " within 60 s");
  EXPECT_EQ(op.servers[4].step, server_step::relocating) << "begun later, its time is later";

  // The others arrive as they begin; the stopped one moves cold and is confirmed.
  auto t2 = c.t0 + std::chrono::seconds{61};
  for (int round = 0; round < 5 && op.status == operation_status::running; ++round) {
    for (auto& s : op.servers)
      if (s.step == server_step::relocating)
        c.server(s.source_id, s.target_host, "old",
                 s.source_id == "s9" ? istate::offline : istate::online);
    fx = {};
    advance(op, c.view(), t2, fx);
    if (op.servers[9].step == server_step::relocating) {
      EXPECT_TRUE(command_for(fx, "compute.instance.migrate", "s9"));
    }
  }
  EXPECT_EQ(op.status, operation_status::failed);
  EXPECT_EQ(count(op, server_step::migrated), 7u);
  EXPECT_EQ(count(op, server_step::failed), 3u);
  EXPECT_TRUE(command_for(fx, "compute.instance.migrate_confirm", "s9"));
  auto enable = std::find_if(fx.commands.begin(), fx.commands.end(),
                             [](auto& cmd) { return cmd.type == "compute.host.enable"; });
  ASSERT_NE(enable, fx.commands.end()) << "half emptied, the host takes servers again";
  EXPECT_EQ(enable->payload["host"], "cz-1");
  EXPECT_EQ(fx.events.back().type, event_type::host_evacuated);
  EXPECT_EQ(fx.events.back().payload["migrated"], 7);
  EXPECT_EQ(fx.events.back().payload["failed"], 3);
  EXPECT_EQ(fx.events.back().payload["status"], "failed");
  EXPECT_FALSE(next_deadline(op));

  auto back = migration_from_stored(migration_to_stored(op));
  ASSERT_TRUE(back);
  EXPECT_EQ(migration_to_stored(*back), migration_to_stored(op));
  EXPECT_EQ(back->servers[4].deadline, op.servers[4].deadline);
}

TEST(migration_rules, a_host_blocked_before_its_evacuation_stays_blocked) {
  clouds c;
  c.host("h2", "cz-2", "old", 64);
  block(c, "h1");
  operation op;
  ASSERT_FALSE(plan_evacuation("cz-1", "op-1", c.view(), c.t0, op));
  EXPECT_TRUE(op.host_was_blocked);
  migration_effects fx;
  advance(op, c.view(), c.t0, fx);
  EXPECT_EQ(count(op, server_step::relocating), 4u) << "nothing to block first";
  for (auto& s : op.servers)
    EXPECT_TRUE(s.step != server_step::relocating || s.target_host == "cz-2")
      << "the only other host of its cloud: " << s.source_id;
  c.gone("s0");  // deleted by their project meanwhile: off the host all the same
  c.gone("s1");
  for (int round = 0; round < 10 && op.status == operation_status::running; ++round) {
    for (auto& s : op.servers)
      if (s.step == server_step::relocating && c.world.instances.count(s.source_id))
        c.server(s.source_id, "cz-2", "old", istate::online);
    fx = {};
    advance(op, c.view(), c.t0, fx);
  }
  EXPECT_EQ(op.status, operation_status::completed);
  EXPECT_EQ(count(op, server_step::left), 2u);
  EXPECT_EQ(count(op, server_step::migrated), 8u);
  for (auto& cmd : fx.commands)
    EXPECT_NE(cmd.type, "compute.host.enable") << "it was blocked before: it stays so";
  EXPECT_EQ(fx.events.back().payload["status"], "completed");
}

TEST(migration_rules, a_stopped_server_is_stopped_in_the_destination_too) {
  clouds c;
  c.world.instances.clear();
  c.server("s-off", "cz-1", "old", istate::offline);
  c.destination_has_all();
  operation op;
  ASSERT_FALSE(plan_migration("p-it", "op-1", c.view(), c.t0, op));
  migration_effects fx;
  advance(op, c.view(), c.t0, fx);
  auto& s = op.servers[0];
  ASSERT_EQ(s.step, server_step::booting) << "nothing to suspend";
  EXPECT_EQ(ask_for(s, c.view()), instance_ask::boot);
  c.server(s.destination_id, s.target_host, "new", istate::online);
  fx = {};
  advance(op, c.view(), c.t0, fx);
  EXPECT_EQ(s.step, server_step::booting) << "booted, but it ran in the source only stopped";
  EXPECT_EQ(ask_for(s, c.view()), instance_ask::stop_destination);
  c.server(s.destination_id, s.target_host, "new", istate::offline);
  fx = {};
  advance(op, c.view(), c.t0, fx);
  EXPECT_EQ(s.step, server_step::terminating);
  ASSERT_FALSE(fx.events.empty());
  EXPECT_EQ(fx.events[0].type, event_type::server_boot);
  EXPECT_EQ(fx.events[0].payload["status"], "stopped");
  EXPECT_EQ(ask_for(s, c.view()), instance_ask::delete_source);
}

TEST(migration_rules, a_prerequisite_the_compute_layer_refuses_ends_the_operation) {
  clouds c;
  operation op;
  ASSERT_FALSE(plan_migration("p-it", "op-1", c.view(), c.t0, op));
  migration_effects fx;
  advance(op, c.view(), c.t0, fx);
  auto image = op.prerequisites[2];
  ASSERT_EQ(image.kind, prerequisite_kind::image);
  fx = {};
  command_failed(op, {"new", "compute.image.create", "someone-else", "no"}, c.view(), c.t0, fx);
  command_failed(op, {"new", "compute.flavor.create", image.destination_id, "no"}, c.view(),
                 c.t0, fx);
  EXPECT_FALSE(fx.changed) << "not its command for that subject";
  command_failed(op, {"new", "compute.image.create", image.destination_id, "quota exceeded"},
                 c.view(), c.t0, fx);
  EXPECT_EQ(op.status, operation_status::failed);
  EXPECT_EQ(count(op, server_step::failed), 10u) << "none had begun";
  EXPECT_EQ(op.servers[0].error,
            "Image cirros could not be made in the destination: quota exceeded");
  ASSERT_EQ(fx.events.size(), 2u);
  EXPECT_EQ(fx.events[0].type, event_type::error);
  EXPECT_EQ(fx.events[0].payload["id"], image.destination_id);
  EXPECT_EQ(fx.events[1].type, event_type::tenant_migrated);
  EXPECT_EQ(fx.events[1].payload["failed"], 10);
  auto back = migration_from_stored(migration_to_stored(op));
  ASSERT_TRUE(back);
  EXPECT_TRUE(back->prerequisites[2].failed);

  // A host that cannot be blocked is not evacuated, nor enabled after.
  c.host("h2", "cz-2", "old", 64);
  operation evacuation;
  ASSERT_FALSE(plan_evacuation("cz-1", "op-2", c.view(), c.t0, evacuation));
  fx = {};
  advance(evacuation, c.view(), c.t0, fx);
  fx = {};
  command_failed(evacuation, {"old", "compute.host.disable", "cz-1", "service down"}, c.view(),
                 c.t0, fx);
  EXPECT_EQ(evacuation.status, operation_status::failed);
  EXPECT_EQ(fx.events[0].payload["message"], "Host cz-1 could not be blocked: service down");
  EXPECT_EQ(fx.events.back().type, event_type::host_evacuated);
  EXPECT_TRUE(fx.commands.empty()) << "nothing to enable: it was never blocked";

  // A reassignment the source refuses ends failed, the host where it was.
  c.world.instances.clear();
  operation reassignment;
  ASSERT_FALSE(plan_reassignment("cz-2", "op-3", c.view(), c.t0, reassignment));
  fx = {};
  advance(reassignment, c.view(), c.t0, fx);
  fx = {};
  command_failed(reassignment, {"old", "compute.host.reassign", "cz-2", "busy"}, c.view(), c.t0,
                 fx);
  EXPECT_EQ(reassignment.status, operation_status::failed);
  ASSERT_EQ(fx.events.size(), 2u);
  EXPECT_EQ(fx.events[1].type, event_type::host_reassigned);
  EXPECT_EQ(fx.events[1].payload["status"], "failed");
  EXPECT_EQ(fx.events[1].payload["cloud"], "old");
}

TEST(migration_rules, a_network_waits_for_its_tenant_a_key_is_shared_and_uploads_are_told_in_order) {
  clouds c;
  ASSERT_EQ(c.cat.apply_update(
              {{"cloud", {{"uuid", "c-old"}, {"name", "old"}}},
               {"flavors", {{{"uuid", "f1"}, {"name", "m1.small"}, {"cores", 1}, {"ram", 2048},
                             {"disk", 20480}}}},
               {"templates", {{{"uuid", "i1"}, {"name", "cirros"}}}},
               {"projects", {{{"uuid", "p-it"}, {"name", "it"}, {"clouds", {"c-old"}}}}},
               {"keys", {{{"uuid", "k1"}, {"name", "alice-key"}, {"fingerprint", "aa:bb"},
                          {"user", "alice"}}}},
               {"networks", {{{"uuid", "n1"}, {"name", "it-net"}, {"project", "p-it"},
                              {"cidr", "10.0.0.0/24"}},
                             {{"uuid", "n2"}, {"name", "lab-net"}, {"project", "p-lab"}}}}}),
            "");
  for (auto id : {"s0", "s1"}) {
    auto keyed = *c.world.instances.at(id);
    keyed.key_name = "alice-key";
    c.world.instances[id] = std::make_shared<const instance::instance>(keyed);
  }
  operation op;
  ASSERT_FALSE(plan_migration("p-it", "op-1", c.view(), c.t0, op));
  std::vector<prerequisite_kind> kinds;
  for (auto& p : op.prerequisites)
    kinds.push_back(p.kind);
  EXPECT_EQ(kinds, (std::vector<prerequisite_kind>{prerequisite_kind::tenant,
                                                   prerequisite_kind::network,
                                                   prerequisite_kind::flavor,
                                                   prerequisite_kind::image,
                                                   prerequisite_kind::keypair}))
    << "its own network only, the key once for both servers";
  auto& network = op.prerequisites[1];
  auto& image = op.prerequisites[3];
  EXPECT_EQ(op.prerequisites[4].destination_id, "k1") << "a user's key keeps its id";

  migration_effects fx;
  advance(op, c.view(), c.t0, fx);
  EXPECT_EQ(types_of(fx), (std::vector<std::string>{event_type::tenant_create,
                                                    event_type::flavor_create,
                                                    event_type::image_created,
                                                    event_type::keypair_create}))
    << "the network waits for its tenant";
  EXPECT_EQ(fx.commands.back().type, "compute.keypair.create");
  EXPECT_EQ(fx.commands.back().payload["keypair"]["fingerprint"], "aa:bb");

  // The tenant, the flavor and the key are there; the image is uploading.
  auto destination = [&](json image_state, json networks) {
    json image_entry = {{"uuid", image.destination_id}, {"name", "cirros"}};
    image_entry.update(image_state);
    ASSERT_EQ(c.cat.apply_update(
                {{"cloud", {{"uuid", "c-new"}, {"name", "new"}}},
                 {"flavors", {{{"uuid", op.prerequisites[2].destination_id}, {"name", "m1.small"},
                               {"cores", 1}, {"ram", 2048}, {"disk", 20480}}}},
                 {"templates", {image_entry}},
                 {"projects", {{{"uuid", "p-it"}, {"name", "it"}, {"clouds", {"c-old", "c-new"}}}}},
                 {"keys", {{{"uuid", "k1"}, {"name", "alice-key"}}}},
                 {"networks", networks}}),
              "");
  };
  std::vector<upload_seen> seen;
  destination({{"status", "saving"}, {"progress", 30}}, json::array());
  watch_uploads(op, c.view(), seen);
  watch_uploads(op, c.view(), seen);
  destination({{"status", "saving"}, {"progress", 60}}, json::array());
  watch_uploads(op, c.view(), seen);
  ASSERT_EQ(seen.size(), 2u) << "each stage once";
  fx = {};
  report_uploads(op, seen, c.settings, fx);
  advance(op, c.view(), c.t0, fx);
  EXPECT_EQ(types_of(fx), (std::vector<std::string>{event_type::image_uploading,
                                                    event_type::image_uploading,
                                                    event_type::network_create,
                                                    event_type::flavor_created,
                                                    event_type::keypair_created}));
  EXPECT_EQ(fx.events[0].payload["progress"], 30);
  EXPECT_EQ(fx.events[1].payload["progress"], 60);
  EXPECT_EQ(fx.events[1].payload["status"], "saving");
  EXPECT_EQ(fx.commands.at(0).type, "compute.network.create");
  EXPECT_EQ(fx.commands.at(0).payload["network"]["cidr"], "10.0.0.0/24");
  EXPECT_EQ(fx.commands.at(0).payload["network"]["project_id"], "p-it");
  EXPECT_EQ(count(op, server_step::waiting), 10u) << "an image still uploading boots nothing";
  fx = {};
  report_uploads(op, seen, c.settings, fx);
  EXPECT_TRUE(fx.events.empty()) << "a stage is told once";
  auto back = migration_from_stored(migration_to_stored(op));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->prerequisites[3].progress, 60) << "what was told survives a restart";

  destination({{"status", "active"}},
              {{{"uuid", network.destination_id}, {"name", "it-net"}, {"project", "p-it"}}});
  seen.clear();
  watch_uploads(op, c.view(), seen);
  EXPECT_TRUE(seen.empty()) << "an active image is not uploading";
  fx = {};
  advance(op, c.view(), c.t0, fx);
  auto types = types_of(fx);
  ASSERT_GE(types.size(), 2u);
  EXPECT_EQ(types[0], event_type::network_created);
  EXPECT_EQ(types[1], event_type::image_uploaded);
  EXPECT_EQ(count(op, server_step::suspending), 4u) << "now the servers go";
}
