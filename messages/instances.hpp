#pragma once
// What other kinds ask the instance registry: a lease as it ends, the
// instances on its hosts (to snapshot or delete); an environment's
// deployment, the instances of its model.
#include <cstdint>
#include <string>
#include <vector>

#include "messages/instance.hpp"

namespace steward {

/// Which instances run on these hosts (by hypervisor hostname)?
struct instances_on_hosts {
  std::vector<std::string> hostnames;
};

/// One instance running on a host, as a compute command names it.
struct hosted_instance {
  std::string uuid;
  std::string cloud;     // the cloud that runs it: commands go to compute.<cloud>
  std::string host;
  std::string hostname;  // the instance's own hostname
};

struct hosted_instances {
  std::vector<hosted_instance> instances;
};

/// An instance an environment's deployment (or a migration, in the
/// destination cloud) wants, under the id it chose: asking again answers
/// the instance already made. The flavor and image are catalog names or
/// ids, as a model names them.
struct deployment_instance {
  std::string uuid;
  std::string project;
  std::string hostname;
  std::string flavor;
  std::string image;
  std::string keyname;  // "" for none
  std::string description;
  std::string host;     // the compute host to make it on; "" the compute layer chooses
};

/// A deployment's instance to have this flavor (a name or an id).
struct deployment_instance_resize {
  std::string uuid;
  std::string flavor;
};

/// A deployment's instance to go.
struct deployment_instance_delete {
  std::string uuid;
};

/// How long these instances have run (an environment's statistics).
struct uptime_query {
  std::vector<std::string> uuids;
};

struct instance_uptime {
  std::string uuid;
  bool active = false;  // online
  int64_t seconds = 0;  // since it last started, while it runs
};

/// The answer: each instance of the query still known, in its order.
struct instance_uptimes {
  std::vector<instance_uptime> instances;
};

/// What an action does to a deployment's instance.
enum class power_action : char { start = 'A', stop = 'S', restart = 'R' };

/// A deployment's instance to start, stop or restart.
struct deployment_instance_power {
  std::string uuid;
  power_action action = power_action::restart;
};

/// Where an instance a deployment asked for stands: the answer to each of
/// the four, and what the environment registry passes on as it changes.
struct instance_progress {
  std::string uuid;
  std::string refused;  // why it could not be made or changed ("" when it could)
  bool gone = false;    // no such instance (any more)
  instance::state current = instance::state::provisioning_scheduled;
  bool resizing = false;
  std::string flavor;       // catalog id
  std::string flavor_name;
  int64_t version = 0;      // of the instance's stored value: later news has a higher one

  /// Whether it waits for no command (online or offline, no resize under way).
  bool at_rest() const {
    return !gone && !resizing
           && (current == instance::state::online || current == instance::state::offline);
  }
  /// Whether the instance has the flavor a model names (by id or name).
  bool has_flavor(const std::string& named) const {
    return named == flavor || named == flavor_name;
  }
};

inline instance_progress progress_of(const instance::instance& i, int64_t version) {
  instance_progress p;
  p.version = version;
  p.uuid = i.uuid;
  p.current = i.current;
  p.resizing = i.resize.has_value() || i.current == instance::state::resizing_scheduled
               || i.current == instance::state::resizing;
  p.flavor = i.flavor;
  p.flavor_name = i.flavor_name;
  return p;
}

} // namespace steward
