#pragma once
// One libpq connection, for the PostgreSQL parts of the store layer only
// (pg_store, shard_leases): plain queries, and a pipeline of prepared
// statements sent in one round trip.
#include <libpq-fe.h>
#include <poll.h>

#include <cerrno>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "messages/records.hpp"

namespace steward::store {

// How long one round trip may take before the connection is given up.
constexpr int pg_round_trip_ms = 30000;

/// A statement prepared once per session.
struct pg_statement {
  const char* name;
  const char* sql;
  int params;
};

struct pg_result_deleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using result_ptr = std::unique_ptr<PGresult, pg_result_deleter>;

/// A libpq message without its trailing newline.
inline std::string trimmed(std::string message) {
  while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
    message.pop_back();
  return message;
}

/// The connection's last error.
inline std::string error_of(PGconn* c) {
  return trimmed(c ? PQerrorMessage(c) : "out of memory");
}

/// The URL without its password, for logs and the first screen.
std::string without_password(const std::string& url);

/// One libpq connection: plain queries for reads and the schema, and a
/// pipeline of prepared statements for the writer. Not thread-safe.
class pg_connection {
public:
  explicit pg_connection(const std::string& url) {
    conn_ = PQconnectdb(url.c_str());
    if (PQstatus(conn_) != CONNECTION_OK) {
      auto why = error_of(conn_);
      PQfinish(conn_);
      throw std::runtime_error("cannot connect to PostgreSQL at " + without_password(url) + ": "
                               + why);
    }
    // The server's notices ("already exists, skipping") are not errors:
    // they stay off stderr.
    PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
  }
  ~pg_connection() { PQfinish(conn_); }
  pg_connection(const pg_connection&) = delete;
  pg_connection& operator=(const pg_connection&) = delete;

  /// Reconnects when the server went away (a restart, a dropped socket);
  /// the prepared statements go with the session.
  void ensure() {
    if (PQstatus(conn_) != CONNECTION_OK)
      reset();
  }
  /// A new session: after a lost connection, or a pipeline left half read.
  void reset() {
    PQreset(conn_);
    prepared_ = false;
    if (PQstatus(conn_) != CONNECTION_OK)
      throw std::runtime_error("PostgreSQL connection lost: " + error_of(conn_));
    if (PQpipelineStatus(conn_) != PQ_PIPELINE_OFF)
      PQexitPipelineMode(conn_);
    PQsetnonblocking(conn_, 0);
  }
  bool broken() const { return PQstatus(conn_) != CONNECTION_OK; }

  /// Runs `sql` (several statements allowed when there are no params).
  result_ptr query(const std::string& sql, const std::vector<std::string>& params = {}) {
    std::vector<const char*> values;
    for (auto& p : params)
      values.push_back(p.c_str());
    result_ptr r{params.empty() ? PQexec(conn_, sql.c_str())
                                : PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()),
                                               nullptr, values.data(), nullptr, nullptr, 0)};
    auto status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
      throw std::runtime_error("PostgreSQL: " + error_of(conn_));
    return r;
  }

  /// What one statement of a pipeline is: an event's insert returns its id.
  struct sent {
    event_record* ev;  // null: a statement without an answer to keep
  };

  /// Opens a pipeline: BEGIN, then `send` each statement, then `finish`.
  /// `statements` are prepared on the session's first pipeline.
  void begin_pipeline(const std::vector<const pg_statement*>& statements) {
    if (!prepared_) {
      for (auto* p : statements)
        query_prepare(*p);
      prepared_ = true;
    }
    if (PQsetnonblocking(conn_, 1) != 0 || PQenterPipelineMode(conn_) != 1)
      throw std::runtime_error("PostgreSQL pipeline: " + error_of(conn_));
    sent_.clear();
    send_text("BEGIN");
  }
  void send(const pg_statement& p, const std::vector<std::string>& params,
            event_record* ev = nullptr) {
    const char* values[8];
    for (std::size_t i = 0; i < params.size(); ++i)
      values[i] = params[i].c_str();
    if (PQsendQueryPrepared(conn_, p.name, p.params, values, nullptr, nullptr, 0) != 1)
      throw std::runtime_error("PostgreSQL pipeline: " + error_of(conn_));
    sent_.push_back({ev});
  }
  /// A statement without parameters, in the pipeline.
  void send_text(const char* sql) {
    if (PQsendQueryParams(conn_, sql, 0, nullptr, nullptr, nullptr, nullptr, 0) != 1)
      throw std::runtime_error("PostgreSQL pipeline: " + error_of(conn_));
    sent_.push_back({nullptr});
  }
  /// COMMIT, and every answer read: "" when all of it committed, else the
  /// first error (and then nothing did).
  std::string finish_pipeline() {
    send_text("COMMIT");
    if (PQpipelineSync(conn_) != 1)
      throw std::runtime_error("PostgreSQL pipeline: " + error_of(conn_));
    std::string first_error;
    for (auto& s : sent_) {
      result_ptr r{next_result()};
      auto status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
      if (status == PGRES_TUPLES_OK && s.ev && PQntuples(r.get()) == 1)
        s.ev->id = std::stoull(PQgetvalue(r.get(), 0, 0));
      else if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && first_error.empty())
        first_error = status == PGRES_PIPELINE_ABORTED ? "aborted"
                                                       : PQresultErrorMessage(r.get());
      // Each statement's answer ends with a null result.
      while (PGresult* more = next_result())
        PQclear(more);
    }
    result_ptr sync{next_result()};
    if (!sync || PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC)
      throw std::runtime_error("PostgreSQL pipeline: no sync: " + error_of(conn_));
    if (PQexitPipelineMode(conn_) != 1 || PQsetnonblocking(conn_, 0) != 0)
      throw std::runtime_error("PostgreSQL pipeline: " + error_of(conn_));
    // A failed statement leaves the transaction aborted: it is rolled back.
    if (PQtransactionStatus(conn_) == PQTRANS_INERROR)
      query("ROLLBACK");
    return trimmed(first_error);
  }

private:
  void query_prepare(const pg_statement& p) {
    result_ptr r{PQprepare(conn_, p.name, p.sql, p.params, nullptr)};
    if (!r || PQresultStatus(r.get()) != PGRES_COMMAND_OK)
      throw std::runtime_error(std::string{"PostgreSQL prepare "} + p.name + ": "
                               + error_of(conn_));
  }
  // The next result of the pipeline, sending what is still buffered and
  // reading as the server answers (non-blocking: a long pipeline never
  // waits on a server that waits on us).
  PGresult* next_result() {
    for (;;) {
      int flushed = PQflush(conn_);
      if (flushed < 0)
        throw std::runtime_error("PostgreSQL: " + error_of(conn_));
      if (!PQisBusy(conn_))
        return PQgetResult(conn_);
      pollfd p{PQsocket(conn_), static_cast<short>(POLLIN | (flushed == 1 ? POLLOUT : 0)), 0};
      int ready = poll(&p, 1, pg_round_trip_ms);
      if (ready == 0)
        throw std::runtime_error("PostgreSQL: no answer within 30 s");
      if (ready < 0 && errno != EINTR)
        throw std::runtime_error("PostgreSQL: poll failed");
      if ((p.revents & (POLLIN | POLLHUP | POLLERR)) && PQconsumeInput(conn_) != 1)
        throw std::runtime_error("PostgreSQL: " + error_of(conn_));
    }
  }

  PGconn* conn_ = nullptr;
  bool prepared_ = false;
  std::vector<sent> sent_;
};

} // namespace steward::store
