#include "actors/environment/object_model.hpp"

#include <algorithm>
#include <cctype>
#include <map>

namespace steward::environment {

using nlohmann::json;

namespace {

bool digits(const std::string& s) {
  return !s.empty() && s.size() < 10
         && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

// The item of a list that `key` names: by its "?"/"id", else by index.
std::optional<std::size_t> item_of(const json& list, const std::string& key) {
  for (std::size_t i = 0; i < list.size(); ++i) {
    auto& item = list[i];
    if (item.is_object() && item.contains("?") && item["?"].is_object()
        && item["?"].value("id", json()) == key)
      return i;
  }
  if (digits(key) && std::stoul(key) < list.size())
    return std::stoul(key);
  return std::nullopt;
}

json* select_mutable(json& model, const std::vector<std::string>& path) {
  return const_cast<json*>(select(model, path));
}

std::string joined(const std::vector<std::string>& path) {
  std::string out;
  for (auto& p : path)
    out += (out.empty() ? "" : "/") + p;
  return out;
}

refusal not_found(const std::string& what) {
  return {404, "The object model has nothing at " + what};
}

std::vector<std::string> services_path(const std::string& path) {
  auto tokens = path_tokens(path);
  tokens.insert(tokens.begin(), "services");
  return tokens;
}

} // namespace

std::vector<std::string> path_tokens(const std::string& path) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i <= path.size()) {
    auto j = path.find('/', i);
    if (j == std::string::npos)
      j = path.size();
    if (j > i)
      out.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

const json* select(const json& model, const std::vector<std::string>& path) {
  const json* at = &model;
  for (auto& key : path) {
    if (at->is_array()) {
      auto i = item_of(*at, key);
      if (!i)
        return nullptr;
      at = &(*at)[*i];
    } else if (at->is_object()) {
      auto found = at->find(key);
      if (found == at->end())
        return nullptr;
      at = &*found;
    } else {
      return nullptr;
    }
  }
  return at;
}

std::optional<json> services_at(const json& model, const std::string& path) {
  auto tokens = services_path(path);
  if (!model.contains("services") && tokens.size() == 1)
    return json::array();
  auto found = select(model, tokens);
  if (!found)
    return std::nullopt;
  return *found;
}

std::optional<refusal> add_service(json& model, const std::string& path, const json& value) {
  if (value.is_null() || (value.is_object() && value.empty()) || (value.is_array() && value.empty()))
    return refusal{400, "Request body is empty: please, provide application object model"};
  auto tokens = services_path(path);
  if (tokens.size() == 1 && !model.contains("services"))
    model["services"] = json::array();
  auto target = select_mutable(model, tokens);
  if (!target)
    return not_found("services/" + path);
  if (!target->is_array())
    return refusal{400, "services/" + path + " is not a list: only a list takes an item"};
  if (value.is_array() && tokens.size() == 1)
    for (auto& item : value)
      target->push_back(item);
  else
    target->push_back(value);
  return std::nullopt;
}

std::optional<refusal> replace_service(json& model, const std::string& path, json value) {
  auto tokens = services_path(path);
  if (tokens.size() == 1) {
    if (!value.is_null() && !value.is_array())
      return refusal{400, "The applications are a list: send a list to replace them"};
    model["services"] = value.is_null() ? json::array() : std::move(value);
    return std::nullopt;
  }
  auto key = tokens.back();
  tokens.pop_back();
  auto parent = select_mutable(model, tokens);
  if (!parent)
    return not_found("services/" + path);
  if (parent->is_array()) {
    auto i = item_of(*parent, key);
    if (!i)
      return not_found("services/" + path);
    (*parent)[*i] = std::move(value);
  } else if (parent->is_object()) {
    (*parent)[key] = std::move(value);
  } else {
    return not_found("services/" + path);
  }
  return std::nullopt;
}

std::optional<refusal> remove_service(json& model, const std::string& path) {
  auto tokens = services_path(path);
  auto key = tokens.back();
  tokens.pop_back();
  auto parent = select_mutable(model, tokens);
  if (parent && parent->is_array()) {
    auto i = item_of(*parent, key);
    if (!i)
      return not_found("services/" + path);
    parent->erase(*i);
    return std::nullopt;
  }
  if (!parent || !parent->is_object() || !parent->contains(key))
    return not_found(path.empty() ? "services" : "services/" + path);
  parent->erase(key);
  return std::nullopt;
}

// -- model patches --------------------------------------------------------------

namespace {

const char* op_name(patch_op op) {
  switch (op) {
    case patch_op::add: return "add";
    case patch_op::replace: return "replace";
    case patch_op::remove: return "remove";
  }
  return "add";
}

// Murano's table (ENV_MODEL allowed operations); other paths: every op.
const std::map<std::string, std::vector<patch_op>>& allowed_ops() {
  static const std::map<std::string, std::vector<patch_op>> table = {
    {"", {}},
    {"defaultNetworks", {patch_op::replace}},
    {"defaultNetworks/environment", {patch_op::replace}},
    {"defaultNetworks/environment/?/id", {}},
    {"defaultNetworks/flat", {patch_op::replace}},
    {"name", {patch_op::replace}},
    {"region", {patch_op::replace}},
    {"?/type", {patch_op::replace}},
    {"?/id", {}},
  };
  return table;
}

refusal bad_value(const std::string& why) {
  return {400, why};
}

std::optional<refusal> needs_string(const json& v, const char* what) {
  if (!v.is_string())
    return bad_value(v.dump() + " is not of type 'string' (" + what + ")");
  return std::nullopt;
}

std::optional<refusal> needs_members(const json& v, std::initializer_list<const char*> members,
                                     const char* what) {
  if (!v.is_object())
    return bad_value(v.dump() + " is not of type 'object' (" + what + ")");
  for (auto m : members)
    if (!v.contains(m))
      return bad_value(std::string{"'"} + m + "' is a required property (" + what + ")");
  return std::nullopt;
}

} // namespace

std::optional<refusal> check_allowed(const model_change& c) {
  auto path = joined(c.path);
  auto found = allowed_ops().find(path);
  if (found == allowed_ops().end())
    return std::nullopt;
  auto& ops = found->second;
  if (std::find(ops.begin(), ops.end(), c.op) != ops.end())
    return std::nullopt;
  std::string listed;
  for (auto op : ops)
    listed += (listed.empty() ? "" : ", ") + std::string{op_name(op)};
  return refusal{403, "Method '" + std::string{op_name(c.op)} + "' is not allowed for a path with "
                        "name '" + path + "'. Allowed operations are: "
                        + (listed.empty() ? "no operations" : listed)};
}

std::optional<refusal> check_value(const model_change& c) {
  auto path = joined(c.path);
  auto& v = c.value;
  if (path == "name")
    return needs_string(v, "name");
  if (path == "region" && !v.is_string() && !v.is_null())
    return bad_value(v.dump() + " is not of type 'string', 'null' (region)");
  if (path == "?/type" || path == "?/id" || path == "?/name")
    return needs_string(v, path.c_str());
  if (path == "?")
    return needs_members(v, {"id", "type"}, "?");
  if (path == "defaultNetworks")
    return needs_members(v, {"environment", "flat"}, "defaultNetworks");
  if (path == "defaultNetworks/environment")
    return needs_members(v, {"name", "?"}, "defaultNetworks/environment");
  if (path == "defaultNetworks/flat" && !v.is_boolean() && !v.is_null())
    return bad_value(v.dump() + " is not of type 'boolean', 'null' (defaultNetworks/flat)");
  if (path == "services" && !v.is_array())
    return bad_value(v.dump() + " is not of type 'array' (services)");
  if (c.path.size() == 2 && c.path[0] == "services" && !v.is_object())
    return bad_value(v.dump() + " is not of type 'object' (an application)");
  return std::nullopt;
}

std::optional<refusal> apply_changes(json& model, const model_changes& changes) {
  auto next = model;
  for (auto& c : changes) {
    if (c.path.empty())
      return refusal{403, "The model's root cannot be changed"};
    auto parent_path = c.path;
    auto key = parent_path.back();
    parent_path.pop_back();
    json* parent = &next;
    for (auto& token : parent_path) {
      if (parent->is_object() && parent->contains(token))
        parent = &(*parent)[token];
      else if (parent->is_array() && digits(token) && std::stoul(token) < parent->size())
        parent = &(*parent)[std::stoul(token)];
      else
        return refusal{404, "can't " + std::string{op_name(c.op)} + " under non-existent object '"
                              + token + "'"};
    }
    if (parent->is_object()) {
      bool present = parent->contains(key);
      if (c.op != patch_op::add && !present)
        return refusal{404, "can't " + std::string{op_name(c.op)} + " non-existent object '" + key
                              + "'"};
      if (c.op == patch_op::remove)
        parent->erase(key);
      else
        (*parent)[key] = c.value;
    } else if (parent->is_array()) {
      bool append = key == "-" && c.op == patch_op::add;
      if (!append && !digits(key))
        return refusal{404, "'" + key + "' is not an index of a list"};
      auto i = append ? parent->size() : std::stoul(key);
      if (c.op == patch_op::add) {
        if (i > parent->size())
          return refusal{404, "can't insert outside of list"};
        parent->insert(parent->begin() + static_cast<std::ptrdiff_t>(i), c.value);
      } else if (i >= parent->size()) {
        return refusal{404, "can't " + std::string{op_name(c.op)} + " outside of list"};
      } else if (c.op == patch_op::remove) {
        parent->erase(i);
      } else {
        (*parent)[i] = c.value;
      }
    } else {
      return refusal{404, "can't " + std::string{op_name(c.op)} + " inside a value that is not "
                            "an object or a list"};
    }
  }
  model = std::move(next);
  return std::nullopt;
}

} // namespace steward::environment
