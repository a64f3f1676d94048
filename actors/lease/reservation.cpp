#include "actors/lease/reservation.hpp"

#include <cstdlib>

namespace steward::lease {

using nlohmann::json;

namespace {

const char* const bad_range =
  "Invalid values for min/max of hosts. Max must be equal to or larger than min.";

// Blazar takes min and max as integers or as strings holding one.
std::optional<refusal> read_count(const json& r, const char* field, int& out) {
  auto i = r.find(field);
  if (i == r.end() || i->is_null())
    return refusal{400, std::string{"Missing parameter "} + field};
  if (i->is_number_integer()) {
    out = i->get<int>();
    return std::nullopt;
  }
  if (i->is_string()) {
    const auto& s = i->get_ref<const std::string&>();
    char* end = nullptr;
    long v = std::strtol(s.c_str(), &end, 10);
    if (!s.empty() && end == s.c_str() + s.size()) {
      out = static_cast<int>(v);
      return std::nullopt;
    }
  }
  return refusal{400, std::string{"Malformed parameter "} + field};
}

std::optional<refusal> read_filter(const json& r, const char* field, std::string& text,
                                         host_filter& filter) {
  auto i = r.find(field);
  if (i != r.end() && !i->is_null()) {
    if (!i->is_string())
      return refusal{400, std::string{"Malformed parameter "} + field};
    text = i->get<std::string>();
  }
  std::string why;
  auto parsed = host_filter::parse(text, why);
  if (!parsed)
    return refusal{400, std::string{"Malformed parameter "} + field + ": " + why};
  filter = *parsed;
  return std::nullopt;
}

} // namespace

std::optional<refusal> parse_reservation(const json& r, host_reservation& out) {
  if (!r.is_object())
    return refusal{400, "Malformed parameter reservations"};
  auto type = r.find("resource_type");
  if (type == r.end() || type->is_null())
    return refusal{400, "Missing parameter resource_type"};
  if (!type->is_string() || type->get<std::string>() != "physical:host")
    return refusal{400, "Unsupported resource type: "
                                + (type->is_string() ? type->get<std::string>() : type->dump())};
  if (auto refused = read_count(r, "min", out.min))
    return refused;
  if (auto refused = read_count(r, "max", out.max))
    return refused;
  if (out.min < 1 || out.max < 1 || out.max < out.min)
    return refusal{400, bad_range};
  if (auto refused = read_filter(r, "hypervisor_properties", out.hypervisor_properties,
                                 out.hypervisor_filter))
    return refused;
  if (auto refused = read_filter(r, "resource_properties", out.resource_properties,
                                 out.resource_filter))
    return refused;
  if (auto b = r.find("before_end"); b != r.end() && !b->is_null()) {
    auto action = b->is_string() ? b->get<std::string>() : b->dump();
    if (action != "" && action != "default" && action != "snapshot")
      return refusal{400, "Invalid before_end action: " + action
                                  + " (expected '', 'default' or 'snapshot')"};
    out.before_end = action;
  }
  return std::nullopt;
}

std::optional<host_reservation> wanted_by(const reservation& r) {
  host_reservation out;
  out.min = r.min;
  out.max = r.max;
  out.hypervisor_properties = r.hypervisor_properties;
  out.resource_properties = r.resource_properties;
  out.before_end = r.before_end;
  std::string why;
  auto hypervisor = host_filter::parse(r.hypervisor_properties, why);
  auto resource = host_filter::parse(r.resource_properties, why);
  if (!hypervisor || !resource)
    return std::nullopt;
  out.hypervisor_filter = *hypervisor;
  out.resource_filter = *resource;
  return out;
}

} // namespace steward::lease
