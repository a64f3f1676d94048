#pragma once
// An instance as Steward holds it: the instances API's instance with its
// state machine's state, its catalog references (ids, resolved to names and
// URLs when shown) and what the compute layer told of it. A value: the
// instance actor owns one, its registry and the maintenance sessions' view
// share it read-only. JSON is only at its edges
// (actors/instance/instance_json.hpp: the stored row and the events' document;
// actors/instance/instance_document.hpp: the API's presentation).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "common/clock.hpp"

namespace steward::instance {

/// The state machine's states, each stored and sent as one character.
enum class state : char {
  provisioning_scheduled = 'p',
  provisioning = 'P',
  online = '+',
  offline = '-',
  starting_scheduled = 'a',
  starting = 'A',
  stopping_scheduled = 'o',
  stopping = 'O',
  erred = 'e',
  deletion_scheduled = 'd',
  deleting = 'D',
  resizing_scheduled = 'r',
  resizing = 'R',
};

/// A security group as it was when the instance was created.
struct security_group_copy {
  std::string uuid, name, description;
  std::string rules;  // the catalog's rules, as JSON text
};

/// A flavor as the compute layer names it (Nova's flavor payload).
struct flavor_spec {
  std::string flavorid, name;
  int64_t vcpus = 0, memory_mb = 0, root_gb = 0;
};

/// A resize asked for and not yet confirmed: a new flavor, or a larger
/// data volume (MiB).
struct pending_resize {
  std::optional<flavor_spec> flavor;
  std::optional<int64_t> data_volume_size;
};

/// Errors as Waldur answers a body: messages by field (DRF's shape).
using field_errors = std::map<std::string, std::vector<std::string>>;

/// What a create body of /api/instances/ gives, each field read on its own
/// by the route; a catalog object as the id its URL names. What the catalog
/// and the caller's roles say of them is the registry's to check.
struct instance_fields {
  std::string hostname;
  std::string description;
  std::optional<std::string> project, image_template, flavor, ssh_public_key;
  std::vector<std::string> security_groups;  // their ids; "" for an item that names none
  std::vector<std::string> internal_ips, external_ips;
  int64_t data_volume_size = 20480;  // MiB
  field_errors errors;  // what the route found wrong already
};

/// What a resize body gives: a flavor (the id its URL names; "" when it
/// names none) or a larger data volume (MiB), never both.
struct resize_fields {
  std::optional<std::string> flavor;
  std::optional<int64_t> disk_size;
};

struct instance {
  std::string uuid;
  std::string hostname;
  std::string description;
  sys_time created;
  std::optional<sys_time> start_time;  // while it runs
  std::string project;                 // catalog ids
  std::string image_template;
  std::string cloud;
  std::string cloud_name;  // commands are routed by it
  std::string flavor;
  std::string flavor_name;
  int64_t cores = 0;
  int64_t ram = 0;                 // MiB
  int64_t system_volume_size = 0;  // MiB
  int64_t data_volume_size = 0;    // MiB
  std::string key;
  std::string key_name;
  std::string key_fingerprint;
  std::vector<security_group_copy> security_groups;
  std::vector<std::string> internal_ips;
  std::vector<std::string> external_ips;
  enum state current = state::provisioning_scheduled;
  std::optional<std::string> host;        // none until placed
  std::optional<std::string> request_id;  // of the last compute command
  bool restart_pending = false;           // a restart's start follows its stop
  std::optional<pending_resize> resize;
};

inline bool operator==(const security_group_copy& a, const security_group_copy& b) {
  return std::tie(a.uuid, a.name, a.description, a.rules)
         == std::tie(b.uuid, b.name, b.description, b.rules);
}
inline bool operator==(const flavor_spec& a, const flavor_spec& b) {
  return std::tie(a.flavorid, a.name, a.vcpus, a.memory_mb, a.root_gb)
         == std::tie(b.flavorid, b.name, b.vcpus, b.memory_mb, b.root_gb);
}
inline bool operator==(const pending_resize& a, const pending_resize& b) {
  return a.flavor == b.flavor && a.data_volume_size == b.data_volume_size;
}
inline bool operator==(const instance& a, const instance& b) {
  auto fields = [](const instance& x) {
    return std::tie(x.uuid, x.hostname, x.description, x.created, x.start_time, x.project,
                    x.image_template, x.cloud, x.cloud_name, x.flavor, x.flavor_name, x.cores,
                    x.ram, x.system_volume_size, x.data_volume_size, x.key, x.key_name,
                    x.key_fingerprint, x.security_groups, x.internal_ips, x.external_ips,
                    x.current, x.host, x.request_id, x.restart_pending, x.resize);
  };
  return fields(a) == fields(b);
}
inline bool operator!=(const instance& a, const instance& b) { return !(a == b); }

} // namespace steward::instance
