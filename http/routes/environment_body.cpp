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

parsed<template_fields> read_template(const json& body) {
  using fields = template_fields;
  if (!body.is_object() || !body.contains("name") || body["name"].is_null())
    return refused<fields>(400, "Please, specify a name of the environment template.");
  if (!body["name"].is_string())
    return refused<fields>(400, "Environment template name must be a string");
  parsed<fields> out;
  out.value.name = body["name"].get<std::string>();
  for (auto& [key, value] : body.items()) {
    if (key == "is_public") {
      if (!value.is_boolean())
        return refused<fields>(400, "is_public must be true or false");
      out.value.is_public = value.get<bool>();
    } else if (key == "description_text") {
      if (!value.is_string())
        return refused<fields>(400, "description_text must be a string");
      out.value.description_text = value.get<std::string>();
    } else if (key == "networking") {
      if (!value.is_object())
        return refused<fields>(400, "networking must be an object");
      out.value.networking = value;
    } else if (key == "services") {
      if (!value.is_array())
        return refused<fields>(400, "services must be a list of applications");
      out.value.services = value;
    }
  }
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

parsed<json> read_action_arguments(const json& body) {
  if (body.is_null())
    return {json::object(), std::nullopt};
  if (!body.is_object())
    return refused<json>(400, "The arguments of an action must be a JSON object");
  return {body, std::nullopt};
}

parsed<static_call> read_static_call(const json& body) {
  using fields = static_call;
  if (!body.is_object())
    return refused<fields>(400, "The body of a static action must be a JSON object");
  static_call call;
  auto text = [&](const char* key, std::string& out) {
    auto v = body.find(key);
    if (v == body.end() || v->is_null())
      return true;
    if (!v->is_string())
      return false;
    out = v->get<std::string>();
    return true;
  };
  if (!text("className", call.class_name) || call.class_name.empty())
    return refused<fields>(400, "Class name should be specified");
  if (!text("methodName", call.method_name) || call.method_name.empty())
    return refused<fields>(400, "Method name should be specified");
  if (!text("packageName", call.package_name))
    return refused<fields>(400, "Package name must be a string");
  if (!text("classVersion", call.class_version))
    return refused<fields>(400, "Class version must be a string");
  if (auto p = body.find("parameters"); p != body.end() && !p->is_null()) {
    if (!p->is_object())
      return refused<fields>(400, "Parameters must be a JSON object");
    call.parameters = *p;
  }
  return {std::move(call), std::nullopt};
}

} // namespace steward::http
