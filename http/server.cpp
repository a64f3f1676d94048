// The HTTP/1.1 server. Boost.Beast is known only to its files: this one
// (server::impl, start and stop, the io threads), listener.*, session.*,
// session_sse.cpp, reply_slot.*, beast_messages.* and server_core.hpp.
//
// Shape (after the structure of Beast's "advanced server" example):
// - one io_context, run by `io_threads` threads;
// - a listener accepts connections; each socket is bound to its own strand,
//   so the handlers of one connection never run concurrently and a session
//   needs no locks of its own;
// - a session reads one request, gives it to the request_handler, waits for
//   the response (which may come later, from any thread), writes it, and only
//   then reads the next request: pipelined requests are answered in order;
// - a response carrying an event_stream turns the session into a writer of
//   Server-Sent Events until the stream or the client ends.
#include "http/server.hpp"

#include <algorithm>
#include <exception>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "common/log.hpp"
#include "http/listener.hpp"
#include "http/server_core.hpp"
#include "http/session.hpp"

namespace steward::http {

using namespace detail; // the server's parts

namespace {

// An exception escaping a handler would end the thread and the process;
// log it and keep the thread serving.
void run_io(net::io_context& ioc) {
  for (;;) {
    try {
      ioc.run();
      return;
    } catch (const std::exception& e) {
      LOG_ERROR("http", "io thread: " << e.what());
    } catch (...) {
      LOG_ERROR("http", "io thread: unknown exception");
    }
  }
}

} // namespace

struct server::impl {
  impl(server_options opts, request_handler& handler)
      : core{std::move(opts), handler, std::make_shared<post_gate>(), {}},
        ioc(std::max(1, core.opts.io_threads)) {}

  // Declared first, destroyed last: pending handlers destroyed with the
  // io_context release sessions, which refer to it.
  server_core core;
  net::io_context ioc;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::shared_ptr<listener> acceptor;
  std::vector<std::thread> threads;
  std::mutex lifecycle;
  bool started = false;
  bool stopped = false;
  uint16_t port = 0;
};

server::server(server_options opts, request_handler& handler)
    : impl_(std::make_unique<impl>(std::move(opts), handler)) {}

server::~server() { stop(); }

void server::start() {
  std::lock_guard<std::mutex> guard{impl_->lifecycle};
  if (impl_->started)
    throw std::logic_error("http server already started");
  const auto& opts = impl_->core.opts;
  auto l = std::make_shared<listener>(impl_->ioc, impl_->core);
  l->listen(opts.bind_host, opts.bind_port); // throws
  impl_->port = l->port();
  l->accept();
  impl_->acceptor = std::move(l);
  impl_->work.emplace(impl_->ioc.get_executor());
  impl_->started = true;
  int n = std::max(1, opts.io_threads);
  for (int i = 0; i < n; ++i)
    impl_->threads.emplace_back([this] { run_io(impl_->ioc); });
  LOG_INFO("http", "listening on " << opts.bind_host << ':' << impl_->port << " with " << n
                                   << " io threads");
}

// Stopping in this order needs no cooperation from the connections, so it
// cannot hang on one (an SSE stream, a handler that never answers):
// 1. close the gate: respond_fns and stream wake-ups become no-ops;
// 2. stop the io_context and join its threads;
// 3. with no io thread left, close the acceptor and every session directly.
// Handlers still queued are destroyed with the io_context, releasing the
// sessions they hold.
void server::stop() {
  std::lock_guard<std::mutex> guard{impl_->lifecycle};
  if (!impl_->started || impl_->stopped)
    return;
  impl_->stopped = true;

  impl_->core.gate->close();

  impl_->work.reset();
  impl_->ioc.stop();
  for (auto& t : impl_->threads)
    t.join();
  impl_->threads.clear();

  impl_->acceptor->close();
  for (auto& s : impl_->core.sessions.take_live())
    s->close_now();
  LOG_INFO("http", "stopped listening on " << impl_->core.opts.bind_host << ':' << impl_->port);
}

uint16_t server::port() const { return impl_->port; }

} // namespace steward::http
