#include "observables/bin_accumulator.hpp"

#include <cmath>
#include <stdexcept>

namespace ptmc {

namespace {
// The mean of two adjacent bins of equal size, exactly as binning_analysis pairs them; a non-finite
// one is skipped.
double pair_mean(double a, double b) {
  if (std::isfinite(a) && std::isfinite(b)) return 0.5 * (a + b);
  return std::isfinite(a) ? a : b;
}
}  // namespace

BinAccumulator::BinAccumulator(std::size_t width, std::size_t max_bins)
    : width_(width), max_bins_(max_bins), count_(width, 0.0), sum_(width, 0.0), mean_(width, 0.0), m2_(width, 0.0) {
  if (max_bins < 2 || max_bins % 2 != 0) throw std::invalid_argument("BinAccumulator: max_bins must be even and at least 2");
}

void BinAccumulator::add(std::span<const double> x) {
  if (x.size() != width_) throw std::invalid_argument("BinAccumulator::add: wrong number of values");
  for (std::size_t w = 0; w < width_; ++w) {
    const double v = x[w];
    if (!std::isfinite(v)) continue;
    count_[w] += 1;
    sum_[w] += v;  // in measurement order, as the full series' mean is summed
    const double d = v - mean_[w];
    mean_[w] += d / count_[w];
    m2_[w] += d * (v - mean_[w]);
  }
  carry_.assign(x.begin(), x.end());
  int j = 0;
  for (; j < level_; ++j) {
    if (((n_ >> j) & 1) == 0) break;  // level j has no pending half: this value waits there
    for (std::size_t w = 0; w < width_; ++w) carry_[w] = pair_mean(pending_[j][w], carry_[w]);
  }
  if (j < level_) pending_[j] = carry_;
  else complete(carry_);
  ++n_;
}

void BinAccumulator::complete(const std::vector<double>& value) {
  if (bin_count() < max_bins_) {
    bins_.insert(bins_.end(), value.begin(), value.end());
    return;
  }
  // Full: merge adjacent pairs; the new bin is the first half of the next, larger one.
  const std::size_t half = max_bins_ / 2;
  for (std::size_t b = 0; b < half; ++b)
    for (std::size_t w = 0; w < width_; ++w)
      bins_[b * width_ + w] = pair_mean(bins_[2 * b * width_ + w], bins_[(2 * b + 1) * width_ + w]);
  bins_.resize(half * width_);
  pending_.push_back(value);
  ++level_;
}

std::vector<double> BinAccumulator::stats() const {
  std::vector<double> out;
  out.reserve(stats_rows() * width_);
  for (const auto* v : {&count_, &sum_, &mean_, &m2_}) out.insert(out.end(), v->begin(), v->end());
  for (const auto& p : pending_) out.insert(out.end(), p.begin(), p.end());
  return out;
}

void BinAccumulator::restore(std::int64_t measurements, int level, std::span<const double> bins,
                             std::span<const double> stats) {
  const std::size_t count = static_cast<std::size_t>(measurements >> level);
  if (measurements < 0 || level < 0 || level > 62 || count > max_bins_ || bins.size() < count * width_ ||
      stats.size() < (moments + static_cast<std::size_t>(level)) * width_)
    throw std::runtime_error("stored bins do not match their measurement count");
  n_ = measurements;
  level_ = level;
  bins_.assign(bins.begin(), bins.begin() + static_cast<std::ptrdiff_t>(count * width_));
  auto row = [&](std::size_t r) { return std::vector<double>(stats.begin() + r * width_, stats.begin() + (r + 1) * width_); };
  count_ = row(0);
  sum_ = row(1);
  mean_ = row(2);
  m2_ = row(3);
  pending_.clear();
  for (int j = 0; j < level; ++j) pending_.push_back(row(moments + static_cast<std::size_t>(j)));
}

}  // namespace ptmc
