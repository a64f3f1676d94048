#include "store/pg_store.hpp"

#include <iterator>
#include <stdexcept>

#include "common/log.hpp"
#include "store/pg_connection.hpp"

namespace steward::store {

namespace {

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
  // Shards of a cluster: one owner each, by a lease the database's clock
  // times; taking a shard over raises its epoch, and a fenced write checks
  // its owner's epoch inside its own transaction (FOR SHARE: a takeover
  // waits for the write, and the write fails once the takeover is done).
  {2, R"sql(
CREATE TABLE shard_leases (
  shard integer PRIMARY KEY, owner text NOT NULL, epoch bigint NOT NULL,
  expires timestamptz NOT NULL);
CREATE FUNCTION steward_fence(p_shard integer, p_owner text, p_epoch bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM shard_leases
   WHERE shard = p_shard AND owner = p_owner AND epoch = p_epoch
     AND expires > clock_timestamp()
     FOR SHARE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'stale owner: shard % is not held by % at epoch %', p_shard, p_owner, p_epoch
      USING ERRCODE = 'SF001';
  END IF;
END $$;
)sql"},
};

// The statements of a write, prepared once per writer connection.
const pg_statement upsert{"upsert",
                          "INSERT INTO entities (kind, id, project, document, version) "
                          "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (kind, id) DO UPDATE SET "
                          "project = excluded.project, document = excluded.document, "
                          "version = excluded.version",
                          5};
const pg_statement erase{"erase", "DELETE FROM entities WHERE kind = $1 AND id = $2", 2};
const pg_statement event{"event",
                         "INSERT INTO events (type, project, time, data, stream) "
                         "VALUES ($1, $2, $3, $4, $5) RETURNING id",
                         5};
const pg_statement outbox{"outbox",
                          "INSERT INTO outbox (exchange, routing_key, message_id, body) "
                          "VALUES ($1, $2, $3, $4)",
                          4};
const pg_statement processed{"processed",
                             "INSERT INTO processed (message_id) VALUES ($1) "
                             "ON CONFLICT DO NOTHING",
                             1};
const pg_statement confirm{"confirm", "DELETE FROM outbox WHERE id = $1", 1};
const pg_statement count{"count",
                         "INSERT INTO deliveries (message_key, count) VALUES ($1, 1) "
                         "ON CONFLICT (message_key) DO UPDATE SET count = deliveries.count + 1",
                         1};
const pg_statement forget{"forget", "DELETE FROM deliveries WHERE message_key = $1", 1};
const pg_statement check_fence{"check_fence", "SELECT steward_fence($1, $2, $3)", 3};
const std::vector<const pg_statement*> all_prepared = {
  &upsert, &erase, &event, &outbox, &processed, &confirm, &count, &forget, &check_fence};

} // namespace

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
std::vector<event_record> select_events(pg_connection& c, uint64_t after, std::size_t limit,
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

pg_store::pg_store(const std::string& url, const store_options& opts)
  : group_commit_store{opts.max_batch}, url_{url}, opts_{opts} {
  writer_db_ = std::make_unique<pg_connection>(url);
  migrate(*writer_db_);
  read_db_ = std::make_unique<pg_connection>(url);
  async_db_ = std::make_unique<pg_connection>(url);
  start_threads();
}

pg_store::~pg_store() {
  close();
}

void pg_store::close() {
  if (!stop_threads())
    return;
  writer_db_.reset();
  async_db_.reset();
  std::lock_guard<std::mutex> guard{read_mtx_};
  read_db_.reset();
}

namespace {

// Event ids are the order of the event log: a reader that has seen id N
// must have seen every id below it, on any node. A transaction that writes
// events takes this lock before its first insert and keeps it until it
// commits, so ids are handed out in commit order across every node writing
// to the database (a later transaction waits for the earlier's commit).
constexpr const char* event_order_lock = "SELECT pg_advisory_xact_lock(7395412068)";

bool writes_events(const std::vector<staged_write>& group, std::size_t first, std::size_t last) {
  for (auto i = first; i < last; ++i)
    if (!group[i].batch->events.empty())
      return true;
  return false;
}

// Queues every statement of a batch in the pipeline (its fence first); its
// events get their ids when the answers are read.
void send_batch(pg_connection& c, staged_write& w) {
  if (w.fenced)
    c.send(check_fence, {std::to_string(w.fenced->shard), w.fenced->owner,
                         std::to_string(w.fenced->epoch)});
  auto& b = *w.batch;
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

} // namespace

// One transaction for the whole group, in one round trip. When a batch
// fails, nothing of the group is committed, and each batch is committed
// again alone: only the bad ones fail, as with SQLite's savepoints.
bool pg_store::commit_group(std::vector<staged_write>& group,
                            std::vector<commit_result>& results) {
  auto run = [&](std::size_t first, std::size_t last) {
    writer_db_->ensure();
    writer_db_->begin_pipeline(all_prepared);
    if (writes_events(group, first, last))
      writer_db_->send_text(event_order_lock);
    for (auto i = first; i < last; ++i)
      send_batch(*writer_db_, group[i]);
    return writer_db_->finish_pipeline();
  };
  std::size_t decided = 0;  // results before it say what happened
  try {
    auto failed = run(0, group.size());
    for (; decided < group.size(); ++decided) {
      auto i = decided;
      auto alone = failed.empty() || group.size() == 1 ? failed : run(i, i + 1);
      results[i] = alone.empty() ? committed(*group[i].batch)
                                 : commit_result{false, "PostgreSQL: " + alone, {}, false};
    }
    return true;
  } catch (const std::exception& e) {
    // A batch committed alone before the connection went stays committed.
    LOG_ERROR("store", "group commit failed: " << e.what());
    for (auto i = decided; i < results.size(); ++i)
      results[i] = commit_result{false, e.what(), {}, false};
    try {
      writer_db_->reset();  // nothing half read is left for the next group
    } catch (const std::exception&) {
      // still unreachable: the next group tries again
    }
    return false;
  }
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
    return select_events(c, after, limit, "");
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

std::vector<event_record> pg_store::read_events(uint64_t after, std::size_t limit,
                                                const std::string& stream) {
  return with_reconnect(*async_db_, [&](pg_connection& c) {
    return select_events(c, after, limit, stream);
  });
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

int pg_store::stored_delivery_count(const std::string& key) {
  std::lock_guard<std::mutex> guard{read_mtx_};
  return with_reconnect(*read_db_, [&](pg_connection& c) {
    auto r = c.query("SELECT count FROM deliveries WHERE message_key = $1", {key});
    return PQntuples(r.get()) == 1 ? std::stoi(PQgetvalue(r.get(), 0, 0)) : 0;
  });
}

std::string pg_store::describe() const {
  return without_password(url_);
}

} // namespace steward::store
