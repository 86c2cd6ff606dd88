#include "observables/free_energy.hpp"

#include <algorithm>
#include <array>

#include "observables/jackknife.hpp"

namespace ptmc {

namespace {

// ∫_a^b of the quadratic through (x[k], y[k]), k = 0, 1, 2 (Lagrange form).
double quadratic_integral(const std::array<double, 3>& x, const std::array<double, 3>& y, double a, double b) {
  double total = 0;
  for (int j = 0; j < 3; ++j) {
    const double p = x[(j + 1) % 3], q = x[(j + 2) % 3];
    auto F = [&](double t) { return t * t * t / 3 - (p + q) * t * t / 2 + p * q * t; };
    total += y[j] * (F(b) - F(a)) / ((x[j] - p) * (x[j] - q));
  }
  return total;
}

}  // namespace

EnergyIntegral integrate_energy(std::span<const double> beta, std::span<const double> e, double log_z0) {
  const std::size_t T = beta.size();
  EnergyIntegral out{std::vector<double>(T, NAN), std::vector<double>(T, NAN)};
  std::size_t n = 0;  // finite temperatures
  while (n < T && std::isfinite(beta[n])) ++n;
  if (n == 0) return out;
  auto q = [&](std::size_t i, double a, double b) {  // quadratic through i, i+1, i+2
    return quadratic_integral({beta[i], beta[i + 1], beta[i + 2]}, {e[i], e[i + 1], e[i + 2]}, a, b);
  };
  // Anchor segment [0, β_0].
  double value = 0, err = 0;
  const double b0 = beta[0];
  if (b0 > 0) {
    if (n >= 3) {
      const double quad = q(0, 0, b0);
      const double slope = (e[1] - e[0]) / (beta[1] - beta[0]);
      const double line = b0 * e[0] - slope * b0 * b0 / 2;  // ∫_0^β0 of the line through points 0, 1
      value = quad;
      err = std::abs(quad - line);
    } else if (n == 2) {
      const double slope = (e[1] - e[0]) / (beta[1] - beta[0]);
      value = b0 * e[0] - slope * b0 * b0 / 2;
      err = NAN;
    } else {
      value = b0 * e[0];
      err = NAN;
    }
  }
  out.log_z[0] = log_z0 - value;
  out.quadrature_error[0] = err;
  for (std::size_t i = 0; i + 1 < n; ++i) {
    const double a = beta[i], b = beta[i + 1];
    const double trap = (b - a) * (e[i] + e[i + 1]) / 2;
    const bool left = i >= 1, right = i + 2 < n;
    double v = trap, d = NAN;
    if (left && right) {
      const double ql = q(i - 1, a, b), qr = q(i, a, b);
      v = (ql + qr) / 2;
      d = std::abs(ql - qr) / 2;
    } else if (left || right) {
      v = left ? q(i - 1, a, b) : q(i, a, b);
      d = std::abs(v - trap);
    }
    value += v;
    err += d;
    out.log_z[i + 1] = log_z0 - value;
    out.quadrature_error[i + 1] = err;
  }
  return out;
}

FreeEnergyEstimate free_energy(std::span<const double> beta, const std::vector<std::vector<double>>& rows,
                               double log_z0) {
  const std::size_t T = beta.size();
  FreeEnergyEstimate out{std::vector<double>(T, NAN), std::vector<double>(T, NAN), std::vector<double>(T, NAN),
                         std::vector<double>(T, NAN)};
  if (rows.empty()) return out;
  std::vector<double> mean(T, 0.0);
  for (const auto& r : rows)
    for (std::size_t t = 0; t < T; ++t) mean[t] += r[t] / static_cast<double>(rows.size());
  const EnergyIntegral full = integrate_energy(beta, mean, log_z0);
  for (std::size_t t = 0; t < T; ++t) {
    if (!(beta[t] > 0) || !std::isfinite(beta[t]) || !std::isfinite(full.log_z[t])) continue;
    double stat = NAN;
    if (rows.size() >= 2) {
      // ln Z is linear in the energies, so the jackknife equals the standard error of the rows'
      // integrals; it is kept general (and cheap: T integrals per row).
      stat = jackknife(rows, [&](std::span<const double> e) { return integrate_energy(beta, e, log_z0).log_z[t]; }).error;
    }
    out.value[t] = -full.log_z[t] / beta[t];
    out.stat_error[t] = stat / beta[t];
    out.quadrature_error[t] = full.quadrature_error[t] / beta[t];
    out.error[t] = std::hypot(stat, full.quadrature_error[t]) / beta[t];
  }
  return out;
}

}  // namespace ptmc
