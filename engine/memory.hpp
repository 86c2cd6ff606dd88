// How much memory a sweep needs per rank and how much the node has: `ptmc check` and `ptmc run`
// state both and refuse a sweep that cannot fit (unless --ignore-memory).
#pragma once
#include <cstdint>
#include <string>

#include "engine/model_entry.hpp"

namespace ptmc {

// A rank's memory before any task: the program, MPI, HDF5 and the output buffers (measured).
inline constexpr double process_base_bytes = 32.0 * 1024 * 1024;

// Tasks (points x samples) one parameter file may hold: every task has its own HDF5 file, a
// checkpoint and an external link in the output, and the final step copies each one.
inline constexpr std::int64_t max_tasks = 1'000'000;

// The largest task of the sweep on one rank (a rank runs one task at a time), and its point.
struct SweepMemory {
  TaskMemory task;
  std::size_t point = 0;
  double per_rank() const { return process_base_bytes + task.total(); }
};
SweepMemory sweep_memory(const Config& cfg, const ModelEntry& model, int group_size);

// Memory this process may still use: MemAvailable of /proc/meminfo, bounded by every cgroup v2
// memory.max above this process (less its memory.current). PTMC_MEMORY_AVAILABLE (bytes) replaces
// both (tests; a node shared with other jobs).
struct NodeMemory {
  double available = 0;
  std::string source;  // what bounded it, e.g. "MemAvailable" or "cgroup /sys/fs/cgroup/job/memory.max"
};
NodeMemory node_memory();

// "1.5 GiB", "300 MiB", "12 KiB".
std::string format_bytes(double bytes);

}  // namespace ptmc
