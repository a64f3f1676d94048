#include "sim/commands.hpp"

#include <algorithm>
#include <optional>
#include <set>

#include "common/ids.hpp"
#include "common/log.hpp"
#include "sim/payloads.hpp"

namespace steward::sim {

namespace {

using json = nlohmann::json;
constexpr const char* component = "sim";

// --- reading a command ----------------------------------------------------

// A string field of the payload; "" when absent or not a string.
std::string text_field(const json& payload, const char* key) {
  auto it = payload.find(key);
  return it != payload.end() && it->is_string() ? it->get<std::string>() : "";
}

// A non-negative integer field; nothing when absent or not one.
std::optional<int64_t> count_field(const json& payload, const char* key) {
  auto it = payload.find(key);
  if (it == payload.end() || !it->is_number_integer() || it->get<int64_t>() < 0) {
    return std::nullopt;
  }
  return it->get<int64_t>();
}

std::vector<std::string> text_list_field(const json& payload, const char* key) {
  std::vector<std::string> out;
  auto it = payload.find(key);
  if (it == payload.end() || !it->is_array()) return out;
  for (const json& v : *it) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

// The fields every command has.
struct request {
  std::string event_type;
  std::string request_id;
  std::string cloud;
  const json& payload;
};

request request_of(const bus::notification& command) {
  return {command.event_type, text_field(command.payload, "request_id"),
          text_field(command.payload, "cloud"), command.payload};
}

// --- answering --------------------------------------------------------------

std::string publisher_of(const std::string& cloud, const std::string& host) {
  return host.empty() ? "steward-sim:" + cloud : "nova-compute:" + host;
}

fault injected_fault(const std::string& command) {
  return {injected_exception,
          command + " failed on purpose (the simulator's failure_rates or fail_next)"};
}

fault invalid_state(const std::string& command, const instance& i) {
  return {"InstanceInvalidState", "cannot " + command + " instance " + i.uuid +
                                      " while it is in vm_state " + i.vm_state};
}

// An instance the command names but the cloud does not have: the failure
// outcome still describes it by its uuid.
instance unknown_instance(const request& r, const std::string& uuid) {
  instance i;
  i.uuid = uuid;
  i.cloud = r.cloud;
  i.vm_state = "";
  return i;
}

outcome instance_outcome(const std::string& event_type, const instance& i,
                         const std::string& request_id, const fault* f,
                         const json& extra = nullptr,
                         const std::string& object_name = "InstanceActionPayload") {
  return {event_type, f == nullptr ? "INFO" : "ERROR", publisher_of(i.cloud, i.host),
          instance_payload(i, request_id, f, extra, object_name)};
}

outcome catalog_outcome(const world& w, const cloud_spec& cloud, const std::string& request_id) {
  return {"catalog.update", "INFO", "steward-sim:" + cloud.name,
          catalog_payload(w.catalog(), cloud, request_id)};
}

outcome service_outcome(const host& h, const std::string& request_id) {
  return {"service.update", "INFO", publisher_of(h.cloud, h.name),
          service_payload(h, request_id)};
}

// --- the flavor a command asks for ------------------------------------------

// The flavor object of a command (flavorid, name, vcpus, memory_mb,
// root_gb). The command's numbers win; what it leaves out comes from the
// catalog flavor of that flavorid.
std::optional<fault> read_flavor(const world& w, const std::string& cloud, const json& j,
                                 flavor& out) {
  if (!j.is_object()) return fault{"InvalidRequest", "'flavor' must be an object"};
  out = flavor{};
  out.flavorid = text_field(j, "flavorid");
  const cloud_spec* c = w.find_cloud(cloud);
  const flavor_spec* spec = c == nullptr ? nullptr : find_flavor(*c, out.flavorid);
  if (spec != nullptr) out = flavor_of(*spec);
  if (std::string name = text_field(j, "name"); !name.empty()) out.name = name;
  out.vcpus = count_field(j, "vcpus").value_or(out.vcpus);
  out.memory_mb = count_field(j, "memory_mb").value_or(out.memory_mb);
  out.root_gb = count_field(j, "root_gb").value_or(out.root_gb);
  if (out.flavorid.empty() || out.vcpus <= 0 || out.memory_mb <= 0) {
    return fault{"FlavorNotFound", "flavor '" + out.flavorid + "' is not in the catalog of cloud '" +
                                       cloud + "' and the command does not give its size"};
  }
  return std::nullopt;
}

// --- where an instance goes -----------------------------------------------

// The host an instance moves to: `target` when given (refused when unknown,
// its current host, disabled, down or full), else the least-loaded other
// host with room.
std::optional<fault> choose_destination(const world& w, const instance& i,
                                        const std::string& target, std::string& out) {
  if (!target.empty()) {
    const host* h = w.find_host(i.cloud, target);
    if (h == nullptr) {
      return fault{"NotFound", "host '" + target + "' not found in cloud '" + i.cloud + "'"};
    }
    if (target == i.host) {
      return fault{"UnableToMigrateToSelf",
                   "instance " + i.uuid + " is already on host '" + target + "'"};
    }
    if (std::string why = w.refusal(*h, i.demand()); !why.empty()) {
      return fault{"NoValidHost", "No valid host was found. " + why};
    }
    out = target;
    return std::nullopt;
  }
  out = w.choose_host(i.cloud, i.demand(), i.host);
  if (out.empty()) {
    return fault{"NoValidHost", "No valid host was found. No other enabled host of cloud '" +
                                    i.cloud + "' has room for instance " + i.uuid};
  }
  return std::nullopt;
}

// --- the instance commands ------------------------------------------------

using action = std::optional<fault> (*)(world& w, instance& i, const json& payload, json& extra);

std::optional<fault> power_on(world&, instance& i, const json&, json&) {
  i.vm_state = "active";
  return std::nullopt;
}

std::optional<fault> power_off(world&, instance& i, const json&, json&) {
  i.vm_state = "stopped";
  return std::nullopt;
}

std::optional<fault> reboot(world&, instance& i, const json&, json&) {
  i.vm_state = "active";  // a hard reboot also brings an instance in error back
  return std::nullopt;
}

// A new flavor and/or data volume, on the host the instance is on.
std::optional<fault> resize(world& w, instance& i, const json& payload, json&) {
  bool has_flavor = payload.contains("flavor") && !payload["flavor"].is_null();
  std::optional<int64_t> volume = count_field(payload, "data_volume_gb");
  if (!has_flavor && !volume) {
    return fault{"InvalidRequest", "a resize needs a 'flavor' or a 'data_volume_gb'"};
  }
  instance resized = i;
  if (has_flavor) {
    if (auto f = read_flavor(w, i.cloud, payload["flavor"], resized.size)) return f;
  }
  if (volume) resized.data_volume_gb = *volume;
  resources before = i.demand();
  resources after = resized.demand();
  resources delta{after.vcpus - before.vcpus, after.memory_mb - before.memory_mb,
                  after.disk_gb - before.disk_gb};
  const host* h = w.find_host(i.cloud, i.host);
  if (h != nullptr && !w.fits(*h, delta)) {
    return fault{"NoValidHost", "No valid host was found. host '" + i.host +
                                    "' has no room for the new size of instance " + i.uuid};
  }
  i.size = resized.size;
  i.data_volume_gb = resized.data_volume_gb;
  return std::nullopt;
}

// A cold migration: the instance lands on another host in vm_state resized
// and keeps its place on the source until migrate_confirm.
std::optional<fault> migrate(world& w, instance& i, const json& payload, json&) {
  std::string destination;
  if (auto f = choose_destination(w, i, text_field(payload, "target_host"), destination)) return f;
  i.migration_source = i.host;
  i.state_before_migration = i.vm_state;
  i.host = destination;
  i.vm_state = "resized";
  return std::nullopt;
}

std::optional<fault> confirm_migration(world&, instance& i, const json&, json&) {
  i.vm_state = i.state_before_migration.empty() ? "active" : i.state_before_migration;
  i.migration_source.clear();
  i.state_before_migration.clear();
  return std::nullopt;
}

std::optional<fault> live_migrate(world& w, instance& i, const json& payload, json&) {
  std::string destination;
  if (auto f = choose_destination(w, i, text_field(payload, "target_host"), destination)) return f;
  i.host = destination;
  return std::nullopt;
}

// The snapshot becomes an image the cloud offers (a template), so that the
// catalog can name it when an instance is created from it.
std::optional<fault> snapshot(world& w, instance& i, const json& payload, json& extra) {
  template_spec image;
  image.uuid = make_uuid();
  image.name = text_field(payload, "snapshot_name");
  if (image.name.empty()) image.name = i.display_name + "-snapshot";
  const cloud_spec* c = w.find_cloud(i.cloud);
  const template_spec* source = c == nullptr ? nullptr : find_template(*c, i.image_uuid);
  if (source != nullptr) image.os = source->os;
  w.add_template(i.cloud, image);
  extra = {{"snapshot_image_id", image.uuid}};
  return std::nullopt;
}

// The instance leaves the world once its outcome is built.
std::optional<fault> remove(world&, instance& i, const json&, json&) {
  i.vm_state = "deleted";
  return std::nullopt;
}

struct instance_command {
  const char* name;
  const char* success;
  const char* failure;
  std::vector<std::string> allowed_states;  // empty: any state
  action act;
};

const std::vector<instance_command>& instance_commands() {
  static const std::vector<instance_command> table = {
      {"compute.instance.start", "instance.power_on.end", "instance.power_on.error",
       {"stopped"}, power_on},
      {"compute.instance.stop", "instance.power_off.end", "instance.power_off.error",
       {"active"}, power_off},
      {"compute.instance.restart", "instance.reboot.end", "instance.reboot.error",
       {"active", "stopped", "error"}, reboot},
      {"compute.instance.resize", "instance.resize_confirm.end", "instance.resize.error",
       {"active", "stopped"}, resize},
      {"compute.instance.migrate", "instance.resize_finish.end", "instance.resize.error",
       {"active", "stopped"}, migrate},
      {"compute.instance.migrate_confirm", "instance.resize_confirm.end",
       "instance.resize_confirm.error", {"resized"}, confirm_migration},
      {"compute.instance.live_migrate", "instance.live_migration_post.end",
       "instance.live_migration_abort.end", {"active"}, live_migrate},
      {"compute.instance.snapshot", "instance.snapshot.end", "instance.snapshot.error",
       {"active", "stopped"}, snapshot},
      {"compute.instance.delete", "instance.delete.end", "instance.delete.error", {}, remove},
  };
  return table;
}

const instance_command* find_instance_command(const std::string& name) {
  for (const instance_command& c : instance_commands()) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

// Only a placed instance can be acted on (an instance whose create failed
// can only be deleted), and only from the states the command allows.
bool allowed(const instance_command& cmd, const instance& i) {
  if (cmd.allowed_states.empty()) return true;
  if (i.host.empty()) return false;
  return std::find(cmd.allowed_states.begin(), cmd.allowed_states.end(), i.vm_state) !=
         cmd.allowed_states.end();
}

std::vector<outcome> run_instance_command(world& w, const instance_command& cmd,
                                          const request& r, bool injected) {
  std::string uuid = text_field(r.payload, "instance_uuid");
  instance* i = w.find_instance(uuid);
  if (i == nullptr || i->cloud != r.cloud) {
    fault f{"NotFound", "instance " + uuid + " not found in cloud '" + r.cloud + "'"};
    return {instance_outcome(cmd.failure, unknown_instance(r, uuid), r.request_id, &f)};
  }
  if (injected) {
    fault f = injected_fault(cmd.name);
    return {instance_outcome(cmd.failure, *i, r.request_id, &f)};
  }
  if (!allowed(cmd, *i)) {
    fault f = invalid_state(cmd.name, *i);
    return {instance_outcome(cmd.failure, *i, r.request_id, &f)};
  }
  json extra;
  if (std::optional<fault> f = cmd.act(w, *i, r.payload, extra)) {
    return {instance_outcome(cmd.failure, *i, r.request_id, &*f)};
  }
  bool snapshot_taken = extra.contains("snapshot_image_id");
  std::vector<outcome> out = {instance_outcome(
      cmd.success, *i, r.request_id, nullptr, extra,
      snapshot_taken ? "InstanceActionSnapshotPayload" : "InstanceActionPayload")};
  if (snapshot_taken) out.push_back(catalog_outcome(w, *w.find_cloud(i->cloud), r.request_id));
  if (i->vm_state == "deleted") w.remove_instance(i->uuid);
  return out;
}

// --- create -------------------------------------------------------------------

instance instance_to_create(const world& w, const request& r) {
  instance i;
  i.uuid = text_field(r.payload, "instance_uuid");
  i.cloud = r.cloud;
  i.display_name = text_field(r.payload, "display_name");
  i.project_id = text_field(r.payload, "project_id");
  i.image_uuid = text_field(r.payload, "image_uuid");
  i.key_name = text_field(r.payload, "key_name");
  i.security_groups = text_list_field(r.payload, "security_groups");
  i.data_volume_gb = count_field(r.payload, "data_volume_gb").value_or(0);
  i.vm_state = "building";
  i.ips.push_back({w.free_internal_ip(r.cloud), "internal"});
  return i;
}

// Where a new instance goes: the command's host when it names one, else the
// least-loaded host with room.
std::optional<fault> place(world& w, instance& i, const std::string& wanted) {
  if (!wanted.empty()) {
    const host* h = w.find_host(i.cloud, wanted);
    if (h == nullptr) {
      return fault{"NotFound", "host '" + wanted + "' not found in cloud '" + i.cloud + "'"};
    }
    if (std::string why = w.refusal(*h, i.demand()); !why.empty()) {
      return fault{"NoValidHost", "No valid host was found. " + why};
    }
    i.host = wanted;
    return std::nullopt;
  }
  i.host = w.choose_host(i.cloud, i.demand());
  if (i.host.empty()) {
    return fault{"NoValidHost", "No valid host was found. No enabled host of cloud '" + i.cloud +
                                    "' has room for " + std::to_string(i.size.vcpus) +
                                    " vCPUs, " + std::to_string(i.size.memory_mb) + " MiB, " +
                                    std::to_string(i.demand().disk_gb) + " GB"};
  }
  return std::nullopt;
}

const char* const create_success = "instance.create.end";
const char* const create_failure = "instance.create.error";

// A create that fails leaves the instance in the world, in state error and
// on no host, as Nova does.
std::vector<outcome> run_create(world& w, const request& r, bool injected) {
  std::string uuid = text_field(r.payload, "instance_uuid");
  if (w.find_cloud(r.cloud) == nullptr) {
    fault f{"NotFound", "cloud '" + r.cloud + "' not found"};
    return {instance_outcome(create_failure, unknown_instance(r, uuid), r.request_id, &f)};
  }
  if (uuid.empty()) {
    fault f{"InvalidRequest", "the create command has no instance_uuid"};
    return {instance_outcome(create_failure, unknown_instance(r, uuid), r.request_id, &f)};
  }
  if (instance* existing = w.find_instance(uuid)) {
    fault f{"InstanceExists", "instance " + uuid + " already exists"};
    return {instance_outcome(create_failure, *existing, r.request_id, &f)};
  }
  instance i = instance_to_create(w, r);
  std::optional<fault> f;
  if (injected) f = injected_fault(r.event_type);
  if (!f) f = read_flavor(w, r.cloud, r.payload.value("flavor", json()), i.size);
  if (!f) f = place(w, i, text_field(r.payload, "host"));
  if (f) {
    i.vm_state = "error";
    i.host.clear();
    i.ips.clear();
    w.add_instance(i);
    return {instance_outcome(create_failure, i, r.request_id, &*f)};
  }
  i.vm_state = "active";
  w.add_instance(i);
  return {instance_outcome(create_success, i, r.request_id, nullptr)};
}

// --- what a cloud offers (a migration's prerequisites) -------------------------

// What a catalog command makes ("flavor", "image", "network", "keypair"),
// as the payload's object names it; "" for a tenant.
const char* made_object(const std::string& command) {
  if (command == "compute.flavor.create") return "flavor";
  if (command == "compute.image.create") return "image";
  if (command == "compute.network.create") return "network";
  if (command == "compute.keypair.create") return "keypair";
  return "";
}

// The stages of an image's upload the cloud reports before it is active.
constexpr int64_t upload_stages[] = {25, 50, 75};

// A tenant, a flavor, an image, a network or a keypair made in a cloud:
// answered with the cloud's new catalog (an image: once per stage of its
// upload, then active). Making what is there already (by uuid) changes
// nothing.
std::vector<outcome> run_catalog_command(world& w, const request& r, bool injected) {
  const cloud_spec* c = w.find_cloud(r.cloud);
  std::optional<fault> f;
  std::string object = made_object(r.event_type);
  auto made = object.empty() ? r.payload.end() : r.payload.find(object);
  bool well_formed = made != r.payload.end() && made->is_object();
  // What it makes: a refusal names it.
  std::string subject = object.empty() ? text_field(r.payload, "project_id")
                        : well_formed  ? text_field(*made, "uuid")
                                       : "";
  std::vector<outcome> out;
  if (c == nullptr) {
    f = fault{"NotFound", "cloud '" + r.cloud + "' not found"};
  } else if (injected) {
    f = injected_fault(r.event_type);
  } else if (object.empty()) {
    if (!w.add_tenant(r.cloud, subject))
      f = fault{"NotFound", "project '" + subject + "' not found"};
  } else if (!well_formed || text_field(*made, "uuid").empty()
             || text_field(*made, "name").empty()) {
    f = fault{"InvalidRequest", "'" + object + "' must be an object with a uuid and a name"};
  } else if (object == "flavor") {
    flavor_spec spec{text_field(*made, "uuid"), text_field(*made, "name"),
                     count_field(*made, "cores").value_or(0), count_field(*made, "ram").value_or(0),
                     count_field(*made, "disk").value_or(0)};
    w.add_flavor(r.cloud, std::move(spec));
  } else if (object == "network") {
    std::string project = text_field(*made, "project_id");
    bool tenant = false;
    for (const project_spec& p : w.catalog().projects)
      tenant = tenant || (p.uuid == project
                          && std::find(p.clouds.begin(), p.clouds.end(), c->uuid) != p.clouds.end());
    if (!tenant)
      f = fault{"NotFound", "project '" + project + "' is not a tenant of cloud '" + r.cloud + "'"};
    else
      w.add_network(r.cloud, {subject, text_field(*made, "name"), project,
                              text_field(*made, "cidr")});
  } else if (object == "keypair") {
    w.add_key(r.cloud, {subject, text_field(*made, "name"), text_field(*made, "fingerprint"),
                        text_field(*made, "user")});
  } else if (!find_template(*c, subject)) {
    template_spec spec{subject, text_field(*made, "name"), text_field(*made, "os"), "saving", 0};
    w.add_template(r.cloud, std::move(spec));
    for (int64_t stage : upload_stages) {
      w.set_upload(r.cloud, subject, "saving", stage);
      out.push_back(catalog_outcome(w, *c, r.request_id));
    }
    w.set_upload(r.cloud, subject, "active", 100);
  }
  if (f)
    return {{"compute.command.error", "ERROR", publisher_of(r.cloud, ""),
             command_error_payload(r.cloud, r.event_type, "", subject, r.request_id, *f)}};
  out.push_back(catalog_outcome(w, *w.find_cloud(r.cloud), r.request_id));
  return out;
}

// --- hosts ----------------------------------------------------------------------

// An empty host leaves its cloud for another (`destination`): reported by
// its service.update, which names its new cloud.
std::vector<outcome> run_host_reassign(world& w, const request& r, bool injected) {
  std::string name = text_field(r.payload, "host");
  std::string to = text_field(r.payload, "destination");
  host* h = w.find_host(r.cloud, name);
  std::optional<fault> f;
  if (h == nullptr) {
    f = fault{"NotFound", "host '" + name + "' not found in cloud '" + r.cloud + "'"};
  } else if (w.find_cloud(to) == nullptr) {
    f = fault{"NotFound", "cloud '" + to + "' not found"};
  } else if (injected) {
    f = injected_fault(r.event_type);
  } else {
    for (const instance* i : w.instances_of(r.cloud))
      if (i->host == name) {
        f = fault{"InvalidRequest", "host '" + name + "' holds instances"};
        break;
      }
  }
  if (f) {
    return {{"compute.command.error", "ERROR", publisher_of(r.cloud, h == nullptr ? "" : name),
             command_error_payload(r.cloud, r.event_type, name, name, r.request_id, *f)}};
  }
  h->cloud = to;
  return {service_outcome(*h, r.request_id)};
}

std::vector<outcome> run_host_command(world& w, const request& r, bool disable, bool injected) {
  std::string name = text_field(r.payload, "host");
  host* h = w.find_host(r.cloud, name);
  std::optional<fault> f;
  if (h == nullptr) {
    f = fault{"NotFound", "host '" + name + "' not found in cloud '" + r.cloud + "'"};
  } else if (injected) {
    f = injected_fault(r.event_type);
  }
  if (f) {
    return {{"compute.command.error", "ERROR", publisher_of(r.cloud, h == nullptr ? "" : name),
             command_error_payload(r.cloud, r.event_type, name, name, r.request_id, *f)}};
  }
  h->disabled = disable;
  h->disabled_reason = disable ? text_field(r.payload, "reason") : "";
  return {service_outcome(*h, r.request_id)};
}

} // namespace

const std::vector<std::string>& command_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out = {"compute.instance.create"};
    for (const instance_command& c : instance_commands()) out.push_back(c.name);
    out.push_back("compute.host.disable");
    out.push_back("compute.host.enable");
    out.push_back("compute.host.reassign");
    out.push_back("compute.tenant.create");
    out.push_back("compute.flavor.create");
    out.push_back("compute.image.create");
    out.push_back("compute.network.create");
    out.push_back("compute.keypair.create");
    out.push_back("compute.sync");
    out.push_back("compute.reset");
    return out;
  }();
  return names;
}

bool is_command(const std::string& event_type) {
  const auto& names = command_names();
  return std::find(names.begin(), names.end(), event_type) != names.end();
}

std::string subject_of(const bus::notification& command) {
  request r = request_of(command);
  if (command.event_type.rfind("compute.instance.", 0) == 0) {
    return "instance:" + text_field(r.payload, "instance_uuid");
  }
  if (command.event_type.rfind("compute.host.", 0) == 0) {
    return "host:" + r.cloud + "/" + text_field(r.payload, "host");
  }
  return "cloud:" + r.cloud;
}

std::vector<outcome> execute(world& w, const bus::notification& command, bool injected) {
  request r = request_of(command);
  if (r.event_type == "compute.instance.create") return run_create(w, r, injected);
  if (const instance_command* cmd = find_instance_command(r.event_type)) {
    return run_instance_command(w, *cmd, r, injected);
  }
  if (r.event_type == "compute.host.disable") return run_host_command(w, r, true, injected);
  if (r.event_type == "compute.host.enable") return run_host_command(w, r, false, injected);
  if (r.event_type == "compute.host.reassign") return run_host_reassign(w, r, injected);
  if (r.event_type == "compute.tenant.create" || *made_object(r.event_type) != '\0')
    return run_catalog_command(w, r, injected);
  if (r.event_type == "compute.sync") {
    if (r.cloud == "*") {  // every cloud (routing key compute.all)
      std::vector<outcome> all;
      for (auto& c : w.cloud_names()) {
        auto part = full_state(w, c, r.request_id);
        all.insert(all.end(), part.begin(), part.end());
      }
      return all;
    }
    if (w.find_cloud(r.cloud) == nullptr) {
      LOG_WARN(component, "compute.sync for unknown cloud '" << r.cloud << "' ignored");
    }
    return full_state(w, r.cloud, r.request_id);
  }
  LOG_WARN(component, "not a command: " << r.event_type);
  return {};
}

std::vector<outcome> reset_world(world& w, const workload& initial,
                                 const std::string& request_id) {
  std::set<std::string> starting;
  for (const instance_spec& i : initial.instances) starting.insert(i.uuid);
  std::vector<outcome> out;
  for (const std::string& cloud : w.cloud_names()) {
    for (const instance* i : w.instances_of(cloud)) {
      if (starting.count(i->uuid)) continue;
      instance gone = *i;
      gone.vm_state = "deleted";
      out.push_back(instance_outcome("instance.delete.end", gone, request_id, nullptr));
    }
  }
  w = world(initial, w.ratios());
  for (const std::string& cloud : w.cloud_names()) {
    auto part = full_state(w, cloud, request_id);
    out.insert(out.end(), part.begin(), part.end());
  }
  return out;
}

std::vector<outcome> full_state(const world& w, const std::string& cloud,
                                const std::string& request_id) {
  std::vector<outcome> out;
  const cloud_spec* c = w.find_cloud(cloud);
  if (c == nullptr) return out;
  out.push_back(catalog_outcome(w, *c, request_id));
  for (const host* h : w.hosts_of(cloud)) out.push_back(service_outcome(*h, request_id));
  for (const instance* i : w.instances_of(cloud)) {
    out.push_back(instance_outcome("instance.update", *i, request_id, nullptr));
  }
  return out;
}

} // namespace steward::sim
