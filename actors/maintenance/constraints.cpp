#include "actors/maintenance/constraints.hpp"

#include <map>
#include <type_traits>

#include "common/json_fields.hpp"

namespace steward::maintenance {

using nlohmann::json;

namespace {

// A field that is null, left out (its default) or set.
template <class T>
std::optional<T> nullable(const json& doc, const char* key, std::optional<T> fallback) {
  auto v = doc.find(key);
  if (v == doc.end())
    return fallback;
  if (v->is_null())
    return std::nullopt;
  if constexpr (std::is_same_v<T, bool>) {
    if (v->is_boolean())
      return v->get<bool>();
  } else if constexpr (std::is_same_v<T, int64_t>) {
    if (v->is_number_integer())
      return v->get<int64_t>();
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (v->is_string())
      return v->get<std::string>();
  } else {
    if (v->is_string())
      return action_named(v->get<std::string>());
  }
  return fallback;
}

// The document of a constraint has a text id and project.
bool has_owner(const json& doc, const char* id_field) {
  return doc.is_object() && doc.contains(id_field) && doc[id_field].is_string()
         && doc.contains("project_id") && doc["project_id"].is_string();
}

} // namespace

std::optional<instance_constraint> instance_constraint_of(const json& doc) {
  if (!has_owner(doc, "instance_id"))
    return std::nullopt;
  instance_constraint c;
  c.instance_id = doc["instance_id"].get<std::string>();
  c.project_id = doc["project_id"].get<std::string>();
  c.group_id = nullable<std::string>(doc, "group_id", std::nullopt);
  c.instance_name = nullable<std::string>(doc, "instance_name", std::nullopt);
  c.max_interruption_time = nullable<int64_t>(doc, "max_interruption_time", 0);
  c.migration_type = nullable<instance_action>(doc, "migration_type", instance_action::migrate);
  c.resource_mitigation = nullable<bool>(doc, "resource_mitigation", false);
  c.lead_time = nullable<int64_t>(doc, "lead_time", 0);
  return c;
}

std::optional<group_constraint> group_constraint_of(const json& doc) {
  if (!has_owner(doc, "group_id"))
    return std::nullopt;
  group_constraint c;
  c.group_id = doc["group_id"].get<std::string>();
  c.project_id = doc["project_id"].get<std::string>();
  c.group_name = nullable<std::string>(doc, "group_name", std::nullopt);
  c.anti_affinity_group = nullable<bool>(doc, "anti_affinity_group", false);
  c.max_instances_per_host = nullable<int64_t>(doc, "max_instances_per_host", 0);
  c.max_impacted_members = nullable<int64_t>(doc, "max_impacted_members", 0);
  c.recovery_time = nullable<int64_t>(doc, "recovery_time", 0);
  c.resource_mitigation = nullable<bool>(doc, "resource_mitigation", false);
  return c;
}

std::optional<refusal> make_instance_constraint(const instance_constraint& given,
                                                const world_view& world,
                                                const access::caller& who,
                                                instance_constraint& made) {
  auto& id = given.instance_id;
  if (!access::can_see_project(who, given.project_id))
    return refusal{403, "The token has no role in project " + given.project_id};
  auto instance = world.instances.find(id);
  if (instance == world.instances.end())
    return refusal{404, "Instance " + id + " is not in the inventory"};
  if (instance->second->project != given.project_id)
    return refusal{400, "Instance " + id + " does not belong to project " + given.project_id};
  made = given;
  if (!made.instance_name)
    made.instance_name = instance->second->hostname;
  return std::nullopt;
}

std::optional<refusal> make_group_constraint(const group_constraint& given,
                                             const access::caller& who, group_constraint& made) {
  if (!access::can_see_project(who, given.project_id))
    return refusal{403, "The token has no role in project " + given.project_id};
  made = given;
  return std::nullopt;
}

json constraint_document(const instance_constraint& c) {
  return {{"instance_id", c.instance_id},
          {"project_id", c.project_id},
          {"group_id", or_null(c.group_id)},
          {"instance_name", or_null(c.instance_name)},
          {"max_interruption_time", or_null(c.max_interruption_time)},
          {"migration_type",
           or_null(c.migration_type, [](instance_action a) { return name_of(a); })},
          {"resource_mitigation", or_null(c.resource_mitigation)},
          {"lead_time", or_null(c.lead_time)}};
}

json constraint_document(const group_constraint& c) {
  return {{"group_id", c.group_id},
          {"project_id", c.project_id},
          {"group_name", or_null(c.group_name)},
          {"anti_affinity_group", or_null(c.anti_affinity_group)},
          {"max_instances_per_host", or_null(c.max_instances_per_host)},
          {"max_impacted_members", or_null(c.max_impacted_members)},
          {"recovery_time", or_null(c.recovery_time)},
          {"resource_mitigation", or_null(c.resource_mitigation)}};
}

std::optional<instance_constraint> read_instance_constraint(const json& row) {
  return read_versioned_row(row, constraint_schema, instance_constraint_of);
}

std::optional<group_constraint> read_group_constraint(const json& row) {
  return read_versioned_row(row, constraint_schema, group_constraint_of);
}

} // namespace steward::maintenance
