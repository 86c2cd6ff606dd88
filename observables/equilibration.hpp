// Equilibration check by logarithmic binning: the mean over the last half of a series, [n/2, n),
// must agree with the mean over the half before it, [n/4, n/2), within their combined binning error
// bars. A drift that has not died out shows up as a disagreement. The error bars come from 8–15 bins
// per window, so |z| is judged with Student's t at the Welch degrees of freedom, not as a Gaussian,
// and a point's many comparisons (temperatures × observables × samples) are judged as one family.
// Each window's mean and error come from the same points (its oldest few, under one bin, are left
// out so that the bins cover it exactly), and a window with no variance (a frozen observable) gets an
// error bound from the other window or, when both are frozen, from its length (equilibration.cpp).
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>

namespace ptmc {

struct DriftCheck {
  double early = 0, early_err = 0;  // mean and error over [n/4, n/2) (its newest B·2^level points)
  double late = 0, late_err = 0;    // mean and error over [n/2, n) (likewise)
  double z = 0;                     // |late - early| / combined error
  int dof = 0;                      // degrees of freedom of z: Welch–Satterthwaite (rounded down), or
                                    // the moving window's bins − 1 when the other is frozen
  double p = 0;                     // P(|t_dof| ≥ z): how often a stationary series drifts this far
  bool enough = false;              // at least 64 points (too short: nothing can be said)
  // One series on its own: no drift at significance alpha.
  bool passed(double alpha = 0.01) const { return enough && p >= alpha; }
};

DriftCheck drift_check(std::span<const double> series);
// The same check on stored bins, each the mean of bin_size measurements (the finite bins of
// observables/bin_accumulator.hpp): the windows are the bins [B/4, B/2) and [B/2, B), which are the
// full series' windows of the measurements the bins cover whenever B is a multiple of 4, and the
// coarser binning inside each window is the full series' from there on. The means are over the bins
// (a pairwise tree) rather than summed in order, so z and p agree with the full series' to rounding.
// Measurements after the last complete bin are not judged. bin_size = 1 is drift_check(bins).
DriftCheck drift_check_bins(std::span<const double> bins, std::int64_t bin_size);

// The verdict on many checks together (Bonferroni): every one must have p ≥ alpha / count, so that
// a stationary run fails with probability at most alpha however many temperatures, observables and
// samples it has. (A fixed per-comparison cut does not: at z = 3.5 with ~15 bins per window, 0.19 %
// of stationary AR(1) series fail, so a point of 8 samples × 16 temperatures × 2 observables fails
// about 40 % of the time; the quick start's SK points both failed on one z ≈ 3.63 among 256.)
class DriftFamily {
 public:
  void add(const DriftCheck& d) {
    ++count_;
    enough_ = enough_ && d.enough;
    if (d.p < min_p_) min_p_ = d.p;
  }
  std::size_t count() const { return count_; }
  bool passed(double alpha = 0.01) const { return count_ == 0 || (enough_ && min_p_ >= alpha / static_cast<double>(count_)); }

 private:
  std::size_t count_ = 0;
  bool enough_ = true;
  double min_p_ = 1.0;
};

}  // namespace ptmc
