#include "actors/environment/static_actions.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

#include "common/json_fields.hpp"

namespace steward::environment {

using nlohmann::json;

namespace {

struct version_spec {
  std::string op;             // "=", ">=", ">", "<=", "<"
  std::vector<long> numbers;  // one to three
};

std::optional<version_spec> parse_spec(const std::string& text) {
  version_spec s;
  std::size_t at = 0;
  for (auto op : {">=", "<=", "==", "=", ">", "<"})
    if (text.compare(0, std::char_traits<char>::length(op), op) == 0) {
      s.op = op;
      at = s.op.size();
      break;
    }
  if (s.op.empty() || s.op == "==")
    s.op = "=";
  auto rest = text.substr(at);
  if (rest.empty())
    return std::nullopt;
  std::size_t start = 0;
  while (start <= rest.size()) {
    auto dot = rest.find('.', start);
    auto part = rest.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (part.empty() || part.size() > 6
        || !std::all_of(part.begin(), part.end(), [](unsigned char c) { return std::isdigit(c); }))
      return std::nullopt;
    s.numbers.push_back(std::stol(part));
    if (dot == std::string::npos)
      break;
    start = dot + 1;
  }
  if (s.numbers.size() > 3)
    return std::nullopt;
  return s;
}

std::string or_default(const std::string& spec) { return spec.empty() ? "=0" : spec; }

// A parameter that must be a whole number of at least 0, if given.
std::optional<refusal> check_count(const json& parameters, const char* name) {
  auto v = parameters.find(name);
  if (v == parameters.end() || v->is_null())
    return std::nullopt;
  if (!v->is_number_integer() || v->get<int64_t>() < 0)
    return refusal{400, std::string{"Parameter '"} + name + "' of " + inventory_class
                          + ".listFlavors must be a whole number of at least 0"};
  return std::nullopt;
}

int64_t count_or_zero(const json& object, const char* name) {
  auto v = object.find(name);
  return v != object.end() && v->is_number_integer() ? v->get<int64_t>() : 0;
}


} // namespace

std::optional<refusal> check_version_spec(const std::string& spec) {
  if (!parse_spec(or_default(spec)))
    return refusal{400, "Invalid class version specification '" + spec + "'"};
  return std::nullopt;
}

bool meets(const std::string& version, const std::string& spec) {
  auto want = parse_spec(or_default(spec));
  auto have = parse_spec(version);
  if (!want || !have)
    return false;
  auto h = have->numbers;
  h.resize(3, 0);
  if (want->op == "=") {  // "=1.2" is any 1.2.x
    for (std::size_t i = 0; i < want->numbers.size(); ++i)
      if (want->numbers[i] != h[i])
        return false;
    return true;
  }
  auto w = want->numbers;
  w.resize(3, 0);
  if (want->op == ">=")
    return h >= w;
  if (want->op == ">")
    return h > w;
  if (want->op == "<=")
    return h <= w;
  return h < w;
}

std::optional<refusal> check_static_call(const static_call& call) {
  if (!call.package_name.empty() && call.package_name != inventory_package)
    return refusal{404, "Package with name " + call.package_name + " is not found"};
  if (call.class_name != inventory_class)
    return refusal{404, "Class with name " + call.class_name + " is not found"};
  if (auto bad = check_version_spec(call.class_version))
    return bad;
  if (!meets(inventory_version, call.class_version))
    return refusal{404, "Class " + call.class_name + " of version "
                          + or_default(call.class_version) + " is not found (it is "
                          + inventory_version + ")"};
  if (call.method_name != "listFlavors")
    return refusal{404, "Method " + call.method_name + " of class " + call.class_name
                          + " is not found"};
  for (auto& [name, value] : call.parameters.items())
    if (name != "minCores" && name != "minRam")
      return refusal{400, "Method listFlavors of class " + call.class_name
                            + " takes no parameter '" + name + "'"};
  if (auto bad = check_count(call.parameters, "minCores"))
    return bad;
  return check_count(call.parameters, "minRam");
}

json list_flavors(const static_call& call, const json& catalog_flavors) {
  auto cores = count_or_zero(call.parameters, "minCores");
  auto ram = count_or_zero(call.parameters, "minRam");
  json out = json::array();
  if (!catalog_flavors.is_array())
    return out;
  for (auto& f : catalog_flavors) {
    if (!f.is_object() || count_or_zero(f, "cores") < cores || count_or_zero(f, "ram") < ram)
      continue;
    out.push_back({{"id", text_field(f, "uuid")},
                   {"name", text_field(f, "name")},
                   {"cores", count_or_zero(f, "cores")},
                   {"ram", count_or_zero(f, "ram")},
                   {"disk", count_or_zero(f, "disk")}});
  }
  std::stable_sort(out.begin(), out.end(), [](const json& a, const json& b) {
    return a["name"].get<std::string>() < b["name"].get<std::string>();
  });
  return out;
}

} // namespace steward::environment
