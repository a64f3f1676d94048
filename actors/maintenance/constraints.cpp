#include "actors/maintenance/constraints.hpp"

#include <map>

#include "common/json_fields.hpp"

namespace steward::maintenance {

using nlohmann::json;

namespace {

enum class field_type { text, seconds, flag, migration };

std::optional<refusal> bad(const std::string& message) {
  return refusal{400, message};
}

// Copies the known fields of `body` into `out`, checking each.
std::optional<refusal> read_fields(const json& body, const std::map<std::string, field_type>& fields,
                                   json& out) {
  if (!body.is_object())
    return bad("The request body must be a JSON object");
  for (auto& [key, value] : body.items()) {
    auto f = fields.find(key);
    if (f == fields.end())
      return bad("Unknown field " + key);
    if (value.is_null()) {
      out[key] = nullptr;
      continue;
    }
    switch (f->second) {
      case field_type::text:
        if (!value.is_string())
          return bad(key + " must be a string");
        break;
      case field_type::seconds:
        if (!value.is_number_integer() || value.get<long long>() < 0)
          return bad(key + " must be a non-negative whole number");
        break;
      case field_type::flag:
        if (!value.is_boolean())
          return bad(key + " must be true or false");
        break;
      case field_type::migration:
        if (value != "MIGRATE" && value != "LIVE_MIGRATE" && value != "OWN_ACTION")
          return bad("migration_type must be MIGRATE, LIVE_MIGRATE or OWN_ACTION");
        break;
    }
    out[key] = value;
  }
  return std::nullopt;
}

std::optional<refusal> check_owner(const json& out, const char* id_field, const std::string& id,
                                   const access::caller& who) {
  if (text_field(out, id_field, id) != id)
    return bad(std::string{id_field} + " " + text_field(out, id_field) + " differs from the URL's "
               + id);
  auto project = text_field(out, "project_id");
  if (project.empty())
    return bad("Missing parameter project_id");
  if (!access::can_see_project(who, project))
    return refusal{403, "The token has no role in project " + project};
  return std::nullopt;
}

} // namespace

std::optional<refusal> make_instance_constraint(const json& body, const std::string& id,
                                                const world_view& world,
                                                const access::caller& who, json& out) {
  static const std::map<std::string, field_type> fields = {
    {"instance_id", field_type::text},          {"project_id", field_type::text},
    {"group_id", field_type::text},             {"instance_name", field_type::text},
    {"max_interruption_time", field_type::seconds}, {"migration_type", field_type::migration},
    {"resource_mitigation", field_type::flag},  {"lead_time", field_type::seconds}};
  out = {{"instance_id", id},           {"project_id", nullptr},
         {"group_id", nullptr},         {"instance_name", nullptr},
         {"max_interruption_time", 0},  {"migration_type", "MIGRATE"},
         {"resource_mitigation", false}, {"lead_time", 0}};
  if (auto r = read_fields(body, fields, out))
    return r;
  if (auto r = check_owner(out, "instance_id", id, who))
    return r;
  auto instance = world.instances.find(id);
  if (instance == world.instances.end())
    return refusal{404, "Instance " + id + " is not in the inventory"};
  if (instance->second->project != text_field(out, "project_id"))
    return bad("Instance " + id + " does not belong to project " + text_field(out, "project_id"));
  if (out["instance_name"].is_null())
    out["instance_name"] = instance->second->hostname;
  return std::nullopt;
}

std::optional<refusal> make_group_constraint(const json& body, const std::string& id,
                                             const access::caller& who, json& out) {
  static const std::map<std::string, field_type> fields = {
    {"group_id", field_type::text},              {"project_id", field_type::text},
    {"group_name", field_type::text},            {"anti_affinity_group", field_type::flag},
    {"max_instances_per_host", field_type::seconds}, {"max_impacted_members", field_type::seconds},
    {"recovery_time", field_type::seconds},      {"resource_mitigation", field_type::flag}};
  out = {{"group_id", id},           {"project_id", nullptr},
         {"group_name", nullptr},    {"anti_affinity_group", false},
         {"max_instances_per_host", 0}, {"max_impacted_members", 0},
         {"recovery_time", 0},       {"resource_mitigation", false}};
  if (auto r = read_fields(body, fields, out))
    return r;
  return check_owner(out, "group_id", id, who);
}

} // namespace steward::maintenance
