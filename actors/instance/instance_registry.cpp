#include "actors/instance/instance_registry.hpp"

#include <variant>

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

void list_entry(instance_registry_state& st, const instance_snapshot& snap) {
  st.listing.put(snap.id, describe(*snap.doc, *st.cat));
  st.shown.forget(snap.id);
}

// The instance as shown, rendered once until it or the catalog changes.
const shown_cache::text_ptr& shown(instance_registry_state& st, const std::string& id,
                                   const instance& value, const std::string& base) {
  return st.shown.get(id, base, [&] { return render(value, *st.cat, base).dump(); });
}

instance_actor_type as_instance(const entity_actor& a) {
  return caf::actor_cast<instance_actor_type>(a);  // every entity of this table is an instance
}

// The registry lists the instance from now on, and its watchers know it.
void known(registry_ptr self, const std::string& id) {
  auto& snap = *self->state.instances.snapshot(id);
  list_entry(self->state, snap);
  self->state.watchers.changed(self, snap);
}

// A new instance, started.
entity_actor spawn_instance(registry_ptr self, instance value) {
  auto id = value.uuid;
  auto a = spawn_entity(self, self->state.instances, instance_actor, instance_kind,
                        std::move(value));
  known(self, id);
  return a;
}

// A stored instance waits passive until a request or a notification; one
// with a scheduled transition starts at once, to begin it.
void add_stored_instance(registry_ptr self, instance value, int64_t version) {
  auto wake = is_scheduled(value.current) ? std::optional<sys_time>{now()} : std::nullopt;
  known(self, add_passive(self, self->state.instances, instance_kind, std::move(value), version,
                          wake));
}

// A stored row read back into an instance (of any schema version).
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

api_reply list_instances(instance_registry_state& st, const instance_list& request) {
  auto& who = request.ctx.who;
  auto& base_url = request.ctx.base_url;
  list_query q;
  if (auto r = parse_list_query(request.query, q))
    return refused(*r);
  auto& cat = *st.cat;
  instance_index::page page;
  auto visible = [&](const listed& item) { return can_see(who, item, cat); };
  if (auto r = st.listing.list(q, visible, page))
    return refused(*r);
  std::string out = "[";
  for (auto* item : page.items) {
    if (out.size() > 1)
      out += ',';
    out += *shown(st, *item->uuid, *item->value, base_url);
  }
  out += ']';
  api_reply reply;
  reply.text = std::make_shared<const std::string>(std::move(out));
  reply.headers.emplace_back("X-Result-Count", std::to_string(page.total));
  reply.headers.emplace_back("Link",
                             link_header(base_url, "/api/instances/", request.query, page.shown));
  return reply;
}

// The instances on the named hosts, for a lease that snapshots or deletes
// them; those already on their way out are left alone.
hosted_instances instances_on(const instance_registry_state& st, const instances_on_hosts& q) {
  std::set<std::string> wanted{q.hostnames.begin(), q.hostnames.end()};
  hosted_instances out;
  for (auto& [id, snap] : st.instances.snapshots()) {
    auto& i = *snap.doc;
    auto host = i.host.value_or("");
    if (!wanted.count(host) || i.current == state::deleting
        || i.current == state::deletion_scheduled)
      continue;
    out.instances.push_back({id, i.cloud_name, host, i.hostname});
  }
  return out;
}

// Why the caller may not reach instance `id`: 404 when it may not see it
// (as Waldur hides what one may not see), 403 when, unless `read_only`, it
// may not act on it; nothing when it may.
std::optional<api_reply> refusal_for(const instance_registry_state& st, const request_context& ctx,
                                     const std::string& id, bool read_only) {
  auto snap = st.instances.snapshot(id);
  if (!snap || !can_see(ctx.who, *snap->doc, *st.cat))
    return not_found();
  if (!read_only && !can_operate(ctx.who, *snap->doc))
    return forbidden();
  return std::nullopt;
}

// Hands a request the caller may make to instance `id`.
template <class Request>
caf::result<api_reply> hand_to_instance(registry_ptr self, const std::string& id, Request r) {
  auto a = self->state.instances.actor(id);
  if (!a)
    return not_found();
  return self->delegate(as_instance(*a), std::move(r));
}

// Hands a request about one instance to it, if the caller may make it.
template <class Request>
caf::result<api_reply> to_instance(registry_ptr self, Request& r, bool read_only = false) {
  if (auto refused = refusal_for(self->state, r.ctx, r.id, read_only))
    return std::move(*refused);
  auto id = r.id;  // before the request moves
  return hand_to_instance(self, id, std::move(r));
}

caf::result<api_reply> create_instance(registry_ptr self, instance_create& r) {
  auto& st = self->state;
  instance value;
  if (auto refusal = make_instance(r.body, *st.cat, r.ctx.who, now(), value))
    return refused(*refusal);
  auto id = value.uuid;
  auto a = spawn_instance(self, std::move(value));
  auto created = st.instances.snapshot(id)->doc;
  auto rp = self->make_response_promise<api_reply>();
  auto base = r.ctx.base_url;
  self->request(as_instance(a), caf::infinite, atom::create_v)
    .then(
      [=](api_reply& reply) mutable {
        if (reply.status == 201)
          reply.body = render(*created, *self->state.cat, base);
        rp.deliver(std::move(reply));
      },
      [=](caf::error& e) mutable {
        rp.deliver(api_reply::fail(500, "The instance could not be created: " + to_string(e)));
      });
  return rp;
}

// -- for environments' deployments ---------------------------------------------

// A deployment's request, as its instance actor takes it.
request_context engine_context() {
  return {deployment_caller(), ""};
}

// Where instance `id` stands now (gone when the registry does not know it).
instance_progress where_is(const instance_registry_state& st, const std::string& id) {
  auto snap = st.instances.snapshot(id);
  if (!snap) {
    instance_progress p;
    p.uuid = id;
    p.gone = true;
    return p;
  }
  return progress_of(*snap->doc, snap->version);
}

instance_progress refused_progress(const std::string& id, std::string why) {
  instance_progress p;
  p.uuid = id;
  p.refused = std::move(why);
  return p;
}

std::string words_of(const api_reply& reply) {
  return reply.error.empty() ? in_words(reply.body) : reply.error;
}

// Hands instance `id` one step of a deployment; answers where it stands
// once the instance took it (its new state is in the registry by then:
// an instance tells its registry before it answers).
template <class Request>
caf::result<instance_progress> take_step(registry_ptr self, const std::string& id, Request r) {
  auto a = self->state.instances.actor(id);
  if (!a)
    return where_is(self->state, id);
  auto rp = self->make_response_promise<instance_progress>();
  self->request(as_instance(*a), caf::infinite, std::move(r))
    .then(
      [=](api_reply& reply) mutable {
        rp.deliver(reply.status >= 400 ? refused_progress(id, words_of(reply))
                                       : where_is(self->state, id));
      },
      [=](caf::error& e) mutable { rp.deliver(refused_progress(id, to_string(e))); });
  return rp;
}

// Makes the instance a deployment wants, unless it was made already.
caf::result<instance_progress> deploy_instance(registry_ptr self, deployment_instance& want) {
  auto& st = self->state;
  if (st.instances.snapshot(want.uuid))
    return where_is(st, want.uuid);
  instance value;
  if (auto why = make_deployed_instance(want, *st.cat, now(), value))
    return refused_progress(want.uuid, *why);
  LOG_INFO("instance-registry", "creating instance " << want.uuid << " for an environment");
  spawn_instance(self, std::move(value));
  return take_step(self, want.uuid, atom::create_v);
}

// The next step towards the flavor a deployment wants: stop a running
// instance, resize a stopped one, start it again once it has the flavor.
caf::result<instance_progress> resize_step(registry_ptr self, deployment_instance_resize& r) {
  auto& st = self->state;
  auto snap = st.instances.snapshot(r.uuid);
  if (!snap)
    return where_is(st, r.uuid);
  auto& current = *snap->doc;
  auto f = st.cat->find_flavor_for(current.project, r.flavor);
  if (!f)
    return refused_progress(r.uuid, "no flavor " + r.flavor + " in a cloud of its project");
  bool has = f->uuid == current.flavor;
  switch (current.current) {
    case state::online:
      if (has)
        return where_is(st, r.uuid);
      return take_step(self, r.uuid, instance_stop{engine_context(), r.uuid});
    case state::offline: {
      if (has)
        return take_step(self, r.uuid, instance_start{engine_context(), r.uuid});
      resize_fields fields;
      fields.flavor = f->uuid;
      pending_resize want;
      if (auto refusal = check_resize(fields, current, *st.cat, want))
        return refused_progress(r.uuid, in_words(refusal->body));
      return take_step(self, r.uuid, std::move(want));
    }
    default: return where_is(st, r.uuid);  // on its way somewhere: its change will tell
  }
}

// The next step towards an instance's end: stop it, then delete it.
caf::result<instance_progress> delete_step(registry_ptr self, deployment_instance_delete& r) {
  auto& st = self->state;
  auto snap = st.instances.snapshot(r.uuid);
  if (!snap)
    return where_is(st, r.uuid);
  switch (snap->doc->current) {
    case state::online: return take_step(self, r.uuid, instance_stop{engine_context(), r.uuid});
    case state::offline:
      return take_step(self, r.uuid, instance_delete{engine_context(), r.uuid});
    default: return where_is(st, r.uuid);
  }
}

// The next step of an action on an instance: a restart of a stopped one
// starts it; one already where the action leads it is answered as it is.
caf::result<instance_progress> power_step(registry_ptr self, deployment_instance_power& r) {
  auto& st = self->state;
  auto snap = st.instances.snapshot(r.uuid);
  if (!snap)
    return where_is(st, r.uuid);
  auto current = snap->doc->current;
  auto ctx = engine_context();
  if (current == state::online && r.action == power_action::restart)
    return take_step(self, r.uuid, instance_restart{ctx, r.uuid});
  if (current == state::online && r.action == power_action::stop)
    return take_step(self, r.uuid, instance_stop{ctx, r.uuid});
  if (current == state::offline && r.action != power_action::stop)
    return take_step(self, r.uuid, instance_start{ctx, r.uuid});
  return where_is(st, r.uuid);
}

} // namespace

instance_registry_actor::behavior_type
instance_registry(registry_ptr self, const actor_services* svc, catalog::catalog_ptr cat,
                  std::vector<store::entity_record> recovered) {
  self->state.svc = svc;
  self->state.cat = std::move(cat);
  self->state.instances.set_starter([=](const instance_snapshot& snap) {
    start_entity(self, self->state.instances, instance_actor, snap, true);
  });
  start_registry(
    self, self->state.instances, "instance-registry", "instances", std::move(recovered),
    stored_rows(&from_stored),
    [=](instance value, int64_t version) {
      add_stored_instance(self, std::move(value), version);
    },
    [=](const std::string& id) { forget(self, id); },
    [=](const caf::actor_addr& watcher) { self->state.watchers.forget(watcher); });
  if (svc->ready)
    svc->ready->set("instance", true);
  return guarded_behavior<instance_registry_actor::behavior_type>(
    "instance-registry",
    [=](instance_list& r) -> caf::result<api_reply> { return list_instances(self->state, r); },
    [=](instance_create& r) { return create_instance(self, r); },
    [=](instance_show& r) -> caf::result<api_reply> {
      auto& st = self->state;
      if (auto refused = refusal_for(st, r.ctx, r.id, true))
        return std::move(*refused);
      api_reply reply;
      reply.text = shown(st, r.id, *st.instances.snapshot(r.id)->doc, r.ctx.base_url);
      return reply;
    },
    [=](instance_usage& r) { return to_instance(self, r, true); },
    [=](instance_start& r) { return to_instance(self, r); },
    [=](instance_stop& r) { return to_instance(self, r); },
    [=](instance_restart& r) { return to_instance(self, r); },
    [=](instance_delete& r) { return to_instance(self, r); },
    [=](instance_resize& r) -> caf::result<api_reply> {
      if (auto refused = refusal_for(self->state, r.ctx, r.id, false))
        return std::move(*refused);
      if (r.body.refused)
        return *r.body.refused;
      // Checked against the catalog here, made explicit for the instance.
      auto& st = self->state;
      pending_resize want;
      if (auto refusal
          = check_resize(r.body.value, *st.instances.snapshot(r.id)->doc, *st.cat, want))
        return refused(*refusal);
      return hand_to_instance(self, r.id, std::move(want));
    },
    [=](atom::notify, bus::notification& note) -> caf::result<atom::done> {
      auto& data = bus::object_data(note.payload);
      if (note.event_type == "instance.usage" && text_field(data, "uuid").empty())
        return atom::done_v;
      // Held to the rules of API input; refused for good (dead-lettered).
      if (auto why = check_nova_instance(data); !why.empty())
        return caf::make_error(caf::sec::invalid_argument, note.event_type + ": " + why);
      auto id = text_field(data, "uuid");
      if (auto a = self->state.instances.actor(id))
        return self->delegate(as_instance(*a), atom::notify_v, std::move(note));
      // Unknown to Steward: taken into the inventory unless it is gone.
      if (note.event_type == "instance.delete.end" || note.event_type == "instance.usage"
          || text_field(data, "state") == "deleted")
        return atom::done_v;
      LOG_INFO("instance-registry", "learned instance " << id << " from " << note.event_type);
      auto a = spawn_instance(self, learned_instance(data, *self->state.cat, now()));
      return self->delegate(as_instance(a), atom::notify_v, std::move(note));
    },
    [=](deployment_instance& want) { return deploy_instance(self, want); },
    [=](deployment_instance_resize& r) { return resize_step(self, r); },
    [=](deployment_instance_delete& r) { return delete_step(self, r); },
    [=](deployment_instance_power& r) { return power_step(self, r); },
    [=](uptime_query& q) -> caf::result<instance_uptimes> {
      instance_uptimes out;
      auto at = now();
      for (auto& id : q.uuids)
        if (auto snap = self->state.instances.snapshot(id)) {
          auto& i = *snap->doc;
          instance_uptime u{id, i.current == state::online, 0};
          if (u.active && i.start_time && *i.start_time < at)
            u.seconds = std::chrono::duration_cast<std::chrono::seconds>(at - *i.start_time).count();
          out.instances.push_back(std::move(u));
        }
      return out;
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
    [=](atom::changed, instance_snapshot& snap) {
      auto& st = self->state;
      st.watchers.changed(self, snap);
      st.instances.update(snap);
      if (st.instances.snapshot(snap.id))
        list_entry(st, snap);
    },
    [=](atom::removed, const std::string& id) { forget(self, id); },
    [=](atom::wake) { wake_due(self, self->state.instances); },
    [=](atom::workload, instance_watcher_actor& w) {
      self->state.watchers.subscribe(self, std::move(w), self->state.instances);
    });
}

} // namespace steward::instance
