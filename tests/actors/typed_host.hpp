#pragma once
// Tests describe hosts as the document the inventory shows (the fields they
// care about) and hand them on typed.
#include <chrono>
#include <memory>

#include <nlohmann/json.hpp>

#include "actors/inventory/host_json.hpp"
#include "messages/hosts.hpp"

namespace steward::test {

inline host_ptr typed_host(const nlohmann::json& doc) {
  return std::make_shared<const inventory::host>(inventory::from_document(doc).value());
}

/// A host with every field set (each optional too).
inline inventory::host every_field_host() {
  using namespace std::chrono;
  using inventory::capability;
  inventory::host h;
  h.id = "5b1e9e1c-2f7a-4d8e-9c1b-3a4d5e6f7a8b";
  h.hypervisor_hostname = "compute-7";
  h.service_name = "compute-7.svc";
  h.cloud = "source";
  h.hypervisor_type = "KVM";
  h.hypervisor_version = 6002000;
  h.vcpus = 64;
  h.memory_mb = 262144;
  h.local_gb = 2000;
  h.cpu_info = R"({"arch": "x86_64"})";
  h.enabled = false;
  h.up = false;
  h.disabled_reason = "disk swap";
  h.disabled_until = sys_time{seconds{1900000000}} + microseconds{250000};
  h.extra = {{"gpu", {capability::type::text, "a100"}},
             {"gpus", {capability::type::number, "4"}},
             {"ratio", {capability::type::number, "1.5"}},
             {"fast", {capability::type::boolean, "true"}}};
  h.created_at = sys_time{seconds{1890000000}};
  h.updated_at = sys_time{seconds{1890000600}};
  h.enrolled = inventory::enrollment{"3", sys_time{seconds{1890000100}},
                                     sys_time{seconds{1890000200}}};
  h.maintenance_session = "s-1";
  return h;
}

} // namespace steward::test
