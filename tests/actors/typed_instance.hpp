#pragma once
// Tests describe instances as the document their events carry (the fields
// they care about) and hand them on typed.
#include <chrono>
#include <memory>

#include <nlohmann/json.hpp>

#include "actors/instance/instance_json.hpp"
#include "messages/world.hpp"

namespace steward::test {

inline instance_ptr typed_instance(const nlohmann::json& doc) {
  return std::make_shared<const instance::instance>(instance::from_document(doc).value());
}

/// An instance with every field set (each optional too).
inline instance::instance every_field_instance() {
  using namespace std::chrono;
  instance::instance i;
  i.uuid = "0123456789abcdef0123456789abcdef";
  i.hostname = "wëb-1";
  i.description = "front end";
  i.created = sys_time{seconds{1900000000}} + microseconds{123456};
  i.start_time = i.created + hours{1};
  i.project = "pa";
  i.image_template = "tp1";
  i.cloud = "cl1";
  i.cloud_name = "default";
  i.flavor = "fl1";
  i.flavor_name = "small";
  i.cores = 2;
  i.ram = 4096;
  i.system_volume_size = 10240;
  i.data_volume_size = 20480;
  i.key = "ky1";
  i.key_name = "alice";
  i.key_fingerprint = "aa:bb";
  i.security_groups = {{"sg1", "http", "web", R"([{"from_port":80,"protocol":"tcp"}])"}};
  i.internal_ips = {"10.0.0.2"};
  i.external_ips = {"192.0.2.7"};
  i.current = instance::state::resizing_scheduled;
  i.host = "compute-1";
  i.request_id = "req-1";
  i.restart_pending = true;
  i.resize = instance::pending_resize{instance::flavor_spec{"fl2", "large", 4, 8192, 40}, std::nullopt};
  return i;
}

} // namespace steward::test
