#pragma once
// The payloads of the outcome notifications, as docs/compute-contract.md
// spells them: Nova's versioned objects (InstanceActionPayload,
// ServiceStatusPayload, ExceptionPayload, ...) with the contract's
// extensions, and the catalog.
#include <string>

#include <nlohmann/json.hpp>

#include "sim/world.hpp"

namespace steward::sim {

/// Why a command failed: Nova's exception class name and its message.
struct fault {
  std::string exception;  // "NoValidHost", "NotFound", ...
  std::string message;
};

/// {"nova_object.name": name, "nova_object.namespace": ns,
///  "nova_object.version": version, "nova_object.data": data}
nlohmann::json nova_object(const std::string& name, const std::string& version,
                           nlohmann::json data, const std::string& ns = "nova");

/// ExceptionPayload of a fault.
nlohmann::json exception_payload(const fault& f);

/// InstanceActionPayload: the instance as it is now, the request it answers
/// ("" gives null), and the fault (nullptr: none). `extra` fields are added
/// to the data (snapshot_image_id); `object_name` is Nova's name of the
/// payload class.
nlohmann::json instance_payload(const instance& i, const std::string& request_id,
                                const fault* f, const nlohmann::json& extra = nullptr,
                                const std::string& object_name = "InstanceActionPayload");

/// ServiceStatusPayload of a host, with its capacity (the contract's
/// extension).
nlohmann::json service_payload(const host& h, const std::string& request_id);

/// The payload of compute.command.error: a host or catalog command that
/// failed; `subject` is what it was about (the host, the project, the
/// flavor's or image's uuid).
nlohmann::json command_error_payload(const std::string& cloud, const std::string& command,
                                     const std::string& host, const std::string& subject,
                                     const std::string& request_id, const fault& f);

/// catalog.update of one cloud: what it offers, the projects that use it,
/// their project groups and customers (and the cloud's own customer).
nlohmann::json catalog_payload(const workload& catalog, const cloud_spec& cloud,
                               const std::string& request_id);

/// instance.usage: one sample of what an instance uses.
nlohmann::json usage_payload(const instance& i, double cpu_util, int64_t memory_mb,
                             int64_t disk_gb);

/// Nova's power_state name for an instance in this state.
std::string power_state_of(const instance& i);

} // namespace steward::sim
