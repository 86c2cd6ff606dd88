// Runs a whole sweep: every (point, sample) task, spread over MPI ranks by a shared counter and over
// OpenMP threads inside a task. Each task streams into its own file under OUT.tasks/ and keeps a
// checkpoint there; rank 0 collects the finished task files into OUT at the end. No two processes
// ever write the same HDF5 file, and a killed run resumes (--resume) to the same numbers.
#pragma once
#include <string>

#include "engine/model_entry.hpp"
#include "engine/io/output_assembly.hpp"  // task_dir

namespace ptmc {

struct RunOptions {
  std::string output;      // output file (from -o or [output] file)
  bool quiet = false;      // no progress line
  bool resume = false;     // continue an interrupted run of the same parameter file
  bool overwrite = false;  // replace what is at the output path (otherwise a run refuses to)
  double max_time = 0;     // wall-clock seconds; 0 = no limit. Checkpoints and stops before it.
};

// Exit code of a run that stopped at a checkpoint (signal or --max-time): resume it later.
inline constexpr int exit_checkpointed = 75;

// Returns the process exit code. Must be called on every rank.
int run_sweep(const Config& cfg, const ModelEntry& model, const RunOptions& options);

}  // namespace ptmc
