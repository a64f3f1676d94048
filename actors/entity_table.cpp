#include "actors/entity_table.hpp"

#include <malloc.h>

#include <thread>

namespace steward {

void release_free_memory() {
  malloc_trim(0);
}

void in_slices(std::size_t n, const std::function<void(std::size_t, std::size_t)>& work) {
  // Threads pay off only for many items; more than four gain little here.
  constexpr std::size_t least_per_thread = 2048;
  std::size_t threads = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 4);
  threads = std::clamp<std::size_t>(n / least_per_thread, 1, threads);
  auto slice = (n + threads - 1) / threads;
  std::vector<std::thread> others;
  for (std::size_t t = 1; t < threads; ++t)
    others.emplace_back([&work, n, slice, t] {
      work(std::min(n, t * slice), std::min(n, (t + 1) * slice));
    });
  work(0, std::min(n, slice));
  for (auto& t : others)
    t.join();
}

} // namespace steward
