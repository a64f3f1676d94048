#pragma once
// How Steward's programs stop: SIGINT and SIGTERM are blocked in every thread
// and main waits for them, so that shutdown runs in main, in order.
#include <csignal>

namespace steward {

/// Blocks SIGINT and SIGTERM in this thread and every thread started after,
/// and ignores SIGPIPE (a peer that went away is an error code, not a death).
/// Call first in main.
sigset_t block_stop_signals();
/// Waits for SIGINT or SIGTERM; returns which.
int wait_for_stop_signal(const sigset_t& signals);

} // namespace steward
