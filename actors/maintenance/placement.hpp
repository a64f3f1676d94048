#pragma once
// Where an instance goes when its host is emptied: a host of its cloud that
// is enabled, up and not under maintenance, with room for it (counting the
// instances already on their way there), keeping its group's anti-affinity
// and per-host limit; already-maintained hosts first, so that an instance
// moves once, then the one with the most free memory. No actors here.
#include <optional>
#include <string>

#include "messages/maintenance.hpp"
#include "messages/world.hpp"

namespace steward::maintenance {

/// The hypervisor hostname to move `instance` (uuid) to, or nothing when no
/// host has room. `session` gives the host being emptied, the maintained
/// hosts and the moves under way.
std::optional<std::string> choose_target(const world_view& world, const std::string& instance,
                                         const session& s, double cpu_ratio);

/// The instance's group (its constraint's group_id), "" when none.
std::string group_of(const world_view& world, const std::string& instance);

} // namespace steward::maintenance
