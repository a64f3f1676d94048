#include "actors/instance/instance_actor.hpp"

#include "actors/guard.hpp"
#include "actors/timers.hpp"
#include "bus/oslo.hpp"
#include "common/json_fields.hpp"
#include "common/log.hpp"
#include "common/time_format.hpp"

namespace steward::instance {

namespace {

using instance_ptr = instance_actor_type::stateful_pointer<instance_state>;
using nlohmann::json;

const json& doc_of(instance_ptr self) { return *self->state.doc; }

// A scheduled transition begins at once, on the instance's own timer, so that
// the API answer ("... was scheduled") comes first and a restart resumes it.
void arm(instance_ptr self) {
  auto gen = ++self->state.timer_generation;
  if (is_scheduled(state_of(doc_of(self))))
    arm_timer(self, now(), gen);
}

void set_state(json& doc, transition t) {
  auto to = next(state_of(doc), t);
  doc["state"] = symbol(to ? *to : state::erred);
}

// Stores `next`, then runs `then(ack)`. `extra(change, next)` runs first: it
// may add a compute command and change `next` accordingly.
template <class Extra, class Then>
void commit(instance_ptr self, json next, Extra extra, Then then) {
  change c{*self->state.svc};
  extra(c, next);
  store_document(self, instance_kind, std::move(c), std::move(next), arm, std::move(then));
}

auto no_command = [](change&, json&) {};

json flavor_payload(const json& doc) {
  return {{"flavorid", text_field(doc, "flavor")},
          {"name", text_field(doc, "flavor_name")},
          {"vcpus", int_field(doc, "cores")},
          {"memory_mb", int_field(doc, "ram")},
          {"root_gb", int_field(doc, "system_volume_size") / 1024}};
}

// The compute command that begins the scheduled transition of `doc`.
void begin_command(change& c, json& doc) {
  auto cloud = text_field(doc, "cloud_name");
  json p = {{"instance_uuid", doc["uuid"]}};
  std::string type;
  switch (state_of(doc)) {
    case state::provisioning_scheduled: {
      json groups = json::array();
      for (auto& g : doc["security_groups"])
        groups.push_back(g["name"]);
      p["display_name"] = doc["hostname"];
      p["project_id"] = doc["project"];
      p["flavor"] = flavor_payload(doc);
      p["image_uuid"] = doc["template"];
      p["key_name"] = doc["key_name"];
      p["security_groups"] = groups;
      p["data_volume_gb"] = int_field(doc, "data_volume_size") / 1024;
      type = "compute.instance.create";
      set_state(doc, transition::begin_provisioning);
      break;
    }
    case state::starting_scheduled:
      type = "compute.instance.start";
      set_state(doc, transition::begin_starting);
      break;
    case state::stopping_scheduled:
      type = "compute.instance.stop";
      set_state(doc, transition::begin_stopping);
      break;
    case state::deletion_scheduled:
      type = "compute.instance.delete";
      set_state(doc, transition::begin_deleting);
      break;
    case state::resizing_scheduled: {
      auto& want = doc["pending_resize"];
      if (want.contains("flavor"))
        p["flavor"] = want["flavor"];
      else
        p["data_volume_gb"] = int_field(want, "data_volume_size") / 1024;
      type = "compute.instance.resize";
      set_state(doc, transition::begin_resizing);
      break;
    }
    default:
      return;
  }
  doc["request_id"] = c.command(cloud, type, std::move(p));
}

api_reply scheduled(const std::string& what) {
  return api_reply::ok({{"status", what + " was scheduled"}}, 202);
}

api_reply not_allowed(const std::string& operation, state s) {
  api_reply r;
  r.status = 409;
  r.body = {{"status", "Performing " + operation + " operation from instance state '"
                         + display_name(s) + "' is not allowed"}};
  return r;
}

api_reply must_be_offline() {
  api_reply r;
  r.status = 409;
  r.body = {{"detail", "Instance must be offline"}};
  return r;
}

api_reply stored_failure(const commit_ack& ack) {
  return steward::stored_failure(instance_kind, ack);
}

// An API command that schedules `t`; answers 202 once stored.
caf::result<api_reply> schedule(instance_ptr self, const std::string& operation, transition t,
                                json next) {
  auto to = steward::instance::next(state_of(next), t);
  if (!to)
    return not_allowed(operation, state_of(next));
  next["state"] = symbol(*to);
  auto rp = self->make_response_promise<api_reply>();
  commit(self, std::move(next), no_command, [=](commit_ack& ack) mutable {
    rp.deliver(ack.ok ? scheduled(operation == "delete" ? "destroy" : operation)
                      : stored_failure(ack));
  });
  return rp;
}

void apply_flavor(json& doc, const json& data) {
  auto f = data.find("flavor");
  if (f == data.end() || !f->is_object())
    return;
  auto& fd = bus::object_data(*f);
  doc["flavor"] = text_field(fd, "flavorid", text_field(doc, "flavor"));
  doc["flavor_name"] = text_field(fd, "name", text_field(doc, "flavor_name"));
  doc["cores"] = int_field(fd, "vcpus", int_field(doc, "cores"));
  doc["ram"] = int_field(fd, "memory_mb", int_field(doc, "ram"));
}

// Applies an outcome notification to `doc`; returns false when it changes
// nothing worth storing.
// `doc` starts as a copy of `before`.
bool apply_outcome(json& doc, const json& before, const bus::notification& note, bool& gone) {
  auto& data = bus::object_data(note.payload);
  auto& type = note.event_type;
  auto s = state_of(doc);
  if (data.contains("host") && data["host"].is_string() && !data["host"].get<std::string>().empty())
    doc["host"] = data["host"];
  auto ends_with = [&](const char* suffix) {
    std::string x = suffix;
    return type.size() >= x.size() && type.compare(type.size() - x.size(), x.size(), x) == 0;
  };
  if (ends_with(".error") || type == "instance.live_migration_abort.end") {
    if (type != "instance.live_migration_abort.end" && type != "instance.snapshot.error")
      set_state(doc, transition::set_erred);
  } else if (type == "instance.create.end" && s == state::provisioning) {
    set_state(doc, transition::set_online);
    doc["start_time"] = timefmt::iso_micro(now());
    if (doc["internal_ips"].empty())
      for (auto& ip : data.value("ip_addresses", json::array()))
        doc["internal_ips"].push_back(text_field(bus::object_data(ip), "address"));
  } else if (type == "instance.power_on.end" && s == state::starting) {
    set_state(doc, transition::set_online);
    doc["start_time"] = timefmt::iso_micro(now());
  } else if (type == "instance.power_off.end" && s == state::stopping) {
    set_state(doc, transition::set_offline);
    doc["start_time"] = nullptr;
    if (bool_field(doc, "restart_pending")) {
      doc.erase("restart_pending");
      set_state(doc, transition::schedule_starting);
    }
  } else if (type == "instance.resize_confirm.end" && s == state::resizing) {
    auto want = doc.value("pending_resize", json::object());
    if (want.contains("data_volume_size"))
      doc["data_volume_size"] = want["data_volume_size"];
    if (want.contains("flavor")) {
      auto& f = want["flavor"];
      doc["flavor"] = f["flavorid"];
      doc["flavor_name"] = f["name"];
      doc["cores"] = f["vcpus"];
      doc["ram"] = f["memory_mb"];
      doc["system_volume_size"] = int_field(f, "root_gb") * 1024;
    }
    doc.erase("pending_resize");
    set_state(doc, transition::set_resized);
  } else if (type == "instance.delete.end") {
    gone = true;
  } else if (type == "instance.update" && !is_scheduled(s) && s != state::provisioning
             && s != state::starting && s != state::stopping && s != state::deleting
             && s != state::resizing) {
    // A change made outside Steward.
    auto vm = text_field(data, "state");
    if (vm == "active")
      doc["state"] = symbol(state::online);
    else if (vm == "stopped")
      doc["state"] = symbol(state::offline);
    else if (vm == "error")
      doc["state"] = symbol(state::erred);
    else if (vm == "deleted")
      gone = true;
    apply_flavor(doc, data);
  }
  return gone || doc != before;
}

} // namespace

instance_actor_type::behavior_type
instance_actor(instance_ptr self, const actor_services* svc, entity_owner_actor registry, document doc,
               int64_t version, bool stored) {
  self->state.init(svc, std::move(registry), std::move(doc), version, stored);
  log_failures(self, "instance", text_field(*self->state.doc, "uuid"));
  if (stored)
    arm(self);
  return guarded_behavior<instance_actor_type::behavior_type>(
    "instance",
    // The registry shows instances (it has the catalog for the names): the
    // actor answers its creation with the stored document.
    [=](atom::create) -> caf::result<api_reply> {
      return store_created(self, instance_kind, arm,
                           [](const json& doc) { return api_reply::ok(doc, 201); });
    },
    [=](instance_usage& r) -> caf::result<api_reply> {
      json out;
      if (auto refused = usage(self->state.samples, r.query, now(), out)) {
        api_reply reply;
        reply.status = refused->status;
        reply.body = refused->body;
        return reply;
      }
      return api_reply::ok(std::move(out));
    },
    [=](instance_start&) {
      return schedule(self, "start", transition::schedule_starting, *self->state.doc);
    },
    [=](instance_stop&) {
      return schedule(self, "stop", transition::schedule_stopping, *self->state.doc);
    },
    [=](instance_restart&) {
      // A restart is a stop followed by a start, each through the FSM.
      auto current = *self->state.doc;
      current["restart_pending"] = true;
      return schedule(self, "restart", transition::schedule_stopping, current);
    },
    [=](instance_delete&) -> caf::result<api_reply> {
      if (state_of(*self->state.doc) != state::offline)
        return must_be_offline();
      return schedule(self, "delete", transition::schedule_deletion, *self->state.doc);
    },
    [=](instance_resize& r) -> caf::result<api_reply> {
      if (state_of(*self->state.doc) != state::offline)
        return must_be_offline();
      auto current = *self->state.doc;
      current["pending_resize"] = std::move(r.body);
      return schedule(self, "resize", transition::schedule_resizing, current);
    },
    [=](atom::notify, bus::notification& note) -> caf::result<atom::done> {
      auto& st = self->state;
      if (note.event_type == "instance.usage") {
        auto& data = bus::object_data(note.payload);
        st.samples.push_back({timefmt::unix_seconds(now()), number_field(data, "cpu_util"),
                              number_field(data, "memory_mb"), number_field(data, "disk_gb")});
        if (st.samples.size() > max_usage_samples)
          st.samples.pop_front();
        return atom::done_v;
      }
      auto next = *st.doc;
      bool gone = false;
      if (!apply_outcome(next, *st.doc, note, gone) && st.stored)
        return atom::done_v;
      return apply_notification(self, instance_kind, note, std::move(next), gone, arm);
    },
    [=](atom::timer, uint64_t generation) {
      auto& st = self->state;
      if (generation != st.timer_generation || !is_scheduled(state_of(*st.doc)))
        return;
      commit(self, *st.doc, begin_command, [=](commit_ack& ack) {
        if (ack.ok)
          return;
        retry_timer_later(self, "instance",
                          text_field(*self->state.doc, "uuid") + ": could not begin: " + ack.error);
      });
    });
}

} // namespace steward::instance
