#pragma once
// The actor side of stewardd behind a CAF-free face: the HTTP routes and the
// bus talk to it through these calls, which return at once.
#include <algorithm>
#include <chrono>
#include <thread>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "messages/requests.hpp"
#include "messages/notification.hpp"
#include "messages/stream.hpp"
#include "actors/published_documents.hpp"
#include "actors/settings.hpp"

namespace steward {

namespace store {
class store;
}

struct runtime_options {
  std::string notification_exchange = "openstack";
  std::string notification_topic = "notifications";
  std::string command_exchange = "steward.compute";
  std::chrono::seconds request_timeout{30};
  int minutes_before_end = 60;         // [leases]
  std::string default_before_end;      // [leases]: "" or "snapshot"
  maintenance_settings maintenance;     // [maintenance]
  environment_settings environments;    // [environments]
  migration_settings migrations;         // [migration]
  std::size_t scheduler_threads = std::max(2u, std::thread::hardware_concurrency());
};

class runtime {
public:
  /// Starts the actors, recovers every entity from `db` and re-arms timers.
  runtime(runtime_options opts, store::store& db);
  ~runtime();
  runtime(const runtime&) = delete;
  runtime& operator=(const runtime&) = delete;

  /// Sends `request` to the registry that serves it through the gateway
  /// actor; `done` gets the reply (504 on timeout) on an actor thread.
  void ask(api_request_body request, std::function<void(api_reply)> done);
  /// Environment shows the environment registry published: a route answers
  /// one it finds without asking (published_documents.hpp).
  const published_documents& environment_shows() const;
  /// Waits until every registry can serve (or `limit` passed; false then).
  bool wait_until_ready(std::chrono::milliseconds limit) const;
  /// The kinds whose actor cannot serve yet (a registry still recovering,
  /// an actor being restarted); empty when every one can.
  std::vector<std::string> not_ready() const;
  /// How many times a supervised actor died and was started again (a
  /// registry from the store, with the registries that follow its state).
  std::size_t restarts() const;
  /// Ends the supervised actor of `kind` (a registry: "lease", "host", ...;
  /// "gateway", "ingest", "events") as a crash would, for tests of its
  /// restart.
  void fail_actor(const std::string& kind);
  /// Adds an SSE client to the event hub.
  void subscribe(stream_subscription sub);
  /// Hands a bus notification to the ingest (the bus's inbound handler).
  void deliver(bus::inbound msg, bus::ack_fn ack);
  /// What became of a message for the compute layer.
  struct sent_command {
    std::string request_id;  // the payload's request_id, set by the runtime
    bool stored = false;     // in the outbox: the publisher will send it
    std::string error;       // why it was not stored
  };
  /// Sends `type` with `payload` to the compute layer of `cloud` ("*": every
  /// cloud) through the outbox, outside any entity's change: control
  /// messages (compute.sync at start, the simulator's failure injection, an
  /// operator's direct command). `done` runs once it is stored or failed,
  /// on the store's writer thread: it must not block.
  void send_to_compute(const std::string& cloud, const std::string& type,
                       nlohmann::json payload, std::function<void(sent_command)> done = nullptr);
  /// The test clock jumped: every entity re-arms its timers.
  void clock_jumped();
  /// Stops every actor and waits for them.
  void shutdown();

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace steward
