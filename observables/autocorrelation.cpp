#include "observables/autocorrelation.hpp"

#include <algorithm>

namespace ptmc {

std::vector<double> autocorrelation(std::span<const double> x, std::size_t max_lag) {
  const std::size_t n = x.size();
  std::vector<double> rho;
  if (n < 2) return rho;
  double mean = 0;
  for (double v : x) mean += v;
  mean /= static_cast<double>(n);
  max_lag = std::min(max_lag, n - 1);
  for (std::size_t t = 0; t <= max_lag; ++t) {
    double s = 0;
    for (std::size_t k = 0; k + t < n; ++k) s += (x[k] - mean) * (x[k + t] - mean);
    rho.push_back(s / static_cast<double>(n - t));
  }
  const double c0 = rho[0];
  for (auto& r : rho) r = c0 > 0 ? r / c0 : 0.0;
  return rho;
}

double integrated_autocorrelation_time(std::span<const double> x, double c) {
  // Lags are computed one at a time and the sum stops at the window, so the cost is O(n W), not O(n²).
  const std::size_t n = x.size();
  if (n < 2) return 0.5;
  double mean = 0;
  for (double v : x) mean += v;
  mean /= static_cast<double>(n);
  auto cov = [&](std::size_t t) {
    double s = 0;
    for (std::size_t k = 0; k + t < n; ++k) s += (x[k] - mean) * (x[k + t] - mean);
    return s / static_cast<double>(n - t);
  };
  const double c0 = cov(0);
  if (!(c0 > 0)) return 0.5;
  double tau = 0.5;
  for (std::size_t w = 1; w < std::max<std::size_t>(2, n / 10); ++w) {
    tau += cov(w) / c0;
    if (static_cast<double>(w) >= c * tau) break;
  }
  return tau;
}

}  // namespace ptmc
