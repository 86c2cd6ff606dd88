// Optimised temperature ladders from pilot runs: feedback optimisation of round trips (Katzgraber,
// Trebst, Huse and Troyer 2006: place temperatures so that the up-walker fraction f(β) falls
// linearly), equal swap acceptance between neighbours, or equal rejection along the communication
// barrier Λ (Syed, Bouchard-Côté, Deligiannidis and Doucet, JRSS B 2022: Λ = ∫ λ(β) dβ ≈ Σ r_i, the
// sum of the neighbour rejection rates, the quantity that sets the round-trip rate of non-reversible
// swaps, 1 / (2 + 2 Σ r_i / (1 - r_i)) per swap round). Each can also choose the count.
#pragma once
#include <span>
#include <string>
#include <vector>

#include "engine/model_entry.hpp"

namespace ptmc {

enum class TuneMethod { feedback, acceptance, barrier };

struct TuneOptions {
  TuneMethod method = TuneMethod::feedback;
  int temperatures = 0;            // 0: keep each point's count; -1: choose it from target_acceptance
  double target_acceptance = 0.3;  // for the automatic count (feedback, acceptance)
  double target_rejection = 0.5;   // for the automatic count (barrier): Λ / (count - 1) per pair
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
// The communication barrier from measured neighbour acceptances: Λ = Σ (1 - A_i).
double communication_barrier(std::span<const double> acceptance);
// Equal rejection along Λ: Λ(β) interpolated linearly between the measured points, inverted at
// equal steps Λ k / (count - 1).
std::vector<double> barrier_ladder(std::span<const double> beta, std::span<const double> acceptance, int count);
// Temperatures for an equal rejection rate `target` per pair along Λ: 1 + ceil(Λ / target), at
// least 2. With target 0.5 (the default) this is Syed et al.'s N ≈ 2Λ: the round trips per swap
// round then reach about half their N → ∞ limit 1 / (2 + 2Λ), which, with a sweep's cost ∝ N, is
// near the best rate per CPU second.
int count_for_barrier(std::span<const double> acceptance, double target_rejection);

// Tunes every sweep point's ladder and returns the parameter file text with one
// [[tempering.ladder]] table per point appended.
std::string tune_ladders(const Config& cfg, const ModelEntry& model, const TuneOptions& options);

}  // namespace ptmc
