// Error bars for autocorrelated Monte Carlo time series by logarithmic binning, with the integrated
// autocorrelation time that follows from it: err² = (σ²/n)·2τ_int.
#pragma once
#include <cstdint>
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

// The same analysis from stored bins (observables/bin_accumulator.hpp): `bins` are the finite means
// of bin_size = 2^k consecutive measurements (binning_analysis's level k), `count` and `sum` the
// finite measurements' number and sum in measurement order, m2 their Σ(x − mean)². The mean, and the
// error and level whenever at least 2·min_bins bins are given, are bitwise those of
// binning_analysis on the full series; τ_int (which needs the unbinned variance, m2) agrees to
// rounding. bin_size = 1 is the full series: binning_analysis(bins) itself.
struct StoredBins {
  std::span<const double> bins;
  std::int64_t bin_size = 1;
  double count = 0, sum = 0, m2 = 0;
};
BinningResult binning_analysis(const StoredBins& stored, int min_bins = 32);

// Averages of `bins` consecutive equal blocks (the remainder at the start is dropped).
std::vector<double> block_means(std::span<const double> series, int bins);

}  // namespace ptmc
