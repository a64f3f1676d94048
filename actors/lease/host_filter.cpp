#include "actors/lease/host_filter.hpp"

#include <cstdlib>
#include <set>

#include "actors/inventory/host_json.hpp"
#include "common/time_format.hpp"

namespace steward::lease {

using nlohmann::json;

namespace {

const std::set<std::string> comparisons = {"==", "=", "!=", ">=", "<=", ">", "<"};

// "" on success, else what is wrong with `e`.
std::string check(const json& e) {
  if (!e.is_array() || e.empty() || !e[0].is_string())
    return "each condition must be a list starting with an operator";
  auto op = e[0].get<std::string>();
  if (op == "and") {
    if (e.size() < 2)
      return "'and' needs at least one condition";
    for (std::size_t i = 1; i < e.size(); ++i)
      if (auto err = check(e[i]); !err.empty())
        return err;
    return "";
  }
  if (!comparisons.count(op))
    return "unknown operator '" + op + "'";
  if (e.size() != 3)
    return "'" + op + "' takes a field and a value";
  if (!e[1].is_string() || e[1].get<std::string>().size() < 2 || e[1].get<std::string>()[0] != '$')
    return "a field is written '$name'";
  if (!e[2].is_string() && !e[2].is_number() && !e[2].is_boolean())
    return "a value must be a string, a number or a boolean";
  return "";
}

// The host's value of `field`: its own column, or an extra capability;
// none when it has no such value (a date not set, no session).
std::optional<inventory::capability> lookup(const inventory::host& h, const std::string& field) {
  using inventory::capability;
  auto text = [](const std::string& v) { return capability{capability::type::text, v}; };
  auto number = [](int64_t v) { return capability{capability::type::number, std::to_string(v)}; };
  if (field == "id")
    return text(h.id);
  if (field == "hypervisor_hostname")
    return text(h.hypervisor_hostname);
  if (field == "service_name")
    return text(h.service_name);
  if (field == "cloud")
    return text(h.cloud);
  if (field == "hypervisor_type")
    return text(h.hypervisor_type);
  if (field == "cpu_info")
    return text(h.cpu_info);
  if (field == "status")
    return text(inventory::status_text(h));
  if (field == "state")
    return text(inventory::state_text(h));
  if (field == "disabled_reason")
    return text(h.disabled_reason);
  if (field == "hypervisor_version")
    return number(h.hypervisor_version);
  if (field == "vcpus")
    return number(h.vcpus);
  if (field == "memory_mb")
    return number(h.memory_mb);
  if (field == "local_gb")
    return number(h.local_gb);
  if (field == "in_maintenance")
    return capability{capability::type::boolean, inventory::in_maintenance(h) ? "true" : "false"};
  if (field == "created_at")
    return text(timefmt::sql(h.created_at));
  if (field == "updated_at")
    return h.updated_at ? text(timefmt::sql(*h.updated_at)) : std::optional<capability>{};
  if (field == "disabled_until")
    return h.disabled_until ? text(timefmt::iso_micro(*h.disabled_until))
                            : std::optional<capability>{};
  if (field == "maintenance_session")
    return inventory::in_maintenance(h) ? text(h.maintenance_session)
                                        : std::optional<capability>{};
  if (auto i = h.extra.find(field); i != h.extra.end())
    return i->second;
  return std::nullopt;
}

std::optional<double> as_number(const inventory::capability& v) {
  if (v.kind == inventory::capability::type::boolean || v.value.empty())
    return std::nullopt;
  char* end = nullptr;
  double d = std::strtod(v.value.c_str(), &end);
  if (end != v.value.c_str() + v.value.size())
    return std::nullopt;
  return d;
}

template <class T>
bool compare(const std::string& op, const T& a, const T& b) {
  if (op == "==" || op == "=")
    return a == b;
  if (op == "!=")
    return a != b;
  if (op == ">=")
    return a >= b;
  if (op == "<=")
    return a <= b;
  if (op == ">")
    return a > b;
  return a < b;
}

bool evaluate(const json& e, const inventory::host& host) {
  auto op = e[0].get<std::string>();
  if (op == "and") {
    for (std::size_t i = 1; i < e.size(); ++i)
      if (!evaluate(e[i], host))
        return false;
    return true;
  }
  auto actual = lookup(host, e[1].get<std::string>().substr(1));
  if (!actual)
    return false;
  auto wanted = *inventory::read_capability(e[2]);  // check() made it a scalar
  auto a = as_number(*actual), b = as_number(wanted);
  if (a && b)
    return compare(op, *a, *b);
  return compare(op, actual->value, wanted.value);
}

} // namespace

std::optional<host_filter> host_filter::parse(const std::string& text, std::string& error) {
  host_filter f;
  auto blank = text.find_first_not_of(" \t\r\n") == std::string::npos;
  if (blank)
    return f;
  auto e = json::parse(text, nullptr, false);
  if (e.is_discarded()) {
    error = "not JSON";
    return std::nullopt;
  }
  if (e.is_array() && e.empty())
    return f;
  error = check(e);
  if (!error.empty())
    return std::nullopt;
  f.expr_ = std::move(e);
  return f;
}

bool host_filter::matches(const inventory::host& host) const {
  return expr_.is_null() || evaluate(expr_, host);
}

} // namespace steward::lease
