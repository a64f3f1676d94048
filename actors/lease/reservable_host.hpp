#pragma once
// An inventory host as Blazar shows it (/v1/os-hosts): enrolled as
// reservable with a number of its own, its extra capabilities flattened in.
// No actors here.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/lease/allocation_book.hpp"
#include "actors/lease/lease_dates.hpp"
#include "common/refusal.hpp"
#include "messages/host.hpp"

namespace steward::lease {

/// Its Blazar id ("3"); "" when it is not enrolled.
std::string host_number(const inventory::host& h);
/// Its Blazar id as a number; 0 when it is not enrolled.
long number_of(const inventory::host& h);
/// The host as /v1/os-hosts shows it.
nlohmann::json show_host(const inventory::host& h);

/// The record of a host enrolled now under `number`.
inventory::enrollment enrollment(const std::string& number, sys_time now);

/// One host's allocations as /v1/os-hosts/allocations shows them, keeping
/// only those of `lease_id` / `reservation_id` when given (non-empty).
nlohmann::json show_allocation(const std::string& host_number,
                               const std::vector<allocation>& allocations,
                               const std::string& lease_id, const std::string& reservation_id);

} // namespace steward::lease
