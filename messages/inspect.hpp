#pragma once
// How CAF's inspectors (the binary serializer, to_string) see each message
// type: field by field, JSON as its text. Every message that could cross
// from one node to another has one; the few that carry a callback or a
// stream of this process stay local (messages/fwd.hpp lists them).
//
// Included by actors/interfaces.hpp, so that every translation unit that
// sends a message sees the same inspect functions.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <caf/error.hpp>
#include <caf/meta/load_callback.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/none.hpp>
#include <caf/sec.hpp>

#include "common/access.hpp"
#include "common/json_text.hpp"
#include "common/refusal.hpp"
#include "messages/entity.hpp"
#include "messages/event.hpp"
#include "messages/hosts.hpp"
#include "messages/instances.hpp"
#include "messages/leases.hpp"
#include "messages/notification.hpp"
#include "messages/records.hpp"
#include "messages/requests.hpp"
#include "messages/stream.hpp"
#include "messages/world.hpp"

namespace steward {

// -- fields CAF does not know: views that inspect as text ---------------------

/// A JSON value, as its text.
struct json_field {
  nlohmann::json& value;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, json_field& x) {
  if constexpr (Inspector::reads_state) {
    auto text = dump_json(x.value);
    return f(text);
  } else {
    std::string text;
    return f(text, caf::meta::load_callback([&]() -> caf::error {
               x.value = nlohmann::json::parse(text, nullptr, false);
               if (x.value.is_discarded())
                 return caf::make_error(caf::sec::invalid_argument, "a JSON field is not JSON");
               return caf::none;
             }));
  }
}

/// A time, as nanoseconds since the epoch.
struct time_field {
  sys_time& value;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, time_field& x) {
  int64_t ns = x.value.time_since_epoch().count();
  if constexpr (Inspector::reads_state) {
    return f(ns);
  } else {
    return f(ns, caf::meta::load_callback([&]() -> caf::error {
               x.value = sys_time{sys_time::duration{ns}};
               return caf::none;
             }));
  }
}

/// A time that may be absent.
struct optional_time_field {
  std::optional<sys_time>& value;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, optional_time_field& x) {
  bool present = x.value.has_value();
  int64_t ns = present ? x.value->time_since_epoch().count() : 0;
  if constexpr (Inspector::reads_state) {
    return f(present, ns);
  } else {
    return f(present, ns, caf::meta::load_callback([&]() -> caf::error {
               if (present)
                 x.value = sys_time{sys_time::duration{ns}};
               else
                 x.value.reset();
               return caf::none;
             }));
  }
}

/// A value that may be absent.
template <class T>
struct optional_field {
  std::optional<T>& value;
};

template <class Inspector, class T>
typename Inspector::result_type inspect(Inspector& f, optional_field<T>& x) {
  bool present = x.value.has_value();
  if constexpr (Inspector::reads_state) {
    auto copy = present ? *x.value : T{};
    return f(present, copy);
  } else {
    auto fresh = std::make_shared<T>();
    return f(present, *fresh, caf::meta::load_callback([&, fresh]() -> caf::error {
               if (present)
                 x.value = std::move(*fresh);
               else
                 x.value.reset();
               return caf::none;
             }));
  }
}

/// A JSON value that may be absent.
struct optional_json_field {
  std::optional<nlohmann::json>& value;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, optional_json_field& x) {
  bool present = x.value.has_value();
  if constexpr (Inspector::reads_state) {
    auto copy = present ? *x.value : nlohmann::json{};
    return f(present, json_field{copy});
  } else {
    auto fresh = std::make_shared<nlohmann::json>();
    json_field text{*fresh};
    return f(present, text, caf::meta::load_callback([&, fresh]() -> caf::error {
               if (present)
                 x.value = std::move(*fresh);
               else
                 x.value.reset();
               return caf::none;
             }));
  }
}

/// Values by name where a name may stand without one (capabilities to
/// remove, projects that have not replied), as two lists: the names with a
/// value, the names without.
template <class T>
struct optional_map_field {
  std::map<std::string, std::optional<T>>& value;
};

template <class Inspector, class T>
typename Inspector::result_type inspect(Inspector& f, optional_map_field<T>& x) {
  std::map<std::string, T> set;
  std::vector<std::string> unset;
  if constexpr (Inspector::reads_state) {
    for (auto& [name, value] : x.value)
      if (value)
        set.emplace(name, *value);
      else
        unset.push_back(name);
    return f(set, unset);
  } else {
    return f(set, unset, caf::meta::load_callback([&]() -> caf::error {
               x.value.clear();
               for (auto& [name, value] : set)
                 x.value[name] = value;
               for (auto& name : unset)
                 x.value[name] = std::nullopt;
               return caf::none;
             }));
  }
}

/// A shared immutable value of a typed entity; absent for none.
template <class Value>
struct shared_value_field {
  std::shared_ptr<const Value>& value;
};

template <class Inspector, class Value>
typename Inspector::result_type inspect(Inspector& f, shared_value_field<Value>& x) {
  bool present = x.value != nullptr;
  if constexpr (Inspector::reads_state) {
    auto copy = present ? *x.value : Value{};
    return f(present, copy);
  } else {
    auto fresh = std::make_shared<Value>();
    return f(present, *fresh, caf::meta::load_callback([&, fresh]() -> caf::error {
               x.value = present ? std::shared_ptr<const Value>{fresh} : nullptr;
               return caf::none;
             }));
  }
}

/// Shared immutable values of a typed kind by id (a world view's instances).
template <class Value>
struct shared_value_map_field {
  std::map<std::string, std::shared_ptr<const Value>>& value;
};

template <class Inspector, class Value>
typename Inspector::result_type inspect(Inspector& f, shared_value_map_field<Value>& x) {
  std::vector<std::pair<std::string, Value>> items;
  if constexpr (Inspector::reads_state) {
    for (auto& [id, v] : x.value)
      if (v)
        items.emplace_back(id, *v);
    return f(items);
  } else {
    return f(items, caf::meta::load_callback([&]() -> caf::error {
               x.value.clear();
               for (auto& [id, v] : items)
                 x.value[id] = std::make_shared<const Value>(std::move(v));
               return caf::none;
             }));
  }
}

/// A text shared between answers (a cached presentation); "" for none.
struct shared_text_field {
  std::shared_ptr<const std::string>& value;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, shared_text_field& x) {
  if constexpr (Inspector::reads_state) {
    bool present = x.value != nullptr;
    auto text = present ? *x.value : std::string{};
    return f(present, text);
  } else {
    bool present = false;
    std::string text;
    return f(present, text, caf::meta::load_callback([&]() -> caf::error {
               x.value = present ? std::make_shared<const std::string>(std::move(text)) : nullptr;
               return caf::none;
             }));
  }
}

/// A refusal, if there is one.
struct optional_refusal_field {
  std::optional<refusal>& value;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, optional_refusal_field& x) {
  if constexpr (Inspector::reads_state) {
    bool present = x.value.has_value();
    auto r = x.value.value_or(refusal{0, ""});
    return f(present, r.status, r.message);
  } else {
    bool present = false;
    refusal r;
    return f(present, r.status, r.message, caf::meta::load_callback([&]() -> caf::error {
               x.value = present ? std::optional<refusal>{std::move(r)} : std::nullopt;
               return caf::none;
             }));
  }
}

// -- the message types -------------------------------------------------------

namespace access {

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, caller& x) {
  return f(caf::meta::type_name("steward::access::caller"), x.user_id, x.staff, x.projects,
           x.customers);
}

} // namespace access

namespace bus {

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, notification& x) {
  return f(caf::meta::type_name("steward::bus::notification"), x.message_id, x.publisher_id,
           x.event_type, x.priority, x.timestamp, json_field{x.payload});
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, outbound& x) {
  return f(caf::meta::type_name("steward::bus::outbound"), x.outbox_id, x.exchange,
           x.routing_key, x.message_id, x.body);
}

} // namespace bus

namespace store {

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, entity_record& x) {
  return f(caf::meta::type_name("steward::store::entity_record"), x.kind, x.id, x.project,
           x.document, x.version);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, event_record& x) {
  return f(caf::meta::type_name("steward::store::event_record"), x.id, x.type, x.project, x.time,
           x.data, x.stream);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, write_batch& x) {
  return f(caf::meta::type_name("steward::store::write_batch"), x.upserts, x.deletes, x.events,
           x.outbox, x.processed, x.confirmed, x.deliveries_counted, x.deliveries_forgotten);
}

} // namespace store

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, refusal& x) {
  return f(caf::meta::type_name("steward::refusal"), x.status, x.message);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, request_context& x) {
  return f(caf::meta::type_name("steward::request_context"), x.who, x.base_url);
}

inline std::string to_string(constraint_scope x) {
  return x == constraint_scope::group ? "group" : "instance";
}

/// A request body as its route read it: the fields, and the refusal if any.
template <class Inspector, class Fields>
typename Inspector::result_type inspect(Inspector& f, parsed<Fields>& x) {
  return f(x.value, optional_field<api_reply>{x.refused});
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f,
                                        parsed<inventory::capability_changes>& x) {
  return f(optional_map_field<inventory::capability>{x.value},
           optional_field<api_reply>{x.refused});
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, parsed<nlohmann::json>& x) {
  return f(json_field{x.value}, optional_field<api_reply>{x.refused});
}

// The requests of the API families: the context, then their fields.
#define STEWARD_INSPECT_REQUEST(T, ...)                                        \
  template <class Inspector>                                                   \
  typename Inspector::result_type inspect(Inspector& f, T& x) {                \
    return f(caf::meta::type_name("steward::" #T), x.ctx, ##__VA_ARGS__);      \
  }

STEWARD_INSPECT_REQUEST(lease_list)
STEWARD_INSPECT_REQUEST(lease_show, x.id)
STEWARD_INSPECT_REQUEST(lease_create, x.body)
STEWARD_INSPECT_REQUEST(lease_update, x.id, x.body)
STEWARD_INSPECT_REQUEST(lease_delete, x.id)
STEWARD_INSPECT_REQUEST(reservable_host_list)
STEWARD_INSPECT_REQUEST(reservable_host_enroll, x.body)
STEWARD_INSPECT_REQUEST(reservable_host_show, x.id)
STEWARD_INSPECT_REQUEST(reservable_host_update, x.id, x.body)
STEWARD_INSPECT_REQUEST(reservable_host_withdraw, x.id)
STEWARD_INSPECT_REQUEST(host_allocation_list, x.lease_id, x.reservation_id)
STEWARD_INSPECT_REQUEST(host_allocation_show, x.id)
STEWARD_INSPECT_REQUEST(host_property_list, x.detail)
STEWARD_INSPECT_REQUEST(host_property_update, x.name)
STEWARD_INSPECT_REQUEST(instance_list, x.query)
STEWARD_INSPECT_REQUEST(instance_show, x.id)
STEWARD_INSPECT_REQUEST(instance_create, x.body)
STEWARD_INSPECT_REQUEST(instance_delete, x.id)
STEWARD_INSPECT_REQUEST(instance_start, x.id)
STEWARD_INSPECT_REQUEST(instance_stop, x.id)
STEWARD_INSPECT_REQUEST(instance_restart, x.id)
STEWARD_INSPECT_REQUEST(instance_resize, x.id, x.body)
STEWARD_INSPECT_REQUEST(instance_usage, x.id, x.query)
STEWARD_INSPECT_REQUEST(catalog_list, x.collection)
STEWARD_INSPECT_REQUEST(catalog_show, x.collection, x.id)
STEWARD_INSPECT_REQUEST(maintenance_list)
STEWARD_INSPECT_REQUEST(maintenance_create, x.body)
STEWARD_INSPECT_REQUEST(maintenance_show, x.id)
STEWARD_INSPECT_REQUEST(maintenance_detail, x.id)
STEWARD_INSPECT_REQUEST(maintenance_update, x.id)
STEWARD_INSPECT_REQUEST(maintenance_delete, x.id)
STEWARD_INSPECT_REQUEST(project_maintenance_show, x.id, x.project_id)
STEWARD_INSPECT_REQUEST(project_maintenance_reply, x.id, x.project_id, x.body)
STEWARD_INSPECT_REQUEST(constraint_show, x.scope, x.id)
STEWARD_INSPECT_REQUEST(instance_constraint_put, x.id, x.body)
STEWARD_INSPECT_REQUEST(group_constraint_put, x.id, x.body)
STEWARD_INSPECT_REQUEST(constraint_delete, x.scope, x.id)
STEWARD_INSPECT_REQUEST(host_list, x.query)
STEWARD_INSPECT_REQUEST(host_create, x.body)
STEWARD_INSPECT_REQUEST(host_show, x.id)
STEWARD_INSPECT_REQUEST(host_update, x.id, x.body)
STEWARD_INSPECT_REQUEST(host_delete, x.id)
STEWARD_INSPECT_REQUEST(environment_list, x.all_tenants, x.tenant)
STEWARD_INSPECT_REQUEST(environment_create, x.body)
STEWARD_INSPECT_REQUEST(environment_show, x.id, x.session_id)
STEWARD_INSPECT_REQUEST(environment_rename, x.id, x.body)
STEWARD_INSPECT_REQUEST(environment_delete, x.id, x.abandon)
STEWARD_INSPECT_REQUEST(environment_configure, x.id)
STEWARD_INSPECT_REQUEST(configuration_show, x.id, x.session_id)
STEWARD_INSPECT_REQUEST(configuration_delete, x.id, x.session_id)
STEWARD_INSPECT_REQUEST(session_deploy, x.id, x.session_id)
STEWARD_INSPECT_REQUEST(deployment_list, x.id)
STEWARD_INSPECT_REQUEST(deployment_show, x.id, x.deployment_id, x.service_id)
STEWARD_INSPECT_REQUEST(action_call, x.id, x.action_id, x.args)
STEWARD_INSPECT_REQUEST(action_result, x.id, x.task_id)
STEWARD_INSPECT_REQUEST(static_action_call, x.body)
STEWARD_INSPECT_REQUEST(instance_statistics, x.id, x.instance_id, x.aggregated)
STEWARD_INSPECT_REQUEST(service_show, x.id, x.session_id, x.path)
STEWARD_INSPECT_REQUEST(service_add, x.id, x.session_id, x.path, json_field{x.value})
STEWARD_INSPECT_REQUEST(service_replace, x.id, x.session_id, x.path, json_field{x.value})
STEWARD_INSPECT_REQUEST(service_remove, x.id, x.session_id, x.path)
STEWARD_INSPECT_REQUEST(model_show, x.id, x.session_id, x.path)
STEWARD_INSPECT_REQUEST(model_patch, x.id, x.session_id, x.body)

STEWARD_INSPECT_REQUEST(template_list, optional_field<bool>{x.is_public})
STEWARD_INSPECT_REQUEST(template_create, x.body)
STEWARD_INSPECT_REQUEST(template_show, x.id)
STEWARD_INSPECT_REQUEST(template_update, x.id, x.body)
STEWARD_INSPECT_REQUEST(template_delete, x.id)
STEWARD_INSPECT_REQUEST(template_service_show, x.id, x.path)
STEWARD_INSPECT_REQUEST(template_service_add, x.id, x.path, json_field{x.value})
STEWARD_INSPECT_REQUEST(template_service_replace, x.id, x.path, json_field{x.value})
STEWARD_INSPECT_REQUEST(template_service_remove, x.id, x.path)
STEWARD_INSPECT_REQUEST(template_create_environment, x.id, x.body)
STEWARD_INSPECT_REQUEST(template_clone, x.id, x.body)
STEWARD_INSPECT_REQUEST(resources_show)
STEWARD_INSPECT_REQUEST(tenant_migrate, x.tenant)
STEWARD_INSPECT_REQUEST(tenant_plan, x.tenant)
STEWARD_INSPECT_REQUEST(host_reassign, x.host)
STEWARD_INSPECT_REQUEST(host_evacuate, x.host)
STEWARD_INSPECT_REQUEST(clouds_reset)
STEWARD_INSPECT_REQUEST(migration_cancel, x.tenant)
STEWARD_INSPECT_REQUEST(migration_events, x.id)
STEWARD_INSPECT_REQUEST(environment_from_template, x.fields, json_field{x.services})

#undef STEWARD_INSPECT_REQUEST

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, api_reply& x) {
  return f(caf::meta::type_name("steward::api_reply"), x.status, json_field{x.body},
           shared_text_field{x.text}, x.error, x.headers);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, domain_event& x) {
  return f(caf::meta::type_name("steward::domain_event"), x.type, x.project, x.publisher,
           json_field{x.payload});
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, committed_events& x) {
  return f(caf::meta::type_name("steward::committed_events"), x.events);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, commit_ack& x) {
  return f(caf::meta::type_name("steward::commit_ack"), x.ok, x.error);
}

namespace lease {

inline std::string to_string(event_type x) { return name_of(x); }
inline std::string to_string(event_status x) { return name_of(x); }
inline std::string to_string(reservation_status x) { return name_of(x); }
inline std::string to_string(lease_status x) { return name_of(x); }

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, lease_event& x) {
  return f(caf::meta::type_name("steward::lease::lease_event"), x.id, x.type,
           time_field{x.time}, x.status, time_field{x.created_at},
           optional_time_field{x.updated_at});
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, reserved_host& x) {
  return f(caf::meta::type_name("steward::lease::reserved_host"), x.id, x.hypervisor_hostname);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, reservation& x) {
  return f(caf::meta::type_name("steward::lease::reservation"), x.id, x.min, x.max,
           x.hypervisor_properties, x.resource_properties, x.before_end, x.status, x.hosts,
           time_field{x.created_at}, optional_time_field{x.updated_at});
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, lease& x) {
  return f(caf::meta::type_name("steward::lease::lease"), x.id, x.name, x.project_id, x.user_id,
           time_field{x.start}, time_field{x.end}, optional_time_field{x.before_end}, x.status,
           x.reservations, x.events, time_field{x.created_at},
           optional_time_field{x.updated_at});
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, lease_date& x) {
  return f(caf::meta::type_name("steward::lease::lease_date"), x.now, time_field{x.at});
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, reservation_request& x) {
  return f(caf::meta::type_name("steward::lease::reservation_request"), x.min, x.max,
           x.hypervisor_properties, x.resource_properties, x.before_end);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, lease_fields& x) {
  return f(caf::meta::type_name("steward::lease::lease_fields"),
           optional_field<std::string>{x.name}, optional_field<std::string>{x.project_id},
           optional_field<lease_date>{x.start}, optional_field<lease_date>{x.end},
           optional_field<lease_date>{x.before_end}, x.reservations, x.names_dates);
}

} // namespace lease

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, lease_snapshot& x) {
  return f(caf::meta::type_name("steward::lease_snapshot"), x.id, x.project,
           shared_value_field<lease::lease>{x.doc}, x.version);
}

namespace instance {

inline std::string to_string(state x) { return std::string(1, static_cast<char>(x)); }

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, security_group_copy& x) {
  return f(caf::meta::type_name("steward::instance::security_group_copy"), x.uuid, x.name,
           x.description, x.rules);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, flavor_spec& x) {
  return f(caf::meta::type_name("steward::instance::flavor_spec"), x.flavorid, x.name, x.vcpus,
           x.memory_mb, x.root_gb);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, pending_resize& x) {
  return f(caf::meta::type_name("steward::instance::pending_resize"),
           optional_field<flavor_spec>{x.flavor}, optional_field<int64_t>{x.data_volume_size});
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, instance& x) {
  return f(caf::meta::type_name("steward::instance::instance"), x.uuid, x.hostname,
           x.description, time_field{x.created}, optional_time_field{x.start_time}, x.project,
           x.image_template, x.cloud, x.cloud_name, x.flavor, x.flavor_name, x.cores, x.ram,
           x.system_volume_size, x.data_volume_size, x.key, x.key_name, x.key_fingerprint,
           x.security_groups, x.internal_ips, x.external_ips, x.current,
           optional_field<std::string>{x.host}, optional_field<std::string>{x.request_id},
           x.restart_pending, optional_field<pending_resize>{x.resize});
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, instance_fields& x) {
  return f(caf::meta::type_name("steward::instance::instance_fields"), x.hostname,
           x.description, optional_field<std::string>{x.project},
           optional_field<std::string>{x.image_template}, optional_field<std::string>{x.flavor},
           optional_field<std::string>{x.ssh_public_key}, x.security_groups, x.internal_ips,
           x.external_ips, x.data_volume_size, x.errors);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, resize_fields& x) {
  return f(caf::meta::type_name("steward::instance::resize_fields"),
           optional_field<std::string>{x.flavor}, optional_field<int64_t>{x.disk_size});
}

} // namespace instance

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, instance_snapshot& x) {
  return f(caf::meta::type_name("steward::instance_snapshot"), x.id, x.project,
           shared_value_field<instance::instance>{x.doc}, x.version);
}

namespace inventory {

inline std::string to_string(capability::type x) { return std::string(1, static_cast<char>(x)); }

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, capability& x) {
  return f(caf::meta::type_name("steward::inventory::capability"), x.kind, x.value);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, enrollment& x) {
  return f(caf::meta::type_name("steward::inventory::enrollment"), x.number,
           time_field{x.created_at}, optional_time_field{x.updated_at});
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, host& x) {
  return f(caf::meta::type_name("steward::inventory::host"), x.id, x.hypervisor_hostname,
           x.service_name, x.cloud, x.hypervisor_type, x.hypervisor_version, x.vcpus,
           x.memory_mb, x.local_gb, x.cpu_info, x.enabled, x.up, x.disabled_reason,
           optional_time_field{x.disabled_until}, x.extra, time_field{x.created_at},
           optional_time_field{x.updated_at}, optional_field<enrollment>{x.enrolled},
           x.maintenance_session);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, host_fields& x) {
  return f(caf::meta::type_name("steward::inventory::host_fields"), x.hypervisor_hostname,
           optional_field<int64_t>{x.vcpus}, optional_field<int64_t>{x.memory_mb},
           optional_field<int64_t>{x.local_gb}, optional_field<int64_t>{x.hypervisor_version},
           optional_field<std::string>{x.hypervisor_type}, optional_field<std::string>{x.cloud},
           optional_field<std::string>{x.disabled_reason},
           optional_field<std::string>{x.cpu_info}, optional_field<bool>{x.enabled},
           optional_time_field{x.disabled_until}, x.clears_disabled_until,
           optional_map_field<capability>{x.extra});
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, enrollment_fields& x) {
  return f(caf::meta::type_name("steward::inventory::enrollment_fields"), x.name,
           optional_map_field<capability>{x.extra});
}

} // namespace inventory

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, host_snapshot& x) {
  return f(caf::meta::type_name("steward::host_snapshot"), x.id, x.project,
           shared_value_field<inventory::host>{x.doc}, x.version);
}

namespace maintenance {

inline std::string to_string(phase x) { return std::string(1, static_cast<char>(x)); }
inline std::string to_string(instance_action x) {
  return std::string(1, static_cast<char>(x));
}
inline std::string to_string(move::status x) { return std::string(1, static_cast<char>(x)); }

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, reply& x) {
  return f(caf::meta::type_name("steward::maintenance::reply"), x.refused, x.instance_actions,
           time_field{x.at});
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, round& x) {
  return f(caf::meta::type_name("steward::maintenance::round"), x.state, x.allowed_actions,
           time_field{x.reply_at}, time_field{x.actions_at}, optional_map_field<reply>{x.replies},
           x.instances);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, move& x) {
  return f(caf::meta::type_name("steward::maintenance::move"), x.project, x.action, x.progress,
           optional_field<std::string>{x.target}, optional_time_field{x.deadline},
           optional_field<bool>{x.was_erred});
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, instance_constraint& x) {
  return f(caf::meta::type_name("steward::maintenance::instance_constraint"), x.instance_id,
           x.project_id, optional_field<std::string>{x.group_id},
           optional_field<std::string>{x.instance_name},
           optional_field<int64_t>{x.max_interruption_time},
           optional_field<instance_action>{x.migration_type},
           optional_field<bool>{x.resource_mitigation}, optional_field<int64_t>{x.lead_time});
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, group_constraint& x) {
  return f(caf::meta::type_name("steward::maintenance::group_constraint"), x.group_id,
           x.project_id, optional_field<std::string>{x.group_name},
           optional_field<bool>{x.anti_affinity_group},
           optional_field<int64_t>{x.max_instances_per_host},
           optional_field<int64_t>{x.max_impacted_members},
           optional_field<int64_t>{x.recovery_time}, optional_field<bool>{x.resource_mitigation});
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, session_fields& x) {
  return f(caf::meta::type_name("steward::maintenance::session_fields"),
           time_field{x.maintenance_at}, x.maintenance_at_text, json_field{x.metadata},
           json_field{x.actions}, x.hosts, optional_field<int>{x.reply_seconds},
           optional_field<int>{x.own_action_seconds}, optional_field<int>{x.host_seconds},
           optional_field<int>{x.move_seconds});
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, action_given& x) {
  return f(caf::meta::type_name("steward::maintenance::action_given"), x.given,
           optional_field<instance_action>{x.action});
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, reply_fields& x) {
  return f(caf::meta::type_name("steward::maintenance::reply_fields"), x.state,
           x.instance_actions);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, session& x) {
  return f(caf::meta::type_name("steward::maintenance::session"), x.session_id, x.state,
           x.workflow, time_field{x.maintenance_at}, json_field{x.metadata},
           json_field{x.actions}, x.hosts, x.maintained, optional_field<std::string>{x.host},
           optional_field<std::vector<std::string>>{x.projects}, optional_field<round>{x.asking},
           x.moves, optional_time_field{x.host_done_at}, optional_field<phase>{x.failed_state},
           optional_field<std::string>{x.failure_reason}, x.reply_seconds,
           x.own_action_seconds, x.host_seconds, x.move_seconds, x.base_url,
           time_field{x.created_at}, optional_time_field{x.updated_at});
}

} // namespace maintenance

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, session_snapshot& x) {
  return f(caf::meta::type_name("steward::session_snapshot"), x.id, x.project,
           shared_value_field<maintenance::session>{x.doc}, x.version);
}

namespace environment {

inline std::string to_string(session_state x) { return std::string(1, static_cast<char>(x)); }
inline std::string to_string(report_level x) { return std::string(1, static_cast<char>(x)); }
inline std::string to_string(patch_op x) { return std::string(1, static_cast<char>(x)); }

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, config_session& x) {
  return f(caf::meta::type_name("steward::environment::config_session"), x.id, x.user_id,
           x.version, x.state, time_field{x.created}, time_field{x.updated},
           json_field{x.model});
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, report& x) {
  return f(caf::meta::type_name("steward::environment::report"), x.id, x.text, x.level,
           optional_field<std::string>{x.entity_id}, optional_field<std::string>{x.details},
           time_field{x.timestamp});
}

inline std::string to_string(instance_step x) { return std::string(1, static_cast<char>(x)); }
inline std::string to_string(step_outcome x) { return std::string(1, static_cast<char>(x)); }
inline std::string to_string(deployment_action x) {
  return std::string(1, static_cast<char>(x));
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, instance_task& x) {
  return f(caf::meta::type_name("steward::environment::instance_task"), x.object_id,
           x.instance_id, x.name, x.flavor, x.image, x.keyname, x.step, x.outcome);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, deployment& x) {
  return f(caf::meta::type_name("steward::environment::deployment"), x.id, x.session_id,
           x.action, json_field{x.description}, time_field{x.started}, time_field{x.deadline},
           optional_time_field{x.finished}, x.tasks, x.reports, x.method, x.target,
           json_field{x.args}, json_field{x.result});
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, deployed_instance& x) {
  return f(caf::meta::type_name("steward::environment::deployed_instance"), x.object_id,
           x.instance_id, x.name, x.flavor);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, environment& x) {
  return f(caf::meta::type_name("steward::environment::environment"), x.id, x.name,
           x.tenant_id, time_field{x.created}, time_field{x.updated}, x.version,
           json_field{x.model}, x.sessions, x.deployments, x.instances);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, environment_fields& x) {
  return f(caf::meta::type_name("steward::environment::environment_fields"), x.name,
           json_field{x.model});
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, environment_template& x) {
  return f(caf::meta::type_name("steward::environment::environment_template"), x.id, x.name,
           x.tenant_id, x.is_public, x.description_text, json_field{x.networking},
           time_field{x.created}, time_field{x.updated}, x.version, json_field{x.services});
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, template_fields& x) {
  return f(caf::meta::type_name("steward::environment::template_fields"), x.name,
           optional_field<bool>{x.is_public}, optional_field<std::string>{x.description_text},
           optional_json_field{x.networking}, optional_json_field{x.services});
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, static_call& x) {
  return f(caf::meta::type_name("steward::environment::static_call"), x.class_name,
           x.method_name, x.package_name, x.class_version, json_field{x.parameters});
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, model_change& x) {
  return f(caf::meta::type_name("steward::environment::model_change"), x.op, x.path,
           json_field{x.value});
}

} // namespace environment

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, environment_snapshot& x) {
  return f(caf::meta::type_name("steward::environment_snapshot"), x.id, x.project,
           shared_value_field<environment::environment>{x.doc}, x.version);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, template_snapshot& x) {
  return f(caf::meta::type_name("steward::template_snapshot"), x.id, x.project,
           shared_value_field<environment::environment_template>{x.doc}, x.version);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, world_view& x) {
  return f(caf::meta::type_name("steward::world_view"),
           shared_value_map_field<inventory::host>{x.hosts},
           shared_value_map_field<instance::instance>{x.instances},
           shared_value_map_field<maintenance::instance_constraint>{x.instance_constraints},
           shared_value_map_field<maintenance::group_constraint>{x.group_constraints});
}

inline std::string to_string(world_part x) { return std::string(1, static_cast<char>(x)); }

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, world_change& x) {
  return f(caf::meta::type_name("steward::world_change"), x.part, x.id,
           shared_value_field<inventory::host>{x.host},
           shared_value_field<instance::instance>{x.instance},
           shared_value_field<maintenance::instance_constraint>{x.instance_rule},
           shared_value_field<maintenance::group_constraint>{x.group_rule});
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, host_enrollment& x) {
  return f(caf::meta::type_name("steward::host_enrollment"), x.host_id,
           optional_field<inventory::enrollment>{x.enrolled},
           optional_map_field<inventory::capability>{x.extra});
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, host_maintenance_mark& x) {
  return f(caf::meta::type_name("steward::host_maintenance_mark"), x.host_id, x.session_id,
           x.in_maintenance);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, host_change_outcome& x) {
  return f(caf::meta::type_name("steward::host_change_outcome"),
           optional_refusal_field{x.refused}, shared_value_field<inventory::host>{x.host});
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, lease_start_request& x) {
  return f(caf::meta::type_name("steward::lease_start_request"), x.lease_id);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, lease_reallocation& x) {
  return f(caf::meta::type_name("steward::lease_reallocation"), x.lease_id, x.lease);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, lease_allocation& x) {
  return f(caf::meta::type_name("steward::lease_allocation"), optional_refusal_field{x.refused},
           x.lease);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, instances_on_hosts& x) {
  return f(caf::meta::type_name("steward::instances_on_hosts"), x.hostnames);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, hosted_instance& x) {
  return f(caf::meta::type_name("steward::hosted_instance"), x.uuid, x.cloud, x.host, x.hostname);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, hosted_instances& x) {
  return f(caf::meta::type_name("steward::hosted_instances"), x.instances);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, deployment_instance& x) {
  return f(caf::meta::type_name("steward::deployment_instance"), x.uuid, x.project, x.hostname,
           x.flavor, x.image, x.keyname, x.description, x.host);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, deployment_instance_resize& x) {
  return f(caf::meta::type_name("steward::deployment_instance_resize"), x.uuid, x.flavor);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, deployment_instance_delete& x) {
  return f(caf::meta::type_name("steward::deployment_instance_delete"), x.uuid);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, uptime_query& x) {
  return f(caf::meta::type_name("steward::uptime_query"), x.uuids);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, instance_uptime& x) {
  return f(caf::meta::type_name("steward::instance_uptime"), x.uuid, x.active, x.seconds);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, instance_uptimes& x) {
  return f(caf::meta::type_name("steward::instance_uptimes"), x.instances);
}

inline std::string to_string(power_action x) { return std::string(1, static_cast<char>(x)); }

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, deployment_instance_power& x) {
  return f(caf::meta::type_name("steward::deployment_instance_power"), x.uuid, x.action);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, instance_progress& x) {
  return f(caf::meta::type_name("steward::instance_progress"), x.uuid, x.refused, x.gone,
           x.current, x.resizing, x.flavor, x.flavor_name, x.version);
}

namespace migration {

inline std::string to_string(operation_kind x) { return std::string(1, static_cast<char>(x)); }
inline std::string to_string(operation_status x) { return std::string(1, static_cast<char>(x)); }
inline std::string to_string(prerequisite_kind x) { return std::string(1, static_cast<char>(x)); }
inline std::string to_string(server_step x) { return std::string(1, static_cast<char>(x)); }

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, prerequisite& x) {
  return f(caf::meta::type_name("steward::migration::prerequisite"), x.kind, x.source_id, x.name,
           x.destination_id, x.requested, x.ready);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, server_move& x) {
  return f(caf::meta::type_name("steward::migration::server_move"), x.source_id, x.name,
           x.flavor, x.image, x.key_name, x.was_running, x.destination_id, x.target_host, x.step,
           x.error);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, operation& x) {
  return f(caf::meta::type_name("steward::migration::operation"), x.id, x.kind, x.tenant,
           x.tenant_name, x.host, x.status, x.cancel_requested, time_field{x.created}, time_field{x.updated},
           x.prerequisites, x.servers);
}

} // namespace migration

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, migration_snapshot& x) {
  return f(caf::meta::type_name("steward::migration_snapshot"), x.id, x.project,
           shared_value_field<migration::operation>{x.doc}, x.version);
}

} // namespace steward
