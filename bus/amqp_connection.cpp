#include "bus/amqp_connection.hpp"

#include <amqp_tcp_socket.h>
#include <sys/socket.h>

namespace steward::bus::detail {

namespace {

std::string describe_close(uint16_t code, amqp_bytes_t text) {
  return std::to_string(code) + " " + string_of(text);
}

amqp_table_entry_t bool_entry(const char* key) {
  amqp_table_entry_t e;
  e.key = amqp_cstring_bytes(key);
  e.value.kind = AMQP_FIELD_KIND_BOOLEAN;
  e.value.value.boolean = 1;
  return e;
}

} // namespace

amqp_bytes_t bytes_of(const std::string& s) {
  amqp_bytes_t b;
  b.len = s.size();
  b.bytes = const_cast<char*>(s.data());
  return b;
}

std::string string_of(amqp_bytes_t b) {
  if (b.len == 0 || b.bytes == nullptr) return {};
  return std::string(static_cast<const char*>(b.bytes), b.len);
}

timeval to_timeval(milliseconds d) {
  timeval tv;
  tv.tv_sec = static_cast<time_t>(d.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((d.count() % 1000) * 1000);
  return tv;
}

std::string describe_method(const amqp_method_t& m) {
  if (m.id == AMQP_CONNECTION_CLOSE_METHOD) {
    auto* c = static_cast<amqp_connection_close_t*>(m.decoded);
    return "the broker closed the connection: " + describe_close(c->reply_code, c->reply_text);
  }
  if (m.id == AMQP_CHANNEL_CLOSE_METHOD) {
    auto* c = static_cast<amqp_channel_close_t*>(m.decoded);
    return "the broker closed the channel: " + describe_close(c->reply_code, c->reply_text);
  }
  return std::string("unexpected ") + amqp_method_name(m.id);
}

std::string describe_reply(const amqp_rpc_reply_t& r) {
  switch (r.reply_type) {
    case AMQP_RESPONSE_NORMAL: return {};
    case AMQP_RESPONSE_NONE: return "no reply from the broker";
    case AMQP_RESPONSE_LIBRARY_EXCEPTION: return amqp_error_string2(r.library_error);
    case AMQP_RESPONSE_SERVER_EXCEPTION: return describe_method(r.reply);
  }
  return "unknown reply";
}

std::string describe_status(const char* what, int status) {
  return std::string(what) + ": " + amqp_error_string2(status);
}

void socket_slot::set(int value) {
  std::lock_guard<std::mutex> l(m);
  fd = value;
}

void socket_slot::shut_down() {
  std::lock_guard<std::mutex> l(m);
  if (fd >= 0) ::shutdown(fd, SHUT_RDWR);
}

std::string connection::open(const amqp_endpoint& ep, const std::string& vhost, int heartbeat,
                             const std::string& name) {
  state_ = amqp_new_connection();
  if (state_ == nullptr) return "out of memory";
  amqp_socket_t* sock = amqp_tcp_socket_new(state_);
  if (sock == nullptr) return "cannot create a socket";
  timeval connect_timeout = to_timeval(milliseconds(5000));
  int rc = amqp_socket_open_noblock(sock, ep.host.c_str(), ep.port, &connect_timeout);
  if (rc != AMQP_STATUS_OK) {
    return "cannot connect to " + ep.host + ":" + std::to_string(ep.port) + ": " +
           amqp_error_string2(rc);
  }
  slot_.set(amqp_get_sockfd(state_));
  // Without these a broker that accepts TCP but never answers would hold
  // the thread for good (heartbeats only start after the login).
  timeval handshake = to_timeval(milliseconds(10000));
  amqp_set_handshake_timeout(state_, &handshake);
  timeval rpc = to_timeval(milliseconds(15000));
  amqp_set_rpc_timeout(state_, &rpc);
  // rabbitmq-c does not announce these capabilities by itself. Without
  // consumer_cancel_notify a deleted queue would silently leave us
  // consuming nothing; connection.blocked tells us about resource alarms.
  amqp_table_entry_t caps[2];
  caps[0] = bool_entry("consumer_cancel_notify");
  caps[1] = bool_entry("connection.blocked");
  amqp_table_entry_t props[2];
  props[0].key = amqp_cstring_bytes("capabilities");
  props[0].value.kind = AMQP_FIELD_KIND_TABLE;
  props[0].value.value.table = amqp_table_t{2, caps};
  props[1].key = amqp_cstring_bytes("connection_name");  // shown by rabbitmqctl
  props[1].value.kind = AMQP_FIELD_KIND_UTF8;
  props[1].value.value.bytes = bytes_of(name);
  amqp_table_t properties{2, props};
  amqp_rpc_reply_t r =
      amqp_login_with_properties(state_, vhost.c_str(), 0, 131072, heartbeat, &properties,
                                 AMQP_SASL_METHOD_PLAIN, ep.user.c_str(), ep.password.c_str());
  if (r.reply_type != AMQP_RESPONSE_NORMAL) {
    return "login as '" + ep.user + "' to vhost '" + vhost + "' failed: " + describe_reply(r);
  }
  healthy_ = true;
  return {};
}

std::string connection::open_channel(amqp_channel_t ch) {
  amqp_channel_open(state_, ch);
  return check("channel.open");
}

std::string connection::check(const std::string& what) {
  amqp_rpc_reply_t r = amqp_get_rpc_reply(state_);
  if (r.reply_type == AMQP_RESPONSE_NORMAL) return {};
  return what + ": " + describe_reply(r);
}

void connection::close() {
  if (state_ == nullptr) return;
  slot_.set(-1);  // before the fd is closed and its number reused
  if (healthy_) amqp_connection_close(state_, AMQP_REPLY_SUCCESS);
  amqp_destroy_connection(state_);
  state_ = nullptr;
  healthy_ = false;
}

} // namespace steward::bus::detail
