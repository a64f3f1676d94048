#pragma once
// Fenix's request bodies (/v1/maintenance, /v1/instance, /v1/instance_group)
// read into typed fields: each field checked on its own, with Fenix's
// messages. What depends on the inventory, the clock or the session is the
// maintenance actors' to check.
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "messages/requests.hpp"

namespace steward::http {

parsed<maintenance::session_fields> read_session_create(const nlohmann::json& body);
parsed<maintenance::reply_fields> read_project_reply(const nlohmann::json& body);
/// A constraint PUT on instance (or group) `id`: its id, if the body gives
/// one, must be the URL's; its project must be named.
parsed<maintenance::instance_constraint> read_instance_constraint(const nlohmann::json& body,
                                                                  const std::string& id);
parsed<maintenance::group_constraint> read_group_constraint(const nlohmann::json& body,
                                                            const std::string& id);

} // namespace steward::http
