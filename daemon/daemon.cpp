#include "daemon/daemon.hpp"

#include <cerrno>
#include <cstring>
#include <sstream>
#include <stdexcept>
#include <sys/stat.h>

#include "actors/runtime.hpp"
#include "bus/amqp_bus.hpp"
#include "bus/inproc_bus.hpp"
#include "bus/oslo.hpp"
#include "common/clock.hpp"
#include "common/ids.hpp"
#include "common/log.hpp"
#include "http/routes/routes.hpp"
#include "http/server.hpp"
#include "sim/amqp_simulator.hpp"
#include "sim/attach.hpp"
#include "sim/simulator.hpp"
#include "store/pg_store.hpp"
#include "store/store.hpp"

namespace steward {

namespace {

void make_dir(const std::string& path) {
  std::string partial;
  std::istringstream in{path};
  std::string piece;
  if (!path.empty() && path[0] == '/')
    partial = "/";
  while (std::getline(in, piece, '/')) {
    if (piece.empty())
      continue;
    partial += piece + "/";
    if (mkdir(partial.c_str(), 0750) != 0 && errno != EEXIST)
      throw std::runtime_error("[DEFAULT] state_dir: cannot create " + partial + ": "
                               + std::strerror(errno));
  }
}

// "a=x,b=y" (checked by the configuration) as its pairs, in their order.
cloud_urls named_values(const std::string& text) {
  return config::name_value_pairs(text).value_or(cloud_urls{});
}

std::string database_url(const config::settings& cfg) {
  auto url = cfg.text("database", "connection");
  if (!url.empty())
    return url;
  auto dir = cfg.text("DEFAULT", "state_dir");
  return "sqlite:///" + dir + "/steward.db";
}

store::store_options store_options_of(const config::settings& cfg) {
  store::store_options so;
  so.connection = database_url(cfg);
  so.max_batch = static_cast<std::size_t>(cfg.integer("database", "max_batch"));
  so.event_retention = static_cast<std::size_t>(cfg.integer("database", "event_retention"));
  return so;
}

std::unique_ptr<bus::bus> make_bus(const config::settings& cfg, store::store& db) {
  auto url_text = cfg.text("messaging", "transport_url");
  if (url_text.empty())
    return std::make_unique<bus::inproc_bus>(db);
  std::string err;
  auto url = bus::parse_transport_url(url_text, err);
  if (!url)
    throw std::runtime_error("[messaging] transport_url: " + err);
  bus::amqp_options opts{db};
  opts.url = *url;
  // Outcomes of compute commands come as Nova notifications, failures on .error.
  for (auto priority : {".info", ".error"})
    opts.bindings.push_back({cfg.text("messaging", "nova_exchange"),
                             cfg.text("messaging", "nova_topic") + priority});
  opts.queue = cfg.text("messaging", "consumer_queue");
  opts.dead_letter_exchange = cfg.text("messaging", "dead_letter");
  opts.dead_letter_queue = cfg.text("messaging", "dead_letter");
  opts.durable_exchanges = cfg.boolean("messaging", "amqp_durable_queues");
  opts.prefetch = static_cast<uint16_t>(cfg.integer("messaging", "prefetch"));
  opts.max_json_depth = static_cast<std::size_t>(cfg.integer("DEFAULT", "max_json_depth"));
  opts.max_attempts = static_cast<int>(cfg.integer("messaging", "max_attempts"));
  opts.deliveries = &db;
  opts.heartbeat_seconds = static_cast<int>(cfg.integer("messaging", "heartbeat"));
  return std::make_unique<bus::amqp_bus>(std::move(opts));
}

http::server_options server_options(const config::settings& cfg) {
  http::server_options o;
  o.bind_host = cfg.text("api", "bind_host");
  o.bind_port = static_cast<uint16_t>(cfg.integer("api", "bind_port"));
  o.io_threads = static_cast<int>(cfg.integer("api", "workers"));
  o.max_header_bytes = static_cast<std::size_t>(cfg.integer("api", "max_header_bytes"));
  o.max_body_bytes = static_cast<std::size_t>(cfg.integer("api", "max_body_bytes"));
  o.read_timeout = std::chrono::seconds{cfg.integer("api", "read_timeout")};
  o.write_timeout = std::chrono::seconds{cfg.integer("api", "write_timeout")};
  o.idle_timeout = std::chrono::seconds{cfg.integer("api", "idle_timeout")};
  o.sse_heartbeat = std::chrono::seconds{cfg.integer("api", "sse_heartbeat")};
  o.access_log = cfg.boolean("api", "access_log");
  return o;
}

// The simulated cloud, when [compute] driver = simulated: on the in-process
// bus without a broker, on its own AMQP connections with one.
struct simulated_cloud {
  std::unique_ptr<sim::simulator> local;
  std::unique_ptr<sim::amqp_simulator> remote;

  sim::simulator& engine() { return local ? *local : remote->sim(); }
  void start() { local ? local->start() : remote->start(); }
  void stop() { local ? local->stop() : remote->stop(); }
};

std::unique_ptr<simulated_cloud> make_simulated_cloud(const config::settings& cfg,
                                                      bus::bus& messaging) {
  if (cfg.text("compute", "driver") != "simulated")
    return nullptr;
  auto cloud = std::make_unique<simulated_cloud>();
  auto options = sim::options_from(cfg);
  if (auto inproc = dynamic_cast<bus::inproc_bus*>(&messaging)) {
    cloud->local = std::make_unique<sim::simulator>(std::move(options));
    sim::attach_to_inproc_bus(*cloud->local, *inproc, cfg.text("compute", "command_exchange"),
                              cfg.text("messaging", "nova_exchange"));
  } else {
    cloud->remote = std::make_unique<sim::amqp_simulator>(std::move(options),
                                                          sim::amqp_sim_options_from(cfg));
  }
  return cloud;
}

} // namespace

struct daemon::parts {
  config::settings cfg;
  std::string tokens_path;
  std::string new_token;               // written on this start, if any
  http::token_registry tokens;
  std::unique_ptr<store::store> db;
  std::unique_ptr<runtime> actors;
  std::unique_ptr<bus::bus> messaging;
  std::unique_ptr<simulated_cloud> cloud;
  std::unique_ptr<http::route_services> services;
  std::unique_ptr<http::router> routes;
  std::unique_ptr<http::server> server;
  bool stopped = false;
};

std::string migrate_database(const config::settings& cfg) {
  auto so = store_options_of(cfg);
  if (so.connection.rfind("sqlite:///", 0) == 0) {
    make_dir(cfg.text("DEFAULT", "state_dir"));
    auto db = store::open_store(so);  // creates or upgrades its tables in place
    auto where = db->describe();
    db->close();
    return "the database " + where + " is ready";
  }
  auto version = store::migrate_postgresql(so.connection);
  return "the database " + store::without_password(so.connection) + " is at schema version "
         + std::to_string(version);
}

daemon::daemon(const config::settings& cfg) : parts_{std::make_unique<parts>()} {
  auto& p = *parts_;
  p.cfg = cfg;
  log::level lvl;
  if (log::parse_level(cfg.text("DEFAULT", "log_level"), lvl))
    log::set_level(lvl);
  make_dir(cfg.text("DEFAULT", "state_dir"));

  p.tokens_path = cfg.text("auth", "tokens_file");
  if (p.tokens_path.empty()) {
    p.tokens_path = cfg.text("DEFAULT", "state_dir") + "/tokens.json";
    p.new_token = http::ensure_tokens_file(p.tokens_path);
  }
  auto err = p.tokens.load_file(p.tokens_path);
  if (!err.empty())
    throw std::runtime_error("[auth] tokens_file: " + err);

  p.db = store::open_store(store_options_of(cfg));

  if (cfg.boolean("DEFAULT", "test_clock"))
    global_clock().advance(std::chrono::seconds{cfg.integer("DEFAULT", "test_clock_offset")});

  runtime_options ro;
  ro.notification_exchange = cfg.text("messaging", "notification_exchange");
  ro.notification_topic = cfg.text("messaging", "notification_topic");
  ro.command_exchange = cfg.text("compute", "command_exchange");
  ro.request_timeout = std::chrono::seconds{cfg.integer("api", "request_timeout")};
  ro.minutes_before_end = static_cast<int>(cfg.integer("leases", "minutes_before_end"));
  ro.default_before_end = cfg.text("leases", "default_before_end");
  ro.maintenance.max_sessions = static_cast<int>(cfg.integer("maintenance", "max_sessions"));
  ro.maintenance.reply_seconds = static_cast<int>(cfg.integer("maintenance", "reply_seconds"));
  ro.maintenance.own_action_seconds
    = static_cast<int>(cfg.integer("maintenance", "own_action_seconds"));
  ro.maintenance.host_seconds = static_cast<int>(cfg.integer("maintenance", "host_seconds"));
  ro.maintenance.move_seconds = static_cast<int>(cfg.integer("maintenance", "move_seconds"));
  ro.environments.deploy_seconds
    = static_cast<int>(cfg.integer("environments", "deploy_seconds"));
  ro.migrations.source_cloud = cfg.text("migration", "source_cloud");
  ro.migrations.destination_cloud = cfg.text("migration", "destination_cloud");
  ro.migrations.source_urls = named_values(cfg.text("migration", "source_urls"));
  ro.migrations.destination_urls = named_values(cfg.text("migration", "destination_urls"));
  ro.migrations.reset = cfg.boolean("migration", "reset");
  ro.migrations.parallel_servers
    = static_cast<int>(cfg.integer("migration", "parallel_servers"));
  ro.migrations.move_seconds = static_cast<int>(cfg.integer("migration", "move_seconds"));
  // The configuration allows only the names of actions.
  ro.maintenance.default_action
    = maintenance::action_named(cfg.text("maintenance", "default_action"))
        .value_or(maintenance::instance_action::migrate);
  ro.maintenance.cpu_allocation_ratio = std::stod(cfg.text("maintenance", "cpu_allocation_ratio"));
  if (auto threads = cfg.integer("DEFAULT", "actor_threads"); threads > 0)
    ro.scheduler_threads = static_cast<std::size_t>(threads);
  p.actors = std::make_unique<runtime>(ro, *p.db);
  // Registries that follow others (leases follow hosts) hear of them right
  // after start; the API opens once they have, so that its first answers
  // are true ones. Should that take long, the routes of a kind not ready
  // answer 503, and so does /readyz.
  if (!p.actors->wait_until_ready(std::chrono::seconds{60}))
    log::write(log::level::warning, "daemon", "still waiting for registries to recover; "
                                              "the API opens anyway");

  p.messaging = make_bus(cfg, *p.db);
  // An embedded cloud listens before the outbox sends anything: the commands
  // of events run at recovery (a lease that ended while Steward was down
  // deletes its instances) are in the outbox already, and the in-process bus
  // hands a command only to those listening when it is sent.
  try {
    p.cloud = make_simulated_cloud(cfg, *p.messaging);
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string{"[simulator] "} + e.what());
  }
  p.db->on_commit([bus = p.messaging.get()](const store::commit_result& r) {
    if (r.outbox_written)
      bus->outbox_changed();
  });
  p.messaging->start([actors = p.actors.get()](bus::inbound msg, bus::ack_fn ack) {
    actors->deliver(std::move(msg), std::move(ack));
  });
  p.messaging->outbox_changed(); // whatever a previous run left unsent
  if (p.cloud)
    p.cloud->start(); // it reports its whole state first: Steward learns the cloud
  // Asked in any case: an external compute layer tells again what it
  // reported while Steward was away, and an embedded cloud over a broker may
  // report before Steward's queue is bound on a first start (those reports
  // are lost); the outbox sends this only once it is.
  p.actors->send_to_compute("*", "compute.sync", nlohmann::json::object());

  p.services.reset(new http::route_services{
    *p.actors,
    {[db = p.db.get()] { return db->healthy(); }, p.db->describe()},
    {[bus = p.messaging.get()] { return bus->ready(); }, p.messaging->describe()},
    static_cast<std::size_t>(cfg.integer("api", "sse_queue")),
    cfg.boolean("DEFAULT", "test_clock"), {}});
  if (p.cloud)
    p.services->simulator_state = [cloud = p.cloud.get()] { return cloud->engine().snapshot(); };
  p.routes = std::make_unique<http::router>(
    p.tokens, static_cast<std::size_t>(cfg.integer("DEFAULT", "max_json_depth")));
  p.services->stats = &p.routes->stats();
  http::add_system_routes(*p.routes, *p.services);
  http::add_inventory_routes(*p.routes, *p.services);
  http::add_instance_routes(*p.routes, *p.services);
  http::add_lease_routes(*p.routes, *p.services);
  http::add_maintenance_routes(*p.routes, *p.services);
  http::add_environment_routes(*p.routes, *p.services);
  http::add_template_routes(*p.routes, *p.services);
  http::add_migration_routes(*p.routes, *p.services);
  http::add_simulator_routes(*p.routes, *p.services);
  p.server = std::make_unique<http::server>(server_options(cfg), *p.routes);
  p.server->start();
}

daemon::~daemon() {
  stop();
}

void daemon::stop() {
  auto& p = *parts_;
  if (p.stopped)
    return;
  p.stopped = true;
  // Reverse order of start: no new requests, no new messages, actors finish
  // their work, the store drains what they wrote.
  if (p.server)
    p.server->stop();
  if (p.cloud)
    p.cloud->stop();
  if (p.messaging)
    p.messaging->stop();
  if (p.actors)
    p.actors->shutdown();
  if (p.db)
    p.db->close();
}

uint16_t daemon::port() const {
  return parts_->server->port();
}

http::request_handler& daemon::handler() {
  return *parts_->routes;
}

namespace {

std::string describe_compute(const config::settings& cfg, simulated_cloud* cloud) {
  if (!cloud)
    return "commands to exchange " + cfg.text("compute", "command_exchange")
           + " for an external compute layer ([compute] driver = bus)";
  auto world = cloud->engine().snapshot();
  std::size_t hosts = 0, instances = 0;
  for (auto& c : world.value("clouds", nlohmann::json::array())) {
    hosts += c.value("hosts", nlohmann::json::array()).size();
    instances += c.value("instances", nlohmann::json::array()).size();
  }
  std::ostringstream out;
  out << "simulated cloud (" << cloud->engine().options().workload_source << "): "
      << cloud->engine().clouds().size() << " cloud(s), " << hosts << " hosts, " << instances
      << " instances" << (cloud->remote ? ", over the broker" : ", in-process");
  return out.str();
}

} // namespace

std::string daemon::first_screen() const {
  auto& p = *parts_;
  auto url = "http://" + p.cfg.text("api", "bind_host") + ":" + std::to_string(port());
  auto token = p.tokens.some_staff_token();
  std::ostringstream out;
  out << "\nstewardd is running\n"
      << "  API      " << url << "  (" << p.cfg.integer("api", "workers") << " io threads)\n"
      << "  store    " << p.db->describe() << "\n"
      << "  bus      " << p.messaging->describe() << "\n"
      << "  compute  " << describe_compute(p.cfg, p.cloud.get()) << "\n"
      << "  tokens   " << p.tokens_path << " (" << p.tokens.size() << ")"
      << (p.new_token.empty() ? "" : ", created now") << "\n";
  if (!token.empty())
    out << "  admin token  " << token << "\n\n"
        << "Try:\n"
        << "  curl " << url << "/readyz\n"
        << "  curl -H 'X-Auth-Token: " << token << "' " << url << "/v1/inventory/hosts\n"
        << "  curl -H 'X-Auth-Token: " << token << "' -H 'Content-Type: application/json' \\\n"
        << "       -d '{\"name\": \"compute-1\"}' " << url << "/v1/os-hosts\n"
        << "  curl -H 'X-Auth-Token: " << token << "' -H 'Content-Type: application/json' \\\n"
        << "       -d '{\"name\": \"try\", \"start_date\": \"now\", \"end_date\": \"2030-01-01 00:00\","
           " \"reservations\": [{\"resource_type\": \"physical:host\", \"min\": 1, \"max\": 1}]}' "
        << url << "/v1/leases\n"
        << "  curl -N -H 'X-Auth-Token: " << token << "' " << url << "/v1/events\n"
        << "  curl -H 'Authorization: Token " << token << "' '" << url
        << "/api/instances/?o=-state&page_size=5'\n"
        << "  curl -H 'X-Auth-Token: " << token << "' " << url << "/resources\n"
        << "  curl -X POST -H 'X-Auth-Token: " << token << "' " << url
        << "/tenants/<a source tenant's id>   (then curl -N its /events/<id>)\n";
  out << "\nCtrl-C stops it; `stewardd --help` lists every setting.\n";
  return out.str();
}

} // namespace steward
