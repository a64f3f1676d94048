#pragma once
// The settings entity actors and their rules read (CAF-free, so that the
// rules are tested without actors).
#include <string>
#include <utility>
#include <vector>

#include "messages/maintenance.hpp"

namespace steward {

/// The lease settings ([leases] in the configuration).
struct lease_settings {
  int minutes_before_end = 60;
  std::string default_before_end;  // what before_end "default" does: "" or "snapshot"
};

/// The maintenance settings ([maintenance] in the configuration).
struct maintenance_settings {
  int max_sessions = 5;
  int reply_seconds = 20;          // a project's time to answer
  int own_action_seconds = 120;    // a project's time to empty a host itself
  int host_seconds = 0;            // how long a host's maintenance takes
  int move_seconds = 600;          // how long one move Steward commands may take
  maintenance::instance_action default_action = maintenance::instance_action::migrate;
  double cpu_allocation_ratio = 4.0;
};

/// The application environment settings ([environments] in the configuration).
struct environment_settings {
  int deploy_seconds = 600;  // how long a deployment waits for the compute layer
};

/// Named addresses of a cloud's own consoles, shown as they are configured.
using cloud_urls = std::vector<std::pair<std::string, std::string>>;

/// The migration settings ([migration] in the configuration).
struct migration_settings {
  std::string source_cloud = "default";
  std::string destination_cloud = "destination";
  cloud_urls source_urls, destination_urls;
  bool reset = false;        // whether POST /reset restores the starting workload
  int parallel_servers = 10; // servers of one tenant (or host) migrating at once
  // An evacuated server's move: a live migration that the cloud aborts
  // leaves no trace, so one not done in this time counts as failed.
  int move_seconds = 600;
};

} // namespace steward
