#pragma once
// The stable face of a supervised actor (a registry, the gateway, the
// ingest, the event hub). Every other actor, and the runtime, holds its proxy
// rather than the actor, so that an actor restarted by its supervisor is
// reached again without anyone learning its new handle. The proxy hands each
// message on to the actor serving now (delegated: the reply goes straight
// back to the sender); while there is none, because it is being restarted,
// it keeps the messages for the next one.
#include <string>

#include <caf/actor.hpp>
#include <caf/actor_cast.hpp>
#include <caf/replies_to.hpp>
#include <caf/result.hpp>
#include <caf/skip.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "messages/fwd.hpp"

namespace steward {

/// A proxy understands what its actor does, and which actor serves now
/// (`caf::actor{}`: none, keep the messages).
template <class Handle>
using proxy_of = typename Handle::template extend<caf::reacts_to<atom::serving, caf::actor>>;

template <class Handle>
struct proxy_state {
  static inline const char* name = "proxy";
  std::string kind;  // of the actor it stands for, as /readyz names it (and
                     // an argument: CAF 0.17 binds an empty argument list
                     // through a null pointer, which UBSan reports)
  Handle serving;
};

namespace detail {

template <class Signature>
struct handing_on;

template <class... In, class... Out>
struct handing_on<caf::typed_mpi<caf::detail::type_list<In...>, caf::output_tuple<Out...>>> {
  template <class Self>
  static auto handler(Self* self) {
    return [=](In&... xs) -> caf::result<Out...> {
      if (!self->state.serving)
        return caf::skip;
      return self->delegate(self->state.serving, std::move(xs)...);
    };
  }
};

template <class Handle, class Self, class... Signatures>
typename proxy_of<Handle>::behavior_type
proxy_behavior(Self* self, caf::detail::type_list<Signatures...>) {
  return {handing_on<Signatures>::handler(self)...,
          [=](atom::serving, caf::actor& next) {
            self->state.serving = caf::actor_cast<Handle>(std::move(next));
          }};
}

} // namespace detail

/// The proxy of the actor of `kind`, of type `Handle`; it keeps messages
/// until it is told which actor serves.
template <class Handle>
typename proxy_of<Handle>::behavior_type
stable_proxy(typename proxy_of<Handle>::template stateful_pointer<proxy_state<Handle>> self,
             std::string kind) {
  self->state.kind = std::move(kind);
  return detail::proxy_behavior<Handle>(self, typename Handle::signatures{});
}

} // namespace steward
