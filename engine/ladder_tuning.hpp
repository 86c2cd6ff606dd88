// Optimised temperature ladders from pilot runs: feedback optimisation of round trips (Katzgraber,
// Trebst, Huse and Troyer 2006: place temperatures so that the up-walker fraction f(β) falls
// linearly), or equal swap acceptance between neighbours. Both can also choose the count.
#pragma once
#include <span>
#include <string>
#include <vector>

#include "engine/model_entry.hpp"

namespace ptmc {

enum class TuneMethod { feedback, acceptance };

struct TuneOptions {
  TuneMethod method = TuneMethod::feedback;
  int temperatures = 0;            // 0: keep each point's count; -1: choose it from target_acceptance
  double target_acceptance = 0.3;  // for the automatic count
  int iterations = 4;              // pilot runs per point; each twice as long as the one before
  std::int64_t pilot_sweeps = 2000;
  bool quiet = false;
};

// One iteration of each rule, exposed for tests. beta ascending and finite; f and acceptance as
// measured on it (f[t] = fraction of walkers last at the hot end; acceptance[t] for pair t, t+1).
std::vector<double> feedback_ladder(std::span<const double> beta, std::span<const double> f, int count);
std::vector<double> equal_acceptance_ladder(std::span<const double> beta, std::span<const double> acceptance, int count);
// Temperatures needed for a given neighbour acceptance, from measured acceptances on a ladder.
int count_for_acceptance(std::span<const double> acceptance, double target);

// Tunes every sweep point's ladder and returns the parameter file text with one
// [[tempering.ladder]] table per point appended.
std::string tune_ladders(const Config& cfg, const ModelEntry& model, const TuneOptions& options);

}  // namespace ptmc
