#pragma once
// Who is calling, and the one place that decides what they may see and do.
#include <map>
#include <set>
#include <string>
#include <vector>

namespace steward::access {

enum class role { member = 0, manager = 1, admin = 2 };

struct caller {
  std::string user_id;
  bool staff = false;
  std::map<std::string, role> projects;   // project id -> role
  std::set<std::string> customers;        // customers the user owns
};

/// "admin", "manager", "member"; false for anything else.
bool parse_role(const std::string& text, role& out);
const char* role_name(role r);

/// Staff, or any role in the project.
bool can_see_project(const caller& who, const std::string& project_id);
/// Staff, or a role in the project at least `needed`.
bool has_project_role(const caller& who, const std::string& project_id, role needed);
/// Staff, or the owner of the customer.
bool owns_customer(const caller& who, const std::string& customer_id);
/// Staff, a role in the project, or the owner of the project's customer.
bool can_see_customer_project(const caller& who, const std::string& project_id,
                              const std::string& customer_id);
/// Staff, the owner of the customer, or a role in one of `projects` (what
/// belongs to a customer, or to a project group, is seen by its projects).
bool can_see_through_projects(const caller& who, const std::string& customer_id,
                              const std::vector<std::string>& projects);
/// Staff, or the user `user_id` itself (what belongs to one user: SSH keys).
bool is_self(const caller& who, const std::string& user_id);
/// The one project the caller has a role in, "" when it has none or several
/// (a request that names no project acts in this one).
std::string sole_project(const caller& who);
/// Operator-only things (hosts, maintenance administration, the clock).
bool is_staff(const caller& who);
/// Staff with no role in any project: what it creates belongs to no project
/// (an operator's own lease).
bool acts_for_no_project(const caller& who);
/// Whether an event of `project_id` ("" = operator-only) may reach `who`.
bool can_see_event(const caller& who, const std::string& project_id);

} // namespace steward::access
