#pragma once
// An inventory host as Steward holds it: a compute node with its capacity,
// its compute service's status, its extra capabilities, whether it is
// enrolled as a reservable host (leases) and which maintenance session holds
// it. A value: the host actor owns one, the host registry, the lease
// registry and the maintenance sessions' view share it read-only. JSON is
// only at its edges (actors/inventory/host_json.hpp: the document the API
// shows and events carry, and the stored row).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>

#include "common/clock.hpp"

namespace steward::inventory {

/// An extra capability's value as it was given: a text, a number or a
/// boolean (the host filters compare numbers as numbers).
struct capability {
  enum class type : char { text = 't', number = 'n', boolean = 'b' };
  type kind = type::text;
  std::string value;  // the text; the number as JSON writes it; "true" / "false"
};

using capabilities = std::map<std::string, capability>;
/// Capabilities to merge into a host's: a value sets one, none removes it.
using capability_changes = std::map<std::string, std::optional<capability>>;

/// The fields a create or update body of /v1/inventory/hosts names, each
/// read on its own by the route (the host's rules check them together).
struct host_fields {
  std::string hypervisor_hostname;  // a create's; an update cannot change it
  std::optional<int64_t> vcpus, memory_mb, local_gb, hypervisor_version;
  std::optional<std::string> hypervisor_type, cloud, disabled_reason, cpu_info;
  std::optional<bool> enabled;
  std::optional<sys_time> disabled_until;
  bool clears_disabled_until = false;  // given as null
  capability_changes extra;
};

/// What an enrolment body of /v1/os-hosts gives: the compute host's name and
/// the extra capabilities to set on it.
struct enrollment_fields {
  std::string name;
  capability_changes extra;
};

/// Blazar's record of a host enrolled as reservable (/v1/os-hosts).
struct enrollment {
  std::string number;  // Blazar's id of the host: "1", "2", ...
  sys_time created_at;                 // whole seconds, as shown
  std::optional<sys_time> updated_at;  // its capabilities' last change
};

struct host {
  std::string id;
  std::string hypervisor_hostname;
  std::string service_name;
  std::string cloud = "default";
  std::string hypervisor_type = "QEMU";
  int64_t hypervisor_version = 0;
  int64_t vcpus = 0;
  int64_t memory_mb = 0;
  int64_t local_gb = 0;
  std::string cpu_info;
  bool enabled = true;  // its compute service's status
  bool up = true;       // false while the service is forced down
  std::string disabled_reason;
  std::optional<sys_time> disabled_until;  // re-enables itself then
  capabilities extra;
  sys_time created_at;                  // whole seconds, as shown
  std::optional<sys_time> updated_at;   // whole seconds; none before a change
  std::optional<enrollment> enrolled;   // none: not reservable
  std::string maintenance_session;      // the session that holds it; "" none
};

/// Whether a maintenance session holds the host (no lease is handed it).
inline bool in_maintenance(const host& h) { return !h.maintenance_session.empty(); }

inline bool operator==(const capability& a, const capability& b) {
  return a.kind == b.kind && a.value == b.value;
}
inline bool operator==(const enrollment& a, const enrollment& b) {
  return a.number == b.number && a.created_at == b.created_at && a.updated_at == b.updated_at;
}
inline bool operator==(const host& a, const host& b) {
  auto fields = [](const host& x) {
    return std::tie(x.id, x.hypervisor_hostname, x.service_name, x.cloud, x.hypervisor_type,
                    x.hypervisor_version, x.vcpus, x.memory_mb, x.local_gb, x.cpu_info,
                    x.enabled, x.up, x.disabled_reason, x.disabled_until, x.extra, x.created_at,
                    x.updated_at, x.enrolled, x.maintenance_session);
  };
  return fields(a) == fields(b);
}
inline bool operator!=(const host& a, const host& b) { return !(a == b); }

} // namespace steward::inventory
