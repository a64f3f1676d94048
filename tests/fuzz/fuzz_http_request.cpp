// A raw HTTP/1.1 request, end to end without sockets: Beast parses the bytes
// with the server's limits, the request is converted as the server converts
// it (http/beast_messages), and the real router with every family's routes
// handles it: stewardd itself, on SQLite in a temp dir with its embedded
// simulated cloud. Each input
// waits for its response, so the actors' work for it is part of the run.
//
// State carries over between inputs (what one request creates, the next may
// show or delete), as in a running daemon: a crash may need the inputs before
// it. The tokens the seed corpus uses are those of tokens_json below.
// Besides sanitizer reports, these abort as findings: an exception out of the
// router, a 500 or 504 (Steward failed, not the client), no answer at all.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "daemon/daemon.hpp"
#include "http/beast_messages.hpp"
#include "common/event_stream.hpp"
#include "http/types.hpp"

using namespace steward;
using namespace std::string_literals;
namespace bhttp = boost::beast::http;

namespace {

// Staff; an administrator of web-shop; a member of analytics; the owner of
// customer Acme (ids of the simulator's default workload).
const char* const tokens_json = R"({
  "fuzz-admin": {"user_id": "admin", "staff": true},
  "fuzz-alice": {"user_id": "alice", "projects": {"bcd23f91658347efb748a5708df7ebe3": "admin"}},
  "fuzz-bob": {"user_id": "bob", "projects": {"4583e347821e476ead2ecaeb1af85ee5": "member"}},
  "fuzz-owner": {"user_id": "carol", "customers": ["ed094c4ceba941ef88a349f12c91c14d"]}
})";

// Longer than the runtime's request timeout (a 504 comes first).
constexpr auto response_bound = std::chrono::seconds{20};

void fail(const std::string& why) {
  std::cerr << "fuzz_http_request: " << why << std::endl;
  std::abort();
}

// stewardd itself (daemon/daemon.cpp) on a temp dir, its server idle on a
// loopback port: requests go straight to its handler. Never destroyed: the
// actors and threads live until the process exits.
struct stewardd {
  std::string dir;  // the state dir, removed at exit
  config::settings cfg = config::settings::defaults();
  std::unique_ptr<steward::daemon> parts;  // not ::daemon() of unistd.h

  stewardd() {
    // Under $TMPDIR: scripts/fuzz.sh points it at its own temp dir, which
    // it removes also after a crash (when stop_daemon does not run).
    const char* tmp = std::getenv("TMPDIR");
    std::string temp = std::string{tmp && *tmp ? tmp : "/tmp"} + "/steward-fuzz-XXXXXX";
    if (!mkdtemp(temp.data()))
      fail("cannot create a temp dir under " + temp);
    dir = temp;
    std::ofstream{dir + "/tokens.json"} << tokens_json;
    // The admin clock routes exist only with the test clock, as in the API
    // tests. A request the actors never answer (a 504, a finding) costs 5 s
    // of the run, not the daemon's 30.
    for (auto [section, key, value] :
         {std::tuple{"DEFAULT", "state_dir", dir}, std::tuple{"DEFAULT", "test_clock", "true"s},
          std::tuple{"DEFAULT", "log_level", "error"s}, std::tuple{"DEFAULT", "actor_threads", "2"s},
          std::tuple{"api", "bind_port", "0"s}, std::tuple{"api", "request_timeout", "5"s},
          std::tuple{"auth", "tokens_file", dir + "/tokens.json"}})
      if (auto err = cfg.set(section, key, value, "flag"); !err.empty())
        fail(err);
    parts = std::make_unique<steward::daemon>(cfg);
  }
};

stewardd* daemon_parts = nullptr;

// Beast's parser over the whole input, as the session reads from a socket
// that then closes: put() until done, put_eof() when the bytes run out.
// False when the server would answer 400/413/431 without calling the router.
bool parse(const uint8_t* data, size_t size, bhttp::request_parser<bhttp::string_body>& parser) {
  auto& cfg = daemon_parts->cfg;
  parser.header_limit(static_cast<std::uint32_t>(cfg.integer("api", "max_header_bytes")));
  parser.body_limit(static_cast<std::uint64_t>(cfg.integer("api", "max_body_bytes")));
  parser.eager(true);
  std::size_t used = 0;
  while (!parser.is_done()) {
    boost::beast::error_code ec;
    auto n = parser.put(boost::asio::buffer(data + used, size - used), ec);
    used += n;
    if (ec && ec != bhttp::error::need_more)
      return false;
    // Nothing taken: the parser waits for bytes that will not come (a body
    // shorter than its Content-Length, a header without its blank line).
    if (n == 0) {
      parser.put_eof(ec);
      return !ec && parser.is_done();
    }
  }
  return true;
}

// One response, handed over from whichever thread answers.
struct reply_box {
  std::mutex mtx;
  std::condition_variable cv;
  int answers = 0;
  http::response res;
};

// Hands `req` to the router and waits for its answer.
http::response answer(http::request req) {
  auto box = std::make_shared<reply_box>();
  http::respond_fn respond = [box](http::response res) {
    std::lock_guard<std::mutex> lock{box->mtx};
    if (++box->answers > 1)
      fail("a request was answered twice"); // the handler contract says once
    box->res = std::move(res);
    box->cv.notify_all();
  };
  // The session would answer 500 and log the error; here it is a finding:
  // no input should make a handler throw.
  try {
    daemon_parts->parts->handler().handle(std::move(req), respond);
  } catch (const std::exception& e) {
    fail(std::string{"the handler threw: "} + e.what());
  }
  std::unique_lock<std::mutex> lock{box->mtx};
  if (!box->cv.wait_for(lock, response_bound, [&] { return box->answers > 0; }))
    fail("no response within " + std::to_string(response_bound.count()) + " s");
  return std::move(box->res);
}

// The daemon answers at once, but learns the simulated cloud's instances a
// moment later. Waiting for them makes a reproducer that names one replay
// the same in a fresh process.
void wait_for_cloud() {
  for (int i = 0; i < 100; ++i) {
    http::request req;
    req.method = "GET";
    req.target = req.path = "/api/instances/";
    req.headers["x-auth-token"] = "fuzz-admin";
    auto res = answer(req);
    if (res.status == 200 && !nlohmann::json::parse(res.body).empty())
      return;
    std::this_thread::sleep_for(std::chrono::milliseconds{100});
  }
  fail("the simulated cloud's instances did not show within 10 s");
}

// At exit: the threads of the cloud, the bus and the actors must not
// outlive the statics that exit() destroys after this.
void stop_daemon() {
  daemon_parts->parts->stop();
  std::error_code ignored;
  std::filesystem::remove_all(daemon_parts->dir, ignored);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  daemon_parts = new stewardd;
  std::atexit(stop_daemon);
  wait_for_cloud();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  bhttp::request_parser<bhttp::string_body> parser;
  if (!parse(data, size, parser))
    return 0;
  auto msg = parser.release();
  auto request_id = http::detail::choose_request_id(msg);
  auto req = http::detail::to_request(std::move(msg), request_id, "127.0.0.1");
  // STEWARD_FUZZ_VERBOSE=1 prints each answer: to check what the seeds reach.
  static const bool verbose = std::getenv("STEWARD_FUZZ_VERBOSE") != nullptr;
  auto shown = req.method + " " + req.target;

  auto res = answer(std::move(req));
  if (verbose)
    std::cerr << res.status << " " << shown << " " << res.body.substr(0, 300) << "\n";
  if (res.stream)
    res.stream->close(); // an SSE stream: the client goes away at once
  // Both mean Steward failed, not the client: an actor died or threw.
  if (res.status == 504 || res.status == 500)
    fail("answered " + std::to_string(res.status) + ": " + res.body);
  return 0;
}
