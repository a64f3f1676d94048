#pragma once
// What a lease asks the instance registry as it ends: the instances on its
// hosts, to snapshot or delete.
#include <string>
#include <vector>

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

} // namespace steward
