#include "actors/change.hpp"

#include "bus/oslo.hpp"
#include "common/ids.hpp"
#include "common/json_text.hpp"
#include "common/time_format.hpp"

namespace steward {

void change::upsert(const std::string& kind, const std::string& id,
                    const std::string& project, const nlohmann::json& doc,
                    int64_t version) {
  batch_.upserts.push_back({kind, id, project, doc.dump(), version});
}

void change::remove(const std::string& kind, const std::string& id) {
  batch_.deletes.emplace_back(kind, id);
}

void change::emit(const domain_event& e) {
  emit_text(e.type, e.project, e.publisher, e.payload.is_null() ? "{}" : e.payload.dump());
}

void change::emit_in_stream(const std::string& stream, const domain_event& e) {
  emit(e);
  batch_.events.back().stream = stream;
}

void change::emit_text(const std::string& type, const std::string& project,
                       const std::string& publisher, const std::string& payload) {
  batch_.events.emplace_back();
  batch_.outbox.emplace_back();
  fill(batch_.events.size() - 1, batch_.outbox.size() - 1, type, project, publisher, payload);
}

// The event's two rows: the oslo notification for the outbox and the entry
// of the event log, around one serialized payload.
void change::fill(std::size_t event_row, std::size_t outbox_row, const std::string& type,
                  const std::string& project, const std::string& publisher,
                  const std::string& payload) {
  auto when = now();
  auto note = bus::make_notification(publisher, type, "INFO", nullptr, when);
  batch_.outbox[outbox_row] = {0, svc_->notification_exchange,
                               bus::routing_key(svc_->notification_topic, note.priority),
                               note.message_id, bus::encode_v2(note, payload)};
  auto time = timefmt::iso_micro(when);
  // The fields in the order nlohmann writes an object's (sorted).
  std::string data;
  data.reserve(payload.size() + 256);
  data += "{\"event_type\":";
  append_json_string(data, type);
  data += ",\"message_id\":";
  append_json_string(data, note.message_id);
  data += ",\"payload\":";
  data += payload;
  data += ",\"project_id\":";
  append_json_string(data, project);
  data += ",\"publisher_id\":";
  append_json_string(data, publisher);
  data += ",\"timestamp\":";
  append_json_string(data, time);
  data += '}';
  batch_.events[event_row] = {0, type, project, time, std::move(data), ""};
}

std::string change::command(const std::string& cloud, const std::string& type,
                            nlohmann::json payload) {
  auto request_id = "req-" + make_uuid();
  payload["request_id"] = request_id;
  payload["cloud"] = cloud;
  auto note = bus::make_notification("steward.compute", type, "INFO", std::move(payload), now());
  auto key = cloud == "*" ? std::string{"compute.all"} : "compute." + cloud;
  batch_.outbox.push_back({0, svc_->command_exchange, key, note.message_id, bus::encode_v2(note)});
  return request_id;
}

void change::consumed(const std::string& message_id) {
  if (!message_id.empty())
    batch_.processed.push_back(message_id);
}

store::write_batch change::take() {
  return std::move(batch_);
}

} // namespace steward
