// Nova's versioned notifications as the ingest routes them, decoded into
// documents the way the registries do: `service.*` into an inventory host,
// `instance.*` into a learned instance (then rendered and listed),
// `catalog.update` into the catalog. Input: an oslo wire body.
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "actors/catalog/catalog.hpp"
#include "actors/instance/instance_document.hpp"
#include "actors/instance/instance_json.hpp"
#include "actors/inventory/host_document.hpp"
#include "bus/oslo.hpp"
#include "common/json_fields.hpp"

using namespace steward;
using nlohmann::json;

namespace {

// A catalog with what learned instances refer to: the default workload's
// cloud, one flavor, one key, a project of a customer.
const catalog::catalog& known_catalog() {
  static const catalog::catalog c = [] {
    catalog::catalog cat;
    auto err = cat.apply_update(json::parse(R"({
      "cloud": {"uuid": "1add5e51f8b143bca9cdf42dc21f0728", "name": "default",
                "customer": "ed094c4ceba941ef88a349f12c91c14d"},
      "flavors": [{"uuid": "b5aa7ec4a03a4eaaa6d9649043619999", "name": "m1.small",
                   "cores": 1, "ram": 2048, "disk": 20480}],
      "templates": [{"uuid": "c0ffee00c0ffee00c0ffee00c0ffee00", "name": "debian-12", "os": "debian"}],
      "keys": [{"uuid": "5e1f5e1f5e1f5e1f5e1f5e1f5e1f5e1f", "name": "alice-key",
                "fingerprint": "aa:bb", "user": "alice"}],
      "customers": [{"uuid": "ed094c4ceba941ef88a349f12c91c14d", "name": "Acme"}],
      "project_groups": [{"uuid": "0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a", "name": "research",
                          "customer": "ed094c4ceba941ef88a349f12c91c14d"}],
      "projects": [{"uuid": "f00df00df00df00df00df00df00df00d", "name": "demo",
                    "customer": "ed094c4ceba941ef88a349f12c91c14d",
                    "project_groups": ["0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a"],
                    "clouds": ["1add5e51f8b143bca9cdf42dc21f0728"]}]
    })"));
    if (!err.empty())
      abort(); // the fixture itself is wrong
    return cat;
  }();
  return c;
}

bool starts_with(const std::string& s, const char* prefix) {
  return s.compare(0, std::char_traits<char>::length(prefix), prefix) == 0;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string body(reinterpret_cast<const char*>(data), size);
  std::string error;
  auto note = bus::decode(body, error);
  if (!note)
    return 0;
  sys_time now{std::chrono::seconds{1796126400}};
  const json& nova = bus::object_data(note->payload);

  if (starts_with(note->event_type, "service.")) {
    // The host registry takes a nova-compute service by its host name, if
    // the payload keeps the inventory API's rules.
    if (text_field(nova, "binary") != "nova-compute" || !inventory::check_nova_service(nova).empty())
      return 0;
    auto doc = inventory::learned_host(text_field(nova, "host"), now);
    if (inventory::apply_service_status(doc, nova, now))
      (void)inventory::enable_deadline(doc);
  } else if (starts_with(note->event_type, "instance.")) {
    // As the instance registry: what breaks the API's rules is refused.
    if (!instance::check_nova_instance(nova).empty())
      return 0;
    const auto& cat = known_catalog();
    auto learned = instance::learned_instance(nova, cat, now);
    (void)instance::render(learned, cat, "http://steward.example:8080");
    (void)instance::from_stored(instance::to_stored(learned));
    auto item = instance::describe(learned, cat);
    instance::list_query q;
    (void)instance::matches(item, q);
  } else if (note->event_type == "catalog.update") {
    auto cat = known_catalog();
    if (cat.apply_update(note->payload).empty())
      (void)catalog::catalog::from_json(cat.to_json());
  }
  return 0;
}
