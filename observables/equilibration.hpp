// Equilibration check by logarithmic binning: the mean over the last half of the series, [n/2, n),
// must agree with the mean over the half before it, [n/4, n/2), within z combined error bars
// (binning errors of each window). A drift that has not died out shows up as a disagreement.
#pragma once
#include <span>

namespace ptmc {

struct DriftCheck {
  double early = 0, early_err = 0;  // mean and error over [n/4, n/2)
  double late = 0, late_err = 0;    // mean and error over [n/2, n)
  double z = 0;                     // |late - early| / combined error
  bool passed = false;
};

// z_max = 3.5: with ~30 comparisons per point (temperatures x observables) an equilibrated run fails
// by chance with probability ~1 %, while a real drift of a few error bars is caught.
DriftCheck drift_check(std::span<const double> series, double z_max = 3.5);

}  // namespace ptmc
