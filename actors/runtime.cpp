#include "actors/runtime.hpp"

#include <map>
#include <variant>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/change.hpp"
#include "actors/event_hub.hpp"
#include "actors/guard.hpp"
#include "actors/ingest.hpp"
#include "actors/catalog/catalog_actor.hpp"
#include "actors/instance/instance_registry.hpp"
#include "actors/environment/environment_registry.hpp"
#include "actors/environment/template_registry.hpp"
#include "actors/inventory/host_registry.hpp"
#include "actors/lease/lease_registry.hpp"
#include "actors/maintenance/maintenance_registry.hpp"
#include "actors/migration/migration_registry.hpp"
#include "actors/proxy.hpp"
#include "actors/supervisor.hpp"
#include "actors/store_actor.hpp"
#include "common/log.hpp"
#include "store/store.hpp"

namespace steward {

namespace {

std::unique_ptr<caf::actor_system_config> make_config(const runtime_options& opts) {
  auto cfg = std::make_unique<caf::actor_system_config>();
  cfg->set("scheduler.max-threads", opts.scheduler_threads);
  // Workers wait on a shared queue instead of spinning to steal work: on a
  // machine of two cores the spinning starved the actors doing the work
  // (100k leases recovered in 71 s with work stealing, far less without).
  cfg->set("scheduler.policy", caf::atom("sharing"));
  return cfg;
}

api_reply request_failure(const caf::error& e) {
  if (e == caf::sec::request_timeout)
    return api_reply::fail(504, "The request timed out inside Steward");
  return api_reply::fail(503, "The request could not be served: " + to_string(e));
}

// The route's callback runs on the gateway, which every route shares: what
// it throws ends that one request (its connection answers 500), not the
// gateway.
void hand_over(const std::function<void(api_reply)>& done, api_reply reply) {
  try {
    done(std::move(reply));
  } catch (const std::exception& e) {
    log::write(log::level::error, "gateway", std::string{"a route's reply failed: "} + e.what());
  }
}

// The registry that serves each API family.
struct api_registries {
  lease_registry_actor leases;
  instance_registry_actor instances;
  catalog_actor_type catalog;
  maintenance_registry_actor maintenance;
  host_registry_actor hosts;
  environment_registry_actor environments;
  template_registry_actor templates;
  migration_registry_actor migrations;

  const lease_registry_actor& serving(const lease_request&) const { return leases; }
  const instance_registry_actor& serving(const instance_request&) const { return instances; }
  const catalog_actor_type& serving(const catalog_request&) const { return catalog; }
  const maintenance_registry_actor& serving(const maintenance_request&) const {
    return maintenance;
  }
  const host_registry_actor& serving(const host_request&) const { return hosts; }
  const environment_registry_actor& serving(const environment_request&) const {
    return environments;
  }
  const template_registry_actor& serving(const template_request&) const { return templates; }
  const migration_registry_actor& serving(const migration_request&) const { return migrations; }
};

// Where HTTP routes' requests enter the actors: one long-lived actor that
// sends each to its registry and hands the reply (504 on timeout) to the
// route's callback, instead of an actor spawned per request.
gateway_actor::behavior_type api_gateway(gateway_actor::pointer self, api_registries registries,
                                         std::chrono::seconds timeout) {
  return guarded_behavior<gateway_actor::behavior_type>("gateway", [=](api_request& r) {
    auto done = std::move(r.done);
    std::visit(
      [&](auto& family) {
        const auto& target = registries.serving(family);
        std::visit(
          [&](auto& request) {
            self->request(target, timeout, std::move(request))
              .then([done](api_reply& reply) { hand_over(done, std::move(reply)); },
                    [done](caf::error& e) { hand_over(done, request_failure(e)); });
          },
          family);
      },
      r.request);
  });
}

} // namespace

struct runtime::impl {
  runtime_options opts;
  store::store& db;
  std::unique_ptr<caf::actor_system_config> cfg;
  caf::actor_system sys;
  actor_services svc;
  event_hub_actor hub;      // these three are proxies: they outlive restarts
  ingest_actor ingest;
  gateway_actor gateway;
  std::vector<clock_follower_actor> clock_followers;  // registries with dated timers
  readiness ready;
  published_documents environment_shows;
  std::unique_ptr<actor_supervisor> supervisor;
  bool stopped = false;

  impl(runtime_options o, store::store& d)
    : opts{std::move(o)}, db{d}, cfg{make_config(opts)}, sys{*cfg} {
    svc.store = sys.spawn(store_actor_impl, &db);
    svc.notification_exchange = opts.notification_exchange;
    svc.notification_topic = opts.notification_topic;
    svc.command_exchange = opts.command_exchange;
    svc.ready = &ready;
    svc.environment_shows = &environment_shows;
    svc.leases = lease_settings{opts.minutes_before_end, opts.default_before_end};
    svc.maintenance = opts.maintenance;
    svc.environments = opts.environments;
    svc.migrations = opts.migrations;
    // Every other actor, and this runtime, holds a supervised actor's proxy,
    // which outlives restarts.
    auto hosts = sys.spawn(stable_proxy<host_registry_actor>, "host");
    auto instances = sys.spawn(stable_proxy<instance_registry_actor>, "instance");
    auto leases = sys.spawn(stable_proxy<lease_registry_actor>, "lease");
    auto sessions = sys.spawn(stable_proxy<maintenance_registry_actor>, "maintenance");
    auto cat = sys.spawn(stable_proxy<catalog_actor_type>, "catalog");
    auto environments = sys.spawn(stable_proxy<environment_registry_actor>, "environment");
    auto templates = sys.spawn(stable_proxy<template_registry_actor>, "environment_template");
    auto migrations = sys.spawn(stable_proxy<migration_registry_actor>, "migration");
    auto hub_proxy = sys.spawn(stable_proxy<event_hub_actor>, "events");
    auto ingest_proxy = sys.spawn(stable_proxy<ingest_actor>, "ingest");
    auto gateway_proxy = sys.spawn(stable_proxy<gateway_actor>, "gateway");
    hub = hub_proxy;
    ingest = ingest_proxy;
    gateway = gateway_proxy;
    // Committed events reach the hub in commit order (one writer thread).
    db.on_commit([hub = hub](const store::commit_result& r) {
      if (!r.events.empty())
        caf::anon_send(hub, atom::committed_v, committed_events{r.events});
    });
    svc.hosts = hosts;
    svc.instances = instances;
    svc.catalog = cat;
    supervisor = std::make_unique<actor_supervisor>(sys, svc.store, ready);
    // In start order: a kind after those it asks; dependents are the kinds
    // that follow its state (their registries subscribe to it).
    supervisor->start({
      {"host", caf::actor_cast<caf::actor>(hosts),
       [this] { return untyped(sys.spawn(inventory::host_registry, &svc, db.load_kind("host"))); },
       {"lease", "maintenance", "migration"}},
      {"instance", caf::actor_cast<caf::actor>(instances),
       [this] {
         auto cat = catalog::recover(db.load_kind("catalog")).first;
         return untyped(
           sys.spawn(instance::instance_registry, &svc, std::move(cat), db.load_kind("instance")));
       },
       {"maintenance", "environment", "migration"}},
      {"lease", caf::actor_cast<caf::actor>(leases),
       [this] { return untyped(sys.spawn(lease::lease_registry, &svc, db.load_kind("lease"))); },
       {}},
      {"maintenance", caf::actor_cast<caf::actor>(sessions),
       [this] {
         auto constraints = db.load_kind("instance_constraint");
         for (auto& c : db.load_kind("group_constraint"))
           constraints.push_back(std::move(c));
         return untyped(sys.spawn(maintenance::maintenance_registry, &svc,
                                  db.load_kind("maintenance_session"), std::move(constraints)));
       },
       {}},
      {"environment", caf::actor_cast<caf::actor>(environments),
       [this] {
         return untyped(
           sys.spawn(environment::environment_registry, &svc, db.load_kind("environment")));
       },
       {}},
      {"environment_template", caf::actor_cast<caf::actor>(templates),
       [this, environments] {
         return untyped(sys.spawn(environment::template_registry, &svc, environments,
                                  db.load_kind("environment_template")));
       },
       {}},
      {"migration", caf::actor_cast<caf::actor>(migrations),
       [this] {
         auto cat = catalog::recover(db.load_kind("catalog")).first;
         return untyped(sys.spawn(migration::migration_registry, &svc, std::move(cat),
                                  db.load_kind("migration")));
       },
       {}},
      {"catalog", caf::actor_cast<caf::actor>(cat),
       [this, migrations] {
         std::vector<catalog_reader_actor> readers{svc.instances, migrations};
         auto [stored, version] = catalog::recover(db.load_kind("catalog"));
         return untyped(sys.spawn(catalog::catalog_actor, &svc, readers, stored, version));
       },
       {}},
      // Stateless but for what they read at start (the ingest: the ids of
      // processed messages); a restarted hub ends its clients' streams, which
      // resume with Last-Event-ID.
      {"events", caf::actor_cast<caf::actor>(hub_proxy),
       [this] { return untyped(sys.spawn(event_hub, &db)); }, {}, false},
      {"ingest", caf::actor_cast<caf::actor>(ingest_proxy),
       [this, hosts, instances, cat, migrations] {
         std::vector<ingest_route> routes = {{"service.", hosts},
                                             {"instance.", instances},
                                             {"catalog.", cat},
                                             {"compute.command.", migrations}};
         return untyped(
           sys.spawn(steward::ingest, std::move(routes), db.processed_ids(100000)));
       },
       {}, false},
      {"gateway", caf::actor_cast<caf::actor>(gateway_proxy),
       [this, hosts, instances, cat, leases, sessions, environments, templates, migrations] {
         return untyped(sys.spawn(api_gateway,
                                  api_registries{leases, instances, cat, sessions, hosts,
                                                 environments, templates, migrations},
                                  opts.request_timeout));
       },
       {}, false},
    });
    clock_followers = {hosts, leases, sessions};
  }

  template <class Handle>
  static caf::actor untyped(const Handle& h) {
    return caf::actor_cast<caf::actor>(h);
  }
};

runtime::runtime(runtime_options opts, store::store& db)
  : impl_{std::make_unique<impl>(std::move(opts), db)} {
}

runtime::~runtime() {
  shutdown();
}

void runtime::ask(api_request_body request, std::function<void(api_reply)> done) {
  caf::anon_send(impl_->gateway, api_request{std::move(request), std::move(done)});
}

const published_documents& runtime::environment_shows() const {
  return impl_->environment_shows;
}

void runtime::fail_actor(const std::string& kind) {
  impl_->supervisor->fail(kind);
}

std::size_t runtime::restarts() const {
  return impl_->supervisor->restarts();
}

bool runtime::wait_until_ready(std::chrono::milliseconds limit) const {
  return impl_->ready.wait(limit);
}

std::vector<std::string> runtime::not_ready() const {
  return impl_->ready.waiting();
}

void runtime::subscribe(stream_subscription sub) {
  caf::anon_send(impl_->hub, atom::subscribe_v, std::move(sub));
}

void runtime::deliver(bus::inbound msg, bus::ack_fn ack) {
  caf::anon_send(impl_->ingest, inbound_notification{std::move(msg), std::move(ack)});
}

void runtime::send_to_compute(const std::string& cloud, const std::string& type,
                              nlohmann::json payload, std::function<void(sent_command)> done) {
  change c{impl_->svc};
  auto request_id = c.command(cloud, type, std::move(payload));
  impl_->db.submit(c.take(), [request_id, done = std::move(done)](const store::commit_result& r) {
    if (done)
      done({request_id, r.ok, r.error});
  });
}

void runtime::clock_jumped() {
  for (auto& registry : impl_->clock_followers)
    caf::anon_send(registry, atom::clock_jump_v);
}

void runtime::shutdown() {
  if (impl_->stopped)
    return;
  impl_->stopped = true;
  // Everything that writes goes first; the store actor last, so that an
  // entity waiting for its write to be stored always hears back.
  {
    caf::scoped_actor self{impl_->sys};
    std::vector<caf::actor_addr> writers;
    auto stop = [&](const auto& handle) {
      self->monitor(handle);
      writers.push_back(handle.address());
      self->send_exit(handle, caf::exit_reason::user_shutdown);
    };
    // No restart from here on; then every supervised actor and its proxy.
    for (auto& a : impl_->supervisor->stop())
      stop(a);
    for (std::size_t i = 0; i < writers.size(); ++i)
      self->receive([](const caf::down_msg&) {});
  }
  LOG_DEBUG("runtime", "writers down; actors running: " << impl_->sys.registry().running());
  caf::anon_send_exit(impl_->svc.store, caf::exit_reason::user_shutdown);
  impl_->sys.await_all_actors_done();
}

} // namespace steward
