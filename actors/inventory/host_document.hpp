#pragma once
// The inventory host's rules: a host made from a create body or learned from
// its compute service, and how requests, service notifications and time
// change it. No actors here, so the rules are tested on their own.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "messages/host.hpp"

namespace steward::inventory {

/// What a host's fields hold, wherever they come from (an API body, a Nova
/// payload): a name of 1 to 255 letters, digits, '.', '-' or '_'; counts
/// bounded far from overflow (placement sums and scales them); texts of at
/// most `max` characters. Each check: "" or the error.
constexpr long long max_count = 1000000000;
bool valid_hostname(const std::string& name);
std::string check_count(const nlohmann::json& v, const std::string& field);
std::string check_text(const nlohmann::json& v, const std::string& field, std::size_t max);

/// A host's counts and texts by the name the API and the compute contract
/// give them: where a body's value goes (`given`) and where the host keeps
/// it (`held`). One table, so that a body and a notification name the same
/// members.
struct count_member {
  const char* key;
  std::optional<int64_t> host_fields::*given;
  int64_t host::*held;
};
struct text_member {
  const char* key;
  std::optional<std::string> host_fields::*given;
  std::string host::*held;
};
inline const count_member count_members[] = {
  {"vcpus", &host_fields::vcpus, &host::vcpus},
  {"memory_mb", &host_fields::memory_mb, &host::memory_mb},
  {"local_gb", &host_fields::local_gb, &host::local_gb},
  {"hypervisor_version", &host_fields::hypervisor_version, &host::hypervisor_version}};
inline const text_member text_members[] = {
  {"hypervisor_type", &host_fields::hypervisor_type, &host::hypervisor_type},
  {"cloud", &host_fields::cloud, &host::cloud},
  {"disabled_reason", &host_fields::disabled_reason, &host::disabled_reason}};
/// The member named `key`; none when it is not one of them.
const count_member* count_named(const std::string& key);
const text_member* text_named(const std::string& key);

/// Builds a new host from a create body's fields. Returns "" or the error.
std::string make_host(const host_fields& fields, sys_time now, host& out);
/// A host learned from a compute service notification (unknown name).
host learned_host(const std::string& name, sys_time now);
/// Applies an update body's fields to `h`. Returns "" or the error (then
/// `h` is as it was); `changed` says whether anything differs.
std::string update_host(host& h, const host_fields& fields, sys_time now, bool& changed);
/// Merges capabilities into the host's (a value sets one, none removes
/// it); returns whether anything changed.
bool merge_capabilities(host& h, const capability_changes& changes, sys_time now);
/// Why a Nova compute service payload (its object data) cannot be taken in,
/// by the rules API input follows; "" when it can.
std::string check_nova_service(const nlohmann::json& data);
/// Applies Nova's ServiceStatusPayload data (`disabled`, `disabled_reason`,
/// `forced_down`) to `h`; returns whether anything changed.
bool apply_service_status(host& h, const nlohmann::json& data, sys_time now);
/// When the host re-enables itself, if it is disabled with a deadline.
std::optional<sys_time> enable_deadline(const host& h);
/// Enables the host (its disabled_until passed).
void enable(host& h, sys_time now);

} // namespace steward::inventory
