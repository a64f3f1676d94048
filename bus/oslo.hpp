#pragma once
// The oslo.messaging notification envelope, both ways.
#include <optional>
#include <string>

#include "bus/bus.hpp"
#include "common/clock.hpp"
#include "common/json_limits.hpp"

namespace steward::bus {

/// Builds the inner document: message_id (new uuid4), publisher_id,
/// event_type, priority (upper case), payload, timestamp (oslo format).
notification make_notification(const std::string& publisher_id,
                               const std::string& event_type,
                               const std::string& priority,
                               nlohmann::json payload, sys_time when);

/// The v2 wire body: {"oslo.version": "2.0", "oslo.message": "<inner JSON>"}.
std::string encode_v2(const notification& n);
/// The same around a payload already serialized (`payload_json`), so that a
/// large payload is written once: `n.payload` is not read.
std::string encode_v2(const notification& n, const std::string& payload_json);

/// Decodes a wire body: the v2 envelope, or a bare 1.0 document. On failure
/// returns nothing and says why in `error` (not JSON, no event_type, a field
/// of the wrong type, nesting deeper than `max_depth`, invalid UTF-8, ...).
std::optional<notification> decode(const std::string& body, std::string& error,
                                   std::size_t max_depth = default_max_json_depth);

/// The routing key oslo uses for a notification topic and priority:
/// "notifications" + "INFO" -> "notifications.info".
std::string routing_key(const std::string& topic, const std::string& priority);

/// A Nova versioned payload's object data ({"nova_object.data": {...}}), or
/// the payload itself when it is bare. Not a copy.
const nlohmann::json& object_data(const nlohmann::json& payload);

} // namespace steward::bus
