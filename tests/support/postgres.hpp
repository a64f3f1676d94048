#pragma once
// A database of its own for one test, on the PostgreSQL server of
// STEWARD_TEST_PG_URL (an administrator's URL; scripts/test.sh starts the
// server and sets it): created empty, dropped at the end.
#include <string>

namespace steward::test {

/// Runs `sql` on the server of `url`: "" or the server's error.
std::string run_sql(const std::string& url, const std::string& sql);

class test_database {
public:
  /// Without STEWARD_TEST_PG_URL, `available()` is false and nothing is made.
  test_database();
  ~test_database();
  test_database(const test_database&) = delete;
  test_database& operator=(const test_database&) = delete;

  bool available() const { return !name_.empty(); }
  /// "" when it was made, else why not.
  const std::string& error() const { return error_; }
  /// Its connection URL.
  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }
  const std::string& admin_url() const { return admin_url_; }

private:
  std::string admin_url_, name_, url_, error_;
};

} // namespace steward::test
