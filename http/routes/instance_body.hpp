#pragma once
// Waldur's request bodies (/api/instances/) read into typed fields: each
// field checked on its own, with Waldur's (DRF's) messages; a catalog
// object as the id its URL names. What the catalog and the caller's roles
// say of them is the instance registry's to check.
#include <nlohmann/json_fwd.hpp>

#include "messages/requests.hpp"

namespace steward::http {

/// Never refused as a whole: what is wrong goes into the fields' `errors`,
/// which the registry completes and answers together, as DRF does.
instance::instance_fields read_instance_create(const nlohmann::json& body);
parsed<instance::resize_fields> read_resize(const nlohmann::json& body);

} // namespace steward::http
