#include "actors/environment/template_rules.hpp"

#include <set>

#include "actors/environment/environment_rules.hpp"
#include "common/ids.hpp"

namespace steward::environment {

using nlohmann::json;

std::string check_template_name(const std::string& name, bool creating) {
  switch (fault_of(name)) {
    case name_fault::blank:
      return creating ? "Please, specify a name of the environment template."
                      : "Environment Template must contain at least one non-white space symbol";
    case name_fault::too_long:
      return "Environment template name should be 255 characters maximum";
    case name_fault::none:
      break;
  }
  return "";
}

std::optional<refusal> check_applications(const json& services) {
  if (!services.is_array())
    return refusal{400, "The applications of a template are a list"};
  std::set<std::string> ids;
  for (auto& app : services) {
    auto header = app.is_object() ? app.find("?") : json::const_iterator{};
    if (!app.is_object() || header == app.end() || !header->is_object())
      return refusal{400, "Each application of a template is an object with \"?\": {\"id\", "
                          "\"type\"}"};
    auto id = header->find("id");
    auto type = header->find("type");
    if (id == header->end() || !id->is_string() || id->get<std::string>().empty()
        || type == header->end() || !type->is_string() || type->get<std::string>().empty())
      return refusal{400, "An application of a template names its id and type in \"?\" as text"};
    if (!ids.insert(id->get<std::string>()).second)
      return refusal{409, "The template has two applications with id " + id->get<std::string>()};
  }
  return std::nullopt;
}

namespace {

void take(environment_template& t, const template_fields& given) {
  if (given.is_public)
    t.is_public = *given.is_public;
  if (given.description_text)
    t.description_text = *given.description_text;
  if (given.networking)
    t.networking = *given.networking;
  if (given.services)
    t.services = *given.services;
}

environment_template fresh(const std::string& name, const std::string& tenant, sys_time now) {
  environment_template t;
  t.id = random_hex(16);
  t.name = name;
  t.tenant_id = tenant;
  t.created = whole_seconds(now);
  t.updated = t.created;
  return t;
}

} // namespace

environment_template make_template(const template_fields& given, const std::string& tenant,
                                   sys_time now) {
  auto t = fresh(given.name, tenant, now);
  take(t, given);
  return t;
}

environment_template clone_template(const environment_template& source,
                                    const template_fields& given, const std::string& tenant,
                                    sys_time now) {
  auto t = fresh(given.name, tenant, now);
  t.description_text = source.description_text;
  t.networking = source.networking;
  t.services = source.services;
  t.is_public = given.is_public.value_or(false);
  return t;
}

void update_template(environment_template& t, const template_fields& given, sys_time now) {
  t.name = given.name;
  take(t, given);
  touch(t, now);
}

void touch(environment_template& t, sys_time now) {
  t.version += 1;
  t.updated = whole_seconds(now);
}

bool can_read(const access::caller& who, const environment_template& t) {
  return t.is_public || can_change(who, t);
}

bool can_change(const access::caller& who, const environment_template& t) {
  return access::can_see_project(who, t.tenant_id);
}

} // namespace steward::environment
