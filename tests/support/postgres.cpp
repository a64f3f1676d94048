#include "tests/support/postgres.hpp"

#include <algorithm>
#include <cstdlib>

#include <libpq-fe.h>

#include "common/ids.hpp"

namespace steward::test {

std::string run_sql(const std::string& url, const std::string& sql) {
  PGconn* c = PQconnectdb(url.c_str());
  std::string error;
  if (PQstatus(c) != CONNECTION_OK) {
    error = PQerrorMessage(c);
  } else {
    PGresult* r = PQexec(c, sql.c_str());
    auto status = PQresultStatus(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
      error = PQresultErrorMessage(r);
    PQclear(r);
  }
  PQfinish(c);
  return error;
}

namespace {

// The same URL naming another database.
std::string with_database(const std::string& url, const std::string& name) {
  auto query = url.find('?');
  auto path = url.rfind('/', query);
  return url.substr(0, path + 1) + name + (query == std::string::npos ? "" : url.substr(query));
}

} // namespace

test_database::test_database() {
  const char* url = std::getenv("STEWARD_TEST_PG_URL");
  if (!url)
    return;
  admin_url_ = url;
  auto id = make_uuid();
  id.erase(std::remove(id.begin(), id.end(), '-'), id.end());
  name_ = "steward_test_" + id.substr(0, 16);
  error_ = run_sql(admin_url_, "CREATE DATABASE " + name_);
  url_ = with_database(admin_url_, name_);
}

test_database::~test_database() {
  if (available())
    run_sql(admin_url_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
}

} // namespace steward::test
