#pragma once
// The rules of each family fed as their routes feed them: a JSON body read
// into typed fields (http/routes/<family>_body.hpp), then the rules. A
// route's refusal comes back as the rules' own would.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/instance/instance_document.hpp"
#include "actors/lease/lease_dates.hpp"
#include "actors/lease/lease_document.hpp"
#include "actors/maintenance/constraints.hpp"
#include "actors/maintenance/session_document.hpp"
#include "http/routes/instance_body.hpp"
#include "http/routes/lease_body.hpp"
#include "http/routes/maintenance_body.hpp"

namespace steward::test {

inline refusal as_refusal(const api_reply& r) {
  return {r.status, r.error};
}

inline std::optional<refusal> make_lease_from(const nlohmann::json& body, sys_time now,
                                              int minutes_before_end, const std::string& project,
                                              const std::string& user, lease::lease& out,
                                              std::vector<lease::host_reservation>& wanted) {
  auto fields = http::read_lease_create(body);
  if (fields.refused)
    return as_refusal(*fields.refused);
  return lease::make_lease(fields.value, now, minutes_before_end, project, user, out, wanted);
}

inline std::optional<refusal> update_lease_from(lease::lease& l, const nlohmann::json& body,
                                                sys_time now) {
  auto fields = http::read_lease_update(body);
  if (fields.refused)
    return as_refusal(*fields.refused);
  return lease::update_lease(l, fields.value, now);
}

/// The dates of a body alone, into the window a create would make.
inline std::optional<refusal> window_from(const nlohmann::json& body, sys_time now,
                                          int minutes_before_end, lease::lease_window& out) {
  lease::lease_fields fields;
  if (auto r = http::read_lease_dates(body, fields))
    return as_refusal(*r);
  return lease::make_window(fields, now, minutes_before_end, out);
}

inline std::optional<instance::refusal> make_instance_from(const nlohmann::json& body,
                                                           const catalog::catalog& c,
                                                           const access::caller& who,
                                                           sys_time now,
                                                           instance::instance& out) {
  return instance::make_instance(http::read_instance_create(body), c, who, now, out);
}

inline std::optional<instance::refusal> check_resize_from(const nlohmann::json& body,
                                                          const instance::instance& current,
                                                          const catalog::catalog& c,
                                                          instance::pending_resize& out) {
  auto fields = http::read_resize(body);
  if (fields.refused)
    return instance::refusal{fields.refused->status, fields.refused->body};
  return instance::check_resize(fields.value, current, c, out);
}

inline std::optional<refusal> make_session_from(const nlohmann::json& body,
                                                const world_view& world,
                                                const std::vector<std::string>& busy,
                                                sys_time now,
                                                const maintenance_settings& settings,
                                                const std::string& base_url,
                                                maintenance::session& made) {
  auto fields = http::read_session_create(body);
  if (fields.refused)
    return as_refusal(*fields.refused);
  return maintenance::make_session(fields.value, world, busy, now, settings, base_url, made);
}

inline std::optional<refusal> record_reply_from(maintenance::session& s,
                                                const std::string& project,
                                                const nlohmann::json& body, sys_time now) {
  auto fields = http::read_project_reply(body);
  if (fields.refused)
    return as_refusal(*fields.refused);
  return maintenance::record_reply(s, project, fields.value, now);
}

inline std::optional<refusal> instance_constraint_from(const nlohmann::json& body,
                                                       const std::string& id,
                                                       const world_view& world,
                                                       const access::caller& who,
                                                       maintenance::instance_constraint& out) {
  auto fields = http::read_instance_constraint(body, id);
  if (fields.refused)
    return as_refusal(*fields.refused);
  return maintenance::make_instance_constraint(fields.value, world, who, out);
}

inline std::optional<refusal> group_constraint_from(const nlohmann::json& body,
                                                    const std::string& id,
                                                    const access::caller& who,
                                                    maintenance::group_constraint& out) {
  auto fields = http::read_group_constraint(body, id);
  if (fields.refused)
    return as_refusal(*fields.refused);
  return maintenance::make_group_constraint(fields.value, who, out);
}

} // namespace steward::test
