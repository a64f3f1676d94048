#pragma once
// Murano's request bodies (/v1/environments) read into typed fields: an
// environment's name, a model patch's operations with Murano's per-path
// rules. The object model itself stays the free-form JSON it is.
#include <nlohmann/json_fwd.hpp>

#include "messages/requests.hpp"

namespace steward::http {

/// A create (`creating`: its other members go into the new model) or a
/// rename.
parsed<environment::environment_fields> read_environment(const nlohmann::json& body,
                                                         bool creating);
/// An environment template's create, update or clone body: `name` text,
/// `is_public` a boolean, `description_text` text, `networking` an object,
/// `services` a list (each application is checked by the template's rules).
parsed<environment::template_fields> read_template(const nlohmann::json& body);
/// An `application/env-model-json-patch` body: each operation's op, pointer
/// and value checked, and whether Murano lets that op change that path.
parsed<environment::model_changes> read_model_patch(const nlohmann::json& body);
/// An action's arguments: an object (none: no arguments), free-form.
parsed<nlohmann::json> read_action_arguments(const nlohmann::json& body);
/// A static action call: `className` and `methodName` required,
/// `packageName` and `classVersion` text (or null), `parameters` an object.
parsed<environment::static_call> read_static_call(const nlohmann::json& body);

} // namespace steward::http
