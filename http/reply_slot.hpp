#pragma once
// How a handler's response finds its way back to the connection.
#include <atomic>
#include <memory>
#include <utility>

#include "http/server_core.hpp"
#include "http/types.hpp"

namespace steward::http::detail {

class session;

// What a respond_fn holds. It refers to the session weakly: a respond_fn kept
// beyond the server's life must not keep sockets of a dead io_context.
class reply_slot {
public:
  reply_slot(std::shared_ptr<post_gate> gate, std::weak_ptr<session> target)
      : gate_(std::move(gate)), target_(std::move(target)) {}
  reply_slot(const reply_slot&) = delete;
  reply_slot& operator=(const reply_slot&) = delete;

  // Every copy of the respond_fn is gone and none was called: answer for the
  // handler, or the client would wait until a timeout.
  ~reply_slot();

  bool answered() const { return answered_.load(); }

  void answer(response res);

private:
  void post(response res) noexcept;

  std::shared_ptr<post_gate> gate_;
  std::weak_ptr<session> target_;
  std::atomic<bool> answered_{false};
};

} // namespace steward::http::detail
