#include "bus/amqp_topology.hpp"

#include "common/log.hpp"

namespace steward::bus::detail {

namespace {

// The reply code when the broker answered an RPC by closing the channel.
int channel_close_code(const amqp_rpc_reply_t& r) {
  if (r.reply_type != AMQP_RESPONSE_SERVER_EXCEPTION) return 0;
  if (r.reply.id != AMQP_CHANNEL_CLOSE_METHOD) return 0;
  return static_cast<amqp_channel_close_t*>(r.reply.decoded)->reply_code;
}

} // namespace

std::string ensure_exchange(connection& c, const std::string& name, const char* type,
                            bool durable) {
  amqp_exchange_declare(c.get(), declare_channel, bytes_of(name), amqp_cstring_bytes(type),
                        /*passive=*/0, durable ? 1 : 0, /*auto_delete=*/0, /*internal=*/0,
                        amqp_empty_table);
  amqp_rpc_reply_t r = amqp_get_rpc_reply(c.get());
  if (r.reply_type == AMQP_RESPONSE_NORMAL) return {};
  if (channel_close_code(r) == AMQP_PRECONDITION_FAILED) {
    LOG_WARN(component, "exchange '" << name << "' exists with other flags than " << type
                                     << " durable=" << durable << " (" << describe_reply(r)
                                     << "); using it as it is");
    amqp_channel_close_ok_t ok{};
    amqp_send_method(c.get(), declare_channel, AMQP_CHANNEL_CLOSE_OK_METHOD, &ok);
    return c.open_channel(declare_channel);
  }
  return "exchange.declare '" + name + "': " + describe_reply(r);
}

std::string declare_queue(connection& c, const std::string& name,
                          const std::string* dead_letter_exchange) {
  amqp_table_entry_t entry;
  amqp_table_t args = amqp_empty_table;
  if (dead_letter_exchange != nullptr) {
    entry.key = amqp_cstring_bytes("x-dead-letter-exchange");
    entry.value.kind = AMQP_FIELD_KIND_UTF8;
    entry.value.value.bytes = bytes_of(*dead_letter_exchange);
    args.num_entries = 1;
    args.entries = &entry;
  }
  amqp_queue_declare(c.get(), main_channel, bytes_of(name), /*passive=*/0, /*durable=*/1,
                     /*exclusive=*/0, /*auto_delete=*/0, args);
  return c.check("queue.declare '" + name + "'");
}

std::string bind_queue(connection& c, const std::string& queue, const std::string& exchange,
                       const std::string& key) {
  amqp_queue_bind(c.get(), main_channel, bytes_of(queue), bytes_of(exchange), bytes_of(key),
                  amqp_empty_table);
  return c.check("queue.bind '" + queue + "' to '" + exchange + "' with '" + key + "'");
}

} // namespace steward::bus::detail
