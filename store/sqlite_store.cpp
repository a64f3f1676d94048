#include "store/sqlite_store.hpp"

#include <sqlite3.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

#include "common/log.hpp"

namespace steward::store {

namespace {

sqlite3_stmt* prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK)
    throw std::runtime_error(std::string{"sqlite prepare: "} + sqlite3_errmsg(db));
  return stmt;
}

// A prepared statement that finalizes itself, or one of a connection's
// statements prepared once (statement_cache), reset for the next use.
class statement {
public:
  statement(sqlite3* db, const char* sql) : db_{db}, stmt_{prepare(db, sql)}, owned_{true} {}
  statement(sqlite3* db, sqlite3_stmt* kept) : db_{db}, stmt_{kept}, owned_{false} {}
  ~statement() {
    if (owned_) {
      sqlite3_finalize(stmt_);
    } else {
      sqlite3_reset(stmt_);
      sqlite3_clear_bindings(stmt_);
    }
  }
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;

  statement& bind(int i, const std::string& v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  statement& bind(int i, int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  /// True while there is a row; throws on error.
  bool step() {
    auto rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW)
      return true;
    if (rc == SQLITE_DONE)
      return false;
    throw std::runtime_error(std::string{"sqlite: "} + sqlite3_errmsg(db_));
  }
  void run() {
    step();
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  std::string text(int col) const {
    auto p = sqlite3_column_text(stmt_, col);
    return p ? std::string{reinterpret_cast<const char*>(p),
                           static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))}
             : std::string{};
  }
  int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }

private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  bool owned_;
};

void exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    throw std::runtime_error("sqlite: " + msg + " in: " + sql);
  }
}

sqlite3* open_db(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    throw std::runtime_error("cannot open database " + path + ": " + msg);
  }
  sqlite3_busy_timeout(db, 5000);
  return db;
}

// Events of one operation's stream (a migration's) are read by it.
void add_stream_column(sqlite3* db) {
  bool has = false;
  {
    statement st{db, "PRAGMA table_info(events)"};
    while (st.step())
      has = has || st.text(1) == "stream";
  }
  if (!has)  // a database of an older stewardd
    exec(db, "ALTER TABLE events ADD COLUMN stream TEXT NOT NULL DEFAULT ''");
  exec(db, "CREATE INDEX IF NOT EXISTS events_by_stream ON events (stream, id) "
           "WHERE stream <> ''");
}

const char* schema = R"sql(
CREATE TABLE IF NOT EXISTS entities (
  kind TEXT NOT NULL, id TEXT NOT NULL, project TEXT NOT NULL DEFAULT '',
  document TEXT NOT NULL, version INTEGER NOT NULL,
  PRIMARY KEY (kind, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY AUTOINCREMENT, type TEXT NOT NULL,
  project TEXT NOT NULL, time TEXT NOT NULL, data TEXT NOT NULL,
  stream TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT, exchange TEXT NOT NULL,
  routing_key TEXT NOT NULL, message_id TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS processed (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, message_id TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS deliveries (
  message_key TEXT PRIMARY KEY, count INTEGER NOT NULL) WITHOUT ROWID;
)sql";

std::string parent_dir(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos)
    return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string absolute(std::string path) {
  if (!path.empty() && path[0] == '/')
    return path;
  while (path.rfind("./", 0) == 0)
    path.erase(0, 2);
  char buf[4096];
  if (getcwd(buf, sizeof buf) == nullptr)
    return path;
  return std::string{buf} + "/" + path;
}

} // namespace

sqlite_store::sqlite_store(const std::string& path, const store_options& opts)
  : group_commit_store{opts.max_batch}, path_{absolute(path)}, opts_{opts} {
  if (path.empty())
    throw std::runtime_error("[database] connection: sqlite:/// needs a file path");
  struct stat st{};
  auto dir = parent_dir(path_);
  if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    throw std::runtime_error("[database] connection: directory " + dir
                             + " does not exist (relative paths are relative to the "
                               "working directory; sqlite:////abs/path is absolute)");
  write_db_ = open_db(path_);
  // WAL lets readers run beside the writer; synchronous=FULL makes every
  // commit durable before its callers hear about it.
  exec(write_db_, "PRAGMA journal_mode=WAL");
  exec(write_db_, "PRAGMA synchronous=FULL");
  exec(write_db_, schema);
  add_stream_column(write_db_);
  read_db_ = open_db(path_);
  async_db_ = open_db(path_);
  start_threads();
}

sqlite_store::~sqlite_store() {
  close();
}

void sqlite_store::close() {
  if (!stop_threads())
    return;
  writer_statements_.finalize_all();
  read_statements_.finalize_all();
  for (auto db : {write_db_, read_db_, async_db_})
    sqlite3_close(db);
  write_db_ = read_db_ = async_db_ = nullptr;
}

// One transaction, a savepoint per batch: one bad batch fails alone, the
// rest commit.
bool sqlite_store::commit_group(std::vector<staged_write>& group,
                                std::vector<commit_result>& results) {
  try {
    run_kept("BEGIN IMMEDIATE");
    for (std::size_t i = 0; i < group.size(); ++i) {
      if (group[i].fenced) {  // one node's own file: there is no owner to check
        results[i] = commit_result{false, "a fenced write needs the PostgreSQL store", {}, false};
        continue;
      }
      run_kept("SAVEPOINT batch");
      try {
        apply(*group[i].batch, results[i]);
        run_kept("RELEASE batch");
      } catch (const std::exception& e) {
        run_kept("ROLLBACK TO batch");
        run_kept("RELEASE batch");
        results[i] = commit_result{false, e.what(), {}, false};
      }
    }
    run_kept("COMMIT");
    return true;
  } catch (const std::exception& e) {
    sqlite3_exec(write_db_, "ROLLBACK", nullptr, nullptr, nullptr);
    LOG_ERROR("store", "group commit failed: " << e.what());
    for (auto& r : results)
      r = commit_result{false, e.what(), {}, false};
    return false;
  }
}

sqlite3_stmt* sqlite_store::statement_cache::get(sqlite3* db, const char* sql) {
  auto& stmt = kept[sql];
  if (!stmt)
    stmt = prepare(db, sql);
  return stmt;
}

void sqlite_store::statement_cache::finalize_all() {
  for (auto& [sql, stmt] : kept)
    sqlite3_finalize(stmt);
  kept.clear();
}

void sqlite_store::run_kept(const char* sql) {
  statement{write_db_, writer_statements_.get(write_db_, sql)}.run();
}

// Statements are the writer's, prepared once: a batch costs no SQL parsing.
void sqlite_store::apply(write_batch& b, commit_result& result) {
  auto kept = [this](const char* sql) { return writer_statements_.get(write_db_, sql); };
  if (!b.upserts.empty()) {
    statement st{write_db_, kept(
                 "INSERT INTO entities (kind, id, project, document, version) "
                 "VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, id) DO UPDATE SET "
                 "project = excluded.project, document = excluded.document, "
                 "version = excluded.version")};
    for (auto& e : b.upserts)
      st.bind(1, e.kind).bind(2, e.id).bind(3, e.project).bind(4, e.document)
        .bind(5, e.version).run();
  }
  if (!b.deletes.empty()) {
    statement st{write_db_, kept("DELETE FROM entities WHERE kind = ? AND id = ?")};
    for (auto& [kind, id] : b.deletes)
      st.bind(1, kind).bind(2, id).run();
  }
  if (!b.events.empty()) {
    statement st{write_db_,
                 kept("INSERT INTO events (type, project, time, data, stream) "
                      "VALUES (?, ?, ?, ?, ?)")};
    for (auto& e : b.events) {
      st.bind(1, e.type).bind(2, e.project).bind(3, e.time).bind(4, e.data).bind(5, e.stream).run();
      e.id = static_cast<uint64_t>(sqlite3_last_insert_rowid(write_db_));
      result.events.push_back(std::move(e));
    }
  }
  if (!b.outbox.empty()) {
    statement st{write_db_, kept("INSERT INTO outbox (exchange, routing_key, message_id, body) "
                                 "VALUES (?, ?, ?, ?)")};
    for (auto& o : b.outbox)
      st.bind(1, o.exchange).bind(2, o.routing_key).bind(3, o.message_id)
        .bind(4, o.body).run();
    result.outbox_written = true;
  }
  if (!b.processed.empty()) {
    statement st{write_db_, kept("INSERT OR IGNORE INTO processed (message_id) VALUES (?)")};
    for (auto& id : b.processed)
      st.bind(1, id).run();
  }
  if (!b.confirmed.empty()) {
    statement st{write_db_, kept("DELETE FROM outbox WHERE id = ?")};
    for (auto id : b.confirmed)
      st.bind(1, id).run();
  }
  if (!b.deliveries_counted.empty()) {
    statement st{write_db_, kept("INSERT INTO deliveries (message_key, count) VALUES (?, 1) "
                                 "ON CONFLICT (message_key) DO UPDATE SET count = count + 1")};
    for (auto& key : b.deliveries_counted)
      st.bind(1, key).run();
  }
  if (!b.deliveries_forgotten.empty()) {
    statement st{write_db_, kept("DELETE FROM deliveries WHERE message_key = ?")};
    for (auto& key : b.deliveries_forgotten)
      st.bind(1, key).run();
  }
}

// Keeps the replay log and the processed-id table from growing without bound.
void sqlite_store::prune() {
  try {
    statement ev{write_db_, "DELETE FROM events WHERE id <= (SELECT MAX(id) FROM events) - ?"};
    ev.bind(1, static_cast<int64_t>(opts_.event_retention)).run();
    statement pr{write_db_,
                 "DELETE FROM processed WHERE seq <= (SELECT MAX(seq) FROM processed) - ?"};
    pr.bind(1, static_cast<int64_t>(opts_.event_retention)).run();
  } catch (const std::exception& e) {
    LOG_WARN("store", "pruning failed: " << e.what());
  }
}

std::vector<entity_record> sqlite_store::load_kind(const std::string& kind) {
  std::lock_guard<std::mutex> guard{read_mtx_};
  statement st{read_db_, "SELECT id, project, document, version FROM entities WHERE kind = ?"};
  st.bind(1, kind);
  std::vector<entity_record> out;
  while (st.step())
    out.push_back({kind, st.text(0), st.text(1), st.text(2), st.integer(3)});
  return out;
}

namespace {

std::vector<event_record> select_events(sqlite3* db, uint64_t after, std::size_t limit,
                                        const std::string& stream = "") {
  statement st{db, stream.empty()
                     ? "SELECT id, type, project, time, data, stream FROM events WHERE id > ? "
                       "ORDER BY id LIMIT ?"
                     : "SELECT id, type, project, time, data, stream FROM events WHERE id > ? "
                       "AND stream = ? ORDER BY id LIMIT ?"};
  st.bind(1, static_cast<int64_t>(after));
  if (stream.empty())
    st.bind(2, static_cast<int64_t>(limit));
  else
    st.bind(2, stream).bind(3, static_cast<int64_t>(limit));
  std::vector<event_record> out;
  while (st.step())
    out.push_back({static_cast<uint64_t>(st.integer(0)), st.text(1), st.text(2),
                   st.text(3), st.text(4), st.text(5)});
  return out;
}

} // namespace

std::vector<event_record> sqlite_store::events_after(uint64_t after, std::size_t limit) {
  std::lock_guard<std::mutex> guard{read_mtx_};
  return select_events(read_db_, after, limit);
}

uint64_t sqlite_store::last_event_id() {
  std::lock_guard<std::mutex> guard{read_mtx_};
  // The sequence survives pruning and deletion, unlike MAX(id).
  statement st{read_db_, "SELECT seq FROM sqlite_sequence WHERE name = 'events'"};
  return st.step() ? static_cast<uint64_t>(st.integer(0)) : 0;
}

std::vector<std::string> sqlite_store::processed_ids(std::size_t newest) {
  std::lock_guard<std::mutex> guard{read_mtx_};
  statement st{read_db_, "SELECT message_id FROM processed ORDER BY seq DESC LIMIT ?"};
  st.bind(1, static_cast<int64_t>(newest));
  std::vector<std::string> out;
  while (st.step())
    out.push_back(st.text(0));
  return out;
}

std::vector<event_record> sqlite_store::read_events(uint64_t after, std::size_t limit,
                                                    const std::string& stream) {
  return select_events(async_db_, after, limit, stream);
}

std::vector<bus::outbound> sqlite_store::pending_outbox(int64_t after_id, std::size_t limit) {
  std::lock_guard<std::mutex> guard{read_mtx_};
  statement st{read_db_, read_statements_.get(read_db_,
                                               "SELECT id, exchange, routing_key, message_id, "
                                               "body FROM outbox WHERE id > ? ORDER BY id LIMIT ?")};
  st.bind(1, after_id).bind(2, static_cast<int64_t>(limit));
  std::vector<bus::outbound> out;
  while (st.step())
    out.push_back({st.integer(0), st.text(1), st.text(2), st.text(3), st.text(4)});
  return out;
}

int sqlite_store::stored_delivery_count(const std::string& key) {
  std::lock_guard<std::mutex> guard{read_mtx_};
  statement st{read_db_, "SELECT count FROM deliveries WHERE message_key = ?"};
  st.bind(1, key);
  return st.step() ? static_cast<int>(st.integer(0)) : 0;
}

std::string sqlite_store::describe() const {
  return "sqlite://" + path_;
}

} // namespace steward::store
