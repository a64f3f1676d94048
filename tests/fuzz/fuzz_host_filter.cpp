// The host filter language (hypervisor_properties, resource_properties):
// parse the input, and run what parses against a few hosts.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/inventory/host_json.hpp"
#include "actors/lease/host_filter.hpp"

using namespace steward;

namespace {

// Hosts of the shapes a filter meets, read as stored rows are: columns,
// extra capabilities of each JSON type (those that are not scalars dropped),
// and an almost empty one.
const std::vector<inventory::host>& hosts() {
  static const std::vector<inventory::host> all = [] {
    auto docs = nlohmann::json::parse(R"([
      {"id": "h-1", "hypervisor_hostname": "compute-1", "vcpus": 16, "memory_mb": 65536,
       "local_gb": 1000, "hypervisor_type": "QEMU", "status": "disabled",
       "disabled_until": "2030-01-01T00:00:00", "in_maintenance": true,
       "maintenance_session": "s-1", "enrolled": {"id": "4"},
       "extra": {"gpu": "true", "rack": "r1", "speed": 2.5, "zone": null, "nested": {"a": 1},
                 "list": [1, 2], "big": 18446744073709551615, "neg": -9223372036854775808,
                 "tiny": 1e-320}},
      {"id": "h-2", "vcpus": "8", "memory_mb": "1e309", "extra": "not an object"},
      {"id": ""}
    ])");
    std::vector<inventory::host> out;
    for (auto& d : docs)
      out.push_back(inventory::from_document(d).value());
    return out;
  }();
  return all;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  std::string error;
  auto filter = lease::host_filter::parse(text, error);
  if (!filter)
    return 0;
  for (const auto& host : hosts())
    (void)filter->matches(host);
  return 0;
}
