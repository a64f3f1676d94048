#pragma once
// Who owns which shard of a cluster, kept in PostgreSQL (table
// shard_leases, pg_store's migration 2): one owner per shard, holding it by
// a lease the database's clock times. Taking a shard whose lease ran out
// raises its epoch; a write fenced with an owner's epoch
// (group_commit_store::submit_fenced) commits only while that owner still
// holds the shard at that epoch. A node that cannot renew in time loses its
// shards; its late writes fail.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace steward::store {

class pg_connection;

/// A shard this node holds, and the epoch its writes carry.
struct shard_claim {
  int shard = 0;
  int64_t epoch = 0;
};

class shard_leases {
public:
  /// `owner`: this node's name, unique in the cluster. Throws
  /// std::runtime_error when the database cannot be reached.
  shard_leases(const std::string& url, std::string owner, std::chrono::seconds lease);
  ~shard_leases();
  shard_leases(const shard_leases&) = delete;
  shard_leases& operator=(const shard_leases&) = delete;

  /// Takes those of `wanted` that nobody holds (never held, or whose
  /// holder's lease ran out, this node's own included): each one's epoch
  /// goes up by one. Returns the shards taken now.
  std::vector<shard_claim> take(const std::vector<int>& wanted);
  /// Extends every lease of this node that has not run out, and returns
  /// them; a shard missing from the answer is lost (another node may hold
  /// it now), and its actors must stop.
  std::vector<shard_claim> renew();
  /// Lets `shard` go now (a graceful stop): another node may take it at once.
  void release(int shard);

  const std::string& owner() const { return owner_; }

private:
  std::unique_ptr<pg_connection> db_;
  std::string owner_;
  std::chrono::seconds lease_;
};

} // namespace steward::store
