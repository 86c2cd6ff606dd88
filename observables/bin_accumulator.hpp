// Bins of time series built while they are measured (the binned storage of `[output] series = "bins"`):
// W series side by side (observables × temperatures), one value of each per measurement. Complete bins
// hold 2^level measurements; when one more would make more than max_bins of them, adjacent pairs are
// merged and the level goes up by one (as ALPS and loadleveller do), so a run of any length keeps
// between max_bins/2 and max_bins bins. A bin is the pairwise tree of means 0.5·(a + b) that
// binning_analysis forms from the full series, so the stored bins are bitwise its level `level`.
// A non-finite value is skipped by the pair it falls in (the pair's mean is the other value; NaN when
// both are), so a series with NaN where nothing was measured keeps usable bins.
//
// Beside the bins, per series: the count and the sum of the finite values in measurement order (the
// mean is sum / count, bitwise what binning_analysis gives from the full series after dropping
// non-finite values) and Σ(x − mean)² by Welford's update (the unbinned variance, for τ_int; it agrees
// with the two-pass value of the full series to rounding, not bitwise). The measurements after the
// last complete bin are held as pending partial means, one per level below `level`; all of this is
// the state a resumed run restores (state(), restore()).
#pragma once
#include <cstdint>
#include <span>
#include <vector>

namespace ptmc {

class BinAccumulator {
 public:
  BinAccumulator() = default;
  // width: series side by side; max_bins: even, at least 2.
  BinAccumulator(std::size_t width, std::size_t max_bins);

  void add(std::span<const double> x);  // one measurement of every series (width values)

  std::size_t width() const { return width_; }
  std::size_t max_bins() const { return max_bins_; }
  std::int64_t measurements() const { return n_; }
  int level() const { return level_; }
  std::int64_t bin_size() const { return std::int64_t{1} << level_; }
  std::size_t bin_count() const { return bins_.size() / (width_ ? width_ : 1); }
  std::span<const double> bins() const { return bins_; }  // [bin][width]

  // Rows of `stats_rows() × width` values: count, sum, mean (Welford), m2, then the pending partial
  // mean of each level 0 … level−1 (meaningful where bit j of measurements mod 2^level is set).
  static constexpr std::size_t moments = 4;
  std::size_t stats_rows() const { return moments + static_cast<std::size_t>(level_); }
  std::vector<double> stats() const;
  // Continues from stored bins ([bin][width], floor(measurements / 2^level) of them) and stats().
  void restore(std::int64_t measurements, int level, std::span<const double> bins, std::span<const double> stats);

 private:
  void complete(const std::vector<double>& value);  // a finished mean of 2^level measurements

  std::size_t width_ = 0, max_bins_ = 0;
  std::int64_t n_ = 0;
  int level_ = 0;
  std::vector<double> bins_;                 // [bin][width]
  std::vector<std::vector<double>> pending_;  // [level][width], levels below level_
  std::vector<double> count_, sum_, mean_, m2_;
  std::vector<double> carry_;  // scratch
};

}  // namespace ptmc
