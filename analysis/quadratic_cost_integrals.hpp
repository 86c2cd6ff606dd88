// The quadratic cost's energetic factor for the binary perceptron's RS solvers at finite β
// (analysis/rs_continual.cpp; derivation in docs/continual_learning_theory.md §4a).
// A constraint of cavity mean ω and variance V = 1 - q has stability Δ = ω + √V y, y ~ N(0, 1), and costs
// (κ - Δ)² Θ(κ - Δ). With v = (κ - ω)/√V, b = βV, c = 1 + 2b, w = v/√c and Φ(w) = H(-w):
//   Z(v)  = ∫Dy e^{-b (v-y)² Θ(v-y)} = H(v) + e^{-b v²/c} Φ(w)/√c,
//   F(v)  = -∂_v ln Z = (2b/c) e^{-b v²/c} ψ(w)/Z,                 ψ(w) = φ(w) + w Φ(w),
//   ⟨(κ - Δ)² Θ⟩ = V e^{-b v²/c} χ₂(w)/(c^{3/2} Z),                  χ₂(w) = (1 + w²) Φ(w) + w φ(w),
//   P(Δ < κ)     = e^{-b v²/c} Φ(w)/(√c Z),
//   -∂²_v ln Z = F² - Z''/Z,  Z''/Z = -2b e^{-b v²/c} [Φ(w)/c^{3/2} - (2b v/c²) ψ(w)]/Z.
// Everything is evaluated in logarithms; ψ and χ₂ at w <= -5 from the continued fraction of the Mills
// ratio (ψ(-x) = H(x)/t₁, χ₂(-x) = 2H(x)/(t₁ t₂), 1/m(x) = x + 1/t₁, t₁ = x + 2/t₂, t₂ = x + 3/…), which
// has no cancellation.
#pragma once
#include <algorithm>
#include <cmath>

#include "analysis/count_cost_integrals.hpp"
#include "analysis/rs_perceptron.hpp"

namespace ptmc::theory {

struct QuadraticCostWeights {
  double b = 0, c = 1, log_sc = 0, omq = 1;
  // β finite, one_minus_q = 1 - q = V.
  QuadraticCostWeights(double beta, double one_minus_q)
      : b(beta * one_minus_q), c(1 + 2 * beta * one_minus_q), log_sc(0.5 * std::log1p(2 * beta * one_minus_q)), omq(one_minus_q) {}

  // ln Φ(w), ln ψ(w), ln χ₂(w).
  static double log_Phi(double w) { return log_gauss_tail(-w); }
  static void mills_tail(double x, double& t1, double& t2) {  // x >= 5
    double t = x;
    for (int k = 100; k >= 3; --k) t = x + k / t;
    t2 = t;
    t1 = x + 2 / t2;
  }
  static double log_psi(double w) {
    if (w > -5) return std::log(gauss_density(w) + w * gauss_tail(-w));
    double t1, t2;
    mills_tail(-w, t1, t2);
    return log_gauss_tail(-w) - std::log(t1);
  }
  static double log_chi2(double w) {
    if (w > -5) return std::log((1 + w * w) * gauss_tail(-w) + w * gauss_density(w));
    double t1, t2;
    mills_tail(-w, t1, t2);
    return log_gauss_tail(-w) + std::log(2 / (t1 * t2));
  }

  double expo(double v) const { return -b * v * v / c; }
  double log_Z(double v) const {
    const double a = log_gauss_tail(v), e = expo(v) - log_sc + log_Phi(v / std::sqrt(c));
    const double m = std::max(a, e);
    return m + std::log(std::exp(a - m) + std::exp(e - m));
  }
  double Z(double v) const { return std::exp(log_Z(v)); }
  double F(double v) const {
    if (!(b > 0)) return 0.0;
    return 2 * b / c * std::exp(expo(v) + log_psi(v / std::sqrt(c)) - log_Z(v));
  }
  // The probability that the constraint is violated, and its mean cost (κ - Δ)² Θ(κ - Δ).
  double violated(double v) const { return std::exp(expo(v) - log_sc + log_Phi(v / std::sqrt(c)) - log_Z(v)); }
  double mean_cost(double v) const { return omq * std::exp(expo(v) + log_chi2(v / std::sqrt(c)) - 3 * log_sc - log_Z(v)); }
  // -∂²_v ln Z (the count cost's F² - vF).
  double curvature(double v) const {
    const double w = v / std::sqrt(c), lz = log_Z(v), f = F(v);
    const double zpp = -2 * b * (std::exp(expo(v) + log_Phi(w) - 3 * log_sc - lz) - 2 * b * v / (c * c) * std::exp(expo(v) + log_psi(w) - lz));
    return f * f - zpp;
  }
};

}  // namespace ptmc::theory
