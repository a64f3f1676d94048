// The store interface against both backends: SQLite in a temporary file,
// and PostgreSQL (STEWARD_TEST_PG_URL, an administrator's URL: each test
// gets a database of its own; skipped without, as scripts/test.sh sets it).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <sqlite3.h>

#include "store/pg_store.hpp"
#include "store/shard_leases.hpp"
#include "store/store.hpp"
#include "tests/support/postgres.hpp"
#include "tests/support/support.hpp"

using namespace steward;

namespace {

struct store_test : ::testing::TestWithParam<std::string> {
  test::temp_dir dir;
  std::unique_ptr<test::test_database> database;
  std::string connection;

  void SetUp() override {
    if (GetParam() == "sqlite") {
      connection = "sqlite:///" + dir.file("s.db");
      return;
    }
    database = std::make_unique<test::test_database>();
    if (!database->available())
      GTEST_SKIP() << "STEWARD_TEST_PG_URL is not set";
    ASSERT_EQ(database->error(), "");
    connection = database->url();
  }
  std::unique_ptr<store::store> open() {
    store::store_options o;
    o.connection = connection;
    return store::open_store(o);
  }
  bool postgresql() const { return GetParam() == "postgresql"; }
};

store::commit_result commit(store::store& db, store::write_batch b) {
  std::promise<store::commit_result> p;
  db.submit(std::move(b), [&](const store::commit_result& r) { p.set_value(r); });
  return p.get_future().get();
}

store::commit_result commit_fenced(store::store& db, const store::fence& f, store::write_batch b) {
  std::promise<store::commit_result> p;
  dynamic_cast<store::group_commit_store&>(db).submit_fenced(
    f, std::move(b), [&](const store::commit_result& r) { p.set_value(r); });
  return p.get_future().get();
}

store::write_batch upsert_of(const std::string& id) {
  store::write_batch b;
  b.upserts.push_back({"x", id, "", "{}", 1});
  return b;
}

} // namespace

INSTANTIATE_TEST_SUITE_P(backends, store_test, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

// What only a database server has: a schema of its own, a connection.
struct postgresql_store_test : store_test {};
INSTANTIATE_TEST_SUITE_P(server, postgresql_store_test, ::testing::Values("postgresql"),
                         [](const auto& info) { return info.param; });

TEST_P(store_test, entities_survive_reopening) {
  {
    auto db = open();
    store::write_batch b;
    b.upserts.push_back({"host", "h1", "", R"({"a":1})", 1});
    b.upserts.push_back({"host", "h2", "p", R"({"a":2})", 1});
    b.upserts.push_back({"lease", "l1", "p", R"({})", 1});
    ASSERT_TRUE(commit(*db, b).ok);
    store::write_batch u;
    u.upserts.push_back({"host", "h1", "", R"({"a":3})", 2});
    u.deletes.emplace_back("host", "h2");
    ASSERT_TRUE(commit(*db, u).ok);
  }
  auto db = open();
  auto hosts = db->load_kind("host");
  ASSERT_EQ(hosts.size(), 1u);
  EXPECT_EQ(hosts[0].id, "h1");
  EXPECT_EQ(hosts[0].document, R"({"a":3})");
  EXPECT_EQ(hosts[0].version, 2);
  EXPECT_EQ(db->load_kind("lease").size(), 1u);
}

TEST_P(store_test, events_get_increasing_ids_and_replay_in_order) {
  auto db = open();
  std::vector<uint64_t> heard;
  db->on_commit([&](const store::commit_result& r) {
    for (auto& e : r.events)
      heard.push_back(e.id);
  });
  for (int i = 0; i < 5; ++i) {
    store::write_batch b;
    b.events.push_back({0, "host.update", "", "t", "{\"n\":" + std::to_string(i) + "}", ""});
    auto r = commit(*db, b);
    ASSERT_EQ(r.events.size(), 1u);
  }
  ASSERT_EQ(heard.size(), 5u);
  for (std::size_t i = 1; i < heard.size(); ++i)
    EXPECT_LT(heard[i - 1], heard[i]);
  auto rows = db->events_after(heard[1], 100);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].id, heard[2]);
  EXPECT_EQ(rows[2].data, "{\"n\":4}");
  EXPECT_EQ(db->last_event_id(), heard.back());
  std::promise<std::vector<store::event_record>> p;
  db->events_after_async(0, 2, [&](std::vector<store::event_record> r) { p.set_value(r); });
  EXPECT_EQ(p.get_future().get().size(), 2u);
}

TEST_P(store_test, outbox_rows_stay_until_confirmed) {
  auto db = open();
  store::write_batch b;
  for (int i = 0; i < 3; ++i)
    b.outbox.push_back({0, "openstack", "notifications.info", "m" + std::to_string(i), "{}"});
  auto r = commit(*db, b);
  EXPECT_TRUE(r.outbox_written);
  auto rows = db->pending_outbox(0, 10);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(db->pending_outbox(rows[0].outbox_id, 10).size(), 2u);
  db->confirm_outbox({rows[0].outbox_id, rows[1].outbox_id});
  ASSERT_TRUE(test::eventually([&] { return db->pending_outbox(0, 10).size() == 1; }));
  EXPECT_EQ(db->pending_outbox(0, 10)[0].message_id, "m2");
}

TEST_P(store_test, processed_ids_newest_first) {
  auto db = open();
  store::write_batch b;
  b.processed = {"a", "b", "c"};
  ASSERT_TRUE(commit(*db, b).ok);
  store::write_batch again;
  again.processed = {"b"}; // a redelivery marks nothing twice
  ASSERT_TRUE(commit(*db, again).ok);
  auto ids = db->processed_ids(2);
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(ids[0], "c");
}

TEST_P(store_test, concurrent_writers_are_all_committed) {
  auto db = open();
  constexpr int writers = 8, each = 200;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w)
    threads.emplace_back([&, w] {
      for (int i = 0; i < each; ++i) {
        store::write_batch b;
        b.upserts.push_back({"x", std::to_string(w) + "-" + std::to_string(i), "", "{}", 1});
        if (commit(*db, b).ok)
          ++ok;
      }
    });
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(ok.load(), writers * each);
  EXPECT_EQ(db->load_kind("x").size(), static_cast<std::size_t>(writers * each));
}

TEST(store, bad_connections_are_refused_clearly) {
  store::store_options o;
  o.connection = "sqlite:///no/such/dir/x.db";
  try {
    store::open_store(o);
    FAIL() << "opened a database in a missing directory";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string{e.what()}.find("does not exist"), std::string::npos) << e.what();
  }
  o.connection = "postgresql://u:secret@127.0.0.1:1/db";
  try {
    store::open_store(o);
    FAIL() << "connected to nothing";
  } catch (const std::runtime_error& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("cannot connect to PostgreSQL at postgresql://u:***@127.0.0.1:1/db"),
              std::string::npos) << what;
    EXPECT_EQ(what.find("secret"), std::string::npos) << "no password in an error";
  }
  o.connection = "mysql://x";
  EXPECT_THROW(store::open_store(o), std::runtime_error);
}

TEST_P(store_test, submit_after_close_fails_without_losing_earlier_writes) {
  auto db = open();
  store::write_batch b;
  b.upserts.push_back({"host", "h1", "", "{}", 1});
  ASSERT_TRUE(commit(*db, b).ok);
  db->close();
  store::write_batch late;
  late.upserts.push_back({"host", "h2", "", "{}", 1});
  EXPECT_FALSE(commit(*db, late).ok);
  auto reopened = open();
  EXPECT_EQ(reopened->load_kind("host").size(), 1u);
}

// The count that stops a message from killing stewardd on every start must
// survive the crash it counts.
TEST_P(store_test, delivery_counts_survive_reopening_until_forgotten) {
  {
    auto db = open();
    EXPECT_EQ(db->count_delivery("m-1"), 1);
    EXPECT_EQ(db->count_delivery("m-1"), 2);
    EXPECT_EQ(db->count_delivery("m-2"), 1);
  }
  auto db = open();
  EXPECT_EQ(db->count_delivery("m-1"), 3);
  db->forget_delivery("m-1");
  EXPECT_EQ(db->count_delivery("m-1"), 1) << "a forgotten count starts again";
  EXPECT_EQ(db->count_delivery("m-2"), 2);
}

// A database of a stewardd before operations' streams: its events table
// gains the stream column when the store opens it, the events it held stay
// in no stream, and new events of a stream are read by their stream alone.
TEST(store, an_older_sqlite_events_table_gains_operation_streams) {
  test::temp_dir dir;
  {
    sqlite3* old = nullptr;
    ASSERT_EQ(sqlite3_open(dir.file("s.db").c_str(), &old), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(old,
                           "CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, "
                           "type TEXT NOT NULL, project TEXT NOT NULL, time TEXT NOT NULL, "
                           "data TEXT NOT NULL);"
                           "INSERT INTO events (type, project, time, data) "
                           "VALUES ('host.update', '', 't', '{}');",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(old);
  }
  store::store_options o;
  o.connection = "sqlite:///" + dir.file("s.db");
  auto db = store::open_store(o);
  store::write_batch b;
  b.events.push_back({0, "migration.server.migrate", "", "t", "{\"n\":1}", "op-1"});
  b.events.push_back({0, "host.update", "", "t", "{\"n\":2}", ""});
  b.events.push_back({0, "migration.server.boot", "", "t", "{\"n\":3}", "op-1"});
  ASSERT_TRUE(commit(*db, b).ok);
  auto all = db->events_after(0, 10);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].stream, "") << "what it held stays in no stream";
  EXPECT_EQ(all[1].stream, "op-1");
  std::promise<std::vector<store::event_record>> p;
  db->events_after_async(
    all[1].id, 10, [&](std::vector<store::event_record> r) { p.set_value(r); }, "op-1");
  auto mine = p.get_future().get();
  ASSERT_EQ(mine.size(), 1u) << "after the first of its stream, only its own";
  EXPECT_EQ(mine[0].type, "migration.server.boot");
}

// What the group commit does when one batch of a group is bad: it fails
// alone, the others commit. (PostgreSQL refuses text that is not UTF-8;
// SQLite keeps it, so both commit there.)
TEST_P(store_test, a_bad_batch_fails_alone) {
  auto db = open();
  std::vector<std::future<store::commit_result>> results;
  for (auto document : {std::string{"{}"}, std::string{"{\"x\": \"\xff\xfe\"}"}, std::string{"{}"}}) {
    auto p = std::make_shared<std::promise<store::commit_result>>();
    results.push_back(p->get_future());
    store::write_batch b;
    b.upserts.push_back({"x", std::to_string(results.size()), "", document, 1});
    b.events.push_back({0, "x.update", "", "t", document, ""});
    db->submit(std::move(b), [p](const store::commit_result& r) { p->set_value(r); });
  }
  auto first = results[0].get(), bad = results[1].get(), last = results[2].get();
  EXPECT_TRUE(first.ok) << first.error;
  EXPECT_TRUE(last.ok) << last.error;
  ASSERT_EQ(first.events.size(), 1u);
  ASSERT_EQ(last.events.size(), 1u);
  EXPECT_LT(first.events[0].id, last.events[0].id);
  if (postgresql()) {
    EXPECT_FALSE(bad.ok);
    EXPECT_NE(bad.error.find("UTF8"), std::string::npos) << bad.error;
    EXPECT_TRUE(bad.events.empty());
    EXPECT_EQ(db->load_kind("x").size(), 2u) << "the others are stored";
    EXPECT_EQ(db->events_after(0, 10).size(), 2u) << "and only their events";
    EXPECT_TRUE(db->healthy()) << "a bad batch is not a broken store";
  } else {
    EXPECT_TRUE(bad.ok);
  }
}

// The schema is the store's: created on first open, versioned, migrated
// once however many nodes open it, and a newer one is refused.
TEST_P(postgresql_store_test, the_schema_is_created_and_versioned_by_the_store) {
  std::vector<std::thread> nodes;
  std::atomic<int> opened{0};
  for (int i = 0; i < 3; ++i)
    nodes.emplace_back([&] {
      try {
        if (open())
          ++opened;
      } catch (const std::exception& e) {
        ADD_FAILURE() << e.what();
      }
    });
  for (auto& t : nodes)
    t.join();
  EXPECT_EQ(opened.load(), 3) << "three nodes opening a new database at once";
  EXPECT_EQ(test::run_sql(connection, "SELECT 1 FROM entities"), "") << "created";
  EXPECT_EQ(store::migrate_postgresql(connection), 2) << "at the newest version, nothing done twice";
  ASSERT_EQ(test::run_sql(connection, "INSERT INTO steward_schema (version) VALUES (99)"), "");
  try {
    open();
    FAIL() << "opened a schema newer than it knows";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string{e.what()}.find("version 99, newer than this stewardd knows"),
              std::string::npos) << e.what();
  }
}

// The server drops every session (a restart, a failover): the store
// connects again; what it did not commit it said so.
TEST_P(postgresql_store_test, a_lost_connection_is_made_again) {
  auto db = open();
  store::write_batch b;
  b.upserts.push_back({"host", "h1", "", "{}", 1});
  ASSERT_TRUE(commit(*db, b).ok);
  ASSERT_EQ(test::run_sql(database->admin_url(),
                          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = '" + database->name() + "'"),
            "");
  EXPECT_EQ(db->load_kind("host").size(), 1u) << "a read connects again";
  ASSERT_TRUE(test::eventually([&] {
    store::write_batch again;
    again.upserts.push_back({"host", "h2", "", "{}", 1});
    return commit(*db, again).ok;
  })) << "a write connects again";
  EXPECT_TRUE(db->healthy());
  std::promise<std::vector<store::event_record>> p;
  db->events_after_async(0, 10, [&](std::vector<store::event_record> r) { p.set_value(r); });
  EXPECT_TRUE(p.get_future().get().empty());
  EXPECT_EQ(db->load_kind("host").size(), 2u);
}

// Two nodes write events to one database at once while a reader follows
// the log by "after the last id I saw": it must see every event, each once,
// in id order. Ids handed out in commit order make that true; ids handed
// out at insert would let the reader pass over an id still uncommitted.
TEST_P(postgresql_store_test, two_writers_give_one_event_order_a_reader_never_skips) {
  auto first = open();
  auto second = open();
  constexpr int per_writer = 300;
  std::atomic<int> writers_done{0};
  std::mutex mtx;
  std::set<uint64_t> written;
  auto write = [&](store::store& db, int writer) {
    for (int i = 0; i < per_writer; ++i) {
      store::write_batch b;
      b.events.push_back({0, "x.update", "", "t", std::to_string(writer * 1000 + i), ""});
      auto r = commit(db, b);
      if (!r.ok || r.events.size() != 1) {
        ADD_FAILURE() << r.error;
        continue;
      }
      std::lock_guard<std::mutex> guard{mtx};
      written.insert(r.events.at(0).id);
    }
    ++writers_done;
  };
  std::vector<uint64_t> read;
  std::thread reader{[&] {
    uint64_t last = 0;
    for (;;) {
      bool finished = writers_done == 4;  // read once more after they all finished
      for (auto& e : first->events_after(last, 1000)) {
        read.push_back(e.id);
        last = e.id;
      }
      if (finished)
        return;
    }
  }};
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w)
    writers.emplace_back(write, std::ref(w % 2 ? *second : *first), w);
  for (auto& t : writers)
    t.join();
  reader.join();
  EXPECT_EQ(written.size(), 4u * per_writer);
  EXPECT_EQ(std::set<uint64_t>(read.begin(), read.end()), written) << "nothing skipped";
  EXPECT_EQ(read.size(), written.size()) << "nothing twice";
  EXPECT_TRUE(std::is_sorted(read.begin(), read.end()));
}

// A fenced write with nobody holding its shard is refused by both stores:
// SQLite has no owners to check, PostgreSQL finds none.
TEST_P(store_test, a_fenced_write_without_a_shard_owner_fails_and_changes_nothing) {
  auto db = open();
  auto r = commit_fenced(*db, {3, "node-a", 1}, upsert_of("x1"));
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find(postgresql() ? "stale owner: shard 3 is not held by node-a at epoch 1"
                                      : "a fenced write needs the PostgreSQL store"),
            std::string::npos)
    << r.error;
  EXPECT_TRUE(db->load_kind("x").empty());
  EXPECT_TRUE(commit(*db, upsert_of("x2")).ok) << "the store goes on";
}

// One owner per shard; taking one over raises its epoch; the old owner's
// writes fail from then on, and its renewals no longer name the shard.
TEST_P(postgresql_store_test, a_shard_has_one_owner_and_a_stale_owner_cannot_write) {
  auto db = open();
  store::shard_leases a{connection, "node-a", std::chrono::seconds{60}};
  store::shard_leases b{connection, "node-b", std::chrono::seconds{60}};
  auto shards_of = [](const std::vector<store::shard_claim>& claims) {
    std::map<int, int64_t> out;
    for (auto& c : claims)
      out[c.shard] = c.epoch;
    return out;
  };
  EXPECT_EQ(shards_of(a.take({0, 1, 2})), (std::map<int, int64_t>{{0, 1}, {1, 1}, {2, 1}}));
  EXPECT_EQ(shards_of(b.take({0, 1, 2, 3})), (std::map<int, int64_t>{{3, 1}}))
    << "a held shard is not taken";
  EXPECT_TRUE(commit_fenced(*db, {0, "node-a", 1}, upsert_of("a-1")).ok);
  auto wrong = commit_fenced(*db, {0, "node-b", 1}, upsert_of("b-1"));
  EXPECT_FALSE(wrong.ok);
  EXPECT_NE(wrong.error.find("stale owner"), std::string::npos) << wrong.error;
  EXPECT_FALSE(commit_fenced(*db, {0, "node-a", 2}, upsert_of("a-2")).ok) << "a future epoch";

  a.release(0);
  EXPECT_EQ(shards_of(b.take({0})), (std::map<int, int64_t>{{0, 2}})) << "taken over: epoch 2";
  EXPECT_FALSE(commit_fenced(*db, {0, "node-a", 1}, upsert_of("a-3")).ok) << "the old owner";
  EXPECT_TRUE(commit_fenced(*db, {0, "node-b", 2}, upsert_of("b-2")).ok) << "the new one";
  EXPECT_EQ(shards_of(a.renew()), (std::map<int, int64_t>{{1, 1}, {2, 1}}));

  // A lease that runs out (the database's clock decides) is taken by the
  // next node that asks, and its owner's writes and renewals fail.
  store::shard_leases c{connection, "node-c", std::chrono::seconds{1}};
  EXPECT_EQ(shards_of(c.take({7})), (std::map<int, int64_t>{{7, 1}}));
  ASSERT_TRUE(test::eventually([&] { return !b.take({7}).empty(); }));
  EXPECT_TRUE(c.renew().empty());
  EXPECT_FALSE(commit_fenced(*db, {7, "node-c", 1}, upsert_of("c-1")).ok);
  EXPECT_TRUE(commit_fenced(*db, {7, "node-b", 2}, upsert_of("b-3")).ok);

  std::set<std::string> stored;
  for (auto& e : db->load_kind("x"))
    stored.insert(e.id);
  EXPECT_EQ(stored, (std::set<std::string>{"a-1", "b-2", "b-3"})) << "only the owners' writes";
}
