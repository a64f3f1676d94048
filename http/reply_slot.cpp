#include "http/reply_slot.hpp"

#include <exception>
#include <utility>

#include <boost/asio/post.hpp>

#include "common/log.hpp"
#include "http/beast_messages.hpp"
#include "common/event_stream.hpp"
#include "http/session.hpp"

namespace steward::http::detail {

namespace {

// The handler's response travelling to its session's strand. If it never
// runs (the io_context stopped first), its stream is closed, so the producer
// hears of it through on_close rather than feeding a stream nobody reads.
struct response_delivery {
  response_delivery(std::shared_ptr<session> target, response res)
      : target(std::move(target)), res(std::move(res)) {}
  // Declared because of the destructor; moving leaves `res.stream` empty in
  // the moved-from object, so only the last holder closes it.
  response_delivery(response_delivery&&) = default;
  response_delivery& operator=(response_delivery&&) = delete;
  ~response_delivery() {
    if (res.stream)
      res.stream->close();
  }

  void operator()() { target->deliver(std::move(res)); }

  std::shared_ptr<session> target;
  response res;
};

} // namespace

reply_slot::~reply_slot() {
  if (!answered_.exchange(true))
    post(error_response(api_family::steward, 500, "The request handler did not respond"));
}

void reply_slot::answer(response res) {
  if (answered_.exchange(true)) {
    LOG_WARN("http", "respond called more than once; the extra response is dropped");
    if (res.stream)
      res.stream->close();
    return;
  }
  post(std::move(res));
}

void reply_slot::post(response res) noexcept {
  try {
    gate_->run_if_open([&] {
      auto target = target_.lock();
      if (!target)
        return;
      auto strand = target->executor();
      net::post(strand, response_delivery{std::move(target), std::move(res)});
    });
  } catch (const std::exception& e) {
    LOG_ERROR("http", "cannot deliver a response: " << e.what());
  }
  // Not delivered (server stopped, connection gone): no one will read it.
  if (res.stream)
    res.stream->close();
}

} // namespace steward::http::detail
