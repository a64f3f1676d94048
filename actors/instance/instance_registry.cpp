#include "actors/instance/instance_registry.hpp"

#include <set>

#include "actors/guard.hpp"
#include "actors/instance/instance_actor.hpp"
#include "actors/instance/instance_document.hpp"
#include "bus/oslo.hpp"
#include "common/json_fields.hpp"
#include "common/log.hpp"

namespace steward::instance {

namespace {

using registry_ptr = instance_registry_actor::stateful_pointer<instance_registry_state>;
using nlohmann::json;

void list_entry(instance_registry_state& st, const entity_snapshot& snap) {
  st.listing.put(snap.id, describe(*snap.doc, *st.cat));
  st.shown.forget(snap.id);
}

// The instance as shown, rendered once until it or the catalog changes.
const shown_cache::text_ptr& shown(instance_registry_state& st, const std::string& id,
                                   const json& doc, const std::string& base) {
  return st.shown.get(id, base, [&] { return render(doc, *st.cat, base).dump(); });
}

instance_actor_type as_instance(const entity_actor& a) {
  return caf::actor_cast<instance_actor_type>(a);  // every entity of this table is an instance
}

entity_actor spawn_instance(registry_ptr self, json doc, int64_t version, bool stored) {
  auto id = text_field(doc, "uuid");
  auto a = spawn_entity(self, self->state.instances, instance_actor, instance_kind, std::move(doc),
                        version, stored);
  auto& snap = *self->state.instances.snapshot(id);
  list_entry(self->state, snap);
  self->state.watchers.changed(self, snap);
  return a;
}

void forget(registry_ptr self, const std::string& id) {
  self->state.instances.erase(id);
  self->state.listing.erase(id);
  self->state.shown.forget(id);
  self->state.watchers.removed(self, id);
}

api_reply refused(const refusal& r) {
  api_reply out;
  out.status = r.status;
  out.body = r.body;
  return out;
}

api_reply not_found() { return refused({404, {{"detail", "Not found."}}}); }

api_reply forbidden() {
  return refused({403, {{"detail", "You do not have permission to perform this action."}}});
}

api_reply list_instances(instance_registry_state& st, const api_command& cmd) {
  list_query q;
  if (auto r = parse_list_query(cmd.query, q))
    return refused(*r);
  auto& cat = *st.cat;
  instance_index::page page;
  auto visible = [&](const listed& item) { return can_see(cmd.who, item, cat); };
  if (auto r = st.listing.list(q, visible, page))
    return refused(*r);
  std::string out = "[";
  for (auto* item : page.items) {
    if (out.size() > 1)
      out += ',';
    out += *shown(st, *item->uuid, *item->doc, cmd.base_url);
  }
  out += ']';
  api_reply reply;
  reply.text = std::make_shared<const std::string>(std::move(out));
  reply.headers.emplace_back("X-Result-Count", std::to_string(page.total));
  reply.headers.emplace_back("Link",
                             link_header(cmd.base_url, "/api/instances/", cmd.query, page.shown));
  return reply;
}

// The resize body, checked against the catalog and made explicit for the
// instance: {"flavor": {flavorid, name, vcpus, memory_mb, root_gb}} or
// {"data_volume_size": MiB}.
std::optional<api_reply> resolve_resize(const instance_registry_state& st, api_command& cmd,
                                        const json& doc) {
  resize_request want;
  if (auto r = parse_resize(cmd.body, doc, *st.cat, want))
    return refused(*r);
  if (want.flavor) {
    auto f = st.cat->find_flavor(*want.flavor);
    cmd.body = {{"flavor", {{"flavorid", f->uuid}, {"name", f->name}, {"vcpus", f->cores},
                            {"memory_mb", f->ram}, {"root_gb", f->disk / 1024}}}};
  } else {
    cmd.body = {{"data_volume_size", *want.data_volume}};
  }
  return std::nullopt;
}

// The instances on the named hosts, for a lease that snapshots or deletes
// them; those already on their way out are left alone.
hosted_instances instances_on(const instance_registry_state& st, const instances_on_hosts& q) {
  std::set<std::string> wanted{q.hostnames.begin(), q.hostnames.end()};
  hosted_instances out;
  for (auto& [id, snap] : st.instances.snapshots()) {
    auto& doc = *snap.doc;
    auto s = state_of(doc);
    auto host = text_field(doc, "host");
    if (!wanted.count(host) || s == state::deleting || s == state::deletion_scheduled)
      continue;
    out.instances.push_back({id, text_field(doc, "cloud_name"), host, text_field(doc, "hostname")});
  }
  return out;
}

} // namespace

instance_registry_actor::behavior_type
instance_registry(registry_ptr self, const actor_services* svc, catalog::catalog_ptr cat,
                  std::vector<store::entity_record> recovered) {
  self->state.svc = svc;
  self->state.cat = std::move(cat);
  start_registry(
    self, self->state.instances, "instance-registry", "instances", std::move(recovered), "uuid",
    [=](json doc, int64_t version) { spawn_instance(self, std::move(doc), version, true); },
    [=](const std::string& id) { forget(self, id); });
  if (svc->ready)
    svc->ready->set("instance", true);
  return guarded_behavior<instance_registry_actor::behavior_type>(
    "instance-registry",
    [=](api_command& cmd) -> caf::result<api_reply> {
      auto& st = self->state;
      if (cmd.verb == "list")
        return list_instances(st, cmd);
      if (cmd.verb == "create") {
        json doc;
        if (auto r = make_instance(cmd.body, *st.cat, cmd.who, now(), doc))
          return refused(*r);
        auto a = spawn_instance(self, std::move(doc), 0, false);
        auto rp = self->make_response_promise<api_reply>();
        auto base = cmd.base_url;
        self->request(a, caf::infinite, std::move(cmd))
          .then([=](api_reply& r) mutable {
            if (r.status == 201)
              r.body = render(r.body, *self->state.cat, base);
            rp.deliver(std::move(r));
          },
                [=](caf::error& e) mutable {
                  rp.deliver(api_reply::fail(500, "The instance could not be created: " + to_string(e)));
                });
        return rp;
      }
      auto a = st.instances.find(cmd.id);
      auto snap = st.instances.snapshot(cmd.id);
      if (!a || !snap || !can_see(cmd.who, *snap->doc, *st.cat))
        return not_found();
      if (cmd.verb == "show") {
        api_reply r;
        r.text = shown(st, cmd.id, *snap->doc, cmd.base_url);
        return r;
      }
      if (cmd.verb != "show" && cmd.verb != "usage" && !can_operate(cmd.who, *snap->doc))
        return forbidden();
      if (cmd.verb == "resize")
        if (auto r = resolve_resize(st, cmd, *snap->doc))
          return *r;
      return self->delegate(*a, std::move(cmd));
    },
    [=](atom::notify, bus::notification& note) -> caf::result<atom::done> {
      auto& data = bus::object_data(note.payload);
      if (note.event_type == "instance.usage" && text_field(data, "uuid").empty())
        return atom::done_v;
      // Held to the rules of API input; refused for good (dead-lettered).
      if (auto why = check_nova_instance(data); !why.empty())
        return caf::make_error(caf::sec::invalid_argument, note.event_type + ": " + why);
      auto id = text_field(data, "uuid");
      if (auto a = self->state.instances.find(id))
        return self->delegate(as_instance(*a), atom::notify_v, std::move(note));
      // Unknown to Steward: taken into the inventory unless it is gone.
      if (note.event_type == "instance.delete.end" || note.event_type == "instance.usage"
          || text_field(data, "state") == "deleted")
        return atom::done_v;
      LOG_INFO("instance-registry", "learned instance " << id << " from " << note.event_type);
      auto a = spawn_instance(self, learned_instance(data, *self->state.cat, now()), 0, false);
      return self->delegate(as_instance(a), atom::notify_v, std::move(note));
    },
    [=](instances_on_hosts& q) -> caf::result<hosted_instances> {
      return instances_on(self->state, q);
    },
    [=](atom::catalog, catalog_snapshot& snap) {
      auto& st = self->state;
      st.cat = std::move(snap.value);
      st.shown.clear();
      for (auto& [id, s] : st.instances.snapshots()) // names may have changed
        list_entry(st, s);
    },
    [=](atom::changed, entity_snapshot& snap) {
      auto& st = self->state;
      st.watchers.changed(self, snap);
      st.instances.update(snap);
      if (st.instances.find(snap.id))
        list_entry(st, snap);
    },
    [=](atom::removed, const std::string& id) { forget(self, id); },
    [=](atom::workload, instance_watcher_actor& w) {
      self->state.watchers.subscribe(self, std::move(w), self->state.instances);
    });
}

} // namespace steward::instance
