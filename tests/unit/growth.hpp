#pragma once
// Complexity guards without a wall-clock bound. A fixed bound ("under 2 s") is flaky on a loaded
// machine or under a sanitizer, and says nothing about a quadratic loop that is still fast on the
// test's input. Instead the same work is timed on an input 8 times larger: linear work takes
// about 8 times as long, quadratic work 64 times. Time is the thread's CPU time, so a busy machine
// (other tests, builds) does not count, and each size is the best of several runs.
#include <gtest/gtest.h>

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstddef>

namespace emotriage::test_support {

// CPU time of the calling thread.
inline std::chrono::nanoseconds thread_cpu_time() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return std::chrono::seconds(now.tv_sec) + std::chrono::nanoseconds(now.tv_nsec);
}

// `work(scale)` builds and processes an input of `scale` units; building the input is timed too,
// which is fine as long as building is linear itself. The scale is doubled (up to 256 units)
// until one run takes 5 ms of CPU, so that the comparison is not lost in timer noise; a unit
// should be small enough that 8 × 256 units fit in memory comfortably.
template <class Work>
void expect_linear_growth(Work work) {
  using Milliseconds = std::chrono::duration<double, std::milli>;
  constexpr std::size_t kFactor = 8;
  auto best_of = [&](int runs, std::size_t scale) {
    auto best = std::chrono::nanoseconds::max();
    for (int run = 0; run < runs; ++run) {
      const auto start = thread_cpu_time();
      work(scale);
      best = std::min(best, thread_cpu_time() - start);
    }
    return best;
  };
  std::size_t scale = 1;
  while (best_of(3, scale) < std::chrono::milliseconds(5) && scale < 256) scale *= 2;
  // Measured again: a noisy run can stop the doubling early, and an inflated small time would
  // hide a quadratic large one.
  const auto small = best_of(5, scale);
  const auto large = best_of(3, scale * kFactor);
  // 3× slack over linear (allocation and cache effects grow a little with size) and 5 ms for
  // timer noise. A quadratic loop lands at 8² = 64× (≥ 320 ms), far above;
  // quadratic work that is a small share at the small size may hide, hence the 5 ms floor.
  const auto bound = small * static_cast<long>(3 * kFactor) + std::chrono::milliseconds(5);
  EXPECT_LT(large, bound) << "time grew from " << Milliseconds(small).count() << " ms at scale "
                          << scale << " to " << Milliseconds(large).count() << " ms at scale "
                          << scale * kFactor;
}

}  // namespace emotriage::test_support
