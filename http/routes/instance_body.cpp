#include "http/routes/instance_body.hpp"

#include <arpa/inet.h>

#include <nlohmann/json.hpp>

#include "actors/catalog/catalog.hpp"
#include "actors/instance/instance_document.hpp"
#include "common/json_fields.hpp"

namespace steward::http {

using nlohmann::json;
using instance::add_error;
using instance::field_errors;
namespace cat = steward::catalog;

namespace {

const char* const missing = "This field is required.";

// A hyperlinked field: the URL (or bare id) of an object of kind `k`.
std::optional<std::string> link(const json& body, const char* field, cat::kind k,
                                field_errors& errors) {
  auto i = body.find(field);
  if (i == body.end() || i->is_null()) {
    add_error(errors, field, missing);
    return std::nullopt;
  }
  if (!i->is_string()) {
    add_error(errors, field, "Incorrect type. Expected URL string.");
    return std::nullopt;
  }
  auto id = cat::id_from_url(i->get<std::string>(), k);
  if (!id)
    add_error(errors, field, "Invalid hyperlink - Incorrect URL match.");
  return id;
}

bool valid_ip(const std::string& text) {
  in_addr v4{};
  in6_addr v6{};
  return inet_pton(AF_INET, text.c_str(), &v4) == 1 || inet_pton(AF_INET6, text.c_str(), &v6) == 1;
}

// "a,b" or ["a", "b"] into a list of addresses.
std::vector<std::string> ip_list(const json& body, const std::string& field,
                                 field_errors& errors) {
  std::vector<std::string> out;
  auto i = body.find(field);
  if (i == body.end() || i->is_null())
    return out;
  std::vector<std::string> items;
  if (i->is_string()) {
    std::string s = i->get<std::string>();
    std::size_t pos = 0;
    while (pos <= s.size()) {
      auto comma = s.find(',', pos);
      if (comma == std::string::npos)
        comma = s.size();
      auto item = s.substr(pos, comma - pos);
      item.erase(0, item.find_first_not_of(' '));
      item.erase(item.find_last_not_of(' ') + 1);
      if (!item.empty())
        items.push_back(item);
      pos = comma + 1;
    }
  } else if (i->is_array()) {
    for (auto& v : *i)
      items.push_back(v.is_string() ? v.get<std::string>() : v.dump());
  } else {
    add_error(errors, field, "Expected a comma-separated list of IP addresses.");
    return out;
  }
  for (auto& ip : items) {
    if (valid_ip(ip))
      out.push_back(ip);
    else
      add_error(errors, field, "'" + ip + "' is not a valid IP address.");
  }
  return out;
}

api_reply drf_refusal(json body) {
  return api_reply::ok(std::move(body), 400);
}

} // namespace

instance::instance_fields read_instance_create(const json& body) {
  instance::instance_fields out;
  auto& errors = out.errors;
  if (!body.is_object()) {
    add_error(errors, "non_field_errors", "Invalid data. Expected a dictionary.");
    return out;
  }
  if (auto h = body.find("hostname"); h == body.end() || h->is_null())
    add_error(errors, "hostname", missing);
  else if (!h->is_string() || h->get<std::string>().empty())
    add_error(errors, "hostname", "This field may not be blank.");
  else if (h->get<std::string>().size() > instance::max_hostname)
    add_error(errors, "hostname", "Ensure this field has no more than 80 characters.");
  else
    out.hostname = h->get<std::string>();
  if (auto d = body.find("description"); d != body.end() && !d->is_null()) {
    if (!d->is_string())
      add_error(errors, "description", "Not a valid string.");
    else
      out.description = d->get<std::string>();
  }
  out.project = link(body, "project", cat::kind::project, errors);
  out.image_template = link(body, "template", cat::kind::image_template, errors);
  out.flavor = link(body, "flavor", cat::kind::flavor, errors);
  out.ssh_public_key = link(body, "ssh_public_key", cat::kind::ssh_key, errors);
  if (auto sg = body.find("security_groups"); sg != body.end() && !sg->is_null()) {
    if (!sg->is_array()) {
      add_error(errors, "security_groups", "Expected a list of items.");
    } else {
      for (auto& item : *sg) {
        auto url = item.is_object() ? text_field(item, "url")
                   : item.is_string() ? item.get<std::string>() : "";
        out.security_groups.push_back(
          cat::id_from_url(url, cat::kind::security_group).value_or(""));
      }
    }
  }
  out.internal_ips = ip_list(body, "internal_ips", errors);
  // The seed's own example spells it "external ips"; both are taken.
  out.external_ips
    = ip_list(body, body.contains("external_ips") ? "external_ips" : "external ips", errors);
  if (auto dv = body.find("data_volume_size"); dv != body.end() && !dv->is_null()) {
    if (!dv->is_number_integer() || dv->get<int64_t>() <= 0)
      add_error(errors, "data_volume_size", "A positive integer (MiB) is required.");
    else
      out.data_volume_size = dv->get<int64_t>();
  }
  return out;
}

parsed<instance::resize_fields> read_resize(const json& body) {
  if (!body.is_object())
    return {{}, drf_refusal({{"non_field_errors", {"Invalid data. Expected a dictionary."}}})};
  bool has_flavor = body.contains("flavor") && !body["flavor"].is_null();
  bool has_disk = body.contains("disk_size") && !body["disk_size"].is_null();
  if (has_flavor == has_disk)
    return {{}, drf_refusal({{"non_field_errors",
                              {"Either flavor or disk_size must be given, not both."}}})};
  parsed<instance::resize_fields> out;
  if (has_flavor) {
    auto url = body["flavor"].is_string() ? body["flavor"].get<std::string>() : "";
    out.value.flavor = cat::id_from_url(url, cat::kind::flavor).value_or("");
    return out;
  }
  auto& d = body["disk_size"];
  if (!d.is_number_integer())
    return {{}, drf_refusal({{"disk_size", "A valid integer is required."}})};
  out.value.disk_size = d.get<int64_t>();
  return out;
}

} // namespace steward::http
