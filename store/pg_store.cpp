#include "store/pg_store.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <cerrno>
#include <future>
#include <iterator>
#include <stdexcept>

#include "common/log.hpp"

namespace steward::store {

namespace {

// How long one round trip may take before the connection is given up.
constexpr int round_trip_ms = 30000;

// The schema, one migration per version, applied in order and each once
// (steward_schema says which are). A migration is never edited once
// released: a change is a new one.
struct migration {
  int version;
  const char* sql;
};
const migration migrations[] = {
  {1, R"sql(
CREATE TABLE entities (
  kind text NOT NULL, id text NOT NULL, project text NOT NULL DEFAULT '',
  document text NOT NULL, version bigint NOT NULL,
  PRIMARY KEY (kind, id));
CREATE TABLE events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, type text NOT NULL,
  project text NOT NULL, time text NOT NULL, data text NOT NULL,
  stream text NOT NULL DEFAULT '');
CREATE INDEX events_by_stream ON events (stream, id) WHERE stream <> '';
CREATE TABLE outbox (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, exchange text NOT NULL,
  routing_key text NOT NULL, message_id text NOT NULL, body text NOT NULL);
CREATE TABLE processed (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, message_id text NOT NULL UNIQUE);
CREATE TABLE deliveries (
  message_key text PRIMARY KEY, count integer NOT NULL);
)sql"},
};

// The statements of a write, prepared once per writer connection.
struct prepared {
  const char* name;
  const char* sql;
  int params;
};
const prepared upsert{"upsert",
                      "INSERT INTO entities (kind, id, project, document, version) "
                      "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (kind, id) DO UPDATE SET "
                      "project = excluded.project, document = excluded.document, "
                      "version = excluded.version",
                      5};
const prepared erase{"erase", "DELETE FROM entities WHERE kind = $1 AND id = $2", 2};
const prepared event{"event",
                     "INSERT INTO events (type, project, time, data, stream) "
                     "VALUES ($1, $2, $3, $4, $5) RETURNING id",
                     5};
const prepared outbox{"outbox",
                      "INSERT INTO outbox (exchange, routing_key, message_id, body) "
                      "VALUES ($1, $2, $3, $4)",
                      4};
const prepared processed{"processed",
                         "INSERT INTO processed (message_id) VALUES ($1) ON CONFLICT DO NOTHING",
                         1};
const prepared confirm{"confirm", "DELETE FROM outbox WHERE id = $1", 1};
const prepared count{"count",
                     "INSERT INTO deliveries (message_key, count) VALUES ($1, 1) "
                     "ON CONFLICT (message_key) DO UPDATE SET count = deliveries.count + 1",
                     1};
const prepared forget{"forget", "DELETE FROM deliveries WHERE message_key = $1", 1};
const prepared* const all_prepared[] = {&upsert, &erase, &event, &outbox,
                                        &processed, &confirm, &count, &forget};

struct result_deleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using result_ptr = std::unique_ptr<PGresult, result_deleter>;

std::string error_of(PGconn* c) {
  std::string e = c ? PQerrorMessage(c) : "out of memory";
  while (!e.empty() && (e.back() == '\n' || e.back() == ' '))
    e.pop_back();
  return e;
}

} // namespace

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
  void begin_pipeline() {
    if (!prepared_) {
      for (auto* p : all_prepared)
        query_prepare(*p);
      prepared_ = true;
    }
    if (PQsetnonblocking(conn_, 1) != 0 || PQenterPipelineMode(conn_) != 1)
      throw std::runtime_error("PostgreSQL pipeline: " + error_of(conn_));
    sent_.clear();
    send_text("BEGIN");
  }
  void send(const prepared& p, const std::vector<std::string>& params,
            event_record* ev = nullptr) {
    const char* values[8];
    for (std::size_t i = 0; i < params.size(); ++i)
      values[i] = params[i].c_str();
    if (PQsendQueryPrepared(conn_, p.name, p.params, values, nullptr, nullptr, 0) != 1)
      throw std::runtime_error("PostgreSQL pipeline: " + error_of(conn_));
    sent_.push_back({ev});
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
    while (!first_error.empty() && (first_error.back() == '\n' || first_error.back() == ' '))
      first_error.pop_back();
    return first_error;
  }

private:
  void query_prepare(const prepared& p) {
    result_ptr r{PQprepare(conn_, p.name, p.sql, p.params, nullptr)};
    if (!r || PQresultStatus(r.get()) != PGRES_COMMAND_OK)
      throw std::runtime_error(std::string{"PostgreSQL prepare "} + p.name + ": "
                               + error_of(conn_));
  }
  void send_text(const char* sql) {
    if (PQsendQueryParams(conn_, sql, 0, nullptr, nullptr, nullptr, nullptr, 0) != 1)
      throw std::runtime_error("PostgreSQL pipeline: " + error_of(conn_));
    sent_.push_back({nullptr});
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
      int ready = poll(&p, 1, round_trip_ms);
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

std::string without_password(const std::string& url) {
  // postgresql://user:password@host/...: the password goes.
  auto scheme = url.find("://");
  auto at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme)
    return url;
  auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at)
    return url;
  return url.substr(0, colon) + ":***" + url.substr(at);
}

namespace {

// Takes the schema to the newest version, one transaction, under an
// advisory lock: nodes starting together migrate once.
int migrate(pg_connection& c) {
  c.query("BEGIN");
  try {
    c.query("SELECT pg_advisory_xact_lock(7395412067)");
    c.query("CREATE TABLE IF NOT EXISTS steward_schema ("
            "version integer PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())");
    auto r = c.query("SELECT coalesce(max(version), 0) FROM steward_schema");
    int at = std::stoi(PQgetvalue(r.get(), 0, 0));
    int newest = migrations[std::size(migrations) - 1].version;
    if (at > newest)
      throw std::runtime_error("the database's schema is at version " + std::to_string(at)
                               + ", newer than this stewardd knows (" + std::to_string(newest)
                               + "): run the newer stewardd");
    for (auto& m : migrations)
      if (m.version > at) {
        c.query(m.sql);
        c.query("INSERT INTO steward_schema (version) VALUES ($1)", {std::to_string(m.version)});
        LOG_INFO("store", "schema migrated to version " << m.version);
        at = m.version;
      }
    c.query("COMMIT");
    return at;
  } catch (...) {
    try {
      c.query("ROLLBACK");
    } catch (const std::exception&) {
      // the connection is gone: so is its transaction
    }
    throw;
  }
}

// Reads events with a connection; `stream` selects one operation's.
std::vector<event_record> read_events(pg_connection& c, uint64_t after, std::size_t limit,
                                      const std::string& stream) {
  auto r = stream.empty()
             ? c.query("SELECT id, type, project, time, data, stream FROM events WHERE id > $1 "
                       "ORDER BY id LIMIT $2",
                       {std::to_string(after), std::to_string(limit)})
             : c.query("SELECT id, type, project, time, data, stream FROM events WHERE id > $1 "
                       "AND stream = $2 ORDER BY id LIMIT $3",
                       {std::to_string(after), stream, std::to_string(limit)});
  std::vector<event_record> out;
  for (int i = 0; i < PQntuples(r.get()); ++i)
    out.push_back({std::stoull(PQgetvalue(r.get(), i, 0)), PQgetvalue(r.get(), i, 1),
                   PQgetvalue(r.get(), i, 2), PQgetvalue(r.get(), i, 3),
                   PQgetvalue(r.get(), i, 4), PQgetvalue(r.get(), i, 5)});
  return out;
}

// Runs `read` on `c`, once more on a fresh session when the first try
// found the connection broken (the server restarted meanwhile).
template <class Read>
auto with_reconnect(pg_connection& c, Read read) {
  try {
    c.ensure();
    return read(c);
  } catch (const std::exception&) {
    if (!c.broken())
      throw;
    c.ensure();
    return read(c);
  }
}

} // namespace

int migrate_postgresql(const std::string& url) {
  pg_connection c{url};
  return migrate(c);
}

pg_store::pg_store(const std::string& url, const store_options& opts) : url_{url}, opts_{opts} {
  writer_db_ = std::make_unique<pg_connection>(url);
  migrate(*writer_db_);
  read_db_ = std::make_unique<pg_connection>(url);
  async_db_ = std::make_unique<pg_connection>(url);
  writer_ = std::thread{[this] { writer_loop(); }};
  reader_ = std::thread{[this] { reader_loop(); }};
}

pg_store::~pg_store() {
  close();
}

void pg_store::close() {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    if (stopping_ && !writer_.joinable())
      return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (writer_.joinable())
    writer_.join();
  if (reader_.joinable())
    reader_.join();
  writer_db_.reset();
  async_db_.reset();
  std::lock_guard<std::mutex> guard{read_mtx_};
  read_db_.reset();
}

void pg_store::submit(write_batch batch, commit_fn done) {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    if (stopping_) {
      if (done)
        done(commit_result{false, "store is closed", {}, false});
      return;
    }
    queue_.push_back({std::move(batch), std::move(done)});
  }
  cv_.notify_all();
}

void pg_store::on_commit(commit_fn listener) {
  std::lock_guard<std::mutex> guard{mtx_};
  listeners_.push_back(std::move(listener));
}

void pg_store::writer_loop() {
  std::vector<pending_write> group;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock{mtx_};
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty() && stopping_)
        return;
      // Everything queued while the last commit was on its way joins this one.
      while (!queue_.empty() && group.size() < opts_.max_batch) {
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    commit_group(group);
    group.clear();
  }
}

namespace {

// Queues every statement of `b` in the pipeline; its events get their ids
// when the answers are read.
void send_batch(pg_connection& c, write_batch& b) {
  for (auto& e : b.upserts)
    c.send(upsert, {e.kind, e.id, e.project, e.document, std::to_string(e.version)});
  for (auto& [kind, id] : b.deletes)
    c.send(erase, {kind, id});
  for (auto& e : b.events)
    c.send(event, {e.type, e.project, e.time, e.data, e.stream}, &e);
  for (auto& o : b.outbox)
    c.send(outbox, {o.exchange, o.routing_key, o.message_id, o.body});
  for (auto& id : b.processed)
    c.send(processed, {id});
  for (auto id : b.confirmed)
    c.send(confirm, {std::to_string(id)});
  for (auto& key : b.deliveries_counted)
    c.send(count, {key});
  for (auto& key : b.deliveries_forgotten)
    c.send(forget, {key});
}

commit_result committed(write_batch& b) {
  commit_result r;
  r.events = std::move(b.events);
  r.outbox_written = !b.outbox.empty();
  return r;
}

} // namespace

// One transaction for the whole group, in one round trip. When a batch
// fails, nothing of the group is committed, and each batch is committed
// again alone: only the bad ones fail, as with SQLite's savepoints.
void pg_store::commit_group(std::vector<pending_write>& group) {
  std::vector<commit_result> results(group.size());
  bool connected = true;
  auto run = [&](std::size_t first, std::size_t last) {
    writer_db_->ensure();
    writer_db_->begin_pipeline();
    for (auto i = first; i < last; ++i)
      send_batch(*writer_db_, group[i].batch);
    return writer_db_->finish_pipeline();
  };
  try {
    auto failed = run(0, group.size());
    if (failed.empty()) {
      for (std::size_t i = 0; i < group.size(); ++i)
        results[i] = committed(group[i].batch);
    } else {
      for (std::size_t i = 0; i < group.size(); ++i) {
        auto alone = group.size() == 1 ? failed : run(i, i + 1);
        results[i] = alone.empty() ? committed(group[i].batch)
                                   : commit_result{false, "PostgreSQL: " + alone, {}, false};
      }
    }
  } catch (const std::exception& e) {
    connected = false;
    LOG_ERROR("store", "group commit failed: " << e.what());
    try {
      writer_db_->reset();  // nothing half read is left for the next group
    } catch (const std::exception&) {
      // still unreachable: the next group tries again
    }
    for (auto& r : results)
      r = commit_result{false, e.what(), {}, false};
  }
  std::vector<commit_fn> listeners;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    last_commit_ok_ = connected;
    listeners = listeners_;
  }
  for (std::size_t i = 0; i < group.size(); ++i) {
    auto& r = results[i];
    if (r.ok)
      for (auto& l : listeners)
        l(r);
    if (group[i].done)
      group[i].done(r);
  }
  if (connected && ++commits_ % 4096 == 0)
    prune();
}

// Keeps the replay log and the processed-id table from growing without bound.
void pg_store::prune() {
  try {
    auto keep = std::to_string(opts_.event_retention);
    writer_db_->query("DELETE FROM events WHERE id <= (SELECT max(id) FROM events) - $1", {keep});
    writer_db_->query("DELETE FROM processed WHERE seq <= (SELECT max(seq) FROM processed) - $1",
                      {keep});
  } catch (const std::exception& e) {
    LOG_WARN("store", "pruning failed: " << e.what());
  }
}

std::vector<entity_record> pg_store::load_kind(const std::string& kind) {
  std::lock_guard<std::mutex> guard{read_mtx_};
  return with_reconnect(*read_db_, [&](pg_connection& c) {
    auto r = c.query("SELECT id, project, document, version FROM entities WHERE kind = $1",
                     {kind});
    std::vector<entity_record> out;
    for (int i = 0; i < PQntuples(r.get()); ++i)
      out.push_back({kind, PQgetvalue(r.get(), i, 0), PQgetvalue(r.get(), i, 1),
                     PQgetvalue(r.get(), i, 2), std::stoll(PQgetvalue(r.get(), i, 3))});
    return out;
  });
}

std::vector<event_record> pg_store::events_after(uint64_t after, std::size_t limit) {
  std::lock_guard<std::mutex> guard{read_mtx_};
  return with_reconnect(*read_db_, [&](pg_connection& c) {
    return read_events(c, after, limit, "");
  });
}

uint64_t pg_store::last_event_id() {
  std::lock_guard<std::mutex> guard{read_mtx_};
  // The sequence survives pruning and deletion, unlike max(id).
  return with_reconnect(*read_db_, [&](pg_connection& c) {
    auto r = c.query("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM events_id_seq");
    return static_cast<uint64_t>(std::stoull(PQgetvalue(r.get(), 0, 0)));
  });
}

std::vector<std::string> pg_store::processed_ids(std::size_t newest) {
  std::lock_guard<std::mutex> guard{read_mtx_};
  return with_reconnect(*read_db_, [&](pg_connection& c) {
    auto r = c.query("SELECT message_id FROM processed ORDER BY seq DESC LIMIT $1",
                     {std::to_string(newest)});
    std::vector<std::string> out;
    for (int i = 0; i < PQntuples(r.get()); ++i)
      out.push_back(PQgetvalue(r.get(), i, 0));
    return out;
  });
}

void pg_store::events_after_async(uint64_t after, std::size_t limit,
                                  std::function<void(std::vector<event_record>)> done,
                                  const std::string& stream) {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    reads_.push_back({after, limit, std::move(done), stream});
  }
  cv_.notify_all();
}

void pg_store::reader_loop() {
  for (;;) {
    read_job job;
    {
      std::unique_lock<std::mutex> lock{mtx_};
      cv_.wait(lock, [this] { return stopping_ || !reads_.empty(); });
      if (reads_.empty())
        return;
      job = std::move(reads_.front());
      reads_.pop_front();
    }
    std::vector<event_record> rows;
    try {
      rows = with_reconnect(*async_db_, [&](pg_connection& c) {
        return read_events(c, job.after, job.limit, job.stream);
      });
    } catch (const std::exception& e) {
      LOG_ERROR("store", "event read failed: " << e.what());
    }
    job.done(std::move(rows));
  }
}

std::vector<bus::outbound> pg_store::pending_outbox(int64_t after_id, std::size_t limit) {
  std::lock_guard<std::mutex> guard{read_mtx_};
  return with_reconnect(*read_db_, [&](pg_connection& c) {
    auto r = c.query("SELECT id, exchange, routing_key, message_id, body FROM outbox "
                     "WHERE id > $1 ORDER BY id LIMIT $2",
                     {std::to_string(after_id), std::to_string(limit)});
    std::vector<bus::outbound> out;
    for (int i = 0; i < PQntuples(r.get()); ++i)
      out.push_back({std::stoll(PQgetvalue(r.get(), i, 0)), PQgetvalue(r.get(), i, 1),
                     PQgetvalue(r.get(), i, 2), PQgetvalue(r.get(), i, 3),
                     PQgetvalue(r.get(), i, 4)});
    return out;
  });
}

void pg_store::confirm_outbox(const std::vector<int64_t>& ids) {
  if (ids.empty())
    return;
  write_batch b;
  b.confirmed = ids;
  submit(std::move(b), nullptr);
}

int pg_store::count_delivery(const std::string& key) {
  write_batch b;
  b.deliveries_counted.push_back(key);
  std::promise<commit_result> done;
  auto result = done.get_future();
  submit(std::move(b), [&done](const commit_result& r) { done.set_value(r); });
  if (auto r = result.get(); !r.ok) {
    LOG_WARN("store", "a delivery of " << key << " could not be counted: " << r.error);
    return 0;
  }
  std::lock_guard<std::mutex> guard{read_mtx_};
  return with_reconnect(*read_db_, [&](pg_connection& c) {
    auto r = c.query("SELECT count FROM deliveries WHERE message_key = $1", {key});
    return PQntuples(r.get()) == 1 ? std::stoi(PQgetvalue(r.get(), 0, 0)) : 0;
  });
}

void pg_store::forget_delivery(const std::string& key) {
  write_batch b;
  b.deliveries_forgotten.push_back(key);
  submit(std::move(b), nullptr);
}

// Answers from what the writer last saw, without touching the database:
// /readyz calls this on an io thread, which must not wait.
bool pg_store::healthy() {
  std::lock_guard<std::mutex> guard{mtx_};
  return !stopping_ && last_commit_ok_;
}

std::string pg_store::describe() const {
  return without_password(url_);
}

} // namespace steward::store
