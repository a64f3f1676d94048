#include "actors/migration/migration_rules.hpp"

#include <algorithm>
#include <functional>
#include <map>

#include "actors/migration/cloud_resources.hpp"
#include "common/ids.hpp"

namespace steward::migration {

namespace {

using nlohmann::json;
using istate = instance::state;

constexpr const char* publisher = "steward.migration";

void emit(migration_effects& fx, const char* type, json payload) {
  fx.events.push_back({type, "", publisher, std::move(payload)});
}

const instance::instance* find_instance(const migration_view& v, const std::string& id) {
  if (id.empty())
    return nullptr;
  auto i = v.world.instances.find(id);
  return i == v.world.instances.end() ? nullptr : i->second.get();
}

const catalog::cloud* destination_cloud(const migration_view& v) {
  return v.cat.find_cloud_by_name(v.settings.destination_cloud);
}

const catalog::cloud* source_cloud(const migration_view& v) {
  return v.cat.find_cloud_by_name(v.settings.source_cloud);
}

bool holds(const catalog::ssh_key& k, const std::string& cloud_uuid) {
  return std::find(k.clouds.begin(), k.clouds.end(), cloud_uuid) != k.clouds.end();
}

// A stable id for what is made in the destination from `seed`: two
// migrations that need the same flavor ask for the same one, which the
// compute layer makes once.
std::string derived_id(const std::string& seed) {
  auto h1 = std::hash<std::string>{}(seed);
  auto h2 = std::hash<std::string>{}(seed + "#");
  char out[33];
  std::snprintf(out, sizeof out, "%016llx%016llx", static_cast<unsigned long long>(h1),
                static_cast<unsigned long long>(h2));
  return out;
}

// The destination's own flavor or image of that name, if it has one.
template <class Map>
std::string named_in(const Map& objects, const std::string& cloud_uuid, const std::string& name) {
  for (auto& [id, o] : objects)
    if (o.cloud == cloud_uuid && o.name == name)
      return id;
  return "";
}

const inventory::host* find_host(const migration_view& v, const std::string& id_or_name) {
  for (auto& [id, h] : v.world.hosts)
    if (id == id_or_name || h->hypervisor_hostname == id_or_name)
      return h.get();
  return nullptr;
}

// Whether the view shows the prerequisite made: in the destination (a
// tenant's, a reassignment's), or its host disabled (an evacuation's).
bool prerequisite_met(const prerequisite& p, const migration_view& v) {
  if (p.kind == prerequisite_kind::block) {
    auto h = find_host(v, p.source_id);
    return h && !h->enabled;
  }
  auto c = destination_cloud(v);
  if (!c)
    return false;
  switch (p.kind) {
    case prerequisite_kind::tenant: return v.cat.project_uses_cloud(p.source_id, c->uuid);
    case prerequisite_kind::flavor: {
      auto f = v.cat.find_flavor(p.destination_id);
      return f && f->cloud == c->uuid;
    }
    case prerequisite_kind::image: {
      auto t = v.cat.find_template(p.destination_id);
      return t && t->cloud == c->uuid && t->bootable();
    }
    case prerequisite_kind::network: {
      auto n = v.cat.find_network(p.destination_id);
      return n && n->cloud == c->uuid;
    }
    case prerequisite_kind::keypair: {
      auto k = v.cat.find_key(p.destination_id);
      return k && k->uuid == p.destination_id && holds(*k, c->uuid);
    }
    case prerequisite_kind::host:
      for (auto& [id, h] : v.world.hosts)
        if (h->hypervisor_hostname == p.source_id)
          return h->cloud == v.settings.destination_cloud;
      return false;
    case prerequisite_kind::clouds: return false;  // a reset's: see restored()
    case prerequisite_kind::block: return false;   // above
  }
  return false;
}

// Whether a reset is done: every migrated server back in the source and its
// destination instance gone, every reassigned host back in the source.
bool restored(const operation& op, const migration_view& v) {
  for (auto& s : op.servers)
    if (!find_instance(v, s.source_id) || find_instance(v, s.destination_id))
      return false;
  for (auto& p : op.prerequisites)
    if (p.kind == prerequisite_kind::host)
      for (auto& [id, h] : v.world.hosts)
        if (h->hypervisor_hostname == p.source_id && h->cloud != v.settings.source_cloud)
          return false;
  return true;
}

const prerequisite* find_prerequisite(const operation& op, prerequisite_kind k,
                                      const std::string& source_id) {
  for (auto& p : op.prerequisites)
    if (p.kind == k && p.source_id == source_id)
      return &p;
  return nullptr;
}

bool prerequisites_ready(const operation& op) {
  return std::all_of(op.prerequisites.begin(), op.prerequisites.end(),
                     [](const prerequisite& p) { return p.ready; });
}

bool prerequisite_failed(const operation& op) {
  return std::any_of(op.prerequisites.begin(), op.prerequisites.end(),
                     [](const prerequisite& p) { return p.failed; });
}

// The compute command that makes a prerequisite.
const char* command_of(prerequisite_kind k) {
  switch (k) {
    case prerequisite_kind::tenant: return "compute.tenant.create";
    case prerequisite_kind::flavor: return "compute.flavor.create";
    case prerequisite_kind::image: return "compute.image.create";
    case prerequisite_kind::host: return "compute.host.reassign";
    case prerequisite_kind::block: return "compute.host.disable";
    case prerequisite_kind::clouds: return "compute.reset";
    case prerequisite_kind::network: return "compute.network.create";
    case prerequisite_kind::keypair: return "compute.keypair.create";
  }
  return "";
}

// What that command is about, as a refusal of it names it.
const std::string& command_subject(const prerequisite& p) {
  bool by_uuid = p.kind == prerequisite_kind::flavor || p.kind == prerequisite_kind::image
                 || p.kind == prerequisite_kind::network || p.kind == prerequisite_kind::keypair;
  return by_uuid ? p.destination_id : p.source_id;
}

std::string what_failed(const prerequisite& p) {
  switch (p.kind) {
    case prerequisite_kind::tenant: return "Tenant " + p.name + " could not be made in the destination";
    case prerequisite_kind::flavor: return "Flavor " + p.name + " could not be made in the destination";
    case prerequisite_kind::image: return "Image " + p.name + " could not be made in the destination";
    case prerequisite_kind::host: return "Host " + p.name + " could not be reassigned";
    case prerequisite_kind::block: return "Host " + p.name + " could not be blocked";
    case prerequisite_kind::clouds: return "The clouds could not be reset";
    case prerequisite_kind::network: return "Network " + p.name + " could not be made in the destination";
    case prerequisite_kind::keypair: return "Keypair " + p.name + " could not be made in the destination";
  }
  return "";
}

// The servers of the view that `wanted` picks, not being deleted, in name
// order: what an operation moves, one server_move each.
template <class Pick>
std::vector<const instance::instance*> servers_where(const migration_view& v, Pick wanted) {
  std::vector<const instance::instance*> out;
  for (auto& [uuid, i] : v.world.instances)
    if (i->current != istate::deleting && i->current != istate::deletion_scheduled && wanted(*i))
      out.push_back(i.get());
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) {
    return std::tie(a->hostname, a->uuid) < std::tie(b->hostname, b->uuid);
  });
  return out;
}

// What a server takes from a host: vCPUs, MiB of memory, GiB of disk.
struct demand {
  double vcpus = 0, ram = 0, disk = 0;
};

demand demand_of(const instance::instance& i) {
  return {static_cast<double>(i.cores), static_cast<double>(i.ram),
          static_cast<double>(i.system_volume_size + i.data_volume_size) / 1024.0};
}

// Where the operation's servers go: its destination cloud's hosts, or for
// an evacuation the other hosts of its host's cloud.
struct placement {
  std::string cloud;
  std::string avoid;  // the host being emptied
};

placement placement_of(const operation& op, const migration_view& v) {
  if (op.kind != operation_kind::evacuation)
    return {v.settings.destination_cloud, ""};
  auto h = find_host(v, op.host);
  return {h ? h->cloud : "", op.host};
}

// Whether a server of the operation has a host chosen that the view does
// not show it on yet (it takes room there all the same).
bool on_its_way(const operation& op, const server_move& s, const migration_view& v) {
  if (op.kind == operation_kind::evacuation) {
    auto i = find_instance(v, s.source_id);
    return s.step == server_step::relocating && i && i->host == op.host;
  }
  return (s.step == server_step::suspending || s.step == server_step::booting)
         && !find_instance(v, s.destination_id);
}

// The host of the operation's placement with the most free memory that is
// enabled, up, not under maintenance, not reservable (a host enrolled for
// leases is theirs alone, as Blazar's freepool is kept from other
// instances) and has room for `need`, counting the servers of this
// operation already on their way there; "" when none has.
std::string choose_host(const operation& op, const migration_view& v, const demand& need) {
  auto where = placement_of(op, v);
  std::map<std::string, demand> load;
  auto add = [&](const std::string& host, const demand& d) {
    auto& l = load[host];
    l.vcpus += d.vcpus;
    l.ram += d.ram;
    l.disk += d.disk;
  };
  for (auto& [id, i] : v.world.instances)
    if (i->host && i->cloud_name == where.cloud)
      add(*i->host, demand_of(*i));
  for (auto& s : op.servers)
    if (on_its_way(op, s, v))
      if (auto src = find_instance(v, s.source_id))
        add(s.target_host, demand_of(*src));
  std::string best;
  double best_free = -1;
  for (auto& [id, h] : v.world.hosts) {
    if (h->cloud != where.cloud || h->hypervisor_hostname == where.avoid || !h->enabled
        || !h->up || inventory::in_maintenance(*h) || h->enrolled)
      continue;
    auto& l = load[h->hypervisor_hostname];
    if (l.vcpus + need.vcpus > h->vcpus * v.cpu_allocation_ratio
        || l.ram + need.ram > static_cast<double>(h->memory_mb)
        || l.disk + need.disk > static_cast<double>(h->local_gb))
      continue;
    double free = static_cast<double>(h->memory_mb) - l.ram;
    if (free > best_free || (free == best_free && h->hypervisor_hostname < best)) {
      best = h->hypervisor_hostname;
      best_free = free;
    }
  }
  return best;
}

void fail_server(server_move& s, const std::string& why, migration_effects& fx,
                 const char* cloud) {
  s.error = why;
  emit(fx, event_type::error,
       {{"id", s.source_id}, {"cloud", cloud}, {"name", s.name}, {"message", why}});
  fx.changed = true;
}

// A server whose migration failed goes back to where it was: what was made
// in the destination goes, the source runs again if it ran.
void roll_back(server_move& s, const std::string& why, migration_effects& fx,
               const char* cloud) {
  fail_server(s, why, fx, cloud);
  s.step = server_step::resuming;
}

// What a reset's two events say: the servers it brings back, the clouds.
json reset_payload(const operation& op, const migration_settings& settings) {
  return {{"servers", op.servers.size()},
          {"clouds", {settings.source_cloud, settings.destination_cloud}}};
}

json boot_payload(const server_move& s, const instance::instance& made,
                  const migration_view& v) {
  return {{"id", s.destination_id},
          {"cloud", v.settings.destination_cloud},
          {"name", made.hostname},
          {"tenant_id", made.project},
          {"image_id", made.image_template},
          {"host_name", made.host.value_or(s.target_host)},
          {"status", server_status(made)}};
}

// One moving server's step, done when the view shows it done.
void advance_server(server_move& s, const migration_view& v, migration_effects& fx) {
  auto& src_cloud = v.settings.source_cloud;
  auto source = find_instance(v, s.source_id);
  auto made = find_instance(v, s.destination_id);
  switch (s.step) {
    case server_step::suspending:
      if (!source)
        return roll_back(s, "it was deleted in the source", fx, "source");
      if (source->current == istate::erred)
        return roll_back(s, "it is in error in the source", fx, "source");
      if (source->current != istate::offline)
        return;
      emit(fx, event_type::server_suspended, {{"id", s.source_id}, {"cloud", src_cloud}});
      s.step = server_step::booting;
      fx.changed = true;
      return;
    case server_step::booting:
      if (!made)
        return;
      if (made->current == istate::erred)
        return roll_back(s, "it could not boot in the destination", fx, "destination");
      // Booted, and stopped again if it was stopped in the source.
      if (made->current != (s.was_running ? istate::online : istate::offline))
        return;
      emit(fx, event_type::server_boot, boot_payload(s, *made, v));
      s.step = server_step::terminating;
      fx.changed = true;
      return;
    case server_step::terminating:
      if (source)
        return;
      emit(fx, event_type::server_terminate, {{"id", s.source_id}, {"cloud", src_cloud}});
      emit(fx, event_type::server_migrated,
           {{"source_id", s.source_id}, {"destination_id", s.destination_id}});
      s.step = server_step::migrated;
      fx.changed = true;
      return;
    case server_step::resuming: {
      if (made && made->current != istate::erred)
        return;  // what was made in the destination goes first (one in error cannot)
      bool back = !s.was_running || (source && source->current == istate::online);
      bool lost = !source || source->current == istate::erred;
      if (!back && !lost)
        return;
      if (s.was_running && !lost)
        emit(fx, event_type::server_resumed, {{"id", s.source_id}, {"cloud", src_cloud}});
      s.step = server_step::failed;
      fx.changed = true;
      return;
    }
    default: return;
  }
}

// One evacuated server on its way off `host`: done when the view shows it
// on another host; failed when it errs or its time is up (a live migration
// the cloud aborts leaves no other trace).
void advance_relocation(server_move& s, const std::string& host, const migration_view& v,
                        sys_time now, migration_effects& fx) {
  if (s.step != server_step::relocating)
    return;
  auto i = find_instance(v, s.source_id);
  if (!i) {  // deleted meanwhile: it is off the host all the same
    s.step = server_step::left;
    fx.changed = true;
    return;
  }
  auto cloud = i->cloud_name.c_str();
  if (i->host && *i->host != host) {
    if (!s.was_running)  // a cold migration holds its old place until confirmed
      fx.commands.push_back({i->cloud_name, "compute.instance.migrate_confirm",
                             {{"instance_uuid", s.source_id}}});
    emit(fx, event_type::server_live_migrated,
         {{"id", s.source_id}, {"name", s.name}, {"host_name", *i->host}, {"cloud", cloud}});
    s.step = server_step::migrated;
    fx.changed = true;
    return;
  }
  if (i->current == istate::erred) {
    s.step = server_step::failed;
    return fail_server(s, "it went into error while it moved off " + host, fx, cloud);
  }
  if (s.deadline && now >= *s.deadline) {
    s.step = server_step::failed;
    return fail_server(s, "it did not reach " + s.target_host + " within "
                            + std::to_string(v.settings.move_seconds) + " s",
                       fx, cloud);
  }
}

// Begins a waiting server of an evacuation: the host it goes to chosen and
// its move asked for in the same step (live if it runs, else cold).
void begin_relocation(operation& op, server_move& s, const migration_view& v, sys_time now,
                      migration_effects& fx) {
  fx.changed = true;
  auto i = find_instance(v, s.source_id);
  if (!i || i->host != op.host) {
    s.step = server_step::left;
    return;
  }
  auto cloud = i->cloud_name.c_str();
  emit(fx, event_type::server_live_migration,
       {{"id", s.source_id}, {"name", s.name}, {"host_name", op.host}, {"cloud", cloud}});
  s.was_running = i->current == istate::online;
  if (!s.was_running && i->current != istate::offline) {
    s.step = server_step::failed;
    return fail_server(s, std::string("it is ") + server_status(*i) + ": only a running or "
                            "stopped server moves", fx, cloud);
  }
  s.target_host = choose_host(op, v, demand_of(*i));
  if (s.target_host.empty()) {
    s.step = server_step::failed;
    return fail_server(s, "no other host of cloud " + i->cloud_name + " has room for it", fx,
                       cloud);
  }
  fx.commands.push_back({i->cloud_name,
                         s.was_running ? "compute.instance.live_migrate"
                                       : "compute.instance.migrate",
                         {{"instance_uuid", s.source_id}, {"target_host", s.target_host}}});
  s.deadline = now + std::chrono::seconds{std::max(1, v.settings.move_seconds)};
  s.step = server_step::relocating;
}

// Begins a waiting server: a destination host and id chosen and stored
// before anything is asked.
void begin_server(operation& op, server_move& s, const migration_view& v,
                  migration_effects& fx) {
  fx.changed = true;
  auto source = find_instance(v, s.source_id);
  emit(fx, event_type::server_migrate, {{"id", s.source_id}});
  if (!source || source->current == istate::erred || !source->host) {
    s.step = server_step::failed;
    return fail_server(s, "it is not running in the source", fx, "source");
  }
  s.target_host = choose_host(op, v, demand_of(*source));
  if (s.target_host.empty()) {
    s.step = server_step::failed;
    return fail_server(s, "no host of the destination has room for it", fx, "destination");
  }
  s.destination_id = make_uuid();
  s.was_running = source->current != istate::offline;
  s.step = s.was_running ? server_step::suspending : server_step::booting;
}

void ask_prerequisites(operation& op, const migration_view& v, migration_effects& fx) {
  auto& dst = v.settings.destination_cloud;
  // A network is the tenant's: asked for once the tenant is there (the
  // tenant comes first, so this looks at it as this pass left it).
  auto tenant = find_prerequisite(op, prerequisite_kind::tenant, op.tenant);
  auto waits = [&](const prerequisite& p) {
    return p.kind == prerequisite_kind::network && tenant && !tenant->ready;
  };
  for (auto& p : op.prerequisites) {
    if (p.ready || p.failed)
      continue;
    if (!p.requested && !waits(p)) {
      p.requested = true;
      fx.changed = true;
      json shown = {{"id", p.destination_id}, {"name", p.name}, {"cloud", dst}};
      switch (p.kind) {
        case prerequisite_kind::tenant:
          fx.commands.push_back({dst, command_of(p.kind),
                                 {{"project_id", p.source_id}, {"name", p.name}}});
          emit(fx, event_type::tenant_create, shown);
          break;
        case prerequisite_kind::flavor: {
          auto f = v.cat.find_flavor(p.source_id);
          fx.commands.push_back(
            {dst, command_of(p.kind),
             {{"flavor", {{"uuid", p.destination_id}, {"name", p.name},
                          {"cores", f ? f->cores : 0}, {"ram", f ? f->ram : 0},
                          {"disk", f ? f->disk : 0}}}}});
          emit(fx, event_type::flavor_create, shown);
          break;
        }
        case prerequisite_kind::clouds:
          fx.commands.push_back({"*", command_of(p.kind), json::object()});
          break;
        case prerequisite_kind::host:
          // Asked of the cloud it leaves; it reports the host in its new cloud.
          fx.commands.push_back({v.settings.source_cloud, command_of(p.kind),
                                 {{"host", p.source_id}, {"destination", dst}}});
          break;
        case prerequisite_kind::block:
          if (auto h = find_host(v, p.source_id))
            fx.commands.push_back({h->cloud, command_of(p.kind),
                                   {{"host", p.source_id},
                                    {"reason", "Evacuation " + op.id}}});
          break;
        case prerequisite_kind::image: {
          auto t = v.cat.find_template(p.source_id);
          fx.commands.push_back({dst, command_of(p.kind),
                                 {{"image", {{"uuid", p.destination_id}, {"name", p.name},
                                             {"os", t ? t->os : ""}}}}});
          shown["status"] = "queued";
          emit(fx, event_type::image_created, shown);
          break;
        }
        case prerequisite_kind::network: {
          auto n = v.cat.find_network(p.source_id);
          fx.commands.push_back({dst, command_of(p.kind),
                                 {{"network", {{"uuid", p.destination_id}, {"name", p.name},
                                               {"project_id", op.tenant},
                                               {"cidr", n ? n->cidr : ""}}}}});
          emit(fx, event_type::network_create, shown);
          break;
        }
        case prerequisite_kind::keypair: {
          auto k = v.cat.find_key(p.source_id);
          fx.commands.push_back({dst, command_of(p.kind),
                                 {{"keypair", {{"uuid", p.destination_id}, {"name", p.name},
                                               {"fingerprint", k ? k->fingerprint : ""},
                                               {"user", k ? k->user : ""}}}}});
          emit(fx, event_type::keypair_create, shown);
          break;
        }
      }
    }
    if (op.kind == operation_kind::reset ? restored(op, v) : prerequisite_met(p, v)) {
      p.ready = true;
      fx.changed = true;
      json shown = {{"id", p.destination_id}, {"name", p.name}, {"cloud", dst}};
      if (p.kind == prerequisite_kind::flavor)
        emit(fx, event_type::flavor_created, shown);
      else if (p.kind == prerequisite_kind::image) {
        p.progress = 100;
        shown["status"] = "active";
        emit(fx, event_type::image_uploaded, shown);
      } else if (p.kind == prerequisite_kind::network)
        emit(fx, event_type::network_created, shown);
      else if (p.kind == prerequisite_kind::keypair)
        emit(fx, event_type::keypair_created, shown);
      else if (p.kind == prerequisite_kind::block) {
        auto h = find_host(v, p.source_id);
        emit(fx, event_type::host_block, {{"name", p.source_id}, {"cloud", h ? h->cloud : ""}});
      }
    }
  }
}

// The image prerequisite made as `image` in the destination, if it still waits.
prerequisite* uploading(operation& op, const std::string& image) {
  for (auto& p : op.prerequisites)
    if (p.kind == prerequisite_kind::image && p.destination_id == image && !p.ready && !p.failed)
      return &p;
  return nullptr;
}

void finish_if_done(operation& op, const migration_view& v, sys_time now,
                    migration_effects& fx) {
  if (op.status != operation_status::running)
    return;
  bool broken = prerequisite_failed(op);
  if (op.kind == operation_kind::reassignment || op.kind == operation_kind::reset) {
    if (!prerequisites_ready(op) && !broken)
      return;
    op.status = broken ? operation_status::failed : operation_status::completed;
    op.updated = now;
    fx.changed = true;
    if (op.kind == operation_kind::reassignment)
      emit(fx, event_type::host_reassigned,
           {{"name", op.host},
            {"cloud", broken ? v.settings.source_cloud : v.settings.destination_cloud},
            {"status", name_of(op.status)}});
    else
      emit(fx, event_type::reset_completed, reset_payload(op, v.settings));
    return;
  }
  std::size_t migrated = 0, failed = 0, left = 0;
  for (auto& s : op.servers) {
    if (!is_final(s.step))
      return;
    migrated += s.step == server_step::migrated;
    failed += s.step == server_step::failed;
    left += s.step == server_step::left;
  }
  if (!op.cancel_requested && !prerequisites_ready(op) && !broken)
    return;
  op.status = op.cancel_requested     ? operation_status::cancelled
              : failed > 0 || broken ? operation_status::failed
                                     : operation_status::completed;
  op.updated = now;
  fx.changed = true;
  if (op.kind == operation_kind::evacuation) {
    auto h = find_host(v, op.host);
    auto cloud = h ? h->cloud : "";
    // Half emptied, the host takes servers again (as Pumphouse leaves it),
    // unless it was blocked before the evacuation.
    if (failed > 0 && !op.host_was_blocked && !broken && h)
      fx.commands.push_back({cloud, "compute.host.enable", {{"host", op.host}}});
    emit(fx, event_type::host_evacuated,
         {{"name", op.host}, {"cloud", cloud}, {"status", name_of(op.status)},
          {"migrated", migrated}, {"failed", failed}, {"left", left}});
    return;
  }
  emit(fx, event_type::tenant_migrated,
       {{"id", op.tenant}, {"name", op.tenant_name}, {"status", name_of(op.status)},
        {"migrated", migrated}, {"failed", failed}, {"left", left}});
}

} // namespace

const char* name_of(operation_status s) {
  switch (s) {
    case operation_status::running: return "running";
    case operation_status::completed: return "completed";
    case operation_status::failed: return "failed";
    case operation_status::cancelled: return "cancelled";
  }
  return "running";
}

std::optional<refusal> plan_migration(const std::string& tenant, const std::string& id,
                                      const migration_view& v, sys_time now, operation& out) {
  auto project = v.cat.find_project(tenant);
  if (!project)
    return refusal{404, "Tenant " + tenant + " is not found"};
  auto dst = destination_cloud(v);
  if (!dst)
    return refusal{409, "The destination cloud " + v.settings.destination_cloud
                          + " is not known yet"};
  out = operation{};
  out.id = id;
  out.tenant = tenant;
  out.tenant_name = project->name;
  out.created = out.updated = now;
  auto need = [&](prerequisite_kind k, const std::string& source_id, const std::string& name,
                  const std::string& existing) {
    if (find_prerequisite(out, k, source_id))
      return;
    prerequisite p{k, source_id, name, existing, false, false, false, 0};
    if (existing.empty())
      p.destination_id = derived_id(dst->uuid + "/" + source_id);
    out.prerequisites.push_back(std::move(p));
  };
  if (!v.cat.project_uses_cloud(tenant, dst->uuid))
    need(prerequisite_kind::tenant, tenant, project->name, "");
  auto src = source_cloud(v);
  if (src)
    for (auto& [id, n] : v.cat.networks())
      if (n.cloud == src->uuid && n.project == tenant) {
        std::string there;
        for (auto& [other_id, other] : v.cat.networks())
          if (other.cloud == dst->uuid && other.project == tenant && other.name == n.name)
            there = other_id;
        need(prerequisite_kind::network, id, n.name, there);
      }
  for (auto* i : servers_where(v, [&](const instance::instance& i) {
         return i.project == tenant && i.cloud_name == v.settings.source_cloud;
       })) {
    server_move s;
    s.source_id = i->uuid;
    s.name = i->hostname;
    s.key_name = i->key_name;
    if (auto f = v.cat.find_flavor(i->flavor)) {
      auto there = named_in(v.cat.flavors(), dst->uuid, f->name);
      need(prerequisite_kind::flavor, f->uuid, f->name, there);
      s.flavor = find_prerequisite(out, prerequisite_kind::flavor, f->uuid)->destination_id;
    }
    if (auto t = v.cat.find_template(i->image_template)) {
      auto there = named_in(v.cat.templates(), dst->uuid, t->name);
      need(prerequisite_kind::image, t->uuid, t->name, there);
      s.image = find_prerequisite(out, prerequisite_kind::image, t->uuid)->destination_id;
    }
    // The user's key keeps its id in the destination.
    if (auto k = src && !i->key_name.empty() ? v.cat.find_key_in(src->uuid, i->key_name) : nullptr)
      need(prerequisite_kind::keypair, k->uuid, k->name, k->uuid);
    out.servers.push_back(std::move(s));
  }
  // What the destination has already is ready at once.
  for (auto& p : out.prerequisites)
    if (!p.destination_id.empty() && prerequisite_met(p, v))
      p.requested = p.ready = true;
  return std::nullopt;
}

std::optional<refusal> plan_document(const std::string& tenant, const migration_view& v,
                                     json& out) {
  operation op;
  if (auto refused = plan_migration(tenant, "plan", v, sys_time{}, op))
    return refused;
  auto type_of = [](prerequisite_kind k) {
    switch (k) {
      case prerequisite_kind::tenant: return "tenant";
      case prerequisite_kind::flavor: return "flavor";
      case prerequisite_kind::image: return "image";
      case prerequisite_kind::host: return "host";
      case prerequisite_kind::clouds: return "clouds";
      case prerequisite_kind::block: return "block";
      case prerequisite_kind::network: return "network";
      case prerequisite_kind::keypair: return "keypair";
    }
    return "tenant";
  };
  json prerequisites = json::array();
  for (auto& p : op.prerequisites)
    prerequisites.push_back(
      {{"type", type_of(p.kind)},
       {"name", p.name},
       {"id", p.destination_id},
       {"action", p.ready ? "exists" : "create"}});
  json servers = json::array();
  bool all_fit = true;
  for (auto& s : op.servers) {
    auto source = find_instance(v, s.source_id);
    json entry = {{"id", s.source_id},
                  {"name", s.name},
                  {"host_name", source && source->host ? *source->host : ""},
                  {"status", source ? server_status(*source) : "gone"},
                  {"destination_host", nullptr}};
    std::string why;
    if (!source || source->current == istate::erred || !source->host)
      why = "it is not running in the source";
    else {
      s.target_host = choose_host(op, v, demand_of(*source));
      if (s.target_host.empty())
        why = "no host of the destination has room for it";
      else {
        s.step = server_step::booting;  // counted by the next choices
        entry["destination_host"] = s.target_host;
      }
    }
    if (!why.empty()) {
      entry["reason"] = why;
      all_fit = false;
    }
    servers.push_back(std::move(entry));
  }
  out = {{"tenant", {{"id", op.tenant}, {"name", op.tenant_name}}},
         {"source", v.settings.source_cloud},
         {"destination", v.settings.destination_cloud},
         {"prerequisites", std::move(prerequisites)},
         {"servers", std::move(servers)},
         {"fits", all_fit}};
  return std::nullopt;
}

std::optional<refusal> plan_reassignment(const std::string& host, const std::string& id,
                                         const migration_view& v, sys_time now,
                                         operation& out) {
  auto found = find_host(v, host);
  if (!found)
    return refusal{404, "Host " + host + " is not found"};
  auto& name = found->hypervisor_hostname;
  if (found->cloud != v.settings.source_cloud)
    return refusal{409, "Host " + name + " is not in the source cloud " + v.settings.source_cloud
                          + " (it is in " + found->cloud + ")"};
  std::size_t servers = 0;
  for (auto& [uuid, i] : v.world.instances)
    servers += i->host == name && i->cloud_name == found->cloud;
  if (servers > 0)
    return refusal{409, "Host " + name + " still holds " + std::to_string(servers)
                          + " server(s): only an empty host is reassigned (evacuate it first)"};
  out = operation{};
  out.id = id;
  out.kind = operation_kind::reassignment;
  out.host = name;
  out.created = out.updated = now;
  out.prerequisites.push_back({prerequisite_kind::host, name, name, name, false, false, false, 0});
  return std::nullopt;
}

operation plan_reset(const std::vector<const operation*>& done, const std::string& id,
                     sys_time now) {
  operation out;
  out.id = id;
  out.kind = operation_kind::reset;
  out.created = out.updated = now;
  out.prerequisites.push_back({prerequisite_kind::clouds, "*", "clouds", "", false, false, false, 0});
  for (auto* op : done) {
    if (op->kind == operation_kind::reassignment && op->status == operation_status::completed)
      out.prerequisites.push_back({prerequisite_kind::host, op->host, op->host, "", true, false, false, 0});
    if (op->kind == operation_kind::tenant)
      for (auto& s : op->servers)
        if (s.step == server_step::migrated)
          out.servers.push_back(s);
  }
  return out;
}

std::optional<refusal> plan_evacuation(const std::string& host, const std::string& id,
                                       const migration_view& v, sys_time now, operation& out) {
  auto found = find_host(v, host);
  if (!found)
    return refusal{404, "Host " + host + " is not found"};
  auto& name = found->hypervisor_hostname;
  if (inventory::in_maintenance(*found))
    return refusal{409, "Host " + name + " is under maintenance (session "
                          + found->maintenance_session + "), which moves its servers itself"};
  if (!found->up)
    return refusal{409, "Host " + name + " is down: its servers cannot be live-migrated"};
  out = operation{};
  out.id = id;
  out.kind = operation_kind::evacuation;
  out.host = name;
  out.host_was_blocked = !found->enabled;
  out.created = out.updated = now;
  out.prerequisites.push_back({prerequisite_kind::block, name, name, "", false, false, false, 0});
  if (out.host_was_blocked)
    out.prerequisites.back().requested = out.prerequisites.back().ready = true;
  for (auto* i : servers_where(v, [&](const instance::instance& i) {
         return i.host == name && i.cloud_name == found->cloud;
       })) {
    server_move s;
    s.source_id = i->uuid;
    s.name = i->hostname;
    out.servers.push_back(std::move(s));
  }
  return std::nullopt;
}

std::optional<sys_time> next_deadline(const operation& op) {
  std::optional<sys_time> out;
  if (op.status == operation_status::running)
    for (auto& s : op.servers)
      if (s.step == server_step::relocating && s.deadline && (!out || *s.deadline < *out))
        out = s.deadline;
  return out;
}

std::string tenant_subject(const std::string& tenant) { return "tenant:" + tenant; }

std::string subject_of(const operation& op) {
  switch (op.kind) {
    case operation_kind::reassignment:
    case operation_kind::evacuation: return "host:" + op.host;
    case operation_kind::reset: return reset_subject;
    case operation_kind::tenant: break;
  }
  return tenant_subject(op.tenant);
}

domain_event started_event(const operation& op, const migration_settings& settings) {
  if (op.kind == operation_kind::reset)
    return {event_type::reset_start, "", publisher, reset_payload(op, settings)};
  if (op.kind == operation_kind::evacuation)
    return {event_type::host_evacuation, "", publisher,
            {{"name", op.host}, {"servers", op.servers.size()}}};
  if (op.kind == operation_kind::reassignment)
    return {event_type::host_reassign, "", publisher,
            {{"name", op.host}, {"cloud", settings.source_cloud},
             {"destination", settings.destination_cloud}}};
  return {event_type::tenant_migrate, "", publisher,
          {{"id", op.tenant}, {"name", op.tenant_name}, {"cloud", settings.source_cloud},
           {"servers", op.servers.size()}}};
}

void advance(operation& op, const migration_view& v, sys_time now, migration_effects& fx) {
  if (op.status != operation_status::running)
    return;
  auto before = fx.events.size();
  if (!op.cancel_requested)
    ask_prerequisites(op, v, fx);
  std::size_t moving = 0;
  bool evacuation = op.kind == operation_kind::evacuation;
  bool moves_servers = op.kind == operation_kind::tenant || evacuation;  // a reset's are its record
  if (moves_servers)
    for (auto& s : op.servers) {
      if (evacuation)
        advance_relocation(s, op.host, v, now, fx);
      else
        advance_server(s, v, fx);
      moving += is_moving(s.step);
    }
  if (moves_servers && !op.cancel_requested && prerequisites_ready(op)) {
    auto limit = static_cast<std::size_t>(std::max(1, v.settings.parallel_servers));
    for (auto& s : op.servers) {
      if (moving >= limit)
        break;
      if (s.step != server_step::waiting)
        continue;
      if (evacuation)
        begin_relocation(op, s, v, now, fx);
      else {
        begin_server(op, s, v, fx);
        advance_server(s, v, fx);  // a stopped one may be booting at once
      }
      moving += is_moving(s.step);
    }
  }
  finish_if_done(op, v, now, fx);
  if (fx.events.size() != before)
    op.updated = now;
}

void refused(operation& op, const std::string& instance_id, const std::string& why,
             const migration_view& v, sys_time now, migration_effects& fx) {
  for (auto& s : op.servers) {
    if (s.step == server_step::booting && s.destination_id == instance_id)
      roll_back(s, "it could not boot in the destination: " + why, fx, "destination");
    else if (s.step == server_step::suspending && s.source_id == instance_id)
      roll_back(s, "it could not be suspended: " + why, fx, "source");
  }
  advance(op, v, now, fx);
}

void command_failed(operation& op, const command_failure& f, const migration_view& v,
                    sys_time now, migration_effects& fx) {
  if (op.status != operation_status::running)
    return;
  for (auto& p : op.prerequisites) {
    if (!p.requested || p.ready || p.failed || f.command != command_of(p.kind)
        || f.subject != command_subject(p))
      continue;
    p.failed = true;
    fx.changed = true;
    auto why = what_failed(p) + ": " + f.message;
    emit(fx, event_type::error,
         {{"id", command_subject(p)}, {"cloud", f.cloud}, {"name", p.name}, {"message", why}});
    for (auto& s : op.servers)
      if (s.step == server_step::waiting) {
        s.step = server_step::failed;
        s.error = why;
      }
  }
  advance(op, v, now, fx);
}

void watch_uploads(const operation& op, const migration_view& v,
                   std::vector<upload_seen>& seen) {
  auto dst = destination_cloud(v);
  if (op.status != operation_status::running || !dst)
    return;
  for (auto& p : op.prerequisites) {
    // Not only those stored as requested: the catalog may show the first
    // stage before the actor has heard that its request is stored.
    if (p.kind != prerequisite_kind::image || p.ready || p.failed)
      continue;
    auto t = v.cat.find_template(p.destination_id);
    if (!t || t->cloud != dst->uuid || t->bootable())
      continue;
    auto known = p.progress;
    for (auto& s : seen)
      if (s.image == p.destination_id)
        known = std::max(known, s.progress);
    if (t->progress > known)
      seen.push_back({p.destination_id, t->progress});
  }
}

void report_uploads(operation& op, const std::vector<upload_seen>& seen,
                    const migration_settings& settings, migration_effects& fx) {
  for (auto& s : seen) {
    auto p = uploading(op, s.image);
    if (!p || s.progress <= p->progress)
      continue;
    p->progress = s.progress;
    fx.changed = true;
    emit(fx, event_type::image_uploading,
         {{"id", p->destination_id}, {"name", p->name}, {"cloud", settings.destination_cloud},
          {"status", "saving"}, {"progress", s.progress}});
  }
}

void cancel(operation& op, sys_time now, migration_effects& fx) {
  if (op.status != operation_status::running || op.cancel_requested)
    return;
  op.cancel_requested = true;
  for (auto& s : op.servers)
    if (s.step == server_step::waiting)
      s.step = server_step::left;
  op.updated = now;
  fx.changed = true;
}

instance_ask ask_for(const server_move& s, const migration_view& v) {
  auto source = find_instance(v, s.source_id);
  auto made = find_instance(v, s.destination_id);
  switch (s.step) {
    case server_step::suspending:
      return source && source->current == istate::online ? instance_ask::stop_source
                                                         : instance_ask::none;
    case server_step::booting:
      if (!made)
        return instance_ask::boot;
      return !s.was_running && made->current == istate::online ? instance_ask::stop_destination
                                                               : instance_ask::none;
    case server_step::terminating: return source ? instance_ask::delete_source : instance_ask::none;
    case server_step::resuming:
      if (made && made->current != istate::erred)
        return instance_ask::delete_destination;
      if (s.was_running && source && source->current == istate::offline)
        return instance_ask::start_source;
      return instance_ask::none;
    default: return instance_ask::none;
  }
}

std::vector<std::string> watched_instances(const operation& op) {
  std::vector<std::string> out;
  for (auto& s : op.servers)
    if (!is_final(s.step)) {
      out.push_back(s.source_id);
      if (!s.destination_id.empty())
        out.push_back(s.destination_id);
    }
  return out;
}

} // namespace steward::migration
