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

const instance& value_of(instance_ptr self) { return *self->state.doc; }

// A scheduled transition begins at once, on the instance's own timer, so that
// the API answer ("... was scheduled") comes first and a restart resumes it.
void arm(instance_ptr self) {
  auto gen = ++self->state.timer_generation;
  if (is_scheduled(value_of(self).current))
    arm_timer(self, now(), gen);
}

void set_state(instance& i, transition t) {
  auto to = next(i.current, t);
  i.current = to ? *to : state::erred;
}

// Stores `next`, then runs `then(ack)`. `extra(change, next)` runs first: it
// may add a compute command and change `next` accordingly.
template <class Extra, class Then>
void commit(instance_ptr self, instance next, Extra extra, Then then) {
  change c{*self->state.svc};
  extra(c, next);
  store_document(self, instance_kind, std::move(c), std::move(next), arm, std::move(then));
}

auto no_command = [](change&, instance&) {};

flavor_spec current_flavor(const instance& i) {
  return {i.flavor, i.flavor_name, i.cores, i.ram, i.system_volume_size / 1024};
}

// The compute command that begins the scheduled transition of `i`.
void begin_command(change& c, instance& i) {
  json p = {{"instance_uuid", i.uuid}};
  std::string type;
  switch (i.current) {
    case state::provisioning_scheduled: {
      json groups = json::array();
      for (auto& g : i.security_groups)
        groups.push_back(g.name);
      p["display_name"] = i.hostname;
      p["project_id"] = i.project;
      p["flavor"] = flavor_document(current_flavor(i));
      p["image_uuid"] = i.image_template;
      p["key_name"] = i.key_name;
      p["security_groups"] = groups;
      p["data_volume_gb"] = i.data_volume_size / 1024;
      if (i.host)
        p["host"] = *i.host;  // chosen by who asked for it (a migration)
      type = "compute.instance.create";
      set_state(i, transition::begin_provisioning);
      break;
    }
    case state::starting_scheduled:
      type = "compute.instance.start";
      set_state(i, transition::begin_starting);
      break;
    case state::stopping_scheduled:
      type = "compute.instance.stop";
      set_state(i, transition::begin_stopping);
      break;
    case state::deletion_scheduled:
      type = "compute.instance.delete";
      set_state(i, transition::begin_deleting);
      break;
    case state::resizing_scheduled: {
      auto want = i.resize.value_or(pending_resize{});
      if (want.flavor)
        p["flavor"] = flavor_document(*want.flavor);
      else
        p["data_volume_gb"] = want.data_volume_size.value_or(0) / 1024;
      type = "compute.instance.resize";
      set_state(i, transition::begin_resizing);
      break;
    }
    default:
      return;
  }
  i.request_id = c.command(i.cloud_name, type, std::move(p));
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
                                instance next) {
  auto to = steward::instance::next(next.current, t);
  if (!to)
    return not_allowed(operation, next.current);
  next.current = *to;
  auto rp = self->make_response_promise<api_reply>();
  commit(self, std::move(next), no_command, [=](commit_ack& ack) mutable {
    rp.deliver(ack.ok ? scheduled(operation == "delete" ? "destroy" : operation)
                      : stored_failure(ack));
  });
  return rp;
}

// A flavor changed outside Steward (Nova's flavor payload).
void apply_flavor(instance& i, const json& data) {
  auto f = data.find("flavor");
  if (f == data.end() || !f->is_object())
    return;
  auto& fd = bus::object_data(*f);
  i.flavor = text_field(fd, "flavorid", i.flavor);
  i.flavor_name = text_field(fd, "name", i.flavor_name);
  i.cores = int_field(fd, "vcpus", i.cores);
  i.ram = int_field(fd, "memory_mb", i.ram);
}

// Applies an outcome notification to `i`, a copy of `before`; returns false
// when it changes nothing worth storing.
bool apply_outcome(instance& i, const instance& before, const bus::notification& note,
                   bool& gone) {
  auto& data = bus::object_data(note.payload);
  auto& type = note.event_type;
  auto s = i.current;
  if (auto h = data.find("host"); h != data.end() && h->is_string() && !h->get_ref<const std::string&>().empty())
    i.host = h->get<std::string>();
  auto ends_with = [&](const char* suffix) {
    std::string x = suffix;
    return type.size() >= x.size() && type.compare(type.size() - x.size(), x.size(), x) == 0;
  };
  if (ends_with(".error") || type == "instance.live_migration_abort.end") {
    if (type != "instance.live_migration_abort.end" && type != "instance.snapshot.error")
      set_state(i, transition::set_erred);
  } else if (type == "instance.create.end" && s == state::provisioning) {
    set_state(i, transition::set_online);
    i.start_time = now();
    if (i.internal_ips.empty())
      if (auto ips = data.find("ip_addresses"); ips != data.end() && ips->is_array())
        for (auto& ip : *ips)
          i.internal_ips.push_back(text_field(bus::object_data(ip), "address"));
  } else if (type == "instance.power_on.end" && s == state::starting) {
    set_state(i, transition::set_online);
    i.start_time = now();
  } else if (type == "instance.power_off.end" && s == state::stopping) {
    set_state(i, transition::set_offline);
    i.start_time.reset();
    if (i.restart_pending) {
      i.restart_pending = false;
      set_state(i, transition::schedule_starting);
    }
  } else if (type == "instance.resize_confirm.end" && s == state::resizing) {
    auto want = i.resize.value_or(pending_resize{});
    if (want.data_volume_size)
      i.data_volume_size = *want.data_volume_size;
    if (want.flavor) {
      auto& f = *want.flavor;
      i.flavor = f.flavorid;
      i.flavor_name = f.name;
      i.cores = f.vcpus;
      i.ram = f.memory_mb;
      i.system_volume_size = f.root_gb * 1024;
    }
    i.resize.reset();
    set_state(i, transition::set_resized);
  } else if (type == "instance.delete.end") {
    gone = true;
  } else if (type == "instance.update" && !is_scheduled(s) && s != state::provisioning
             && s != state::starting && s != state::stopping && s != state::deleting
             && s != state::resizing) {
    // A change made outside Steward.
    auto vm = text_field(data, "state");
    if (vm == "active")
      i.current = state::online;
    else if (vm == "stopped")
      i.current = state::offline;
    else if (vm == "error")
      i.current = state::erred;
    else if (vm == "deleted")
      gone = true;
    apply_flavor(i, data);
  }
  return gone || i != before;
}

} // namespace

instance_actor_type::behavior_type
instance_actor(instance_ptr self, const actor_services* svc, owner_of<instance_snapshot> registry,
               std::shared_ptr<const instance> value, int64_t version, bool stored) {
  self->state.init(svc, std::move(registry), std::move(value), version, stored);
  log_failures(self, "instance", value_of(self).uuid);
  if (stored)
    arm(self);
  return guarded_behavior<instance_actor_type::behavior_type>(
    "instance",
    // The registry shows instances (it has the catalog for the names): the
    // actor answers its creation with an empty body, the registry fills it.
    [=](atom::create) -> caf::result<api_reply> {
      return store_created(self, instance_kind, arm,
                           [](const instance&) { return api_reply::ok(nullptr, 201); });
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
      return schedule(self, "start", transition::schedule_starting, value_of(self));
    },
    [=](instance_stop&) {
      return schedule(self, "stop", transition::schedule_stopping, value_of(self));
    },
    [=](instance_restart&) {
      // A restart is a stop followed by a start, each through the FSM.
      auto current = value_of(self);
      current.restart_pending = true;
      return schedule(self, "restart", transition::schedule_stopping, std::move(current));
    },
    [=](instance_delete&) -> caf::result<api_reply> {
      if (value_of(self).current != state::offline)
        return must_be_offline();
      return schedule(self, "delete", transition::schedule_deletion, value_of(self));
    },
    [=](pending_resize& want) -> caf::result<api_reply> {
      if (value_of(self).current != state::offline)
        return must_be_offline();
      auto current = value_of(self);
      current.resize = std::move(want);  // checked by the registry
      return schedule(self, "resize", transition::schedule_resizing, std::move(current));
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
      auto next = value_of(self);
      bool gone = false;
      if (!apply_outcome(next, value_of(self), note, gone) && st.stored)
        return atom::done_v;
      return apply_notification(self, instance_kind, note, std::move(next), gone, arm);
    },
    [=](atom::timer, uint64_t generation) {
      auto& st = self->state;
      if (generation != st.timer_generation || !is_scheduled(value_of(self).current))
        return;
      commit(self, value_of(self), begin_command, [=](commit_ack& ack) {
        if (ack.ok)
          return;
        retry_timer_later(self, "instance",
                          value_of(self).uuid + ": could not begin: " + ack.error);
      });
    });
}

} // namespace steward::instance
