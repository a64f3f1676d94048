#pragma once
// The registry's index of instances for lists: what each instance is
// filtered and ordered on, grouped by project, each project's instances in
// hostname order with a count per state. Visibility and most filters are the
// project's (a caller sees whole projects; names of projects, customers and
// groups are the project's), so a list looks at the projects, counts from
// the counts, and walks only the page it shows in hostname order. Filters on
// an instance's own names, or another ordering, fall back to looking at every
// instance of the matching projects.
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "actors/instance/instance_document.hpp"

namespace steward::instance {

class instance_index {
public:
  /// Adds the instance `id`, or replaces what was known of it.
  void put(const std::string& id, listed item);
  void erase(const std::string& id);

  /// Whether a caller sees a project's instances (given one of them).
  using visible_fn = std::function<bool(const listed&)>;
  struct page {
    std::size_t total = 0;
    page_result shown;
    std::vector<const listed*> items;  // in order
  };
  /// The page `q` asks for, or paginate's refusal.
  std::optional<refusal> list(const list_query& q, const visible_fn& visible, page& out) const;

private:
  struct hostname_order {
    bool operator()(const listed* a, const listed* b) const;
  };
  struct project_group {
    std::set<const listed*, hostname_order> by_hostname;
    std::map<state, std::size_t> per_state;
  };

  std::vector<const project_group*> matching_projects(const list_query& q,
                                                      const visible_fn& visible) const;
  void walk_by_hostname(const std::vector<const project_group*>& groups, const list_query& q,
                        page& out) const;

  std::unordered_map<std::string, listed> items_;
  std::unordered_map<std::string, project_group> projects_;
};

} // namespace steward::instance
