// Error bars for autocorrelated Monte Carlo time series by logarithmic binning, with the integrated
// autocorrelation time that follows from it: err² = (σ²/n)·2τ_int.
#pragma once
#include <span>
#include <vector>

namespace ptmc {

struct BinningResult {
  double mean = 0;
  double error = 0;    // standard error of the mean, from the coarsest reliable binning level
  double naive_error = 0;  // σ/√n, as if the series were uncorrelated
  double tau_int = 0.5;    // integrated autocorrelation time in units of the measurement interval
  int level = 0;           // bins of 2^level measurements were used
  bool reliable = false;   // the error stopped growing over the last two levels (plateau reached)
};

// Binning analysis keeping at least `min_bins` bins at the level used (the error of an error
// estimate from B bins is about 1/√(2B)).
BinningResult binning_analysis(std::span<const double> series, int min_bins = 32);

// Averages of `bins` consecutive equal blocks (the remainder at the start is dropped).
std::vector<double> block_means(std::span<const double> series, int bins);

}  // namespace ptmc
