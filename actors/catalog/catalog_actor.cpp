#include "actors/catalog/catalog_actor.hpp"

#include "actors/guard.hpp"
#include "actors/persist.hpp"
#include "common/log.hpp"

namespace steward::catalog {

namespace {

using catalog_ptr_t = catalog_actor_type::stateful_pointer<catalog_state>;
using nlohmann::json;

std::optional<kind> kind_of(const std::string& scope) {
  for (auto k : {kind::customer, kind::project_group, kind::project, kind::cloud, kind::flavor,
                 kind::image_template, kind::ssh_key, kind::security_group})
    if (scope == collection(k))
      return k;
  return std::nullopt;
}

api_reply not_found() {
  api_reply r;
  r.status = 404;
  r.body = {{"detail", "Not found."}};
  return r;
}

} // namespace

std::pair<catalog_ptr, int64_t> recover(const std::vector<store::entity_record>& rows) {
  for (auto& r : rows) {
    auto doc = json::parse(r.document, nullptr, false);
    if (auto c = catalog::from_json(doc))
      return {std::make_shared<const catalog>(std::move(*c)), r.version};
    LOG_ERROR("catalog", "the stored catalog is unreadable; starting empty");
  }
  return {std::make_shared<const catalog>(), 0};
}

catalog_actor_type::behavior_type
catalog_actor(catalog_ptr_t self, const actor_services* svc,
              std::vector<catalog_reader_actor> readers,
              catalog_ptr stored, int64_t version) {
  auto& st = self->state;
  st.svc = svc;
  st.readers = std::move(readers);
  st.current = std::move(stored);
  st.version = version;
  st.latest = st.current;
  st.latest_version = version;
  if (svc->ready)
    svc->ready->set("catalog", true);
  return guarded_behavior<catalog_actor_type::behavior_type>(
    "catalog",
    [=](catalog_list& r) -> api_reply {
      auto k = kind_of(r.collection);
      if (!k)
        return not_found();
      return api_reply::ok(self->state.current->render_all(*k, r.ctx.who, r.ctx.base_url));
    },
    [=](catalog_show& r) -> api_reply {
      auto k = kind_of(r.collection);
      auto& cat = *self->state.current;
      if (!k || !cat.visible(*k, r.id, r.ctx.who))
        return not_found();
      return api_reply::ok(cat.render(*k, r.id, r.ctx.base_url));
    },
    [=](atom::notify, bus::notification& note) -> caf::result<atom::done> {
      if (note.event_type != "catalog.update")
        return atom::done_v;
      auto& st = self->state;
      auto next = *st.latest;
      auto err = next.apply_update(note.payload);
      if (!err.empty()) {
        // Acknowledged all the same: a redelivery would not make it valid.
        LOG_WARN("catalog", err);
        return atom::done_v;
      }
      auto stored = next.to_json();
      // A compute layer announces its whole catalog at every start: one that
      // changes nothing is not written again, nor are the instances listed
      // again (100k of them take a second).
      if (stored == st.latest->to_json())
        return atom::done_v;
      auto version = ++st.latest_version;
      auto fresh = std::make_shared<const catalog>(std::move(next));
      st.latest = fresh;
      change c{*st.svc};
      c.upsert("catalog", "catalog", "", std::move(stored), version);
      c.consumed(note.message_id);
      auto rp = self->make_response_promise<atom::done>();
      persist(self, st.svc->store, std::move(c), [=](commit_ack& ack) mutable {
        auto& s = self->state;
        if (!ack.ok) {
          // Unanswered: the bus delivers it again. Those after it hold it
          // too; when none is, the next update builds on what is stored.
          if (s.latest_version == version) {
            s.latest = s.current;
            s.latest_version = s.version;
          }
          return;
        }
        s.current = fresh;
        s.version = version;
        for (auto& reader : s.readers)
          self->send(reader, atom::catalog_v, catalog_snapshot{fresh});
        rp.deliver(atom::done_v);
      });
      return rp;
    });
}

} // namespace steward::catalog
