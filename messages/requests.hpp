#pragma once
// What a route asks of the actors: one type per request of each API family,
// built once at the edge from the HTTP request (path, query, body), and the
// reply they all get. Plain structs: route code includes this without any
// CAF header. A body arrives as the family's typed fields, read by its route
// (http/routes/<family>_body.hpp); JSON stays only where the domain itself
// is free-form (a maintenance session's metadata and actions).
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/access.hpp"
#include "common/refusal.hpp"
#include "messages/environment.hpp"
#include "messages/host.hpp"
#include "messages/instance.hpp"
#include "messages/lease.hpp"
#include "messages/maintenance.hpp"

namespace steward {

/// Who asks, and the address they called ("http://host:port"), for URLs in
/// answers.
struct request_context {
  access::caller who;
  std::string base_url;
};

/// The answer to every request: the family's document, or an error the route
/// puts in its family's shape.
struct api_reply {
  int status = 200;
  nlohmann::json body;    // the answer, or a structured error the route passes on
  std::shared_ptr<const std::string> text;  // the answer already serialized (wins over body)
  std::string error;      // a plain error message; the route puts it in its family's shape
  std::vector<std::pair<std::string, std::string>> headers;

  static api_reply ok(nlohmann::json body, int status = 200) {
    api_reply r;
    r.status = status;
    r.body = std::move(body);
    return r;
  }
  static api_reply fail(int status, std::string message) {
    api_reply r;
    r.status = status;
    r.error = std::move(message);
    return r;
  }
  static api_reply fail(const refusal& r) { return fail(r.status, r.message); }
  /// 503 with Retry-After: the part that decides is not ready yet (it is
  /// still recovering), so no answer it gave now would be true.
  static api_reply not_ready(std::string message) {
    auto r = fail(503, std::move(message));
    r.headers.emplace_back("Retry-After", "1");
    return r;
  }
};

/// A request body as its route read it into the family's typed fields, or
/// the answer that refuses it, in the family's words (the route knows no
/// entity's state). The actor gives that answer where its checks reach the
/// body, so that an unknown id or a missing permission still answers first.
template <class Fields>
struct parsed {
  Fields value;
  std::optional<api_reply> refused;
};

/// Query parameters as the client sent them (a name may repeat).
using query_params = std::multimap<std::string, std::string>;

// -- leases (Blazar): /v1/leases -----------------------------------------------

struct lease_list { request_context ctx; };
struct lease_show { request_context ctx; std::string id; };
struct lease_create { request_context ctx; parsed<lease::lease_fields> body; };
struct lease_update { request_context ctx; std::string id; parsed<lease::lease_fields> body; };
struct lease_delete { request_context ctx; std::string id; };

// -- reservable hosts (Blazar): /v1/os-hosts -----------------------------------

struct reservable_host_list { request_context ctx; };
struct reservable_host_enroll {
  request_context ctx;
  parsed<inventory::enrollment_fields> body;
};
struct reservable_host_show { request_context ctx; std::string id; };
/// Extra capabilities to set (a value) or remove (none).
struct reservable_host_update {
  request_context ctx;
  std::string id;
  parsed<inventory::capability_changes> body;
};
struct reservable_host_withdraw { request_context ctx; std::string id; };
/// Every host's allocations; with a lease or reservation id, only theirs.
struct host_allocation_list {
  request_context ctx;
  std::string lease_id;
  std::string reservation_id;
};
struct host_allocation_show { request_context ctx; std::string id; };
/// The extra capabilities' names; with `detail`, their values too.
struct host_property_list { request_context ctx; bool detail = false; };
/// Refused whatever its body: every property is public (operators only).
struct host_property_update { request_context ctx; std::string name; };

// -- instances (Waldur): /api/instances/ and its catalog -----------------------

/// Filters, ordering and paging are Waldur's query parameters.
struct instance_list { request_context ctx; query_params query; };
struct instance_show { request_context ctx; std::string id; };
struct instance_create { request_context ctx; instance::instance_fields body; };
struct instance_delete { request_context ctx; std::string id; };
struct instance_start { request_context ctx; std::string id; };
struct instance_stop { request_context ctx; std::string id; };
struct instance_restart { request_context ctx; std::string id; };
struct instance_resize {
  request_context ctx;
  std::string id;
  parsed<instance::resize_fields> body;
};
/// The usage samples over the query's window.
struct instance_usage { request_context ctx; std::string id; query_params query; };
/// One of the catalog's collections ("flavors", "projects", ...).
struct catalog_list { request_context ctx; std::string collection; };
struct catalog_show { request_context ctx; std::string collection; std::string id; };

// -- maintenance (Fenix): /v1/maintenance, /v1/instance, /v1/instance_group ---

struct maintenance_list { request_context ctx; };
struct maintenance_create { request_context ctx; parsed<maintenance::session_fields> body; };
struct maintenance_show { request_context ctx; std::string id; };
struct maintenance_detail { request_context ctx; std::string id; };
/// Fenix's PUT: resumes the session (its body says nothing more).
struct maintenance_update { request_context ctx; std::string id; };
struct maintenance_delete { request_context ctx; std::string id; };
/// A project's view of a session: its instances on the session's hosts.
struct project_maintenance_show { request_context ctx; std::string id; std::string project_id; };
/// A project's reply to the session's current state.
struct project_maintenance_reply {
  request_context ctx;
  std::string id;
  std::string project_id;
  parsed<maintenance::reply_fields> body;
};
/// What a constraint is set on: one instance, or an instance group.
enum class constraint_scope { instance, group };
struct constraint_show { request_context ctx; constraint_scope scope; std::string id; };
/// A constraint as its body gives it (defaults for what it leaves out).
struct instance_constraint_put {
  request_context ctx;
  std::string id;
  parsed<maintenance::instance_constraint> body;
};
struct group_constraint_put {
  request_context ctx;
  std::string id;
  parsed<maintenance::group_constraint> body;
};
struct constraint_delete { request_context ctx; constraint_scope scope; std::string id; };

// -- Steward's inventory: /v1/inventory/hosts ----------------------------------

/// Filters are host fields named in the query.
struct host_list { request_context ctx; query_params query; };
struct host_create { request_context ctx; parsed<inventory::host_fields> body; };
struct host_show { request_context ctx; std::string id; };
struct host_update {
  request_context ctx;
  std::string id;
  parsed<inventory::host_fields> body;
};
struct host_delete { request_context ctx; std::string id; };

// -- application environments (Murano): /v1/environments ---------------------
// `session_id` is the X-Configuration-Session header ("" when absent); a
// `path` is the part of the object model below the URL's anchor, "" for it.

/// Every environment of the caller's project; with `all_tenants` (staff),
/// every project's, or with `tenant` (staff) that project's.
struct environment_list {
  request_context ctx;
  bool all_tenants = false;
  std::string tenant;
};
struct environment_create { request_context ctx; parsed<environment::environment_fields> body; };
struct environment_show { request_context ctx; std::string id; std::string session_id; };
struct environment_rename {
  request_context ctx;
  std::string id;
  parsed<environment::environment_fields> body;
};
struct environment_delete { request_context ctx; std::string id; bool abandon = false; };
/// Opens a configuration session on the environment's model.
struct environment_configure { request_context ctx; std::string id; };
struct configuration_show { request_context ctx; std::string id; std::string session_id; };
struct configuration_delete { request_context ctx; std::string id; std::string session_id; };
/// Deploys the session's copy of the model.
struct session_deploy { request_context ctx; std::string id; std::string session_id; };
/// The deployments of environment `id`, or with `id` "" of every environment
/// of the caller's project; newest first.
struct deployment_list { request_context ctx; std::string id; };
/// One deployment's reports; with `service_id`, only those about the objects
/// of that application.
struct deployment_show {
  request_context ctx;
  std::string id;
  std::string deployment_id;
  std::string service_id;
};
/// How long the environment's instances have run: each (or the one named),
/// or summed up (`aggregated`).
struct instance_statistics {
  request_context ctx;
  std::string id;
  std::string instance_id;
  bool aggregated = false;
};
/// Calls an action of the deployed model (`_actions`) with its arguments.
struct action_call {
  request_context ctx;
  std::string id;
  std::string action_id;
  parsed<nlohmann::json> args;  // free-form, as the action's method takes them
};
/// The result of an action call, by its task (deployment) id.
struct action_result { request_context ctx; std::string id; std::string task_id; };
/// Runs a static method of a class Steward provides.
struct static_action_call { request_context ctx; parsed<environment::static_call> body; };
/// The applications (`services`) of the model, or what `path` selects in them.
struct service_show {
  request_context ctx;
  std::string id;
  std::string session_id;
  std::string path;
};
/// Appends an application (or an item at `path`) to the session's copy; the
/// object model is free-form JSON.
struct service_add {
  request_context ctx;
  std::string id;
  std::string session_id;
  std::string path;
  nlohmann::json value;
};
/// Replaces the applications (or what `path` selects) in the session's copy.
struct service_replace {
  request_context ctx;
  std::string id;
  std::string session_id;
  std::string path;
  nlohmann::json value;
};
/// Removes the applications (or what `path` selects) from the session's copy.
struct service_remove {
  request_context ctx;
  std::string id;
  std::string session_id;
  std::string path;
};
/// The model, or the part at `path`.
struct model_show {
  request_context ctx;
  std::string id;
  std::string session_id;
  std::string path;
};
struct model_patch {
  request_context ctx;
  std::string id;
  std::string session_id;
  parsed<environment::model_changes> body;
};

// -- environment templates (Murano): /v1/templates -------------------------

/// The caller's project's templates and every public one; with `is_public`,
/// only the public ones (true) or only the project's private ones (false).
struct template_list { request_context ctx; std::optional<bool> is_public; };
struct template_create { request_context ctx; parsed<environment::template_fields> body; };
/// A template with its applications.
struct template_show { request_context ctx; std::string id; };
struct template_update {
  request_context ctx;
  std::string id;
  parsed<environment::template_fields> body;
};
struct template_delete { request_context ctx; std::string id; };
/// The template's applications, or what `path` selects in them.
struct template_service_show { request_context ctx; std::string id; std::string path; };
/// Appends an application (a list: each of its items), or an item at `path`.
struct template_service_add {
  request_context ctx;
  std::string id;
  std::string path;
  nlohmann::json value;
};
struct template_service_replace {
  request_context ctx;
  std::string id;
  std::string path;
  nlohmann::json value;
};
struct template_service_remove { request_context ctx; std::string id; std::string path; };
/// A new environment of the caller's project, with a configuration session
/// whose copy of the model holds the template's applications.
struct template_create_environment {
  request_context ctx;
  std::string id;
  parsed<environment::environment_fields> body;
};
/// A copy of a public template in the caller's project.
struct template_clone {
  request_context ctx;
  std::string id;
  parsed<environment::template_fields> body;
};

/// From the template registry to the environment registry: make the
/// environment a template's create-environment asks for; answered with
/// `{"session_id", "environment_id"}`.
struct environment_from_template {
  request_context ctx;
  environment::environment_fields fields;
  nlohmann::json services;  // the template's applications
};

// -- migrations between clouds (Pumphouse) -------------------------------------

/// Both clouds as the migration registry sees them (GET /resources).
struct resources_show { request_context ctx; };
/// A tenant's migration from the source cloud to the destination begins
/// (POST /tenants/{id}).
struct tenant_migrate { request_context ctx; std::string tenant; };
/// An empty host of the source cloud joins the destination
/// (DELETE /hosts/{id}).
struct host_reassign { request_context ctx; std::string host; };
/// A host is blocked and its servers moved to other hosts of its cloud
/// (POST /hosts/{id}).
struct host_evacuate { request_context ctx; std::string host; };
/// Both clouds back to their starting workload (POST /reset), where the
/// configuration allows it.
struct clouds_reset { request_context ctx; };
/// What a migration of the tenant would do, without doing it
/// (GET /tenants/{id}/plan).
struct tenant_plan { request_context ctx; std::string tenant; };
/// The tenant's migration under way stops (DELETE /tenants/{id}/migration).
struct migration_cancel { request_context ctx; std::string tenant; };
/// Whether the caller may follow the event stream of operation `id`
/// (GET /events/{id}); answered 200 when it may.
struct migration_events { request_context ctx; std::string id; };

// -- every request, by the registry that serves it -----------------------------

using lease_request = std::variant<lease_list, lease_show, lease_create, lease_update,
                                   lease_delete, reservable_host_list, reservable_host_enroll,
                                   reservable_host_show, reservable_host_update,
                                   reservable_host_withdraw, host_allocation_list,
                                   host_allocation_show, host_property_list,
                                   host_property_update>;
using instance_request
  = std::variant<instance_list, instance_show, instance_create, instance_delete, instance_start,
                 instance_stop, instance_restart, instance_resize, instance_usage>;
using catalog_request = std::variant<catalog_list, catalog_show>;
using maintenance_request
  = std::variant<maintenance_list, maintenance_create, maintenance_show, maintenance_detail,
                 maintenance_update, maintenance_delete, project_maintenance_show,
                 project_maintenance_reply, constraint_show, instance_constraint_put,
                 group_constraint_put, constraint_delete>;
using host_request = std::variant<host_list, host_create, host_show, host_update, host_delete>;
using environment_request
  = std::variant<environment_list, environment_create, environment_show, environment_rename,
                 environment_delete, environment_configure, configuration_show,
                 configuration_delete, session_deploy, deployment_list, deployment_show,
                 action_call, action_result, static_action_call, instance_statistics,
                 service_show, service_add, service_replace, service_remove, model_show,
                 model_patch>;

using template_request
  = std::variant<template_list, template_create, template_show, template_update,
                 template_delete, template_service_show, template_service_add,
                 template_service_replace, template_service_remove,
                 template_create_environment, template_clone>;

using migration_request
  = std::variant<resources_show, tenant_migrate, tenant_plan, host_reassign, host_evacuate,
                 clouds_reset, migration_cancel, migration_events>;

using api_request_body
  = std::variant<lease_request, instance_request, catalog_request, maintenance_request,
                 host_request, environment_request, template_request, migration_request>;

/// A request from outside the actors (an HTTP route) with where its reply
/// goes: the gateway actor sends it to the registry that serves it.
struct api_request {
  api_request_body request;
  std::function<void(api_reply)> done;
};

} // namespace steward
