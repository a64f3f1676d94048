#include "actors/instance/instance_index.hpp"

#include <algorithm>
#include <queue>

namespace steward::instance {

bool instance_index::hostname_order::operator()(const listed* a, const listed* b) const {
  return ascending(*a, *b, &listed::hostname);
}

void instance_index::put(const std::string& id, listed item) {
  if (auto at = items_.find(id); at != items_.end() && at->second.project == item.project
                                 && at->second.hostname == item.hostname
                                 && at->second.current == item.current) {
    // Its place in its project's order and counts stays: only what it shows
    // changes (a catalog's new names reach 100k instances this way).
    item.uuid = &at->first;
    at->second = std::move(item);
    return;
  }
  erase(id);
  auto at = items_.emplace(id, std::move(item)).first;
  at->second.uuid = &at->first;
  auto& group = projects_[at->second.project];
  group.by_hostname.insert(&at->second);
  ++group.per_state[at->second.current];
}

void instance_index::erase(const std::string& id) {
  auto at = items_.find(id);
  if (at == items_.end())
    return;
  // Out of its project's order before the entry goes: the order reads it.
  auto group = projects_.find(at->second.project);
  group->second.by_hostname.erase(&at->second);
  if (--group->second.per_state[at->second.current] == 0)
    group->second.per_state.erase(at->second.current);
  if (group->second.by_hostname.empty())
    projects_.erase(group);
  items_.erase(at);
}

std::vector<const instance_index::project_group*>
instance_index::matching_projects(const list_query& q, const visible_fn& visible) const {
  std::vector<const project_group*> out;
  for (auto& [project, group] : projects_) {
    auto& any = **group.by_hostname.begin();  // what the project's instances share
    if (!visible(any))
      continue;
    if (matches_project(any, q))
      out.push_back(&group);
  }
  return out;
}

// Merges the projects' hostname orders, skipping what the state filter
// leaves out, until the page is full: it costs the page's offset and length
// (and the log of the projects), not the number of instances.
void instance_index::walk_by_hostname(const std::vector<const project_group*>& groups,
                                      const list_query& q, page& out) const {
  auto fill = [&](auto begin_of, auto end_of, auto comes_first) {
    using iterator = decltype(begin_of(*groups.front()));
    struct cursor {
      iterator at, end;
    };
    auto later = [&](const cursor& a, const cursor& b) { return comes_first(*b.at, *a.at); };
    std::priority_queue<cursor, std::vector<cursor>, decltype(later)> next(later);
    for (auto* g : groups)
      if (begin_of(*g) != end_of(*g))
        next.push({begin_of(*g), end_of(*g)});
    auto skip = out.shown.first;
    while (!next.empty() && out.items.size() < out.shown.count) {
      auto c = next.top();
      next.pop();
      const listed* item = *c.at;
      if (!q.state_filter || item->current == *q.state_filter) {
        if (skip > 0)
          --skip;
        else
          out.items.push_back(item);
      }
      if (++c.at != c.end)
        next.push(c);
    }
  };
  if (groups.empty())
    return;
  hostname_order by_hostname;
  if (q.descending)
    fill([](const project_group& g) { return g.by_hostname.rbegin(); },
         [](const project_group& g) { return g.by_hostname.rend(); },
         [&](const listed* a, const listed* b) { return by_hostname(b, a); });
  else
    fill([](const project_group& g) { return g.by_hostname.begin(); },
         [](const project_group& g) { return g.by_hostname.end(); }, by_hostname);
}

std::optional<refusal> instance_index::list(const list_query& q, const visible_fn& visible,
                                            page& out) const {
  auto groups = matching_projects(q, visible);
  bool by_hostname = member_of(q.order_field) == &listed::hostname;
  if (!filters_members(q)) {
    // Counted per project and state; walked in hostname order if so ordered.
    for (auto* g : groups) {
      if (!q.state_filter) {
        out.total += g->by_hostname.size();
      } else if (auto n = g->per_state.find(*q.state_filter); n != g->per_state.end()) {
        out.total += n->second;
      }
    }
    if (auto r = paginate(out.total, q, out.shown))
      return r;
    if (by_hostname) {
      walk_by_hostname(groups, q, out);
      return std::nullopt;
    }
  }
  std::vector<const listed*> all;
  for (auto* g : groups)
    for (auto* item : g->by_hostname)
      if (matches(*item, q))
        all.push_back(item);
  out.total = all.size();
  out.shown = {};
  if (auto r = paginate(out.total, q, out.shown))
    return r;
  order(all, q, out.shown.first, out.shown.count);
  out.items.assign(all.begin() + static_cast<std::ptrdiff_t>(out.shown.first),
                   all.begin() + static_cast<std::ptrdiff_t>(out.shown.first + out.shown.count));
  return std::nullopt;
}

} // namespace steward::instance
