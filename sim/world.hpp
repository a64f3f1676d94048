#pragma once
// The state of the simulated clouds: hosts with their capacity, instances
// with their vm_state and host, and the catalog (what each cloud offers, who
// owns what). Placement lives here: a capacity check of vCPUs, memory and
// disk against the host's capacity times the allocation ratios, and the
// choice of the least-loaded host.
//
// Not thread-safe: the simulator owns one and guards it.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/workload.hpp"

namespace steward::sim {

/// Nova's allocation ratios: how much may be placed per unit of a host.
struct allocation_ratios {
  double cpu = 4.0;
  double ram = 1.0;
  double disk = 1.0;
};

/// What an instance takes from its host (or a host offers).
struct resources {
  int64_t vcpus = 0;
  int64_t memory_mb = 0;
  int64_t disk_gb = 0;
};

/// The flavor as an instance carries it (Nova's FlavorPayload).
struct flavor {
  std::string flavorid;
  std::string name;
  int64_t vcpus = 0;
  int64_t memory_mb = 0;
  int64_t root_gb = 0;
};

/// A catalog flavor as instances carry it: disk MiB to root GiB, rounded up.
flavor flavor_of(const flavor_spec& spec);

struct host {
  std::string cloud;
  std::string name;
  int64_t vcpus = 0;
  int64_t memory_mb = 0;
  int64_t local_gb = 0;
  std::string hypervisor_type;
  int64_t hypervisor_version = 0;
  bool disabled = false;
  std::string disabled_reason;
  bool forced_down = false;  // "down": never chosen by placement
};

struct ip_address {
  std::string address;
  std::string label;  // "internal" or "external"
};

struct instance {
  std::string uuid;
  std::string cloud;  // cloud name
  std::string host;   // "" when not placed
  std::string display_name;
  std::string project_id;
  flavor size;
  std::string image_uuid;
  std::string key_name;
  std::vector<std::string> security_groups;
  std::string vm_state = "active";  // building active stopped resized error deleted
  int64_t data_volume_gb = 0;
  std::vector<ip_address> ips;
  // A cold migration waiting for its confirmation (vm_state resized): Nova
  // keeps the instance's resources on the source host until then.
  std::string migration_source;
  std::string state_before_migration;

  /// What it takes from a host: its flavor plus its data volume.
  resources demand() const;
};

class world {
public:
  /// Builds the world of a checked workload. Throws workload_error when an
  /// instance does not fit on its host (with these ratios).
  world(workload catalog, allocation_ratios ratios);

  const allocation_ratios& ratios() const { return ratios_; }

  // --- the catalog --------------------------------------------------------
  const workload& catalog() const { return catalog_; }
  /// The cloud of that name, or nullptr.
  const cloud_spec* find_cloud(const std::string& name) const;
  std::vector<std::string> cloud_names() const;
  /// Adds an image (a snapshot) to what `cloud` offers.
  void add_template(const std::string& cloud, template_spec t);
  /// Adds a flavor to what `cloud` offers, unless it has one with its uuid.
  void add_flavor(const std::string& cloud, flavor_spec f);
  /// Sets how far the upload of `cloud`'s image `uuid` is.
  void set_upload(const std::string& cloud, const std::string& uuid, const std::string& status,
                  int64_t progress);
  /// Adds a user's key to `cloud`, unless it holds one with its uuid.
  void add_key(const std::string& cloud, key_spec k);
  /// Adds a project's network to `cloud`, unless it has one with its uuid.
  void add_network(const std::string& cloud, network_spec n);
  /// Makes `project` a tenant of `cloud` too. False for an unknown project.
  bool add_tenant(const std::string& cloud, const std::string& project);

  // --- hosts and instances ------------------------------------------------
  /// The host `name` of `cloud`, or nullptr.
  host* find_host(const std::string& cloud, const std::string& name);
  const host* find_host(const std::string& cloud, const std::string& name) const;
  /// The instance, or nullptr.
  instance* find_instance(const std::string& uuid);
  /// Hosts and instances of a cloud, hosts by name, instances by uuid.
  std::vector<const host*> hosts_of(const std::string& cloud) const;
  std::vector<const instance*> instances_of(const std::string& cloud) const;
  void add_instance(instance i);
  void remove_instance(const std::string& uuid);

  // --- placement ------------------------------------------------------------
  /// What may be placed on `h`: its capacity times the ratios.
  resources allowed(const host& h) const;
  /// What is placed on `h`, counting instances whose cold migration from it
  /// is not confirmed yet.
  resources used(const host& h) const;
  /// True when `more` (may be negative: a smaller flavor) still fits on `h`.
  bool fits(const host& h, const resources& more) const;
  /// Why `h` cannot take `demand` ("" when it can): disabled, down, no room.
  std::string refusal(const host& h, const resources& demand) const;
  /// The least-loaded enabled, up host of `cloud` with room for `demand`,
  /// other than `except`; ties go to the first name. "" when none has room.
  std::string choose_host(const std::string& cloud, const resources& demand,
                          const std::string& except = "") const;
  /// An internal address of `cloud` no instance has yet.
  std::string free_internal_ip(const std::string& cloud) const;

  /// The whole world as JSON (tests, the admin endpoint).
  nlohmann::json snapshot() const;

private:
  // The fullest of vCPUs, memory and disk, as a fraction of what is allowed.
  double load(const host& h) const;

  workload catalog_;
  allocation_ratios ratios_;
  std::map<std::string, host> hosts_;          // by name (unique across clouds)
  std::map<std::string, instance> instances_;  // by uuid
};

} // namespace steward::sim
