#include "observables/equilibration.hpp"

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
  d.z = err > 0 ? diff / err : (diff == 0 ? 0.0 : INFINITY);
  d.passed = d.z <= z_max;
  return d;
}

}  // namespace ptmc
