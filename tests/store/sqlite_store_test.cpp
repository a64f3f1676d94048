#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include <sqlite3.h>

#include "store/store.hpp"
#include "tests/support/support.hpp"

using namespace steward;

namespace {

std::unique_ptr<store::store> open(const test::temp_dir& dir) {
  store::store_options o;
  o.connection = "sqlite:///" + dir.file("s.db");
  return store::open_store(o);
}

store::commit_result commit(store::store& db, store::write_batch b) {
  std::promise<store::commit_result> p;
  db.submit(std::move(b), [&](const store::commit_result& r) { p.set_value(r); });
  return p.get_future().get();
}

} // namespace

TEST(sqlite_store, entities_survive_reopening) {
  test::temp_dir dir;
  {
    auto db = open(dir);
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
  auto db = open(dir);
  auto hosts = db->load_kind("host");
  ASSERT_EQ(hosts.size(), 1u);
  EXPECT_EQ(hosts[0].id, "h1");
  EXPECT_EQ(hosts[0].document, R"({"a":3})");
  EXPECT_EQ(hosts[0].version, 2);
  EXPECT_EQ(db->load_kind("lease").size(), 1u);
}

TEST(sqlite_store, events_get_increasing_ids_and_replay_in_order) {
  test::temp_dir dir;
  auto db = open(dir);
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

TEST(sqlite_store, outbox_rows_stay_until_confirmed) {
  test::temp_dir dir;
  auto db = open(dir);
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

TEST(sqlite_store, processed_ids_newest_first) {
  test::temp_dir dir;
  auto db = open(dir);
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

TEST(sqlite_store, concurrent_writers_are_all_committed) {
  test::temp_dir dir;
  auto db = open(dir);
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

TEST(sqlite_store, bad_connections_are_refused_clearly) {
  store::store_options o;
  o.connection = "sqlite:///no/such/dir/x.db";
  try {
    store::open_store(o);
    FAIL() << "opened a database in a missing directory";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string{e.what()}.find("does not exist"), std::string::npos) << e.what();
  }
  o.connection = "postgresql://u:p@localhost/db";
  EXPECT_THROW(store::open_store(o), std::runtime_error);
  o.connection = "mysql://x";
  EXPECT_THROW(store::open_store(o), std::runtime_error);
}

TEST(sqlite_store, submit_after_close_fails_without_losing_earlier_writes) {
  test::temp_dir dir;
  auto db = open(dir);
  store::write_batch b;
  b.upserts.push_back({"host", "h1", "", "{}", 1});
  ASSERT_TRUE(commit(*db, b).ok);
  db->close();
  store::write_batch late;
  late.upserts.push_back({"host", "h2", "", "{}", 1});
  EXPECT_FALSE(commit(*db, late).ok);
  auto reopened = open(dir);
  EXPECT_EQ(reopened->load_kind("host").size(), 1u);
}

// The count that stops a message from killing stewardd on every start must
// survive the crash it counts.
TEST(sqlite_store, delivery_counts_survive_reopening_until_forgotten) {
  test::temp_dir dir;
  {
    auto db = open(dir);
    EXPECT_EQ(db->count_delivery("m-1"), 1);
    EXPECT_EQ(db->count_delivery("m-1"), 2);
    EXPECT_EQ(db->count_delivery("m-2"), 1);
  }
  auto db = open(dir);
  EXPECT_EQ(db->count_delivery("m-1"), 3);
  db->forget_delivery("m-1");
  EXPECT_EQ(db->count_delivery("m-1"), 1) << "a forgotten count starts again";
  EXPECT_EQ(db->count_delivery("m-2"), 2);
}

// A database of a stewardd before operations' streams: its events table
// gains the stream column when the store opens it, the events it held stay
// in no stream, and new events of a stream are read by their stream alone.
TEST(sqlite_store, an_older_events_table_gains_operation_streams) {
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
  auto db = open(dir);
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
