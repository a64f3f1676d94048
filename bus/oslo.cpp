#include "bus/oslo.hpp"

#include <cctype>

#include "common/ids.hpp"
#include "common/json_text.hpp"
#include "common/text.hpp"
#include "common/time_format.hpp"

namespace steward::bus {

namespace {

using json = nlohmann::json;

// Reads an optional string field into `out`. Absent or null leaves `out`
// empty (Python publishers write None as null); any other type is an error.
bool read_optional_string(const json& doc, const char* key, std::string& out,
                          std::string& error) {
  auto it = doc.find(key);
  if (it == doc.end() || it->is_null()) return true;
  if (!it->is_string()) {
    error = std::string("field '") + key + "' is not a string (it is " +
            it->type_name() + ")";
    return false;
  }
  out = it->get<std::string>();
  return true;
}

// True when the body carries the v2 envelope keys rather than being a bare
// 1.0 document.
bool is_v2_envelope(const json& body) {
  return body.contains("oslo.message") || body.contains("oslo.version");
}

// Unwraps the v2 envelope: "oslo.message" must be a string holding a JSON
// object.
std::optional<json> unwrap_v2(const json& body, std::size_t max_depth, std::string& error) {
  auto it = body.find("oslo.message");
  if (it == body.end()) {
    error = "v2 envelope without 'oslo.message'";
    return std::nullopt;
  }
  if (!it->is_string()) {
    error = std::string("'oslo.message' is not a string (it is ") + it->type_name() + ")";
    return std::nullopt;
  }
  std::string why;
  auto parsed = parse_json(it->get_ref<const std::string&>(), max_depth, why);
  if (!parsed) {
    error = "'oslo.message' " + why;
    return std::nullopt;
  }
  json inner = std::move(*parsed);
  if (!inner.is_object()) {
    error = std::string("'oslo.message' is not a JSON object (it is ") +
            inner.type_name() + ")";
    return std::nullopt;
  }
  return inner;
}

std::optional<notification> read_document(const json& doc, std::string& error) {
  notification n;
  auto et = doc.find("event_type");
  if (et == doc.end() || et->is_null()) {
    error = "no 'event_type'";
    return std::nullopt;
  }
  if (!et->is_string()) {
    error = std::string("field 'event_type' is not a string (it is ") + et->type_name() + ")";
    return std::nullopt;
  }
  n.event_type = et->get<std::string>();
  if (n.event_type.empty()) {
    error = "'event_type' is empty";
    return std::nullopt;
  }
  if (!read_optional_string(doc, "message_id", n.message_id, error) ||
      !read_optional_string(doc, "publisher_id", n.publisher_id, error) ||
      !read_optional_string(doc, "priority", n.priority, error) ||
      !read_optional_string(doc, "timestamp", n.timestamp, error)) {
    return std::nullopt;
  }
  n.priority = upper(n.priority);

  auto p = doc.find("payload");
  if (p == doc.end() || p->is_null()) {
    n.payload = json::object();
  } else if (p->is_object()) {
    n.payload = *p;
  } else {
    error = std::string("field 'payload' is not an object (it is ") + p->type_name() + ")";
    return std::nullopt;
  }
  return n;
}

} // namespace

notification make_notification(const std::string& publisher_id,
                               const std::string& event_type,
                               const std::string& priority,
                               nlohmann::json payload, sys_time when) {
  notification n;
  n.message_id = make_uuid();
  n.publisher_id = publisher_id;
  n.event_type = event_type;
  n.priority = upper(priority);
  n.payload = payload.is_null() ? json::object() : std::move(payload);
  n.timestamp = timefmt::oslo(when);
  return n;
}

std::string encode_v2(const notification& n) {
  return encode_v2(n, dump_json(n.payload.is_null() ? json::object() : n.payload));
}

std::string encode_v2(const notification& n, const std::string& payload_json) {
  // The inner document's fields in the order nlohmann writes an object's
  // (sorted), the payload spliced in as it is.
  std::string inner;
  inner.reserve(payload_json.size() + 256);
  inner += "{\"event_type\":";
  append_json_string(inner, n.event_type);
  inner += ",\"message_id\":";
  append_json_string(inner, n.message_id);
  inner += ",\"payload\":";
  inner += payload_json;
  inner += ",\"priority\":";
  append_json_string(inner, upper(n.priority));
  inner += ",\"publisher_id\":";
  append_json_string(inner, n.publisher_id);
  inner += ",\"timestamp\":";
  append_json_string(inner, n.timestamp);
  inner += '}';
  std::string out;
  out.reserve(inner.size() + inner.size() / 4 + 48);
  out += "{\"oslo.message\":";
  append_json_string(out, inner);
  out += ",\"oslo.version\":\"2.0\"}";
  return out;
}

std::optional<notification> decode(const std::string& body, std::string& error,
                                   std::size_t max_depth) {
  std::string why;
  auto parsed = parse_json(body, max_depth, why);
  if (!parsed) {
    error = "body " + why;
    return std::nullopt;
  }
  json doc = std::move(*parsed);
  if (!doc.is_object()) {
    error = std::string("body is not a JSON object (it is ") + doc.type_name() + ")";
    return std::nullopt;
  }
  if (is_v2_envelope(doc)) {
    auto inner = unwrap_v2(doc, max_depth, error);
    if (!inner) return std::nullopt;
    return read_document(*inner, error);
  }
  return read_document(doc, error);
}

std::string routing_key(const std::string& topic, const std::string& priority) {
  return topic + "." + lower(priority);
}

const nlohmann::json& object_data(const nlohmann::json& payload) {
  auto data = payload.find("nova_object.data");
  return data != payload.end() && data->is_object() ? *data : payload;
}

} // namespace steward::bus
