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
#include "actors/interfaces.hpp"
#include "actors/services.hpp"
#include "tests/support/support.hpp"

using namespace steward;
using nlohmann::json;

namespace {

using probe_actor = caf::typed_actor<caf::replies_to<api_command>::with<api_reply>,
                                     caf::replies_to<atom::notify, bus::notification>::with<atom::done>,
                                     caf::reacts_to<atom::clock_jump>>;

probe_actor::behavior_type probe(probe_actor::pointer) {
  return guarded_behavior<probe_actor::behavior_type>(
    "probe",
    [](api_command& cmd) -> caf::result<api_reply> {
      if (cmd.verb == "throw")
        throw std::runtime_error("boom");
      if (cmd.verb == "json") // what a wrong-typed document does
        return api_reply::ok(json("text").at("field"));
      return api_reply::ok(cmd.verb);
    },
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
  api_command command(std::string verb, std::string id = "") {
    api_command c;
    c.verb = std::move(verb);
    c.id = std::move(id);
    return c;
  }
};

} // namespace

TEST_F(actors, a_throwing_handler_fails_only_its_message) {
  auto p = sys.spawn(probe);
  auto thrown = ask(p, command("throw"));
  EXPECT_EQ(thrown.status, 500);
  EXPECT_NE(thrown.error.find("boom"), std::string::npos) << thrown.error;
  EXPECT_EQ(ask(p, command("json")).status, 500);
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
  auto fine = ask(p, command("still-here"));
  EXPECT_EQ(fine.status, 200) << "the actor goes on serving";
  EXPECT_EQ(fine.body, "still-here");
}

namespace {

// An entity that dies on command: with an error ("fail"), as after its own
// delete ("end"), or by an exception outside a guarded handler ("throw").
entity_actor::behavior_type mortal(entity_actor::pointer self, const actor_services*,
                                   entity_owner_actor, document doc, int64_t version, bool) {
  log_failures(self, "mortal", doc->value("id", ""));
  return {
    [=](api_command& cmd) -> caf::result<api_reply> {
      if (cmd.verb == "fail")
        self->quit(caf::make_error(caf::sec::runtime_error, "it broke"));
      else if (cmd.verb == "end")
        self->quit();
      else if (cmd.verb == "throw")
        self->send(self, atom::timer_v, uint64_t{0});
      return api_reply::ok(json{{"doc", *doc}, {"version", version}});
    },
    [](atom::timer, uint64_t) { throw std::runtime_error("late"); },
  };
}

const entity_kind mortal_kind{"mortal", "id", "steward.test", "project"};

struct keeper_state {
  const actor_services* svc = nullptr;
  entity_table table;
  std::vector<std::string> gone;
  int downs = 0;
};

// A registry of mortals: "find" answers whether one is there, "gone" lists
// those that did not come back.
registry_actor::behavior_type keeper(registry_actor::stateful_pointer<keeper_state> self) {
  auto spawn = [=](json doc, int64_t version) {
    spawn_entity(self, self->state.table, mortal, mortal_kind, std::move(doc), version, true);
  };
  spawn(json{{"id", "stored"}, {"project", ""}, {"n", 1}}, 4);
  spawn(json{{"id", "ends"}, {"project", ""}}, 1);
  spawn(json{{"id", "throws"}, {"project", ""}}, 2);
  spawn_entity(self, self->state.table, mortal, mortal_kind, json{{"id", "new"}, {"project", ""}},
               0, false);
  stop_only_on_shutdown(self);
  self->set_down_handler([=](const caf::down_msg& msg) {
    ++self->state.downs;
    auto id = entity_down(self->state.table, msg, "keeper", spawn);
    if (!id.empty())
      self->state.gone.push_back(id);
  });
  return {
    [=](api_command& cmd) -> caf::result<api_reply> {
      if (cmd.verb == "gone")
        return api_reply::ok(self->state.gone);
      if (cmd.verb == "downs")
        return api_reply::ok(self->state.downs);
      auto a = self->state.table.find(cmd.id);
      if (!a)
        return api_reply::fail(404, cmd.id);
      if (cmd.verb == "find")
        return api_reply::ok(cmd.id);
      return self->delegate(*a, std::move(cmd));
    },
    [](atom::changed, entity_snapshot&) {},
    [](atom::removed, const std::string&) {},
  };
}

} // namespace

TEST_F(actors, a_failed_entity_is_restarted_from_its_stored_document_a_few_times) {
  auto k = sys.spawn(keeper);
  auto gone = [&] { return ask(k, command("gone")).body; };
  int downs = 0;
  // Each "fail" is answered, then the entity dies; wait until its registry
  // heard of it.
  auto after_death = [&] {
    ++downs;
    ASSERT_TRUE(test::eventually([&] { return ask(k, command("downs")).body == downs; }));
  };
  for (int i = 0; i < max_entity_restarts; ++i) {
    auto r = ask(k, command("show", "stored"));
    ASSERT_EQ(r.status, 200) << "restart " << i << ": " << r.error;
    EXPECT_EQ(r.body["doc"]["n"], 1);
    EXPECT_EQ(r.body["version"], 4) << "with its stored version";
    ask(k, command("fail", "stored"));
    after_death();
  }
  EXPECT_EQ(ask(k, command("find", "stored")).status, 200);
  ask(k, command("fail", "stored"));
  after_death();
  EXPECT_EQ(ask(k, command("find", "stored")).status, 404) << "it stays down after its limit";
  ask(k, command("throw", "throws"));
  after_death();
  EXPECT_EQ(ask(k, command("show", "throws")).body["version"], 2)
    << "an exception outside a handler ends the entity, and it comes back";
  ask(k, command("end", "ends"));
  after_death();
  ask(k, command("fail", "new"));
  after_death();
  EXPECT_EQ(ask(k, command("find", "ends")).status, 404) << "an entity that ended is not restarted";
  EXPECT_EQ(ask(k, command("find", "new")).status, 404) << "nor one that was never stored";
  EXPECT_EQ(gone(), json::array({"stored", "ends", "new"}));
  self->send_exit(k, caf::exit_reason::user_shutdown);
}
