#pragma once
// Declaring exchanges and queues and binding them (private to the AMQP bus).
#include <string>

#include "bus/amqp_connection.hpp"

namespace steward::bus::detail {

// Declares `name` the way oslo.messaging does (auto_delete=false, durability
// as configured). When it already exists with other flags the broker answers
// 406 and closes the channel; the exchange is there all the same and binding
// and publishing do not care about its flags, so we warn, reopen the channel
// and go on rather than fail forever.
std::string ensure_exchange(connection& c, const std::string& name, const char* type,
                            bool durable);

// A durable queue, optionally dead-lettering into `dead_letter_exchange`.
std::string declare_queue(connection& c, const std::string& name,
                          const std::string* dead_letter_exchange);

std::string bind_queue(connection& c, const std::string& queue, const std::string& exchange,
                       const std::string& key);

} // namespace steward::bus::detail
