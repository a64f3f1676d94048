// A handler that throws fails its own message; the actor goes on. An entity
// that dies anyway is restarted by its registry from its stored document.
#include "actors/guard.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/entity_table.hpp"
#include "actors/inventory/host_actor.hpp"
#include "actors/interfaces.hpp"
#include "actors/services.hpp"
#include "tests/support/support.hpp"

using namespace steward;
using nlohmann::json;

namespace {

// The probes borrow request types of the block; what each stands for here:
using throwing = instance_start;   // a handler that throws
using wrong_json = instance_stop;  // a handler that reads a document wrongly
using echo = instance_show;        // answers its id

using probe_actor = caf::typed_actor<caf::replies_to<throwing>::with<api_reply>,
                                     caf::replies_to<wrong_json>::with<api_reply>,
                                     caf::replies_to<echo>::with<api_reply>,
                                     caf::replies_to<atom::notify, bus::notification>::with<atom::done>,
                                     caf::reacts_to<atom::clock_jump>>;

probe_actor::behavior_type probe(probe_actor::pointer) {
  return guarded_behavior<probe_actor::behavior_type>(
    "probe",
    [](throwing&) -> caf::result<api_reply> { throw std::runtime_error("boom"); },
    [](wrong_json&) -> caf::result<api_reply> {
      return api_reply::ok(json("text").at("field"));
    },
    [](echo& r) -> caf::result<api_reply> { return api_reply::ok(r.id); },
    [](atom::notify, bus::notification& n) -> caf::result<atom::done> {
      if (n.event_type == "throw")
        throw std::out_of_range("no such thing");
      return atom::done_v;
    },
    [](atom::clock_jump) { throw std::logic_error("one-way"); });
}

struct actors : ::testing::Test {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};

  template <class Handle, class... Ts>
  api_reply ask(const Handle& h, Ts&&... xs) {
    api_reply out;
    self->request(h, std::chrono::seconds{60}, std::forward<Ts>(xs)...)
      .receive([&](api_reply& r) { out = std::move(r); },
               [&](caf::error& e) { out = api_reply::fail(0, to_string(e)); });
    return out;
  }
};

} // namespace

TEST_F(actors, a_throwing_handler_fails_only_its_message) {
  auto p = sys.spawn(probe);
  auto thrown = ask(p, throwing{});
  EXPECT_EQ(thrown.status, 500);
  EXPECT_NE(thrown.error.find("boom"), std::string::npos) << thrown.error;
  EXPECT_EQ(ask(p, wrong_json{}).status, 500);
  self->send(p, atom::clock_jump_v);
  bus::notification n;
  n.event_type = "throw";
  bool failed = false;
  self->request(p, std::chrono::seconds{60}, atom::notify_v, n)
    .receive([](atom::done) {}, [&](caf::error& e) {
      failed = e == caf::sec::runtime_error;
      EXPECT_NE(to_string(e).find("no such thing"), std::string::npos) << to_string(e);
    });
  EXPECT_TRUE(failed);
  auto fine = ask(p, echo{{}, "still-here"});
  EXPECT_EQ(fine.status, 200) << "the actor goes on serving";
  EXPECT_EQ(fine.body, "still-here");
}

namespace {

// What the mortals and their keeper answer (request types of the block):
using show = host_show;        // a mortal's document and version
using fail = host_delete;      // the mortal ends with an error
using end = lease_delete;      // the mortal ends as after its own delete
using throw_late = host_update;  // an exception outside a guarded handler
using find = lease_show;       // the keeper: is the mortal there
using gone_list = lease_list;  // the keeper: those that did not come back
using down_count = maintenance_list;  // the keeper: how many ended

using mortal_actor = entity_actor::extend_with<api_of<show, fail, end, throw_late>>;

// An entity that dies on request: with an error, as after its own delete,
// or by an exception outside a guarded handler.
// Its value: a host (any typed value would do), its `vcpus` standing for a
// number the test reads back.
mortal_actor::behavior_type mortal(mortal_actor::pointer self, const actor_services*,
                                   owner_of<host_snapshot>, host_ptr value, int64_t version, bool) {
  log_failures(self, "mortal", value->id);
  auto answer = [=] {
    return api_reply::ok(json{{"doc", {{"id", value->id}, {"n", value->vcpus}}},
                              {"version", version}});
  };
  return {
    [=](atom::create) -> caf::result<api_reply> { return answer(); },
    [=](show&) -> caf::result<api_reply> { return answer(); },
    [=](fail&) -> caf::result<api_reply> {
      self->quit(caf::make_error(caf::sec::runtime_error, "it broke"));
      return answer();
    },
    [=](end&) -> caf::result<api_reply> {
      self->quit();
      return answer();
    },
    [=](throw_late&) -> caf::result<api_reply> {
      self->send(self, atom::timer_v, uint64_t{0});
      return answer();
    },
    [](atom::timer, uint64_t) { throw std::runtime_error("late"); },
  };
}

const entity_kind mortal_kind{"mortal", "steward.test"};

struct keeper_state {
  const actor_services* svc = nullptr;
  entity_table_of<inventory::host> table;
  std::vector<std::string> gone;
  int downs = 0;
};

using keeper_actor = owner_of<host_snapshot>::extend_with<waking_actor>::extend_with<
  api_of<show, fail, end, throw_late, find, gone_list, down_count>>;

// A registry of mortals: the stored ones passive until asked, as recovered.
keeper_actor::behavior_type keeper(keeper_actor::stateful_pointer<keeper_state> self) {
  self->state.table.set_starter([=](const host_snapshot& snap) {
    start_entity(self, self->state.table, mortal, snap, true);
  });
  auto spawn = [=](inventory::host value, int64_t version) {
    add_passive(self, self->state.table, mortal_kind, std::move(value), version, std::nullopt);
  };
  auto value = [](const std::string& id, int64_t n) {
    inventory::host h;
    h.id = id;
    h.vcpus = n;
    return h;
  };
  spawn(value("stored", 1), 4);
  spawn(value("ends", 0), 1);
  spawn(value("throws", 0), 2);
  spawn_entity(self, self->state.table, mortal, mortal_kind, value("new", 0));
  stop_only_on_shutdown(self);
  self->set_down_handler([=](const caf::down_msg& msg) {
    ++self->state.downs;
    auto id = entity_down(self->state.table, msg, "keeper", spawn);
    if (!id.empty())
      self->state.gone.push_back(id);
  });
  // Hands a request to the mortal it names.
  auto to_mortal = [=](auto& r) -> caf::result<api_reply> {
    auto a = self->state.table.actor(r.id);
    if (!a)
      return api_reply::fail(404, r.id);
    return self->delegate(caf::actor_cast<mortal_actor>(*a), std::move(r));
  };
  return {
    [=](show& r) { return to_mortal(r); },
    [=](fail& r) { return to_mortal(r); },
    [=](end& r) { return to_mortal(r); },
    [=](throw_late& r) { return to_mortal(r); },
    [=](find& r) -> caf::result<api_reply> {
      if (!self->state.table.snapshot(r.id))
        return api_reply::fail(404, r.id);
      return api_reply::ok(r.id);
    },
    [=](gone_list&) -> caf::result<api_reply> { return api_reply::ok(self->state.gone); },
    [=](down_count&) -> caf::result<api_reply> { return api_reply::ok(self->state.downs); },
    [](atom::changed, host_snapshot&) {},
    [](atom::removed, const std::string&) {},
    [=](atom::wake) { wake_due(self, self->state.table); },
  };
}

} // namespace

TEST_F(actors, a_failed_entity_is_restarted_from_its_stored_document_a_few_times) {
  auto k = sys.spawn(keeper);
  auto gone = [&] { return ask(k, gone_list{}).body; };
  int downs = 0;
  // Each "fail" is answered, then the entity dies; wait until its registry
  // heard of it.
  auto after_death = [&] {
    ++downs;
    ASSERT_TRUE(test::eventually([&] { return ask(k, down_count{}).body == downs; }));
  };
  for (int i = 0; i < max_entity_restarts; ++i) {
    auto r = ask(k, show{{}, "stored"});
    ASSERT_EQ(r.status, 200) << "restart " << i << ": " << r.error;
    EXPECT_EQ(r.body["doc"]["n"], 1);
    EXPECT_EQ(r.body["version"], 4) << "with its stored version";
    ask(k, fail{{}, "stored"});
    after_death();
  }
  EXPECT_EQ(ask(k, find{{}, "stored"}).status, 200);
  ask(k, fail{{}, "stored"});
  after_death();
  EXPECT_EQ(ask(k, find{{}, "stored"}).status, 404) << "it stays down after its limit";
  ask(k, throw_late{{}, "throws", {}});
  after_death();
  EXPECT_EQ(ask(k, show{{}, "throws"}).body["version"], 2)
    << "an exception outside a handler ends the entity, and it comes back";
  ask(k, end{{}, "ends"});
  after_death();
  ask(k, fail{{}, "new"});
  after_death();
  EXPECT_EQ(ask(k, find{{}, "ends"}).status, 404) << "an entity that ended is not restarted";
  EXPECT_EQ(ask(k, find{{}, "new"}).status, 404) << "nor one that was never stored";
  EXPECT_EQ(gone(), json::array({"stored", "ends", "new"}));
  self->send_exit(k, caf::exit_reason::user_shutdown);
}
