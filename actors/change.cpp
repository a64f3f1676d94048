#include "actors/change.hpp"

#include "bus/oslo.hpp"
#include "common/ids.hpp"
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
  auto when = now();
  // The payload (often a whole document) is serialized once, for the outbox
  // and the event log alike.
  auto payload = e.payload.is_null() ? std::string{"{}"} : e.payload.dump();
  auto note = bus::make_notification(e.publisher, e.type, "INFO", nullptr, when);
  batch_.outbox.push_back({0, svc_->notification_exchange,
                           bus::routing_key(svc_->notification_topic, note.priority),
                           note.message_id, bus::encode_v2(note, payload)});
  auto text = [](const std::string& s) { return nlohmann::json(s).dump(); };
  auto time = timefmt::iso_micro(when);
  // The fields in the order nlohmann writes an object's (sorted).
  auto data = "{\"event_type\":" + text(e.type) + ",\"message_id\":" + text(note.message_id)
              + ",\"payload\":" + payload + ",\"project_id\":" + text(e.project)
              + ",\"publisher_id\":" + text(e.publisher) + ",\"timestamp\":" + text(time) + "}";
  batch_.events.push_back({0, e.type, e.project, time, std::move(data)});
}

std::string change::command(const std::string& cloud, const std::string& type,
                            nlohmann::json payload) {
  auto request_id = "req-" + make_uuid();
  payload["request_id"] = request_id;
  payload["cloud"] = cloud;
  auto note = bus::make_notification("steward.compute", type, "INFO", std::move(payload), now());
  batch_.outbox.push_back({0, svc_->command_exchange, "compute." + cloud, note.message_id,
                           bus::encode_v2(note)});
  return request_id;
}

void change::consumed(const std::string& message_id) {
  if (!message_id.empty())
    batch_.processed.push_back(message_id);
}

} // namespace steward
