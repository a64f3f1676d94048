#pragma once
// The host filter language of lease reservations (hypervisor_properties,
// resource_properties): a JSON text such as
//   ["==", "$hypervisor_hostname", "compute-1"]
//   ["and", [">=", "$vcpus", "8"], ["==", "$gpu", "true"]]
// with the operators == = != >= <= > <; "" and "[]" match every host.
// Fields are the host's own (`$vcpus`, `$memory_mb`, ...) or its extra
// capabilities. Numbers compare as numbers, anything else as text.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "messages/host.hpp"

namespace steward::lease {

class host_filter {
public:
  /// Parses `text`; on a malformed filter returns nothing and says why.
  static std::optional<host_filter> parse(const std::string& text, std::string& error);
  /// Whether an inventory host passes the filter.
  bool matches(const inventory::host& host) const;
  bool matches_everything() const { return expr_.is_null(); }

private:
  nlohmann::json expr_;  // the parsed condition; null: every host
};

} // namespace steward::lease
