// Gaussian averages and the count cost's Boltzmann factors, shared by the binary perceptron's RS
// solvers (analysis/rs_perceptron.cpp: storage and teacher-student; analysis/rs_continual.cpp).
#pragma once
#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <vector>

#include "analysis/gaussian_quadrature.hpp"
#include "analysis/rs_perceptron.hpp"

namespace ptmc::theory {

inline double gauss_density(double x) { return 0.39894228040143268 * std::exp(-0.5 * x * x); }

// A sharp feature of an integrand: its centre and width in the integration variable.
struct Feature {
  double centre, width;
};

// E_z[f(z)] by composite 8-point Gauss–Legendre on [-9, 9]: panels of 0.5, refined to the feature's
// width over ±12 widths and graded geometrically out to 0.5 (so that log-like tails are resolved too).
template <class F>
double feature_average(F&& f, std::initializer_list<Feature> features) {
  thread_local std::vector<double> pts;
  pts.clear();
  const double lo = -9, hi = 9;
  for (int k = 0; k <= 36; ++k) pts.push_back(lo + 0.5 * k);
  for (const Feature& ft : features) {
    if (!(ft.width > 0) || !(ft.width < 0.5) || !std::isfinite(ft.centre) || std::abs(ft.centre) > hi + 1) continue;
    for (int k = -12; k <= 12; ++k) pts.push_back(ft.centre + k * ft.width);
    for (double d = 24 * ft.width; d < 0.5; d *= 2) {
      pts.push_back(ft.centre - d);
      pts.push_back(ft.centre + d);
    }
  }
  std::erase_if(pts, [&](double x) { return !(x >= lo && x <= hi); });
  std::sort(pts.begin(), pts.end());
  const GaussRule& r = gauss_legendre(8);
  double s = 0;
  for (std::size_t p = 0; p + 1 < pts.size(); ++p) {
    const double a = pts[p], b = pts[p + 1], h = 0.5 * (b - a), mid = 0.5 * (a + b);
    if (!(h > 1e-15)) continue;
    for (std::size_t k = 0; k < r.nodes.size(); ++k) {
      const double z = mid + h * r.nodes[k];
      s += h * r.weights[k] * gauss_density(z) * f(z);
    }
  }
  return s;
}

// The count cost's Boltzmann factors at inverse temperature β (β = ∞: ε = 0).
struct CountCostWeights {
  double eps = 0, one_minus = 1;
  bool zero_t = true;
  explicit CountCostWeights(double beta) {
    zero_t = std::isinf(beta);
    if (!zero_t) {
      eps = std::exp(-beta);
      one_minus = -std::expm1(-beta);
    }
  }
  double Z(double v) const { return eps + one_minus * gauss_tail(v); }
  double log_Z(double v) const { return zero_t ? log_gauss_tail(v) : std::log(Z(v)); }
  double F(double v) const {
    if (zero_t) return gauss_hazard(v);
    const double z = Z(v);
    return z > 0 ? one_minus * gauss_density(v) / z : 0.0;
  }
  // ε (1 - H(v)) / Z(v): the probability that a constraint with cavity field v is violated.
  double violated(double v) const { return zero_t ? 0.0 : eps * gauss_tail(-v) / Z(v); }
  // -∂²_v ln Z = F² - vF (the replicon's energetic factor).
  double curvature(double v) const {
    const double f = F(v);
    return f * f - v * f;
  }
};

// P(X > h, Y > k) for standard normal X, Y of correlation ρ (the bivariate normal upper orthant), from
// Plackett's identity ∂P/∂ρ = φ2(h, k; ρ), the bivariate density. With r = sin θ:
//   |ρ| <= 0.925:  P = H(h) H(k) + (1/2π) ∫_0^{asin ρ} exp(-(h² + k² - 2hk sin θ)/(2cos²θ)) dθ
//                  (20-point Gauss–Legendre: the integrand is smooth there);
//   ρ > 0.925:     P = H(max(h, k)) - (1/2π) ∫_0^{√(1-ρ²)} exp(-(h-k)²/(2u²) - hk/(1+√(1-u²))) du/√(1-u²)
//                  (u = cos θ, integrating from ρ to 1), on panels halving towards u = 0 until the factor
//                  exp(-(h-k)²/(2u²)) is below e^{-50};
//   ρ < -0.925:    P = H(h) - P(X > h, -Y > -k; -ρ).
// Used for the student's task-1 training error in analysis/rs_continual.cpp.
inline double bivariate_upper(double h, double k, double rho) {
  constexpr double kInvTwoPi = 0.15915494309189535;
  if (rho < -0.925) return gauss_tail(h) - bivariate_upper(h, -k, -rho);
  if (rho <= 0.925) {
    const GaussRule& r = gauss_legendre(20);
    const double A = std::asin(rho), hs = 0.5 * (h * h + k * k), hk = h * k;
    double s = 0;
    for (std::size_t i = 0; i < r.nodes.size(); ++i) {
      const double sn = std::sin(0.5 * A * (r.nodes[i] + 1)), c2 = 1 - sn * sn;
      s += r.weights[i] * std::exp((sn * hk - hs) / c2);
    }
    return gauss_tail(h) * gauss_tail(k) + 0.5 * A * kInvTwoPi * s;
  }
  const GaussRule& r = gauss_legendre(10);
  const double a = std::sqrt(std::max((1 - rho) * (1 + rho), 0.0)), dhk2 = (h - k) * (h - k), hk = h * k;
  auto g = [&](double u) {
    const double c = std::sqrt(1 - u * u);
    return std::exp(-(u > 0 ? dhk2 / (2 * u * u) : (dhk2 > 0 ? INFINITY : 0.0)) - hk / (1 + c)) / c;
  };
  auto panel = [&](double lo, double hi) {
    double s = 0;
    for (std::size_t i = 0; i < r.nodes.size(); ++i) s += r.weights[i] * g(lo + 0.5 * (hi - lo) * (r.nodes[i] + 1));
    return 0.5 * (hi - lo) * s;
  };
  double s = 0, hi = a;
  for (int j = 0; j < 60 && hi > 0; ++j) {
    const double lo = 0.5 * hi;
    s += panel(lo, hi);
    hi = lo;
    if (dhk2 > 100 * hi * hi) break;  // below: exp(-(h-k)²/(2u²)) < e^{-50}
  }
  if (!(dhk2 > 100 * hi * hi)) s += panel(0, hi);
  return gauss_tail(std::max(h, k)) - kInvTwoPi * s;
}

}  // namespace ptmc::theory
