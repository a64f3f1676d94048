#pragma once
// What the parts of the HTTP server share: the Boost names they use, the
// gate every cross-thread post goes through, the registry of live sessions,
// and the core that holds them. Private to the server's own files, which are
// the only ones that see Beast.
#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "http/server.hpp"

namespace steward::http::detail {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using steady = std::chrono::steady_clock;

// Every respond_fn and every stream wake-up holds the gate. They may be
// called from any thread at any time, also after the server stopped and its
// io_context is gone; from stop() on the gate makes them no-ops. The lock is
// held while posting, so stop() cannot tear the io_context down mid-post.
// Recursive because work done under the lock may drop the last reference to
// a session, whose destructor closes its stream, whose wake-up comes back here.
class post_gate {
public:
  template <class F>
  void run_if_open(F&& f) {
    std::lock_guard<std::recursive_mutex> guard{mtx_};
    if (open_)
      f();
  }
  void close() {
    std::lock_guard<std::recursive_mutex> guard{mtx_};
    open_ = false;
  }

private:
  std::recursive_mutex mtx_;
  bool open_ = true;
};

class session;

// Weak references to every live session, so stop() can close them all
// (SSE sessions included, which would otherwise never end by themselves).
class session_registry {
public:
  void add(std::weak_ptr<session> s) {
    std::lock_guard<std::mutex> guard{mtx_};
    // Forget dead sessions now and then, so the list tracks the live count.
    if (sessions_.size() >= prune_at_) {
      sessions_.erase(std::remove_if(sessions_.begin(), sessions_.end(),
                                     [](const auto& w) { return w.expired(); }),
                      sessions_.end());
      prune_at_ = std::max<std::size_t>(64, 2 * sessions_.size());
    }
    sessions_.push_back(std::move(s));
  }

  std::vector<std::shared_ptr<session>> take_live() {
    std::lock_guard<std::mutex> guard{mtx_};
    std::vector<std::shared_ptr<session>> live;
    for (auto& w : sessions_)
      if (auto s = w.lock())
        live.push_back(std::move(s));
    sessions_.clear();
    return live;
  }

private:
  std::mutex mtx_;
  std::vector<std::weak_ptr<session>> sessions_;
  std::size_t prune_at_ = 64;
};

// What sessions share: set up once, outlives every io thread.
struct server_core {
  server_options opts;
  request_handler& handler;
  std::shared_ptr<post_gate> gate = std::make_shared<post_gate>();
  session_registry sessions;
};

} // namespace steward::http::detail
