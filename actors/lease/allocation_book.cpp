#include "actors/lease/allocation_book.hpp"

#include <algorithm>

namespace steward::lease {

using inventory::host;

bool allocatable(const host& h) {
  return h.enabled && h.up && !inventory::in_maintenance(h);
}

bool allocation_book::is_free(const std::string& host, sys_time start, sys_time end,
                              const std::string& ignore_lease) const {
  auto h = by_host_.find(host);
  if (h == by_host_.end())
    return true;
  // The latest allocation starting before `end` decides: windows do not
  // overlap, so every earlier one ends before it starts.
  for (auto i = h->second.lower_bound(end); i != h->second.begin();) {
    auto& a = (--i)->second;
    if (a.lease_id == ignore_lease)
      continue;
    return a.end <= start;
  }
  return true;
}

std::optional<std::vector<std::string>>
allocation_book::choose(const std::vector<const host*>& hosts, const host_reservation& r,
                        sys_time start, sys_time end, const std::string& ignore_lease) const {
  std::vector<const host*> candidates;
  for (auto* h : hosts)
    if (allocatable(*h) && r.hypervisor_filter.matches(*h) && r.resource_filter.matches(*h)
        && is_free(h->id, start, end, ignore_lease))
      candidates.push_back(h);
  if (candidates.size() < static_cast<std::size_t>(r.min))
    return std::nullopt;
  std::sort(candidates.begin(), candidates.end(), [](const host* a, const host* b) {
    return a->hypervisor_hostname < b->hypervisor_hostname;
  });
  std::vector<std::string> chosen;
  for (auto* h : candidates) {
    if (chosen.size() == static_cast<std::size_t>(r.max))
      break;
    chosen.push_back(h->id);
  }
  return chosen;
}

void allocation_book::add(const std::string& host, allocation a) {
  auto lease = a.lease_id;
  auto start = a.start;
  auto i = by_host_[host].emplace(start, std::move(a));
  by_lease_[lease].emplace_back(host, i);
}

void allocation_book::remove_lease(const std::string& lease_id) {
  auto l = by_lease_.find(lease_id);
  if (l == by_lease_.end())
    return;
  for (auto& [host, i] : l->second) {
    auto h = by_host_.find(host);
    h->second.erase(i);
    if (h->second.empty())
      by_host_.erase(h);
  }
  by_lease_.erase(l);
}

bool allocation_book::reserved(const std::string& host) const {
  return by_host_.count(host) > 0;
}

std::vector<allocation> allocation_book::on_host(const std::string& host) const {
  std::vector<allocation> out;
  if (auto h = by_host_.find(host); h != by_host_.end())
    for (auto& [start, a] : h->second)
      out.push_back(a);
  return out;
}

} // namespace steward::lease
