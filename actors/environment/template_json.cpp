#include "actors/environment/template_json.hpp"

#include "common/json_fields.hpp"
#include "common/time_format.hpp"

namespace steward::environment {

using nlohmann::json;

json template_document(const environment_template& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"created", timefmt::iso_seconds(t.created)},
          {"updated", timefmt::iso_seconds(t.updated)},
          {"tenant_id", t.tenant_id},
          {"version", t.version},
          {"is_public", t.is_public},
          {"description_text", t.description_text},
          {"networking", t.networking}};
}

json full_template_document(const environment_template& t) {
  auto doc = template_document(t);
  doc["services"] = t.services;
  return doc;
}

json template_to_stored(const environment_template& t) {
  return versioned_row({{"id", t.id},
                        {"name", t.name},
                        {"tenant_id", t.tenant_id},
                        {"is_public", t.is_public},
                        {"description_text", t.description_text},
                        {"networking", t.networking},
                        {"created", timefmt::iso_micro(t.created)},
                        {"updated", timefmt::iso_micro(t.updated)},
                        {"version", t.version},
                        {"services", t.services}},
                       template_schema);
}

namespace {

std::optional<environment_template> template_of(const json& doc) {
  environment_template t;
  t.id = text_field(doc, "id");
  t.name = text_field(doc, "name");
  t.tenant_id = text_field(doc, "tenant_id");
  auto created = iso_time_field(doc, "created");
  auto updated = iso_time_field(doc, "updated");
  if (t.id.empty() || t.name.empty() || !doc.contains("tenant_id") || !created || !updated)
    return std::nullopt;
  t.created = *created;
  t.updated = *updated;
  t.version = int_field(doc, "version");
  t.description_text = text_field(doc, "description_text");
  t.is_public = bool_field(doc, "is_public");
  if (auto n = doc.find("networking"); n != doc.end() && n->is_object())
    t.networking = *n;
  if (auto s = doc.find("services"); s != doc.end() && s->is_array())
    t.services = *s;
  return t;
}

} // namespace

std::optional<environment_template> template_from_stored(const json& row) {
  return read_versioned_row(row, template_schema, template_of);
}

} // namespace steward::environment
