#pragma once
// CAF 0.17 ends an actor on any exception that escapes one of its handlers,
// and a registry's end takes every route of its kind down with it. A guarded
// handler turns an exception into the failure of the one message it was
// handling: a 500 reply, an error for a request, a log line for a one-way
// message. The actor goes on serving.
#include <exception>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <utility>

#include <caf/detail/type_traits.hpp>
#include <caf/error.hpp>
#include <caf/mailbox_element.hpp>
#include <caf/make_message.hpp>
#include <caf/result.hpp>
#include <caf/scheduled_actor.hpp>
#include <caf/sec.hpp>
#include <caf/type_id.hpp>

#include "bus/bus.hpp"
#include "common/log.hpp"
#include "messages/fwd.hpp"
#include "messages/requests.hpp"

namespace steward {

namespace detail {

template <class T, class = void>
struct is_api_request : std::false_type {};
template <class T>
struct is_api_request<T, std::void_t<decltype(std::declval<const T&>().ctx)>> : std::true_type {};

template <class T, class = void>
struct names_an_entity : std::false_type {};
template <class T>
struct names_an_entity<T, std::void_t<decltype(std::declval<const T&>().id)>> : std::true_type {};

// What a log line says of the message that failed: enough to find it again
// (a request by its type and entity, never its body).
inline std::string describe_message(const bus::notification& n) {
  return "notification " + n.event_type + " " + n.message_id;
}
template <class T>
std::string describe_message(const T& x) {
  if constexpr (is_api_request<T>::value) {
    std::string out = caf::type_name<T>::value;
    if constexpr (names_an_entity<T>::value)
      out += " " + x.id;
    return out;
  } else {
    return typeid(T).name();
  }
}

template <class... Ts>
std::string describe_messages(const Ts&... xs) {
  std::string out;
  ((out += (out.empty() ? "" : ", ") + describe_message(xs)), ...);
  return out;
}

template <class R>
R failure_of(const std::string& what) {
  if constexpr (std::is_same_v<R, void>)
    return;
  else if constexpr (std::is_same_v<R, caf::result<api_reply>> || std::is_same_v<R, api_reply>)
    return api_reply::fail(500, "Steward could not handle the request: " + what);
  else
    return caf::make_error(caf::sec::runtime_error, what);
}

template <class F, class R, class... Ts>
auto guard_with(const char* component, F f, caf::detail::type_list<Ts...>) {
  return [component, f = std::move(f)](Ts... xs) mutable -> R {
    try {
      return f(std::forward<Ts>(xs)...);
    } catch (const std::exception& e) {
      log::write(log::level::error, component,
                 "handling " + describe_messages(xs...) + " failed: " + e.what());
      return failure_of<R>(e.what());
    } catch (...) {
      log::write(log::level::error, component,
                 "handling " + describe_messages(xs...) + " failed: an unknown exception");
      return failure_of<R>("an unknown exception");
    }
  };
}

} // namespace detail

/// `f` as a handler whose exceptions fail only the message at hand.
template <class F>
auto guarded(const char* component, F f) {
  using trait = caf::detail::get_callable_trait<F>;
  return detail::guard_with<F, typename trait::result_type>(component, std::move(f),
                                                             typename trait::arg_types{});
}

/// What an entity does with an exception outside its guarded handlers (in
/// a continuation): it logs it with the entity and the message at hand, and
/// ends with that reason, so that its registry restarts it.
template <class Self>
void log_failures(Self* self, const char* component, std::string entity_id) {
  self->set_exception_handler([component, entity_id](caf::scheduled_actor* s,
                                                     std::exception_ptr& x) -> caf::error {
    std::string what = "an unknown exception";
    try {
      std::rethrow_exception(x);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    auto* current = s->current_mailbox_element();
    log::write(log::level::error, component,
               entity_id + " failed handling "
                 + (current ? to_string(current->content()) : std::string{"its start"}) + ": "
                 + what);
    return caf::make_error(caf::sec::runtime_error, what);
  });
}

/// A behaviour of type `Behavior` whose every handler is guarded.
template <class Behavior, class... Fs>
Behavior guarded_behavior(const char* component, Fs... fs) {
  return Behavior{guarded(component, std::move(fs))...};
}

} // namespace steward
