#pragma once
// The inventory API's request bodies (/v1/inventory/hosts) read into a
// host's fields: each field checked on its own, in the body's order, with
// the inventory's messages. What depends on the host (its current state)
// is the host actor's to check.
#include <nlohmann/json_fwd.hpp>

#include "messages/requests.hpp"

namespace steward::http {

parsed<inventory::host_fields> read_host_create(const nlohmann::json& body);
parsed<inventory::host_fields> read_host_update(const nlohmann::json& body);

} // namespace steward::http
