#pragma once
// What the clouds offer and who owns what: customers, project groups,
// projects, clouds, and per cloud its flavors, templates, security groups
// and projects' networks; users' keys (and which clouds hold each). Learned from the compute layer's catalog.update notifications
// (docs/compute-contract.md). Plain data: the catalog actor owns one, and
// hands immutable copies to those who read it.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/access.hpp"

namespace steward::catalog {

struct customer {
  std::string uuid, name, abbreviation;
};
struct project_group {
  std::string uuid, name, customer;
};
struct project {
  std::string uuid, name, customer;
  std::vector<std::string> project_groups;
  std::vector<std::string> clouds;
};
struct cloud {
  std::string uuid, name, customer;
};
struct flavor {
  std::string uuid, name, cloud;
  int64_t cores = 0, ram = 0, disk = 0;  // ram and disk in MiB
};
struct image_template {
  std::string uuid, name, os, cloud;
  // An image being uploaded into its cloud is not bootable until `active`;
  // `progress` (percent) says how far the upload is.
  std::string status = "active";
  int64_t progress = 100;
  bool bootable() const { return status == "active"; }
};
struct ssh_key {
  std::string uuid, name, fingerprint, user;
  std::vector<std::string> clouds;  // the clouds that hold it (a keypair in each)
};
/// A project's network in a cloud.
struct network {
  std::string uuid, name, cloud, project, cidr;
};
struct security_group {
  std::string uuid, name, description, cloud;
  nlohmann::json rules = nlohmann::json::array();
};

/// The kinds of catalog objects and their collection path under /api/.
enum class kind { customer, project_group, project, cloud, flavor, image_template, ssh_key, security_group };
const char* collection(kind k); // "customers", "project-groups", ...

class catalog {
public:
  /// Applies one catalog.update payload: the cloud's flavors, templates,
  /// security groups and networks are replaced, and the keys it lists are
  /// the ones it holds; the rest is added or updated. Returns ""
  /// or what is wrong (and then changes nothing).
  std::string apply_update(const nlohmann::json& payload);

  nlohmann::json to_json() const;
  static std::optional<catalog> from_json(const nlohmann::json& j);

  const customer* find_customer(const std::string& uuid) const;
  const project_group* find_project_group(const std::string& uuid) const;
  const project* find_project(const std::string& uuid) const;
  const cloud* find_cloud(const std::string& uuid) const;
  const cloud* find_cloud_by_name(const std::string& name) const;
  const flavor* find_flavor(const std::string& uuid) const;
  const flavor* find_flavor_of_cloud(const std::string& cloud, int64_t cores, int64_t ram) const;
  const image_template* find_template(const std::string& uuid) const;
  const ssh_key* find_key(const std::string& uuid_or_name) const;
  /// The key of that name `cloud` holds.
  const ssh_key* find_key_in(const std::string& cloud, const std::string& name) const;
  const network* find_network(const std::string& uuid) const;
  const security_group* find_security_group(const std::string& uuid) const;
  bool project_uses_cloud(const std::string& project, const std::string& cloud) const;
  /// A flavor or template as an application's model names it: its id, or
  /// its name in a cloud of `project`.
  const flavor* find_flavor_for(const std::string& project, const std::string& id_or_name) const;
  const image_template* find_template_for(const std::string& project,
                                          const std::string& id_or_name) const;

  // Who sees what (instances API rules: staff, customer owners, project roles).
  bool can_see_customer(const access::caller& who, const std::string& uuid) const;
  bool can_see_project(const access::caller& who, const std::string& uuid) const;
  bool can_see_project_group(const access::caller& who, const std::string& uuid) const;
  bool can_see_cloud(const access::caller& who, const std::string& uuid) const;
  bool can_see_key(const access::caller& who, const ssh_key& k) const;

  /// The object as the API shows it (URLs under `base`, e.g. "http://h:8080"),
  /// or null when it does not exist.
  nlohmann::json render(kind k, const std::string& uuid, const std::string& base) const;
  /// Every object of a kind the caller may see, rendered, sorted by name.
  nlohmann::json render_all(kind k, const access::caller& who, const std::string& base) const;
  /// Whether the caller may see the object (false when it does not exist).
  bool visible(kind k, const std::string& uuid, const access::caller& who) const;

  std::size_t size() const;

  // Everything of a kind, by uuid (a cloud's resources for /resources).
  const std::map<std::string, project>& projects() const { return projects_; }
  const std::map<std::string, flavor>& flavors() const { return flavors_; }
  const std::map<std::string, image_template>& templates() const { return templates_; }
  const std::map<std::string, ssh_key>& keys() const { return keys_; }
  const std::map<std::string, network>& networks() const { return networks_; }

private:
  std::map<std::string, customer> customers_;
  std::map<std::string, project_group> project_groups_;
  std::map<std::string, project> projects_;
  std::map<std::string, cloud> clouds_;
  std::map<std::string, flavor> flavors_;
  std::map<std::string, image_template> templates_;
  std::map<std::string, ssh_key> keys_;
  std::map<std::string, security_group> security_groups_;
  std::map<std::string, network> networks_;
};

using catalog_ptr = std::shared_ptr<const catalog>;

/// "http://host/api/<collection>/<uuid>/"
std::string object_url(const std::string& base, kind k, const std::string& uuid);
/// The last path segment of an object URL ("http://h/api/flavors/abc/" -> "abc"),
/// if the URL points into the given collection; a bare id is taken as is.
std::optional<std::string> id_from_url(const std::string& url, kind k);

} // namespace steward::catalog

namespace steward {
/// The catalog as the catalog actor last stored it, for its readers.
struct catalog_snapshot {
  catalog::catalog_ptr value;
};
} // namespace steward
