#pragma once
// An environment template's rules, as Murano has them, and where Murano is
// lax what a careful operator expects: names, who may read and who may
// change a template, and what its applications must be. No actors here.
#include <optional>
#include <string>

#include "common/access.hpp"
#include "common/clock.hpp"
#include "common/refusal.hpp"
#include "messages/environment.hpp"

namespace steward::environment {

/// Why `name` cannot name a template ("" when it can): blank or too long.
/// `creating`: a create's or clone's message for a blank one, else an
/// update's.
std::string check_template_name(const std::string& name, bool creating);

/// Whether the applications may be a template's: a list of objects, each
/// naming itself in "?" with a text `id` and `type`, no id twice.
std::optional<refusal> check_applications(const nlohmann::json& services);

/// A new template of `tenant` with what a create body gave.
environment_template make_template(const template_fields& given, const std::string& tenant,
                                   sys_time now);
/// A copy of `source` for `tenant`, named and published as the clone body
/// says (private unless it says otherwise).
environment_template clone_template(const environment_template& source,
                                    const template_fields& given, const std::string& tenant,
                                    sys_time now);
/// An update: what the body gives replaces what the template had.
void update_template(environment_template& t, const template_fields& given, sys_time now);
/// Marks a change of `t` (its applications, its fields): version + 1.
void touch(environment_template& t, sys_time now);

/// A public template is every project's to read, clone and make
/// environments from; the rest only its project's (and staff's).
bool can_read(const access::caller& who, const environment_template& t);
/// Only its project (and staff) change or delete a template, public or not
/// (Murano let any project delete a public one).
bool can_change(const access::caller& who, const environment_template& t);

} // namespace steward::environment
