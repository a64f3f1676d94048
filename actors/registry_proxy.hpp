#pragma once
// The stable face of a registry. Every other actor (the gateway, the ingest,
// entities of other kinds) holds a registry's proxy rather than the registry,
// so that a registry restarted by its supervisor is reached again without
// anyone learning its new handle. The proxy hands each message on to the
// registry serving now (delegated: the reply goes straight back to the
// sender); while there is none, because it is being restarted, it keeps
// the messages for the next one.
#include <caf/actor.hpp>
#include <caf/actor_cast.hpp>
#include <caf/replies_to.hpp>
#include <caf/result.hpp>
#include <caf/skip.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "messages/fwd.hpp"

namespace steward {

/// A proxy understands what its registry does, and which registry serves
/// now (`caf::actor{}`: none, keep the messages).
template <class Registry>
using proxy_of = typename Registry::template extend<caf::reacts_to<atom::registry, caf::actor>>;

template <class Registry>
struct registry_proxy_state {
  static inline const char* name = "registry-proxy";
  Registry serving;
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

template <class Registry, class Self, class... Signatures>
typename proxy_of<Registry>::behavior_type
proxy_behavior(Self* self, caf::detail::type_list<Signatures...>) {
  return {handing_on<Signatures>::handler(self)...,
          [=](atom::registry, caf::actor& next) {
            self->state.serving = caf::actor_cast<Registry>(std::move(next));
          }};
}

} // namespace detail

/// The proxy of a `Registry`; it keeps messages until it is told which
/// registry serves.
template <class Registry>
typename proxy_of<Registry>::behavior_type
registry_proxy(typename proxy_of<Registry>::template stateful_pointer<
               registry_proxy_state<Registry>>
                 self) {
  return detail::proxy_behavior<Registry>(self, typename Registry::signatures{});
}

} // namespace steward
