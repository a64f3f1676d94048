#pragma once
// Registries and entities on CAF's test coordinator: every message runs on
// the test's thread when the test says so, a delayed message (an entity's
// timer) only when the test moves time, and Steward's clock stands still
// and moves with it. No process, no socket, no wall-clock wait.
//
// The store is an actor of the test (`recording_store`) that keeps the rows
// the batches write, as a store would, and answers each batch at once, or
// holds the answers (a slow disk) or fails them (a broken one) when told.
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "actors/interfaces.hpp"
#include "actors/readiness.hpp"
#include "actors/services.hpp"
#include "common/clock.hpp"
#include "store/store.hpp"

namespace steward::test {

/// What the recording store was given, and how it answers.
struct store_log {
  enum class mode { answer, hold, fail };
  mode answers = mode::answer;
  std::vector<store::write_batch> batches;  // every batch, in arrival order
  /// The stored rows by kind and id, as a store would have them (only
  /// batches answered with success are applied).
  std::map<std::pair<std::string, std::string>, store::entity_record> rows;
  std::vector<std::pair<store::write_batch, caf::typed_response_promise<commit_ack>>> held;

  /// The stored rows of one kind, as a registry recovers them.
  std::vector<store::entity_record> load(const std::string& kind) const;
  void apply(const store::write_batch& b);
};

/// The store actor of the tests; `atom::done` applies and answers every
/// held batch (a promise is delivered by the actor that made it).
using recording_store_actor = store_actor::extend<caf::reacts_to<atom::done>>;

recording_store_actor::behavior_type recording_store(recording_store_actor::pointer self,
                                                     store_log* log);

class deterministic_actors : public ::testing::Test {
protected:
  deterministic_actors();
  ~deterministic_actors() override;

  /// Runs every message that is due, and what they send in turn.
  void run();
  /// The held batches are written at last: applied and answered.
  void release_held_writes();
  /// Moves Steward's clock and CAF's together, then runs what fell due.
  void advance(std::chrono::seconds d);
  /// Moves only Steward's clock and tells every registry, as the test clock
  /// route does: entities re-arm against the new time.
  void jump(std::chrono::seconds d);

  /// Spawns the host, instance, lease, maintenance and environment registries, recovering what the
  /// store holds; then runs until they are ready.
  void start();
  /// Stops the registries (and their entities), as a process ends.
  void stop();

  /// Sends `xs` to `h` and runs until the answer is in.
  template <class Reply, class Handle, class... Ts>
  Reply ask(const Handle& h, Ts... xs) {
    std::optional<Reply> out;
    std::string failure;
    sys.spawn([h, &out, &failure, xs...](caf::event_based_actor* self) {
      self->request(h, caf::infinite, xs...)
        .then([&out](Reply& r) { out = std::move(r); },
              [&failure](caf::error& e) { failure = to_string(e); });
    });
    run();
    if (!out) {
      ADD_FAILURE() << "no answer" << (failure.empty() ? "" : ": " + failure);
      return Reply{};
    }
    return *out;
  }
  /// `request` from an operator, to the registry `r`.
  template <class Registry, class Request>
  api_reply as_operator(const Registry& r, Request request) {
    request.ctx.who.user_id = "root";
    request.ctx.who.staff = true;
    return ask<api_reply>(r, std::move(request));
  }

  /// A lease as its registry shows it.
  nlohmann::json lease(const std::string& id);
  /// The status of `event` ("start_lease", ...) of lease `id`.
  std::string event_status(const std::string& id, const std::string& event);

  caf::actor_system_config cfg;
  caf::actor_system sys;
  caf::scheduler::test_coordinator& sched;
  store_log stored;
  recording_store_actor store;
  readiness ready;
  actor_services svc;
  host_registry_actor hosts;
  instance_registry_actor instances;
  lease_registry_actor leases;
  maintenance_registry_actor maintenance;
  environment_registry_actor environments;
  std::vector<clock_follower_actor> clock_followers;
};

} // namespace steward::test
