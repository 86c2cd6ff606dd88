// Runs a whole sweep: every (point, sample) task, spread over MPI ranks by a shared counter and over
// OpenMP threads inside a task. Rank 0 writes the output file; other ranks write their own part
// files, which rank 0 merges at the end, so no two processes ever write the same HDF5 file.
#pragma once
#include <string>

#include "engine/model_entry.hpp"

namespace ptmc {

struct RunOptions {
  std::string output;  // output file (from -o or [output] file)
  bool quiet = false;  // no progress line
};

// Returns the process exit code. Must be called on every rank.
int run_sweep(const Config& cfg, const ModelEntry& model, const RunOptions& options);

// Writes /points/pNNNN/summary for every point of a finished (or interrupted) output file.
void summarize_file(const std::string& path);

}  // namespace ptmc
