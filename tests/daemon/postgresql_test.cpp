// stewardd on the PostgreSQL store (STEWARD_TEST_PG_URL; skipped without):
// --migrate alone, then every family's writes through the API, kill -9,
// and everything acknowledged is there again, an operation's event stream
// included.
#include <string>

#include <gtest/gtest.h>

#include "tests/daemon/stewardd_fixture.hpp"
#include "tests/support/postgres.hpp"

using namespace steward;
using namespace steward::test;
using nlohmann::json;

namespace {

const char* const staff = "staff-token-0001";

struct stewardd_on_postgresql : stewardd_fixture {
  test_database database;

  void SetUp() override {
    if (!database.available())
      GTEST_SKIP() << "STEWARD_TEST_PG_URL is not set";
    ASSERT_EQ(database.error(), "");
    write_tokens(R"({"staff-token-0001": {"user_id": "root", "staff": true}})");
  }
  void start() { start_stewardd({"--database-connection", database.url()}); }
};

} // namespace

TEST_F(stewardd_on_postgresql, migrates_alone_then_keeps_what_it_acknowledged_across_kill_9) {
  std::string out, err;
  ASSERT_EQ(run_stewardd({"--database-connection", database.url(), "--migrate"}, out, err), 0)
    << err;
  EXPECT_NE(out.find("is at schema version 2"), std::string::npos) << out;
  EXPECT_EQ(run_sql(database.url(), "SELECT 1 FROM entities"), "") << "the schema is there";

  start();
  auto ready = http_call(proc->port(), "GET", "/readyz.json");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.json()["store"]["ok"], true);
  EXPECT_EQ(ready.json()["store"]["backend"], database.url()) << "no password to hide here";

  for (int i = 0; i < 30; ++i)
    ASSERT_EQ(call("POST", "/v1/inventory/hosts", staff,
                   {{"hypervisor_hostname", "pg-" + std::to_string(i)}})
                .status,
              201);
  ASSERT_TRUE(eventually([&] {
    auto r = call("GET", "/resources", staff);
    return r.status == 200 && r.json()["destination"]["hosts"].size() == 2;
  }));
  auto began = call("POST", "/tenants/" + lab, staff);
  ASSERT_EQ(began.status, 201) << began.body;
  std::string id = began.json()["id"];
  std::vector<std::string> first_read;
  {
    sse_client stream{proc->port(), "/events/" + id, {{"X-Auth-Token", staff}}};
    while (auto e = stream.next())
      first_read.push_back(e->id + " " + e->type);
    EXPECT_TRUE(stream.saw_end());
  }
  ASSERT_GT(first_read.size(), 3u);
  EXPECT_NE(first_read.back().find("tenant migrated"), std::string::npos);

  proc->kill9();
  start();
  auto hosts = call("GET", "/v1/inventory/hosts", staff).json()["hosts"];
  int ours = 0;
  for (auto& h : hosts)
    ours += h["hypervisor_hostname"].get<std::string>().rfind("pg-", 0) == 0;
  EXPECT_EQ(ours, 30) << "every acknowledged write";
  std::vector<std::string> again;
  sse_client stream{proc->port(), "/events/" + id, {{"X-Auth-Token", staff}}};
  while (auto e = stream.next())
    again.push_back(e->id + " " + e->type);
  EXPECT_EQ(again, first_read) << "the stream is read again from the database, same ids";
}

TEST_F(stewardd_on_postgresql, an_unreachable_or_newer_database_is_refused_clearly) {
  std::string out, err;
  EXPECT_EQ(run_stewardd({"--database-connection", "postgresql://u:secret@127.0.0.1:1/db",
                          "--migrate"},
                         out, err),
            1);
  EXPECT_NE(err.find("cannot connect to PostgreSQL at postgresql://u:***@127.0.0.1:1/db"),
            std::string::npos) << err;
  EXPECT_EQ(err.find("secret"), std::string::npos) << "no password on the screen";

  ASSERT_EQ(run_stewardd({"--database-connection", database.url(), "--migrate"}, out, err), 0)
    << err;
  ASSERT_EQ(run_sql(database.url(), "INSERT INTO steward_schema (version) VALUES (99)"), "");
  EXPECT_EQ(run_stewardd({"--state-dir", dir.path(), "--auth-tokens-file", dir.file("tokens.json"),
                          "--database-connection", database.url()},
                         out, err),
            1);
  EXPECT_NE(err.find("newer than this stewardd knows"), std::string::npos) << err;
}
