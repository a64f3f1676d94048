#include "tests/actors/deterministic.hpp"

#include <caf/send.hpp>

#include "actors/catalog/catalog_actor.hpp"
#include "actors/instance/instance_registry.hpp"
#include "actors/inventory/host_registry.hpp"
#include "actors/lease/lease_registry.hpp"
#include "actors/environment/environment_registry.hpp"
#include "actors/maintenance/maintenance_registry.hpp"

namespace steward::test {

using nlohmann::json;

std::vector<store::entity_record> store_log::load(const std::string& kind) const {
  std::vector<store::entity_record> out;
  for (auto& [key, row] : rows)
    if (key.first == kind)
      out.push_back(row);
  return out;
}

void store_log::apply(const store::write_batch& b) {
  for (auto& row : b.upserts)
    rows[{row.kind, row.id}] = row;
  for (auto& [kind, id] : b.deletes)
    rows.erase({kind, id});
}

recording_store_actor::behavior_type recording_store(recording_store_actor::pointer self,
                                                     store_log* log) {
  return {
    [=](store::write_batch& batch) -> caf::result<commit_ack> {
      log->batches.push_back(batch);
      switch (log->answers) {
        case store_log::mode::fail:
          return commit_ack{false, "the disk is full (test)"};
        case store_log::mode::hold: {
          auto rp = self->make_response_promise<commit_ack>();
          log->held.emplace_back(std::move(batch), rp);
          return rp;
        }
        case store_log::mode::answer:
          break;
      }
      log->apply(batch);
      return commit_ack{true, ""};
    },
    [](atom::committed, uint64_t, commit_ack&) {},
    [=](atom::done) {
      auto waiting = std::move(log->held);
      log->held.clear();
      for (auto& [batch, rp] : waiting) {
        log->apply(batch);
        rp.deliver(commit_ack{true, ""});
      }
    },
  };
}

namespace {

caf::actor_system_config& testing_config(caf::actor_system_config& cfg) {
  cfg.set("scheduler.policy", caf::atom("testing"));
  cfg.set("logger.verbosity", caf::atom("quiet"));
  return cfg;
}

// A fixed minute, so that every date of a test is the same on every run.
const sys_time start_of_test = std::chrono::system_clock::from_time_t(1893456000); // 2030-01-01

} // namespace

deterministic_actors::deterministic_actors()
  : sys{testing_config(cfg)},
    sched{dynamic_cast<caf::scheduler::test_coordinator&>(sys.scheduler())} {
  global_clock().freeze(start_of_test);
  store = sys.spawn(recording_store, &stored);
  svc.store = store;
  svc.ready = &ready;
  svc.leases = lease_settings{60, ""};
}

deterministic_actors::~deterministic_actors() {
  stop();
  caf::anon_send_exit(store, caf::exit_reason::user_shutdown);
  run();
  global_clock().thaw();
}

void deterministic_actors::run() {
  sched.run();
}

void deterministic_actors::release_held_writes() {
  caf::anon_send(store, atom::done_v);
  run();
}

void deterministic_actors::advance(std::chrono::seconds d) {
  global_clock().advance(d);
  sched.advance_time(d);
  run();
}

void deterministic_actors::jump(std::chrono::seconds d) {
  global_clock().advance(d);
  for (auto& r : clock_followers)
    caf::anon_send(r, atom::clock_jump_v);
  run();
}

void deterministic_actors::start() {
  for (auto kind : {"host", "instance", "lease", "maintenance", "environment"})
    ready.expect(kind);
  auto host_registry = sys.spawn(inventory::host_registry, &svc, stored.load("host"));
  svc.hosts = host_registry;
  hosts = host_registry;
  auto [cat, version] = catalog::recover(stored.load("catalog"));
  auto instance_registry
    = sys.spawn(instance::instance_registry, &svc, cat, stored.load("instance"));
  svc.instances = instance_registry;
  instances = instance_registry;
  auto lease_registry = sys.spawn(lease::lease_registry, &svc, stored.load("lease"));
  leases = lease_registry;
  auto constraints = stored.load("instance_constraint");
  for (auto& row : stored.load("group_constraint"))
    constraints.push_back(row);
  auto maintenance_registry = sys.spawn(maintenance::maintenance_registry, &svc,
                                        stored.load("maintenance_session"), constraints);
  maintenance = maintenance_registry;
  environments = sys.spawn(environment::environment_registry, &svc, stored.load("environment"));
  clock_followers = {host_registry, lease_registry, maintenance_registry};
  run();
  EXPECT_TRUE(ready.waiting().empty()) << "registries not ready";
}

void deterministic_actors::stop() {
  for (auto& r : {caf::actor_cast<caf::actor>(hosts), caf::actor_cast<caf::actor>(instances),
                  caf::actor_cast<caf::actor>(leases), caf::actor_cast<caf::actor>(maintenance),
                  caf::actor_cast<caf::actor>(environments)})
    if (r)
      caf::anon_send_exit(r, caf::exit_reason::user_shutdown);
  run();
  hosts = host_registry_actor{};
  instances = instance_registry_actor{};
  leases = lease_registry_actor{};
  maintenance = maintenance_registry_actor{};
  environments = environment_registry_actor{};
  clock_followers.clear();
}

json deterministic_actors::lease(const std::string& id) {
  auto r = as_operator(leases, lease_show{{}, id});
  if (r.status != 200)
    return nullptr;
  return json::parse(r.text ? *r.text : r.body.dump())["lease"];
}

std::string deterministic_actors::event_status(const std::string& id, const std::string& event) {
  auto l = lease(id);
  if (l.is_object())
    for (auto& e : l["events"])
      if (e.value("event_type", "") == event)
        return e.value("status", "");
  return "";
}

} // namespace steward::test
