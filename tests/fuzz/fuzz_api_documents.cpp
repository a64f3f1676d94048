// The request bodies and query strings of each API family, straight into the
// document rules the actors apply (no actors, so thousands of runs a second).
// Input: the first line names what is read, the rest is the JSON body or the
// query string, e.g. "lease\n{\"name\": ...}" or "instances-query\no=-state".
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <string>

#include <nlohmann/json.hpp>

#include "actors/catalog/catalog.hpp"
#include "actors/instance/instance_document.hpp"
#include "actors/instance/instance_json.hpp"
#include "actors/inventory/host_document.hpp"
#include "actors/inventory/host_json.hpp"
#include "actors/lease/lease_document.hpp"
#include "actors/lease/lease_json.hpp"
#include "actors/lease/reservable_host.hpp"
#include "actors/maintenance/session_document.hpp"
#include "actors/maintenance/workflow.hpp"
#include "common/json_limits.hpp"
#include "actors/environment/deployment_engine.hpp"
#include "actors/environment/environment_json.hpp"
#include "actors/environment/static_actions.hpp"
#include "actors/environment/environment_rules.hpp"
#include "actors/environment/object_model.hpp"
#include "actors/environment/template_json.hpp"
#include "actors/migration/migration_json.hpp"
#include "actors/migration/migration_rules.hpp"
#include "actors/environment/template_rules.hpp"
#include "http/routes/environment_body.hpp"
#include "http/routes/inventory_body.hpp"
#include "tests/actors/bodies.hpp"
#include "http/types.hpp"

using namespace steward;
using nlohmann::json;

namespace {

// Fixed: runs repeat exactly (2026-12-01 12:00 UTC).
const sys_time fixed_now{std::chrono::seconds{1796126400}};
const std::string base = "http://steward.example:8080";

// A fixture below that the rules refuse is wrong itself: say which one.
template <class T>
T& checked(T& fixture, bool ok, const char* name) {
  if (!ok) {
    std::fprintf(stderr, "fuzz_api_documents: fixture %s is refused\n", name);
    abort();
  }
  return fixture;
}

const catalog::catalog& known_catalog() {
  static catalog::catalog c;
  static bool ok = c.apply_update(json::parse(R"({
    "cloud": {"uuid": "cl1", "name": "default", "customer": "cu1"},
    "flavors": [{"uuid": "fl1", "name": "m1.small", "cores": 1, "ram": 2048, "disk": 20480},
                {"uuid": "fl2", "name": "m1.large", "cores": 4, "ram": 8192, "disk": 81920}],
    "templates": [{"uuid": "tp1", "name": "debian-12", "os": "debian"}],
    "security_groups": [{"uuid": "sg1", "name": "default", "rules": []}],
    "keys": [{"uuid": "ky1", "name": "alice-key", "fingerprint": "aa:bb", "user": "alice"}],
    "customers": [{"uuid": "cu1", "name": "Acme"}],
    "project_groups": [{"uuid": "pg1", "name": "research", "customer": "cu1"}],
    "projects": [{"uuid": "pa", "name": "demo", "customer": "cu1", "project_groups": ["pg1"],
                  "clouds": ["cl1"]}]
  })")).empty();
  return checked(c, ok, "catalog");
}

access::caller project_admin() {
  access::caller who;
  who.user_id = "alice";
  who.projects["pa"] = access::role::admin;
  return who;
}

inventory::host host_doc(const std::string& name) {
  inventory::host h;
  auto fields = http::read_host_create(
    {{"hypervisor_hostname", name}, {"vcpus", 8}, {"memory_mb", 16384}, {"local_gb", 200}});
  auto err = fields.refused ? fields.refused->error
                            : inventory::make_host(fields.value, fixed_now, h);
  return checked(h, err.empty(), "host");
}

world_view world() {
  world_view w;
  for (auto name : {"compute-1", "compute-2"}) {
    auto h = host_doc(name);
    w.hosts[h.id] = std::make_shared<const inventory::host>(h);
  }
  w.instances["a1"] = std::make_shared<const instance::instance>(*instance::from_document({
    {"uuid", "a1"}, {"host", "compute-1"}, {"project", "pa"}, {"cloud_name", "default"},
    {"cores", 2}, {"ram", 4096}, {"system_volume_size", 10240}, {"data_volume_size", 0},
    {"hostname", "vm-a1"}, {"state", "OK"}}));
  return w;
}

const instance::instance& running_instance() {
  static instance::instance doc;
  static bool ok = !test::make_instance_from(
    {{"hostname", "vm-1"}, {"project", base + "/api/projects/pa/"},
     {"flavor", base + "/api/flavors/fl1/"}, {"template", base + "/api/iaas-templates/tp1/"},
     {"ssh_public_key", base + "/api/keys/ky1/"}}, known_catalog(), project_admin(), fixed_now, doc);
  return checked(doc, ok, "instance");
}

const lease::lease& pending_lease() {
  static lease::lease doc;
  static std::vector<lease::host_reservation> reservations;
  static bool ok = !test::make_lease_from(
    {{"name", "l1"}, {"start_date", "2027-01-01 10:00"}, {"end_date", "2027-01-02 10:00"},
     {"reservations", {{{"resource_type", "physical:host"}, {"min", 1}, {"max", 2}}}},
     {"events", json::array()}}, fixed_now, 60, "pa", "alice", doc, reservations);
  return checked(doc, ok, "lease");
}

// A session in its first round, asking its projects (pa has an instance on
// compute-1).
const maintenance::session& asking_session() {
  static maintenance::session s;
  static bool ok = [] {
    if (test::make_session_from(
          {{"state", "MAINTENANCE"}, {"workflow", "default"},
           {"maintenance_at", "2027-01-01 10:00:00"}, {"hosts", {"compute-1"}},
           {"metadata", json::object()}, {"actions", json::array()}},
          world(), {}, fixed_now, {}, base, s))
      return false;
    maintenance::effects fx;
    return maintenance::advance(s, world(), fixed_now, {}, fx) && s.asking;
  }();
  return checked(s, ok, "session");
}

// A new environment's model, with one application.
nlohmann::json environment_model() {
  auto e = environment::make_environment("shop", "pa", json::object(), fixed_now);
  e.model["services"] = json::array({{{"name", "a"}, {"?", {{"id", "app-1"}}}}});
  return e.model;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  auto newline = input.find('\n');
  if (newline == std::string::npos)
    return 0;
  std::string what = input.substr(0, newline), rest = input.substr(newline + 1);

  // Query strings, decoded as the server decodes them.
  if (what == "instances-query") {
    instance::list_query q;
    auto query = http::parse_query(rest);
    if (instance::parse_list_query(query, q))
      return 0;
    instance::page_result page;
    for (std::size_t total : {0, 1, 57})
      if (!instance::paginate(total, q, page))
        (void)instance::link_header(base, "/api/instances/", query, page);
    auto item = instance::describe(running_instance(), known_catalog());
    (void)instance::matches(item, q);
    return 0;
  }
  if (what == "usage-query") {
    std::deque<instance::usage_sample> samples;
    for (long long i = 0; i < 50; ++i)
      samples.push_back({1796126400 - 3600 + i * 60, 0.5, 1024.0 * i, 20480});
    json out;
    (void)instance::usage(samples, http::parse_query(rest), fixed_now, out);
    return 0;
  }

  // Bodies, read as the router reads them.
  std::string error;
  auto parsed = parse_json(rest, default_max_json_depth, error);
  if (!parsed)
    return 0;
  const json& body = *parsed;
  if (what == "host") {
    inventory::host doc;
    bool changed = false;
    auto created = http::read_host_create(body);
    auto updated = http::read_host_update(body);
    if (!created.refused && inventory::make_host(created.value, fixed_now, doc).empty()
        && !updated.refused)
      (void)inventory::update_host(doc, updated.value, fixed_now, changed);
  } else if (what == "host-update") {
    auto doc = host_doc("compute-9");
    bool changed = false;
    if (auto updated = http::read_host_update(body); !updated.refused)
      (void)inventory::update_host(doc, updated.value, fixed_now, changed);
  } else if (what == "lease") {
    lease::lease doc;
    std::vector<lease::host_reservation> reservations;
    if (!test::make_lease_from(body, fixed_now, 60, "pa", "alice", doc, reservations))
      (void)lease::from_stored(lease::to_stored(doc));
  } else if (what == "lease-update") {
    auto doc = pending_lease();
    if (!test::update_lease_from(doc, body, fixed_now))
      (void)lease::present(doc);
  } else if (what == "lease-row") {
    // A stored row of any shape: read back, or refused, never a crash.
    if (auto l = lease::from_stored(body))
      (void)lease::present(*l);
  } else if (what == "host-row") {
    // A stored row of any shape: read back, or refused, never a crash.
    if (auto h = inventory::from_stored(body)) {
      (void)inventory::to_stored(*h);
      (void)lease::show_host(*h);
    }
  } else if (what == "instance-row") {
    // A stored row of any shape: read back, or refused, never a crash.
    if (auto i = instance::from_stored(body)) {
      (void)instance::render(*i, known_catalog(), base);
      (void)instance::to_stored(*i);
    }
  } else if (what == "instance") {
    instance::instance doc;
    if (!test::make_instance_from(body, known_catalog(), project_admin(), fixed_now, doc))
      (void)instance::render(doc, known_catalog(), base);
  } else if (what == "resize") {
    instance::pending_resize r;
    if (!test::check_resize_from(body, running_instance(), known_catalog(), r)) {
      auto resizing = running_instance();
      resizing.resize = r;  // as the instance stores it
      (void)instance::from_stored(instance::to_stored(resizing));
    }
  } else if (what == "session") {
    maintenance::session s;
    if (!test::make_session_from(body, world(), {"compute-2"}, fixed_now, {}, base, s))
      (void)maintenance::project_instances(s, "pa");
  } else if (what == "session-reply") {
    auto s = asking_session();
    if (!test::record_reply_from(s, "pa", body, fixed_now))
      (void)maintenance::to_document(s);
  } else if (what == "model-patch") {
    // A model patch as its route reads it, applied to a session's copy.
    auto changes = http::read_model_patch(body);
    auto model = environment_model();
    if (!changes.refused && !environment::apply_changes(model, changes.value))
      (void)environment::services_at(model, "");
  } else if (what == "services") {
    // An application posted, then edited and removed by its id.
    auto model = environment_model();
    if (!environment::add_service(model, "", body)) {
      (void)environment::services_at(model, "app-1/name");
      (void)environment::replace_service(model, "app-1/name", body);
      (void)environment::remove_service(model, "app-1");
    }
  } else if (what == "environment-row") {
    // A stored row of any shape: read back, or refused, never a crash.
    if (auto e = environment::from_stored(body)) {
      (void)environment::to_stored(*e);
      (void)environment::full_document(*e, e->model);
      for (auto& d : e->deployments) {
        (void)environment::deployment_document(*e, d);
        for (auto& r : d.reports)
          (void)environment::report_document(d, r);
      }
      if (auto d = environment::running_deployment(*e)) {
        environment::expire(*d, fixed_now);
        (void)environment::finish_deployment(*e, fixed_now);
      }
    }
  } else if (what == "deployment-model") {
    // A session's model of any shape deployed: every instance made, then
    // an action of what it offers called, and one application's objects.
    auto e = environment::make_environment("shop", "pa", json::object(), fixed_now);
    std::string id;
    environment::open_session(e, "u", fixed_now, id);
    environment::find_session(e, id)->model = body;
    auto& d = environment::begin_deployment(e, *environment::find_session(e, id), fixed_now,
                                            std::chrono::seconds{600});
    for (auto t : d.tasks) {
      instance_progress p;
      p.uuid = t.instance_id;
      p.current = instance::state::online;
      p.flavor_name = t.flavor;
      (void)environment::record_progress(e, p, fixed_now);
    }
    if (environment::settled(*environment::running_deployment(e)))
      (void)environment::finish_deployment(e, fixed_now);
    if (!e.instances.empty())
      (void)environment::begin_action(e, "u", e.instances[0].object_id + "_stop", body,
                                      fixed_now, std::chrono::seconds{600});
    (void)environment::object_ids_of(body, "app-1");
  } else if (what == "static-call") {
    // A static action's body as its route reads it, checked and run on a
    // catalog list of the same shape.
    auto call = http::read_static_call(body);
    if (!call.refused && !environment::check_static_call(call.value))
      (void)environment::list_flavors(call.value, body.value("parameters", json()));
    (void)http::read_action_arguments(body);
  } else if (what == "template") {
    // A template's body as its routes read it: made, updated, its
    // applications checked and edited, cloned, stored and read back.
    auto given = http::read_template(body);
    if (!given.refused) {
      auto t = environment::make_template(given.value, "pa", fixed_now);
      environment::update_template(t, given.value, fixed_now);
      json model = {{"services", t.services}};
      if (!environment::check_applications(t.services)
          && !environment::add_service(model, "", body))
        (void)environment::check_applications(model["services"]);
      auto copy = environment::clone_template(t, given.value, "pb", fixed_now);
      (void)environment::template_from_stored(environment::template_to_stored(copy));
      (void)environment::full_template_document(copy);
    }
    if (auto t = environment::template_from_stored(body))
      (void)environment::template_to_stored(*t);
  } else if (what == "migration-row") {
    // A stored migration of any shape: read back, or refused, and moved on
    // an empty view; never a crash.
    if (auto op = migration::migration_from_stored(body)) {
      (void)migration::migration_to_stored(*op);
      catalog::catalog cat;
      world_view world;
      migration_settings settings;
      migration::migration_view view{world, cat, settings, 4.0};
      migration::migration_effects fx;
      migration::advance(*op, view, fixed_now, fx);
      for (auto& s : op->servers)
        (void)migration::ask_for(s, view);
      (void)migration::watched_instances(*op);
      (void)migration::next_deadline(*op);
    }
  } else if (what == "session-row") {
    // A stored row of any shape: read back, or refused, never a crash.
    if (auto s = maintenance::from_stored(body)) {
      (void)maintenance::to_stored(*s);
      (void)maintenance::wake_at(*s);
    }
  }
  return 0;
}
