// The host filter language (hypervisor_properties, resource_properties):
// parse the input, and run what parses against a few host documents.
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "actors/lease/host_filter.hpp"

using namespace steward;

namespace {

// Hosts of the shapes a filter meets: columns, extra capabilities of each
// JSON type, and an almost empty one.
const nlohmann::json& hosts() {
  static const nlohmann::json all = nlohmann::json::parse(R"([
    {"name": "compute-1", "hypervisor_hostname": "compute-1", "vcpus": 16, "memory_mb": 65536,
     "local_gb": 1000, "hypervisor_type": "QEMU", "disabled": false,
     "extra": {"gpu": "true", "rack": "r1", "speed": 2.5, "zone": null, "nested": {"a": 1},
               "list": [1, 2], "big": 18446744073709551615, "neg": -9223372036854775808}},
    {"name": "compute-2", "vcpus": "8", "memory_mb": "1e309", "extra": "not an object"},
    {}
  ])");
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
