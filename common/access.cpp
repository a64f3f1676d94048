#include "common/access.hpp"

namespace steward::access {

bool parse_role(const std::string& text, role& out) {
  if (text == "admin")
    out = role::admin;
  else if (text == "manager")
    out = role::manager;
  else if (text == "member")
    out = role::member;
  else
    return false;
  return true;
}

const char* role_name(role r) {
  switch (r) {
    case role::admin: return "admin";
    case role::manager: return "manager";
    case role::member: return "member";
  }
  return "member";
}

bool can_see_project(const caller& who, const std::string& project_id) {
  return who.staff || who.projects.count(project_id) > 0;
}

bool has_project_role(const caller& who, const std::string& project_id, role needed) {
  if (who.staff)
    return true;
  auto i = who.projects.find(project_id);
  return i != who.projects.end() && static_cast<int>(i->second) >= static_cast<int>(needed);
}

bool owns_customer(const caller& who, const std::string& customer_id) {
  return who.staff || who.customers.count(customer_id) > 0;
}

bool can_see_customer_project(const caller& who, const std::string& project_id,
                              const std::string& customer_id) {
  return can_see_project(who, project_id)
         || (!customer_id.empty() && owns_customer(who, customer_id));
}

bool can_see_through_projects(const caller& who, const std::string& customer_id,
                              const std::vector<std::string>& projects) {
  if (owns_customer(who, customer_id))
    return true;
  for (auto& p : projects)
    if (can_see_project(who, p))
      return true;
  return false;
}

bool is_self(const caller& who, const std::string& user_id) {
  return who.staff || (!user_id.empty() && who.user_id == user_id);
}

std::string sole_project(const caller& who) {
  return who.projects.size() == 1 ? who.projects.begin()->first : std::string{};
}

bool is_staff(const caller& who) { return who.staff; }

bool acts_for_no_project(const caller& who) { return who.staff && who.projects.empty(); }

bool can_see_event(const caller& who, const std::string& project_id) {
  if (who.staff)
    return true;
  return !project_id.empty() && who.projects.count(project_id) > 0;
}

} // namespace steward::access
