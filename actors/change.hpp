#pragma once
// Collects everything one state change writes (entity rows, events for the
// log and the outbox, consumed message ids) into one atomic write batch.
#include <optional>
#include <string>
#include <vector>

#include "actors/services.hpp"
#include "messages/event.hpp"
#include "store/store.hpp"

namespace steward {

class change {
public:
  explicit change(const actor_services& svc) : svc_{&svc} {}

  /// Stores `doc`.
  void upsert(const std::string& kind, const std::string& id, const std::string& project,
              const nlohmann::json& doc, int64_t version);
  void remove(const std::string& kind, const std::string& id);
  /// The event goes to the event log (SSE) and, as an oslo notification, to
  /// the outbox, in the same transaction as the state.
  void emit(const domain_event& e);
  /// The same, as an event of one operation's stream too (GET /events/{id}).
  void emit_in_stream(const std::string& stream, const domain_event& e);
  /// A command for the compute layer (docs/compute-contract.md), sent to
  /// `compute.<cloud>` (`compute.all` for cloud "*", every cloud) once this
  /// change is stored. Returns its request id.
  std::string command(const std::string& cloud, const std::string& type, nlohmann::json payload);
  /// Marks a consumed bus message as processed by this change.
  void consumed(const std::string& message_id);

  store::write_batch take();
  bool empty() const { return batch_.empty(); }

private:
  void emit_text(const std::string& type, const std::string& project,
                 const std::string& publisher, const std::string& payload);
  void fill(std::size_t event_row, std::size_t outbox_row, const std::string& type,
            const std::string& project, const std::string& publisher, const std::string& payload);

  const actor_services* svc_;
  store::write_batch batch_;
};

} // namespace steward
