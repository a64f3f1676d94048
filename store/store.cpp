#include "store/store.hpp"

#include <stdexcept>

#include "store/pg_store.hpp"
#include "store/sqlite_store.hpp"

namespace steward::store {

std::unique_ptr<store> open_store(const store_options& opts) {
  const std::string sqlite_prefix = "sqlite:///";
  if (opts.connection.rfind(sqlite_prefix, 0) == 0)
    return std::make_unique<sqlite_store>(opts.connection.substr(sqlite_prefix.size()), opts);
  if (opts.connection.rfind("postgresql://", 0) == 0
      || opts.connection.rfind("postgres://", 0) == 0)
    return std::make_unique<pg_store>(opts.connection, opts);
  throw std::runtime_error("[database] connection: '" + opts.connection
                           + "' is neither sqlite:///PATH nor postgresql://...");
}

} // namespace steward::store
