#pragma once
// The workload the simulated cloud starts with: clouds (hosts and what each
// cloud offers), the customers and projects that own instances, and the
// instances themselves. The JSON format is documented in docs/simulator.md.
//
// Loading checks the structure and every reference (an instance on an
// unknown host, an unknown flavor, a duplicate uuid or name, ...) and says
// which item is wrong. Capacity depends on the allocation ratios of the
// configuration, so the world checks it when it is built (world.hpp).
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace steward::sim {

/// A workload that cannot be used; the message names the item and the fault.
class workload_error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

struct host_spec {
  std::string name;
  int64_t vcpus = 0;
  int64_t memory_mb = 0;
  int64_t local_gb = 0;
  std::string hypervisor_type = "QEMU";
  int64_t hypervisor_version = 4002000;
  bool disabled = false;
  std::string disabled_reason;  // "" when none
  bool forced_down = false;
};

/// Sizes as the instance API shows them: ram and disk in MiB.
struct flavor_spec {
  std::string uuid;
  std::string name;
  int64_t cores = 0;
  int64_t ram = 0;
  int64_t disk = 0;
};

/// An image an instance boots from.
struct template_spec {
  std::string uuid;
  std::string name;
  std::string os;
  std::string status = "active";  // "saving" while it is being uploaded
  int64_t progress = 100;         // percent uploaded
};

struct key_spec {
  std::string uuid;
  std::string name;
  std::string fingerprint;
  std::string user;
};

/// A project's network in a cloud.
struct network_spec {
  std::string uuid;
  std::string name;
  std::string project;  // uuid (a name or uuid in the file)
  std::string cidr;
};

struct security_group_spec {
  std::string uuid;
  std::string name;
  std::string description;
  nlohmann::json rules = nlohmann::json::array();  // passed through as given
};

struct cloud_spec {
  std::string uuid;
  std::string name;      // what commands are routed by: compute.<name>
  std::string customer;  // customer uuid, "" when none
  std::vector<host_spec> hosts;
  std::vector<flavor_spec> flavors;
  std::vector<template_spec> templates;
  std::vector<key_spec> keys;
  std::vector<security_group_spec> security_groups;
  std::vector<network_spec> networks;
};

struct customer_spec {
  std::string uuid;
  std::string name;
  std::string abbreviation;
};

struct project_group_spec {
  std::string uuid;
  std::string name;
  std::string customer;  // uuid
};

struct project_spec {
  std::string uuid;
  std::string name;
  std::string customer;                     // uuid
  std::vector<std::string> project_groups;  // uuids
  std::vector<std::string> clouds;          // uuids
};

/// An instance as the workload gives it. Every reference is resolved at
/// load time to the uuid (cloud: the name) of what it names.
struct instance_spec {
  std::string uuid;
  std::string cloud;  // cloud name
  std::string host;   // "" for an instance that was never placed (state error)
  std::string display_name;
  std::string project;                       // project uuid
  std::string flavor;                        // flavor uuid
  std::string template_uuid;                 // "" when none
  std::string key;                           // key name, "" when none
  std::vector<std::string> security_groups;  // names
  std::string state = "active";              // active | stopped | error
  int64_t data_volume_gb = 0;
  std::vector<std::string> internal_ips;
  std::vector<std::string> external_ips;
};

struct workload {
  std::vector<cloud_spec> clouds;
  std::vector<customer_spec> customers;
  std::vector<project_group_spec> project_groups;
  std::vector<project_spec> projects;
  std::vector<instance_spec> instances;
};

/// Reads and checks a workload document. Throws workload_error.
workload parse_workload(const nlohmann::json& doc);
/// Parses JSON text; `source` names it in errors (a file name). Throws
/// workload_error.
workload parse_workload_text(const std::string& text, const std::string& source);
/// Reads a workload file. Throws workload_error.
workload load_workload_file(const std::string& path);

/// The small workload built into the binary (sim/default_workload.json).
const std::string& default_workload_text();
workload default_workload();

/// The cloud named `name` (or with that uuid), or nullptr.
const cloud_spec* find_cloud(const workload& w, const std::string& name_or_uuid);
/// The flavor of `cloud` with that uuid, or nullptr.
const flavor_spec* find_flavor(const cloud_spec& cloud, const std::string& uuid);
/// The template of `cloud` with that uuid, or nullptr.
const template_spec* find_template(const cloud_spec& cloud, const std::string& uuid);

} // namespace steward::sim
