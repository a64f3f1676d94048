#pragma once
// stewardd assembled: configuration in, every part started in order, and
// stopped in the reverse order. main() only parses and waits for a signal.
#include <memory>
#include <string>

#include "config/config.hpp"

namespace steward {

namespace http {
class request_handler;
}

/// `stewardd --migrate`: brings the configured database to the schema this
/// stewardd needs (as every start does) and says where it stands, without
/// starting anything else. Throws std::runtime_error.
std::string migrate_database(const config::settings& cfg);

class daemon {
public:
  /// Builds and starts every part; throws std::runtime_error with a line
  /// for the operator when one cannot start.
  explicit daemon(const config::settings& cfg);
  ~daemon();
  daemon(const daemon&) = delete;
  daemon& operator=(const daemon&) = delete;

  /// What the operator sees first: where it listens, a token, what to try.
  std::string first_screen() const;
  uint16_t port() const;
  /// What the server hands each request to (router, authentication, every
  /// family's routes): for a caller without sockets (the HTTP fuzz target).
  http::request_handler& handler();
  void stop();

private:
  struct parts;
  std::unique_ptr<parts> parts_;
};

} // namespace steward
