#include "observables/binning.hpp"

#include <cmath>
#include <utility>

namespace ptmc {

namespace {
// Mean and standard error of the mean of a list of (assumed independent) values.
std::pair<double, double> mean_and_error(const std::vector<double>& x) {
  const double n = static_cast<double>(x.size());
  double mean = 0;
  for (double v : x) mean += v;
  mean /= n;
  double var = 0;
  for (double v : x) var += (v - mean) * (v - mean);
  var = x.size() > 1 ? var / (n - 1) : 0.0;
  return {mean, std::sqrt(var / n)};
}

// From `level`, the bins of 2^l measurements whose error is `error`: pairs adjacent bins while at
// least min_bins would remain, r.error and r.level following the last level, then judges the plateau
// (the error stopped growing within the statistical uncertainty of an error estimate from B bins,
// about err/sqrt(2B), twice that allowed) once at least `min_pairings` pairings were made, and sets
// τ_int from the naive error err0.
void coarsen(std::vector<double> level, int l, double error, int min_bins, int min_pairings, double err0, BinningResult& r) {
  r.error = error;
  r.level = l;
  double previous = error, before = NAN;
  int paired = 0;
  while (static_cast<int>(level.size() / 2) >= min_bins) {
    std::vector<double> next(level.size() / 2);
    for (std::size_t k = 0; k < next.size(); ++k) next[k] = 0.5 * (level[2 * k] + level[2 * k + 1]);
    level.swap(next);
    ++paired;
    before = previous;
    previous = mean_and_error(level).second;
    r.error = previous;
    r.level = l + paired;
  }
  const double bins = static_cast<double>(level.size());
  r.reliable = paired >= min_pairings && previous - before <= 2.0 * previous / std::sqrt(2.0 * bins);
  r.tau_int = err0 > 0 ? 0.5 * (r.error * r.error) / (err0 * err0) : 0.5;
}
}  // namespace

BinningResult binning_analysis(std::span<const double> series, int min_bins) {
  BinningResult r;
  if (series.empty()) {
    r.mean = r.error = r.naive_error = NAN;
    return r;
  }
  std::vector<double> level(series.begin(), series.end());
  auto [mean, err0] = mean_and_error(level);
  r.mean = mean;
  r.naive_error = err0;
  coarsen(std::move(level), 0, err0, min_bins, 2, err0, r);
  return r;
}

BinningResult binning_analysis(const StoredBins& stored, int min_bins) {
  if (stored.bin_size <= 1) return binning_analysis(stored.bins, min_bins);
  BinningResult r;
  if (!(stored.count > 0) || stored.bins.empty()) {
    r.mean = r.error = r.naive_error = NAN;
    return r;
  }
  r.mean = stored.sum / stored.count;
  const double var = stored.count > 1 ? stored.m2 / (stored.count - 1) : 0.0;
  const double err0 = std::sqrt(var / stored.count);
  r.naive_error = err0;
  int l = 0;
  while ((std::int64_t{1} << (l + 1)) <= stored.bin_size) ++l;  // bin_size = 2^l
  std::vector<double> level(stored.bins.begin(), stored.bins.end());
  const double error = mean_and_error(level).second;
  coarsen(std::move(level), l, error, min_bins, 1, err0, r);  // as binning_analysis, from level l on
  return r;
}

std::vector<double> block_means(std::span<const double> series, int bins) {
  std::vector<double> out;
  if (bins <= 0 || series.size() < static_cast<std::size_t>(bins)) {
    out.assign(series.begin(), series.end());
    return out;
  }
  const std::size_t size = series.size() / bins;
  const std::size_t start = series.size() - size * bins;
  for (int b = 0; b < bins; ++b) {
    double s = 0;
    for (std::size_t k = 0; k < size; ++k) s += series[start + b * size + k];
    out.push_back(s / static_cast<double>(size));
  }
  return out;
}

}  // namespace ptmc
