#pragma once
// An instance as the instances API knows it: its validation on create and
// resize, how it is shown (with the catalog's names), and how lists are
// filtered, ordered and paginated. No actors here.
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/catalog/catalog.hpp"
#include "actors/instance/instance_state.hpp"
#include "common/access.hpp"
#include "common/clock.hpp"
#include "messages/instances.hpp"

namespace steward::instance {

/// An error answer: status and body (DRF shapes: {"field": ["..."]}, {"detail": "..."}).
struct refusal {
  int status;
  nlohmann::json body;
};

/// Checks a create body's fields against the catalog and the caller's
/// roles, with the errors its route found already. On success fills `out`
/// (state provisioning scheduled) and returns nothing.
std::optional<refusal> make_instance(const instance_fields& fields, const catalog::catalog& cat,
                                     const access::caller& who, sys_time now, instance& out);

/// Adds a DRF error message to a field (the route's and the rules' alike).
void add_error(field_errors& errors, const std::string& field, const std::string& message);

/// A refusal's body (DRF's shapes) in words: "flavor: Invalid hyperlink ...".
std::string in_words(const nlohmann::json& body);

/// Who acts for an environment's deployment: staff's rights, its own name
/// (the environment's project acts, as its administrator would).
access::caller deployment_caller();

/// The instance an environment's deployment wants, checked against the
/// catalog as a create body is (its flavor and image by id or by name in a
/// cloud of the project, its key by name, if any), under the id the
/// deployment chose. On a refusal, why, in words.
std::optional<std::string> make_deployed_instance(const deployment_instance& want,
                                                  const catalog::catalog& cat, sys_time now,
                                                  instance& out);

/// The API's limit on a hostname; a Nova display name is held to it too.
constexpr std::size_t max_hostname = 80;
/// The longest id, name or state a Nova payload may carry.
constexpr std::size_t max_reference = 255;
/// The largest size or count (vCPUs, MiB, GB) a Nova payload may carry.
constexpr int64_t max_count = 1000000000;
/// Why a Nova instance payload (its object data) cannot be taken in, by the
/// rules API input follows; "" when it can.
std::string check_nova_instance(const nlohmann::json& nova_data);

/// An instance reported by the compute layer that Steward did not know.
instance learned_instance(const nlohmann::json& nova_data, const catalog::catalog& cat,
                          sys_time now);

/// A resize body's fields checked against the catalog: a flavor of the
/// instance's cloud, or a data volume larger than the current one.
std::optional<refusal> check_resize(const resize_fields& fields, const instance& current,
                                    const catalog::catalog& cat, pending_resize& out);

/// The instance as the API shows it, with URLs under `base`. Names of the
/// project, customer, groups and template come from the catalog as it is now.
nlohmann::json render(const instance& i, const catalog::catalog& cat, const std::string& base);

/// What lists filter and order by, looked up in the catalog once per
/// instance change (the registry keeps one per instance).
struct listed {
  const instance* value;
  const std::string* uuid = nullptr;  // the index's key; the instance's otherwise
  std::string project;  // its id
  std::string hostname, state, customer_name, project_name, template_name;
  std::vector<std::string> project_group_names;
  std::string project_group_name;  // the first of them, for ordering
  enum state current = state::erred;  // the state field, parsed
};
listed describe(const instance& i, const catalog::catalog& cat);

// -- lists -------------------------------------------------------------------

/// Who may see an instance: staff, the owner of its project's customer, any
/// role in its project.
bool can_see(const access::caller& who, const instance& i, const catalog::catalog& cat);
/// The same for a listed instance (no copy of its project id).
bool can_see(const access::caller& who, const listed& item, const catalog::catalog& cat);
/// Who may create and operate: staff and project administrators.
bool can_operate(const access::caller& who, const instance& i);

/// A text field of a listed instance.
using listed_field = std::string listed::*;

struct list_query {
  std::map<std::string, std::string> contains;  // field -> lower-case needle
  // The same, resolved once: member -> needle (project groups apart, as an
  // instance has several).
  std::vector<std::pair<listed_field, std::string>> member_filters;
  std::optional<std::string> group_filter;
  std::optional<state> state_filter;
  std::string order_field;                      // "" = by hostname
  bool descending = false;
  std::string page = "1";
  int64_t page_size = 10;
};
constexpr int64_t default_page_size = 10;
constexpr int64_t max_page_size = 100;

/// Reads filters, ?o= (deprecated aliases too) and pagination parameters.
/// An unknown state symbol is a 400 refusal.
std::optional<refusal> parse_list_query(const std::multimap<std::string, std::string>& q,
                                        list_query& out);
bool matches(const listed& item, const list_query& q);
/// The same, for the filters on what the instance's whole project shares
/// (project, customer and project group names).
bool matches_project(const listed& item, const list_query& q);
/// Whether the query filters on something other than the instance's project
/// (which the whole project shares) and its state.
bool filters_members(const list_query& q);
/// Whether `a` comes before `b` in ascending order of `field`, then
/// hostname, then uuid: descending order is exactly the reverse.
bool ascending(const listed& a, const listed& b, listed_field field);
/// The member a filter or ordering names ("" = hostname).
listed_field member_of(const std::string& field);
/// Orders by the query's field (hostname, then uuid, break ties). Only the
/// slice [first, first + count) is guaranteed in place afterwards: a page
/// costs the list's length, not a sort of all of it.
void order(std::vector<const listed*>& items, const list_query& q, std::size_t first = 0,
           std::size_t count = std::size_t(-1));

struct page_result {
  std::size_t first = 0, count = 0;  // slice of the ordered list
  int64_t number = 1, last = 1;
};
/// The page to show, or a 404 "Invalid page." refusal.
std::optional<refusal> paginate(std::size_t total, const list_query& q, page_result& out);
/// The Link header: first, prev, next, last relative to `url` (path+query).
std::string link_header(const std::string& base, const std::string& path,
                        const std::multimap<std::string, std::string>& query,
                        const page_result& p);

// -- usage -------------------------------------------------------------------

struct usage_sample {
  long long at = 0;   // unix seconds
  double cpu = 0, memory = 0, storage = 0;
};
constexpr std::size_t max_usage_samples = 1440;

/// `?item=cpu|memory|storage`, `from`, `to` (unix seconds), `datapoints`:
/// N equal slices with the average of the samples in each.
std::optional<refusal> usage(const std::deque<usage_sample>& samples,
                             const std::multimap<std::string, std::string>& q, sys_time now,
                             nlohmann::json& out);

} // namespace steward::instance
