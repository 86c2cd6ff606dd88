#include "observables/equilibration.hpp"

#include <algorithm>
#include <cmath>

#include "observables/binning.hpp"
#include "observables/student_t.hpp"

namespace ptmc {

DriftCheck drift_check(std::span<const double> series) {
  DriftCheck d;
  const std::size_t n = series.size();
  if (n < 64) return d;  // too short to say anything: not passed
  d.enough = true;
  const auto early_window = series.subspan(n / 4, n / 2 - n / 4), late_window = series.subspan(n / 2);
  const auto early = binning_analysis(early_window, 8);
  const auto late = binning_analysis(late_window, 8);
  d.early = early.mean;
  d.early_err = early.error;
  d.late = late.mean;
  d.late_err = late.error;
  const double v1 = early.error * early.error, v2 = late.error * late.error, err = std::sqrt(v1 + v2);
  const double diff = std::abs(late.mean - early.mean);
  // A frozen observable (a constant series, e.g. deep in an ordered phase) differs between the
  // windows only by rounding of the means: that is agreement, not a drift of many error bars.
  const double rounding = 1e-12 * std::max(1.0, std::abs(late.mean));
  if (diff <= rounding) {
    d.z = 0;
    d.p = 1;
    return d;
  }
  d.z = err > 0 ? diff / err : INFINITY;
  // Each error is estimated from the bins of its window at the binning level used.
  const double b1 = static_cast<double>(early_window.size() >> early.level), b2 = static_cast<double>(late_window.size() >> late.level);
  const double welch = (v1 + v2) * (v1 + v2) / (v1 * v1 / (b1 - 1) + v2 * v2 / (b2 - 1));
  d.dof = std::isfinite(welch) ? std::max(1, static_cast<int>(welch)) : 1;
  d.p = student_t_two_sided_p(d.z, d.dof);
  return d;
}

}  // namespace ptmc
