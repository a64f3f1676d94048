#pragma once
// The inventory host: its document and the rules for changing it. No actors
// here, so the rules are tested on their own.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"

namespace steward::inventory {

/// Builds a new host document from a create body. Returns "" or the error.
std::string make_host(const nlohmann::json& body, sys_time now, nlohmann::json& out);
/// A host learned from a compute service notification (unknown name).
nlohmann::json learned_host(const std::string& name, sys_time now);
/// Applies an update body to `doc`. Returns "" or the error; `changed` says
/// whether anything differs.
std::string update_host(nlohmann::json& doc, const nlohmann::json& body, sys_time now,
                        bool& changed);
/// Why a Nova compute service payload (its object data) cannot be taken in,
/// by the rules API input follows; "" when it can.
std::string check_nova_service(const nlohmann::json& data);
/// Applies Nova's ServiceStatusPayload data (`disabled`, `disabled_reason`,
/// `forced_down`) to `doc`; returns whether anything changed.

bool apply_service_status(nlohmann::json& doc, const nlohmann::json& data, sys_time now);
/// When the host re-enables itself, if it is disabled with a deadline.
std::optional<sys_time> enable_deadline(const nlohmann::json& doc);
/// Enables the host (its disabled_until passed).
void enable(nlohmann::json& doc, sys_time now);

} // namespace steward::inventory
