// Whether OpenMP threads across one task's walkers pay. A parallel region costs a fork and a join
// (microseconds on idle cores, far more when other processes share them and the team spins), which a
// sweep of small walkers does not repay: SK at N = 64 with 16 walkers ran 7x slower in CPU time with
// 2 threads than with one. The first sweeps run on one thread and are timed; threads take over only
// when a sweep of all walkers is long against that cost. Only the speed depends on the choice: every
// walker has its own random stream, so the numbers are the same either way.
// PTMC_WALKER_THREADS=always (or never) overrides the choice: tests of thread invariance, benchmarks.
#pragma once
#include <chrono>
#include <cstdlib>
#include <string_view>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace ptmc {

class WalkerThreads {
 public:
  // allowed: the model and the MPI layer let threads share walkers; walkers: how many a sweep visits.
  WalkerThreads(bool allowed, long long walkers) : possible_(allowed && walkers > 1 && max_threads() > 1) {
    const char* forced = std::getenv("PTMC_WALKER_THREADS");
    const std::string_view choice = forced ? forced : "";
    if (choice == "always" || choice == "never") {
      timed_ = calibration_sweeps;
      threaded_ = choice == "always";
    }
  }

  // Whether this sweep runs in threads.
  bool use() const { return possible_ && timed_ >= calibration_sweeps && threaded_; }

  // The wall time of a sweep that ran on one thread, while the choice is being made.
  void record(std::chrono::steady_clock::duration serial_sweep) {
    if (!possible_ || timed_ >= calibration_sweeps) return;
    serial_ += serial_sweep;
    if (++timed_ == calibration_sweeps) threaded_ = serial_ / calibration_sweeps >= worth_threads;
  }
  bool calibrating() const { return possible_ && timed_ < calibration_sweeps; }
  // How many threads this sweep runs on.
  int threads() const { return use() ? max_threads() : 1; }

  // A sweep of all walkers this long on one thread is split among threads: about 20 times a fork and
  // join on idle cores, so that it costs at most a few percent.
  static constexpr std::chrono::microseconds worth_threads{100};
  static constexpr int calibration_sweeps = 8;

 private:
  static int max_threads() {
#ifdef _OPENMP
    return omp_get_max_threads();
#else
    return 1;
#endif
  }
  bool possible_;
  bool threaded_ = false;
  int timed_ = 0;
  std::chrono::steady_clock::duration serial_{};
};

}  // namespace ptmc
