#include "actors/lease/allocation_book.hpp"

#include <algorithm>

#include "common/json_fields.hpp"

namespace steward::lease {

using nlohmann::json;

bool allocatable(const json& host) {
  return text_field(host, "status", "enabled") == "enabled"
         && text_field(host, "state", "up") == "up" && !bool_field(host, "in_maintenance");
}

bool allocation_book::is_free(const std::string& host, sys_time start, sys_time end,
                              const std::string& ignore_lease) const {
  auto i = by_host_.find(host);
  if (i == by_host_.end())
    return true;
  for (auto& a : i->second)
    if (a.lease_id != ignore_lease && a.start < end && start < a.end)
      return false;
  return true;
}

std::optional<std::vector<std::string>>
allocation_book::choose(const std::vector<json>& hosts, const host_reservation& r, sys_time start,
                        sys_time end, const std::string& ignore_lease) const {
  std::vector<const json*> candidates;
  for (auto& h : hosts)
    if (allocatable(h) && r.hypervisor_filter.matches(h) && r.resource_filter.matches(h)
        && is_free(text_field(h, "id"), start, end, ignore_lease))
      candidates.push_back(&h);
  if (candidates.size() < static_cast<std::size_t>(r.min))
    return std::nullopt;
  std::sort(candidates.begin(), candidates.end(), [](const json* a, const json* b) {
    return text_field(*a, "hypervisor_hostname") < text_field(*b, "hypervisor_hostname");
  });
  std::vector<std::string> chosen;
  for (auto* h : candidates) {
    if (chosen.size() == static_cast<std::size_t>(r.max))
      break;
    chosen.push_back(text_field(*h, "id"));
  }
  return chosen;
}

void allocation_book::add(const std::string& host, allocation a) {
  by_host_[host].push_back(std::move(a));
}

void allocation_book::remove_lease(const std::string& lease_id) {
  for (auto i = by_host_.begin(); i != by_host_.end();) {
    auto& list = i->second;
    list.erase(std::remove_if(list.begin(), list.end(),
                              [&](const allocation& a) { return a.lease_id == lease_id; }),
               list.end());
    i = list.empty() ? by_host_.erase(i) : std::next(i);
  }
}

bool allocation_book::reserved(const std::string& host) const {
  return by_host_.count(host) > 0;
}

} // namespace steward::lease
