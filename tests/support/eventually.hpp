#pragma once
// The one wait of the tests: polls a condition until it holds. The limit
// only guards against a hang; nothing is timed.
#include <chrono>
#include <thread>

namespace steward::test {

constexpr auto patience = std::chrono::seconds{60};

template <class Pred>
bool eventually(Pred pred, std::chrono::seconds limit = patience) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred())
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds{5});
  }
  return pred();
}

} // namespace steward::test
