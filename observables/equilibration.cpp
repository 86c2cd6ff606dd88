#include "observables/equilibration.hpp"

#include <algorithm>
#include <cmath>

#include "observables/binning.hpp"
#include "observables/student_t.hpp"

namespace ptmc {

namespace {
// One window, binned over exactly the points its mean is taken over. binning_analysis pairs points from
// the start and drops the odd one out at each level, so its error bar describes the first B·2^level
// points while its mean covers all of them: a brief flip among the (up to 2^level − 1) dropped points
// moved the mean and not the error bar, and next to a frozen window that was z = ∞ (seen with m of a
// retrieval state at low T). Dropping the oldest points instead (less than one bin, under 1/8 of the
// window) makes the mean and its error describe the same, newest, points; the binning level stays.
struct Window {
  BinningResult binned;
  std::size_t size = 0;  // points used
  std::size_t bins = 0;  // bins at the level used (8–15)
};
Window bin_window(std::span<const double> w) {
  const int level = binning_analysis(w, 8).level;
  const std::size_t bins = w.size() >> level, used = bins << level;
  return {binning_analysis(w.last(used), 8), used, bins};
}
}  // namespace

namespace {
// The check on `series` of values that are each the mean of `unit` measurements (1: the full series;
// 2^k: stored bins, whose windows then start and end on bin boundaries).
DriftCheck drift_of(std::span<const double> series, double unit) {
  DriftCheck d;
  const std::size_t n = series.size();
  if (static_cast<double>(n) * unit < 64) return d;  // too short to say anything: not passed
  d.enough = true;
  const Window early = bin_window(series.subspan(n / 4, n / 2 - n / 4)), late = bin_window(series.subspan(n / 2));
  d.early = early.binned.mean;
  d.late = late.binned.mean;
  const double diff = std::abs(d.late - d.early);
  // A frozen observable (a constant series, e.g. deep in an ordered phase) differs between the
  // windows only by rounding of the means: that is agreement, not a drift of many error bars.
  const double rounding = 1e-12 * std::max(1.0, std::abs(d.late));
  if (diff <= rounding) {
    d.early_err = early.binned.error;
    d.late_err = late.binned.error;
    d.z = 0;
    d.p = 1;
    return d;
  }
  const double n1 = static_cast<double>(early.size) * unit, n2 = static_cast<double>(late.size) * unit;  // measurements
  const double b1 = static_cast<double>(early.bins), b2 = static_cast<double>(late.bins);
  double v1 = early.binned.error * early.binned.error, v2 = late.binned.error * late.binned.error;
  // A window with no variance beyond rounding (every bin the same: a frozen observable) has an error
  // bar of zero, which is no estimate of what the same process could have shown there: it is a
  // sample variance of zero, not a variance of zero. Its error gets a bound instead:
  //  - the other window moves: a stationary series has the same variance and autocorrelation time in
  //    both windows, so the error of a mean over m points is the other window's error scaled by
  //    √(m_other/m) (err² = σ²·2τ_int/m). This is the pooled two-sample t test with one window's
  //    variance estimate for both, so z has that window's bins − 1 degrees of freedom. (A frozen early
  //    window and one brief flip late: z = 1/√3 instead of the flip's full z = 1.)
  //  - both windows are frozen, at values Δ apart: the only information is the windows' lengths. A
  //    window of m equal points missed any other value of stationary probability p with probability
  //    (1 − p)^m, which is ≤ 5 % only for p ≤ 3/m (the rule of three); a departure of Δ (the other
  //    window's value, which the same process would have to take) then has variance ≤ p(1 − p)Δ² <
  //    3Δ²/m, and the mean of m points an error ≤ √3·Δ/m (independent points: a frozen series shows no
  //    autocorrelation time to scale by, and a longer one would only mean fewer independent points and
  //    a larger drift relative to them). So z ≥ 1/(√3·√(1/m₁² + 1/m₂²)): 8.3 for the shortest series
  //    judged (m = 16 and 32), 496 for 4000 points (m = 960 and 1920); a step between two frozen levels is a drift.
  const bool still1 = early.binned.error <= rounding, still2 = late.binned.error <= rounding;
  double dof = 0;
  if (still1 && still2) {
    v1 = 3 * diff * diff / (n1 * n1);
    v2 = 3 * diff * diff / (n2 * n2);
    dof = b1 + b2 - 2;
  } else if (still1) {
    v1 = v2 * n2 / n1;
    dof = b2 - 1;
  } else if (still2) {
    v2 = v1 * n1 / n2;
    dof = b1 - 1;
  } else {
    // Each error is estimated from the bins of its window at the binning level used: Welch–Satterthwaite.
    dof = (v1 + v2) * (v1 + v2) / (v1 * v1 / (b1 - 1) + v2 * v2 / (b2 - 1));
  }
  d.early_err = std::sqrt(v1);
  d.late_err = std::sqrt(v2);
  d.z = diff / std::sqrt(v1 + v2);
  d.dof = std::isfinite(dof) ? std::max(1, static_cast<int>(dof)) : 1;
  d.p = student_t_two_sided_p(d.z, d.dof);
  return d;
}

}  // namespace

DriftCheck drift_check(std::span<const double> series) { return drift_of(series, 1.0); }

DriftCheck drift_check_bins(std::span<const double> bins, std::int64_t bin_size) {
  if (bin_size <= 1) return drift_of(bins, 1.0);
  // The windows are the bins [B/4, B/2) and [B/2, B): with B a multiple of 4, exactly the full series'
  // [n/4, n/2) and [n/2, n) of the binned measurements; each is binned further to 8–15 bins.
  return drift_of(bins, static_cast<double>(bin_size));
}

}  // namespace ptmc
