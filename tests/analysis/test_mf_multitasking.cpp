// Multitasking mean-field solver against closed forms: the T = 0 hierarchical amplitudes and where
// they stop, the T = 0 mixture of K = 3 and where it takes over, K = 1 (a rescaled Curie–Weiss,
// T_c = 1 - d), the symmetric parallel states and their stability near T_c, learning from examples
// at K = 1, and the energy as ∂(βf)/∂β.
#include <cmath>
#include <doctest/doctest.h>

#include "analysis/gaussian_quadrature.hpp"
#include "analysis/mf_multitasking.hpp"
#include "analysis/theory_reference.hpp"

using namespace ptmc::theory;

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();

// Largest root of m = (1-d)[d tanh(βm) + ((1-d)/2) tanh(2βm)], the K = 2 symmetric state: with
// ξ^1 = ±1, ξ^2 = 0 gives tanh(βm), ξ^2 = ξ^1 gives tanh(2βm), ξ^2 = -ξ^1 gives 0.
double parallel_k2(double d, double beta) {
  auto F = [&](double m) { return (1 - d) * (d * std::tanh(beta * m) + 0.5 * (1 - d) * std::tanh(2 * beta * m)) - m; };
  double lo = 1e-9, hi = 1.0;  // F(hi) < 0; F(lo) > 0 below T_c
  for (int it = 0; it < 200; ++it) {
    const double mid = 0.5 * (lo + hi);
    (F(mid) > 0 ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}
}  // namespace

TEST_CASE("multitasking MF: T = 0 hierarchical state m_k = (1-d) d^(k-1) below its end, gone above") {
  // Closed forms of the end, 1 - 2d + d^K = 0: K = 3, (√5 - 1)/2; K = 4, the inverse tribonacci
  // constant 0.5436890126920764 (root of d + d² + d³ = 1); K = 2, never (d → 1).
  CHECK(hierarchical_end(2) == 1.0);
  CHECK(hierarchical_end(3) == doctest::Approx((std::sqrt(5.0) - 1) / 2).epsilon(1e-12));
  CHECK(hierarchical_end(4) == doctest::Approx(0.5436890126920764).epsilon(1e-12));
  for (int K : {2, 3, 4}) {
    const double end = hierarchical_end(K);
    for (double d : {0.1, 0.3, std::min(0.9, end - 0.01)}) {
      const MultitaskingMf mf(K, storage_law(d));
      const MfState s = mf.solve(hierarchical_amplitudes(K, d), kInf, Family::free);
      const auto m = s.sorted_m();
      for (int k = 0; k < K; ++k) CHECK(m[k] == doctest::Approx((1 - d) * std::pow(d, k)).epsilon(1e-12));
      CHECK(s.stable);
      CHECK(s.phase == Phase::hierarchical);
      CHECK(s.energy == doctest::Approx(-0.5 * (1 - d) * (1 - d) * (1 - std::pow(d, 2 * K)) / (1 - d * d)));
    }
    if (K > 2) {  // just past the end the T = 0 map moves the hierarchical amplitudes away
      const double d = end + 0.01;
      const MultitaskingMf mf(K, storage_law(d));
      const auto h = hierarchical_amplitudes(K, d);
      const auto next = mf.map(h, kInf);
      double moved = 0;
      for (int k = 0; k < K; ++k) moved = std::max(moved, std::abs(next[k] - h[k]));
      CHECK(moved > 1e-3);
    }
  }
  // At small dilution the hierarchical state is also the equilibrium (lowest stable f).
  const MfState eq = MultitaskingMf(3, storage_law(0.2)).equilibrium(kInf);
  CHECK(eq.phase == Phase::hierarchical);
  CHECK(eq.sorted_m()[2] == doctest::Approx(0.8 * 0.04).epsilon(1e-12));
}

TEST_CASE("multitasking MF: T = 0, K = 3 strong dilution: the mixture state and where it takes over from the hierarchy") {
  // With m_1 > m_2 > m_3 but m_1 < m_2 + m_3, sign(Σ m ξ) is fixed for every ξ; summing the 27 cases
  // (a = (1-d)/2): m = (1-d) (d² + 4ad + 2a², d² + 2ad + 2a², d² + 2a²), a fixed point for every d.
  auto mixture = [](double d) {
    const double a = (1 - d) / 2;
    return std::vector<double>{(1 - d) * (d * d + 4 * a * d + 2 * a * a), (1 - d) * (d * d + 2 * a * d + 2 * a * a),
                               (1 - d) * (d * d + 2 * a * a)};
  };
  for (double d : {0.3, 0.6, 0.8}) {
    const MultitaskingMf mf(3, storage_law(d));
    const auto x = mixture(d);
    const MfState s = mf.solve(x, kInf, Family::free);
    for (int k = 0; k < 3; ++k) CHECK(s.sorted_m()[k] == doctest::Approx(x[k]).epsilon(1e-13));
    CHECK(s.stable);
    CHECK(s.phase == Phase::mixture);
  }
  // Its energy -(1/2)Σm² crosses the hierarchical one, -(1/2)(1-d)²(1 + d² + d⁴), at the root of
  // Σ_k (x_k/(1-d))² = 1 + d² + d⁴: d* = 0.5469181606780286 (bisection of the closed forms, here).
  auto gap = [&](double d) {
    double s = 0;
    for (double v : mixture(d)) s += v * v / ((1 - d) * (1 - d));
    return s - (1 + d * d + d * d * d * d);
  };
  double lo = 0.3, hi = 0.6;
  for (int it = 0; it < 100; ++it) (gap(0.5 * (lo + hi)) < 0 ? lo : hi) = 0.5 * (lo + hi);
  const double dstar = 0.5 * (lo + hi);
  CHECK(dstar == doctest::Approx(0.5469181606780286).epsilon(1e-12));
  CHECK(MultitaskingMf(3, storage_law(dstar - 0.002)).equilibrium(kInf).phase == Phase::hierarchical);
  CHECK(MultitaskingMf(3, storage_law(dstar + 0.002)).equilibrium(kInf).phase == Phase::mixture);
}

TEST_CASE("multitasking MF: K = 1 is Curie-Weiss rescaled: m(T) = (1-d) m_CW(T/(1-d)), T_c = 1 - d") {
  for (double d : {0.0, 0.25, 0.6}) {
    const MultitaskingMf mf(1, storage_law(d));
    for (double t : {0.3, 0.7, 0.95, 0.99}) {
      const double beta = 1.0 / (t * (1 - d));
      const MfState s = mf.equilibrium(beta);
      CHECK(s.m[0] == doctest::Approx((1 - d) * curie_weiss_mean_field_m(beta * (1 - d))).epsilon(1e-9));
      CHECK(s.stable);
    }
    CHECK(mf.equilibrium(1.0 / (1.01 * (1 - d))).m[0] == doctest::Approx(0.0).epsilon(1e-12));
    CHECK(mf.equilibrium(1.0 / (1.01 * (1 - d))).phase == Phase::paramagnet);
    CHECK(mf.equilibrium(1.0 / (0.99 * (1 - d))).m[0] > 0.1 * (1 - d));
    CHECK(mf.equilibrium(kInf).m[0] == doctest::Approx(1 - d).epsilon(1e-14));
  }
}

TEST_CASE("multitasking MF: Symmetric parallel states: closed forms and their stability near T_c") {
  // T = 0: K = 2, m = (1-d)(1+d)/2; K = 3, m = (1-d)(d + (1-d)²/2) (sum over ξ², ξ³ of sign(1+ξ²+ξ³)).
  for (double d : {0.3, 0.8}) {
    const MfState p2 = MultitaskingMf(2, storage_law(d)).solve({0.5, 0.5}, kInf, Family::parallel, 2);
    CHECK(p2.m[0] == doctest::Approx((1 - d) * (1 + d) / 2).epsilon(1e-14));
    CHECK(p2.m[1] == doctest::Approx((1 - d) * (1 + d) / 2).epsilon(1e-14));
    CHECK_FALSE(p2.stable);  // at T = 0 it sits on a kink (ξ¹ = -ξ²): a saddle
    const MfState p3 = MultitaskingMf(3, storage_law(d)).solve({0.5, 0.5, 0.5}, kInf, Family::parallel, 3);
    CHECK(p3.m[2] == doctest::Approx((1 - d) * (d + (1 - d) * (1 - d) / 2)).epsilon(1e-14));
  }
  // Finite T, K = 2: the scalar equation solved by bisection.
  for (double d : {0.5, 0.8})
    for (double t : {0.3, 0.6, 0.9}) {
      const double beta = 1.0 / (t * (1 - d));
      const MfState p = MultitaskingMf(2, storage_law(d)).solve({0.5, 0.5}, beta, Family::parallel, 2);
      CHECK(p.m[0] == doctest::Approx(parallel_k2(d, beta)).epsilon(1e-10));
    }
  // Just below T_c the quartic term u Σm⁴ + 2v m1²m2², u = 1-d, v = 3(1-d)², decides: pure states
  // for v > u (d < 2/3), the symmetric state for v < u (d > 2/3).
  const double t = 0.97;
  {
    const double d = 0.5, beta = 1.0 / (t * (1 - d));
    const MultitaskingMf mf(2, storage_law(d));
    CHECK(mf.solve({0.5, 0}, beta, Family::pure).stable);
    CHECK_FALSE(mf.solve({0.5, 0.5}, beta, Family::parallel, 2).stable);
    CHECK(mf.equilibrium(beta).phase == Phase::pure);
  }
  {
    const double d = 0.8, beta = 1.0 / (t * (1 - d));
    const MultitaskingMf mf(2, storage_law(d));
    CHECK_FALSE(mf.solve({0.5, 0}, beta, Family::pure).stable);
    CHECK(mf.solve({0.5, 0.5}, beta, Family::parallel, 2).stable);
    CHECK(mf.equilibrium(beta).phase == Phase::parallel);
  }
}

TEST_CASE("multitasking MF: Learning from examples, K = 1: T = 0 overlap and T_c") {
  const double d = 0.3, r = 0.4;
  const int M = 7;
  const double rho = (1 - r * r) / (M * r * r);
  // Gaussian example noise Y ~ N(1, ρ) at T > 0, where the integrand is smooth: the Gauss–Hermite
  // law against an independent fine composite quadrature of n̄ = E[Y tanh(β n̄ Y)]/(1+ρ) (the
  // factor (1-d) and the zero entries drop out of K = 1), m = (1-d) E tanh(β n̄ Y).
  {
    const double beta = 1.0 / (0.5 * (1 - d));
    auto avg = [&](auto f) { return sharp_gauss_average([&](double z) { return f(1 + std::sqrt(rho) * z); }, 4000); };
    double n = 1;
    for (int it = 0; it < 2000; ++it)
      n = (1 - d) * avg([&](double y) { return y * std::tanh(beta * n * y); }) / (1 + rho);
    const double m = (1 - d) * avg([&](double y) { return std::tanh(beta * n * y); });
    const MfState s = MultitaskingMf(1, learning_law(d, M, r, false, 41)).equilibrium(beta);
    CHECK(s.n[0] == doctest::Approx(n).epsilon(1e-8));
    CHECK(s.m[0] == doctest::Approx(m).epsilon(1e-8));
    // T = 0: m = (1-d) erf(1/√(2ρ)) (docs/conventions.md, times the informative fraction); sign(Y) on a
    // Gauss–Hermite rule is only good to about the weight of the node nearest 0 (~ 0.04 here).
    CHECK(MultitaskingMf(1, learning_law(d, M, r, false, 41)).equilibrium(kInf).m[0] ==
          doctest::Approx((1 - d) * std::erf(1 / std::sqrt(2 * rho))).epsilon(0.06));
  }
  // Exact binomial: m = (1-d) (P(S > 0) - P(S < 0)), S = Σ_a χ_a, P(χ = 1) = (1+r)/2; M odd.
  {
    double pos = 0;
    for (int k = 0; k <= M; ++k)  // k flipped examples, S = M - 2k > 0 for k < M/2
      if (2 * k < M) pos += std::tgamma(M + 1.0) / (std::tgamma(k + 1.0) * std::tgamma(M - k + 1.0)) *
                             std::pow((1 - r) / 2, k) * std::pow((1 + r) / 2, M - k);
    const MultitaskingMf mf(1, learning_law(d, M, r, true));
    const MfState s = mf.equilibrium(kInf);
    CHECK(s.m[0] == doctest::Approx((1 - d) * (2 * pos - 1)).epsilon(1e-12));
    CHECK(mf.law().kappa == doctest::Approx(1 + rho).epsilon(1e-14));
    // T_c = (1-d) κ / κ = 1 - d for either law: the normalisation 1/𝓡 makes it so.
    CHECK(mf.equilibrium(1.0 / (1.01 * (1 - d))).phase == Phase::paramagnet);
    CHECK(mf.equilibrium(1.0 / (0.98 * (1 - d))).m[0] > 0.01);
  }
}

TEST_CASE("multitasking MF: Unsupervised learning: example-antisymmetric Hessian in the paramagnet") {
  // At n = 0, sech² = 1 and A - B = (1-d)(1-r²) for either law (E[S²] = M + M(M-1)r²), so the
  // Hessian factor is 1 - β(1-d)(1-r²)/(M r² + 1 - r²).
  const double d = 0.2, r = 0.5;
  const int M = 6;
  for (bool exact : {true, false}) {
    const MultitaskingMf mf(2, learning_law(d, M, r, exact, 21), true);
    for (double beta : {1.0, 5.0, 20.0}) {
      const MfState s = mf.evaluate(std::vector<double>{0.0, 0.0}, beta);
      CHECK(s.example_hessian == doctest::Approx(1 - beta * (1 - d) * (1 - r * r) / (M * r * r + 1 - r * r)).epsilon(1e-12));
    }
  }
}

TEST_CASE("multitasking MF: Energy is the β derivative of βf at the solution, and q = E tanh²") {
  for (const auto& law : {storage_law(0.4), learning_law(0.4, 5, 0.6, true)}) {
    const MultitaskingMf mf(3, law);
    const double beta = 4.0, h = 1e-4;
    const MfState s = mf.equilibrium(beta);
    // βf(β) with n re-solved at β ± h from the same state: central difference, error O(h²).
    const MfState a = mf.solve(s.n, beta + h, Family::free), b = mf.solve(s.n, beta - h, Family::free);
    const double derivative = ((beta + h) * a.free_energy - (beta - h) * b.free_energy) / (2 * h);
    CHECK(derivative == doctest::Approx(s.energy).epsilon(1e-6));
    CHECK(s.residual < 1e-13);
    CHECK(s.q > 0);
    CHECK(s.q < 1);
  }
}
