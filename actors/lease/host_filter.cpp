#include "actors/lease/host_filter.hpp"

#include <cstdlib>
#include <set>

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

// The host's value of `field`: its own column, or an extra capability.
const json* lookup(const json& host, const std::string& field) {
  if (auto i = host.find(field); i != host.end() && !i->is_object())
    return &*i;
  if (auto extra = host.find("extra"); extra != host.end() && extra->is_object())
    if (auto i = extra->find(field); i != extra->end())
      return &*i;
  return nullptr;
}

std::string as_text(const json& v) {
  if (v.is_string())
    return v.get<std::string>();
  if (v.is_boolean())
    return v.get<bool>() ? "true" : "false";
  return v.dump();
}

std::optional<double> as_number(const json& v) {
  if (v.is_number())
    return v.get<double>();
  if (!v.is_string() || v.get<std::string>().empty())
    return std::nullopt;
  const auto& s = v.get_ref<const std::string&>();
  char* end = nullptr;
  double d = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size())
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

bool evaluate(const json& e, const json& host) {
  auto op = e[0].get<std::string>();
  if (op == "and") {
    for (std::size_t i = 1; i < e.size(); ++i)
      if (!evaluate(e[i], host))
        return false;
    return true;
  }
  auto actual = lookup(host, e[1].get<std::string>().substr(1));
  if (!actual || actual->is_null())
    return false;
  auto a = as_number(*actual), b = as_number(e[2]);
  if (a && b)
    return compare(op, *a, *b);
  return compare(op, as_text(*actual), as_text(e[2]));
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

bool host_filter::matches(const json& host) const {
  return expr_.is_null() || evaluate(expr_, host);
}

} // namespace steward::lease
