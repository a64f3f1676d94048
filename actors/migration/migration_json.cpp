#include "actors/migration/migration_json.hpp"

#include "common/json_fields.hpp"
#include "common/time_format.hpp"

namespace steward::migration {

namespace {

using nlohmann::json;

template <class Enum>
std::string symbol(Enum e) {
  return std::string(1, static_cast<char>(e));
}

// The enum whose symbol the text is, if it is one of `known`.
template <class Enum>
std::optional<Enum> parse_symbol(const std::string& text, std::initializer_list<Enum> known) {
  for (auto e : known)
    if (text == symbol(e))
      return e;
  return std::nullopt;
}

std::optional<operation> operation_of(const json& doc) {
  operation op;
  op.id = text_field(doc, "id");
  op.tenant = text_field(doc, "tenant");
  op.tenant_name = text_field(doc, "tenant_name");
  op.host = text_field(doc, "host");
  auto kind = doc.contains("kind") ? parse_symbol(text_field(doc, "kind"),
                                                  {operation_kind::tenant,
                                                   operation_kind::reassignment,
                                                   operation_kind::reset,
                                                   operation_kind::evacuation})
                                   : std::optional<operation_kind>{operation_kind::tenant};
  auto created = iso_time_field(doc, "created");
  auto updated = iso_time_field(doc, "updated");
  auto status = parse_symbol(text_field(doc, "status"),
                             {operation_status::running, operation_status::completed,
                              operation_status::failed, operation_status::cancelled});
  if (op.id.empty() || !kind || !created || !updated || !status)
    return std::nullopt;
  op.kind = *kind;
  if ((op.kind == operation_kind::tenant && op.tenant.empty())
      || ((op.kind == operation_kind::reassignment || op.kind == operation_kind::evacuation)
          && op.host.empty()))
    return std::nullopt;
  op.created = *created;
  op.updated = *updated;
  op.status = *status;
  op.cancel_requested = bool_field(doc, "cancel_requested");
  op.host_was_blocked = bool_field(doc, "host_was_blocked");
  if (auto list = doc.find("prerequisites"); list != doc.end() && list->is_array())
    for (auto& p : *list) {
      auto kind = parse_symbol(text_field(p, "kind"),
                               {prerequisite_kind::tenant, prerequisite_kind::flavor,
                                prerequisite_kind::image, prerequisite_kind::host,
                                prerequisite_kind::clouds, prerequisite_kind::block,
                                prerequisite_kind::network, prerequisite_kind::keypair});
      if (!kind)
        return std::nullopt;
      op.prerequisites.push_back({*kind, text_field(p, "source_id"), text_field(p, "name"),
                                  text_field(p, "destination_id"), bool_field(p, "requested"),
                                  bool_field(p, "ready"), bool_field(p, "failed"),
                                  int_field(p, "progress")});
    }
  if (auto list = doc.find("servers"); list != doc.end() && list->is_array())
    for (auto& s : *list) {
      auto step = parse_symbol(
        text_field(s, "step"),
        {server_step::waiting, server_step::suspending, server_step::booting,
         server_step::terminating, server_step::migrated, server_step::resuming,
         server_step::failed, server_step::left, server_step::relocating});
      if (!step)
        return std::nullopt;
      server_move m;
      m.source_id = text_field(s, "source_id");
      m.name = text_field(s, "name");
      m.flavor = text_field(s, "flavor");
      m.image = text_field(s, "image");
      m.key_name = text_field(s, "key_name");
      m.was_running = bool_field(s, "was_running");
      m.destination_id = text_field(s, "destination_id");
      m.target_host = text_field(s, "target_host");
      m.step = *step;
      m.error = text_field(s, "error");
      if (s.contains("deadline") && !s["deadline"].is_null()) {
        m.deadline = iso_time_field(s, "deadline");
        if (!m.deadline)
          return std::nullopt;
      }
      op.servers.push_back(std::move(m));
    }
  return op;
}

} // namespace

json migration_to_stored(const operation& op) {
  json prerequisites = json::array();
  for (auto& p : op.prerequisites)
    prerequisites.push_back({{"kind", symbol(p.kind)},
                             {"source_id", p.source_id},
                             {"name", p.name},
                             {"destination_id", p.destination_id},
                             {"requested", p.requested},
                             {"ready", p.ready},
                             {"failed", p.failed},
                             {"progress", p.progress}});
  json servers = json::array();
  for (auto& s : op.servers)
    servers.push_back({{"source_id", s.source_id},
                       {"name", s.name},
                       {"flavor", s.flavor},
                       {"image", s.image},
                       {"key_name", s.key_name},
                       {"was_running", s.was_running},
                       {"destination_id", s.destination_id},
                       {"target_host", s.target_host},
                       {"step", symbol(s.step)},
                       {"error", s.error},
                       {"deadline", s.deadline ? json(timefmt::iso_micro(*s.deadline)) : json()}});
  return {{"schema", migration_schema},
          {"id", op.id},
          {"kind", symbol(op.kind)},
          {"tenant", op.tenant},
          {"tenant_name", op.tenant_name},
          {"host", op.host},
          {"status", symbol(op.status)},
          {"cancel_requested", op.cancel_requested},
          {"host_was_blocked", op.host_was_blocked},
          {"created", timefmt::iso_micro(op.created)},
          {"updated", timefmt::iso_micro(op.updated)},
          {"prerequisites", std::move(prerequisites)},
          {"servers", std::move(servers)}};
}

std::optional<operation> migration_from_stored(const json& row) {
  return read_versioned_row(row, migration_schema, operation_of);
}

} // namespace steward::migration
