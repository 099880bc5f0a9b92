#pragma once
// Complexity guards without a wall-clock bound. A fixed bound ("under 2 s") is flaky on a loaded
// machine or under a sanitizer, and says nothing about a quadratic loop that is still fast on the
// test's input. Instead the same work is timed on an input 16 times larger: linear work takes
// about 16 times as long, quadratic work 256 times. Time is the thread's CPU time, so a busy
// machine (other tests, builds) does not count, and the small size is the best of several runs.
#include <gtest/gtest.h>

#include <sched.h>
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
// should be small enough that 16 × 256 units fit in memory comfortably.
template <class Work>
void expect_linear_growth(Work work) {
  using Milliseconds = std::chrono::duration<double, std::milli>;
  // Linear work grows 16×, quadratic 256×; the bound sits at 64×, a factor of 4 from either, so
  // that CPU-time noise (frequency changes, a busy SMT sibling, steal time on a shared CI host)
  // cannot turn one into the other. A factor of 8 with a 24× bound once let quadratic work pass.
  constexpr std::size_t kFactor = 16;
  constexpr long kBoundRatio = 64;
  constexpr int kRounds = 3;
  auto timed = [&](std::size_t scale) {
    const auto start = thread_cpu_time();
    work(scale);
    return thread_cpu_time() - start;
  };
  // Measured on one CPU: on a host with fast and slow cores (or cores at different clocks) a
  // migration between the small and the large run would skew the ratio.
  cpu_set_t previous_cpus;
  bool pinned = false;
  if (const int cpu = sched_getcpu();
      cpu >= 0 && sched_getaffinity(0, sizeof previous_cpus, &previous_cpus) == 0) {
    cpu_set_t one_cpu;
    CPU_ZERO(&one_cpu);
    CPU_SET(cpu, &one_cpu);
    pinned = sched_setaffinity(0, sizeof one_cpu, &one_cpu) == 0;
  }
  struct Unpin {
    bool pinned;
    cpu_set_t& previous;
    ~Unpin() {
      if (pinned) sched_setaffinity(0, sizeof previous, &previous);
    }
  } unpin{pinned, previous_cpus};
  // The best of three at the final scale starts the small time, so that no round's bound rests
  // on a single sample.
  std::size_t scale = 1;
  auto small = std::min({timed(scale), timed(scale), timed(scale)});
  while (small < std::chrono::milliseconds(5) && scale < 256) {
    scale *= 2;
    small = std::min({timed(scale), timed(scale), timed(scale)});
  }
  // Small and large runs alternate, so that a slow phase of the machine hits both; the best
  // small time so far sets the bound. One large run under it is enough; failing takes every
  // round over it.
  auto large = std::chrono::nanoseconds::max();
  for (int round = 0; round < kRounds; ++round) {
    small = std::min(small, timed(scale));
    large = std::min(large, timed(scale * kFactor));
    // 5 ms over the ratio for timer noise when the small run is short.
    if (large < small * kBoundRatio + std::chrono::milliseconds(5)) return;
  }
  ADD_FAILURE() << "time grew from " << Milliseconds(small).count() << " ms at scale " << scale
                << " to " << Milliseconds(large).count() << " ms at scale " << scale * kFactor;
}

}  // namespace emotriage::test_support
