#include "http/routes/environment_body.hpp"

#include <nlohmann/json.hpp>

#include "actors/environment/object_model.hpp"

namespace steward::http {

using nlohmann::json;
using namespace steward::environment;

namespace {

template <class Fields>
parsed<Fields> refused(int status, const std::string& message) {
  return {{}, api_reply::fail(status, message)};
}

// A JSON pointer's tokens (RFC 6901 with Murano's checks and words).
std::optional<std::string> read_pointer(const std::string& pointer,
                                        std::vector<std::string>& out) {
  auto named = "Pointer `" + pointer + "`";
  if (pointer.empty() || pointer[0] != '/')
    return named + " does not start with \"/\".";
  if (pointer.find("//") != std::string::npos)
    return named + " contains adjacent \"/\".";
  if (pointer.size() > 1 && pointer.back() == '/')
    return named + " ends with \"/\".";
  if (pointer == "/")
    return std::nullopt;  // the root
  std::size_t i = 1;
  while (i <= pointer.size()) {
    auto j = pointer.find('/', i);
    if (j == std::string::npos)
      j = pointer.size();
    std::string token;
    for (auto k = i; k < j; ++k) {
      if (pointer[k] != '~') {
        token += pointer[k];
        continue;
      }
      if (k + 1 < j && (pointer[k + 1] == '0' || pointer[k + 1] == '1')) {
        token += pointer[k + 1] == '0' ? '~' : '/';
        ++k;
        continue;
      }
      return named + " contains \"~\", which is not part of a recognized escape sequence.";
    }
    out.push_back(std::move(token));
    i = j + 1;
  }
  return std::nullopt;
}

} // namespace

parsed<environment_fields> read_environment(const json& body, bool creating) {
  using fields = environment_fields;
  const char* blank = creating ? "Please, specify a name of the environment to create"
                               : "Environment name must contain at least one non-white space "
                                 "symbol";
  if (!body.is_object() || !body.contains("name") || body["name"].is_null())
    return refused<fields>(400, blank);
  if (!body["name"].is_string())
    return refused<fields>(400, "Environment name must be a string");
  parsed<fields> out;
  out.value.name = body["name"].get<std::string>();
  if (creating)
    for (auto& [key, value] : body.items())
      if (key != "name")
        out.value.model[key] = value;
  return out;
}

parsed<model_changes> read_model_patch(const json& body) {
  using fields = model_changes;
  if (!body.is_array())
    return refused<fields>(400, "JSON-patch must be a list.");
  if (body.empty())
    return refused<fields>(400, "Request body is empty: please, provide environment object "
                                "model patch");
  parsed<fields> out;
  for (auto& item : body) {
    if (!item.is_object())
      return refused<fields>(400, "Operations must be JSON objects.");
    auto op = item.find("op");
    if (op == item.end() || !op->is_string())
      return refused<fields>(400, "Unable to find 'op' in JSON Schema change");
    auto path = item.find("path");
    if (path == item.end() || !path->is_string())
      return refused<fields>(400, "Unable to find 'path' in JSON Schema change");
    model_change c;
    if (auto why = read_pointer(path->get<std::string>(), c.path))
      return refused<fields>(400, *why);
    auto name = op->get<std::string>();
    if (name == "add")
      c.op = patch_op::add;
    else if (name == "replace")
      c.op = patch_op::replace;
    else if (name == "remove")
      c.op = patch_op::remove;
    else
      return refused<fields>(403, "Method '" + name + "' is not allowed for a path with name '"
                                    + path->get<std::string>().substr(1)
                                    + "'. Allowed operations are: add, replace, remove");
    auto value = item.find("value");
    if (value == item.end())
      return refused<fields>(400, "Operation \"" + name + "\" requires a member named \"value\".");
    c.value = *value;
    if (auto r = check_allowed(c))
      return {{}, api_reply::fail(*r)};
    if (auto r = check_value(c))
      return {{}, api_reply::fail(*r)};
    out.value.push_back(std::move(c));
  }
  return out;
}

} // namespace steward::http
