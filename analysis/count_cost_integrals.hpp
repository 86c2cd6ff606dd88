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
};

}  // namespace ptmc::theory
