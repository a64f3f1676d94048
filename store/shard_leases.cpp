#include "store/shard_leases.hpp"

#include <string>

#include "store/pg_connection.hpp"
#include "store/pg_store.hpp"

namespace steward::store {

namespace {

std::vector<shard_claim> claims_of(const result_ptr& r) {
  std::vector<shard_claim> out;
  for (int i = 0; i < PQntuples(r.get()); ++i)
    out.push_back({std::stoi(PQgetvalue(r.get(), i, 0)), std::stoll(PQgetvalue(r.get(), i, 1))});
  return out;
}

std::string array_of(const std::vector<int>& shards) {
  std::string out = "{";
  for (std::size_t i = 0; i < shards.size(); ++i)
    out += (i ? "," : "") + std::to_string(shards[i]);
  return out + "}";
}

} // namespace

shard_leases::shard_leases(const std::string& url, std::string owner, std::chrono::seconds lease)
  : owner_{std::move(owner)}, lease_{lease} {
  migrate_postgresql(url);  // the table is the schema's (version 2)
  db_ = std::make_unique<pg_connection>(url);
}

shard_leases::~shard_leases() = default;

std::vector<shard_claim> shard_leases::take(const std::vector<int>& wanted) {
  db_->ensure();
  // A new shard starts at epoch 1; one whose lease ran out goes to the
  // taker with the next epoch. A live lease is left alone (the WHERE of
  // the update), so two nodes taking at once get each shard once.
  auto r = db_->query(
    "INSERT INTO shard_leases (shard, owner, epoch, expires) "
    "SELECT s, $2, 1, clock_timestamp() + $3 * interval '1 second' FROM unnest($1::int[]) AS s "
    "ON CONFLICT (shard) DO UPDATE SET owner = excluded.owner, epoch = shard_leases.epoch + 1, "
    "expires = excluded.expires WHERE shard_leases.expires <= clock_timestamp() "
    "RETURNING shard, epoch",
    {array_of(wanted), owner_, std::to_string(lease_.count())});
  return claims_of(r);
}

std::vector<shard_claim> shard_leases::renew() {
  db_->ensure();
  auto r = db_->query("UPDATE shard_leases SET expires = clock_timestamp() + $2 * interval '1 second' "
                      "WHERE owner = $1 AND expires > clock_timestamp() "
                      "RETURNING shard, epoch",
                      {owner_, std::to_string(lease_.count())});
  return claims_of(r);
}

void shard_leases::release(int shard) {
  db_->ensure();
  db_->query("UPDATE shard_leases SET expires = clock_timestamp() "
             "WHERE shard = $1 AND owner = $2",
             {std::to_string(shard), owner_});
}

} // namespace steward::store
