#include "observables/equilibration.hpp"

#include <algorithm>
#include <cmath>

#include "observables/binning.hpp"

namespace ptmc {

DriftCheck drift_check(std::span<const double> series, double z_max) {
  DriftCheck d;
  const std::size_t n = series.size();
  if (n < 64) return d;  // too short to say anything: not passed
  const auto early = binning_analysis(series.subspan(n / 4, n / 2 - n / 4), 8);
  const auto late = binning_analysis(series.subspan(n / 2), 8);
  d.early = early.mean;
  d.early_err = early.error;
  d.late = late.mean;
  d.late_err = late.error;
  const double err = std::sqrt(early.error * early.error + late.error * late.error);
  const double diff = std::abs(late.mean - early.mean);
  // A frozen observable (a constant series, e.g. deep in an ordered phase) differs between the
  // windows only by rounding of the means: that is agreement, not a drift of many error bars.
  const double rounding = 1e-12 * std::max(1.0, std::abs(late.mean));
  if (diff <= rounding)
    d.z = 0;
  else
    d.z = err > 0 ? diff / err : INFINITY;
  d.passed = d.z <= z_max;
  return d;
}

}  // namespace ptmc
