// 1RSB theory of dense Hebbian storage (analysis/rsb_dense): RS as the q0 = q1 and θ = 1 limits, the
// random-energy-model limit at large P, the AT line against a perturbation of the 1RSB map, the T = 0
// limit, published 1RSB numbers for the Ising 3-spin (P = 3) and SK (P = 2) spin glasses, and the
// Hopfield (P = 2, AGS noise) variant.
#include <cmath>
#include <doctest/doctest.h>

#include "analysis/gaussian_quadrature.hpp"
#include "analysis/rsb_dense.hpp"

using namespace ptmc::theory;
using namespace ptmc::theory::dense1rsb;

namespace {

// Independent RS integrals (composite rule of gaussian_quadrature, not the solver's quadrature):
// g = β(P/2)m^{P−1} + z√ξ'(q), ξ'(q) = β²γ(P/2)q^{P−1}.
struct RsRef {
  double m, q, phi;
};
RsRef rs_reference(int P, double gamma, double beta, double m, double q) {
  const double h = beta * 0.5 * P * std::pow(m, P - 1);
  const double c = 0.5 * beta * beta * gamma;  // ξ(q) = c q^P
  const double s = std::sqrt(c * P * std::pow(q, P - 1));
  const double t1 = sharp_gauss_average([&](double z) { return std::tanh(h + s * z); }, 4000);
  const double t2 = sharp_gauss_average([&](double z) { return std::pow(std::tanh(h + s * z), 2); }, 4000);
  const double lc = sharp_gauss_average([&](double z) {
    const double a = std::abs(h + s * z);
    return a + std::log1p(std::exp(-2 * a)) - std::log(2.0);
  }, 4000);
  const double xi1 = c, xiq = c * std::pow(q, P), dxiq = c * P * std::pow(q, P - 1);
  const double phi = -beta * (P - 1) / 2.0 * std::pow(m, P) + std::log(2.0) + lc + 0.5 * (xi1 - xiq - (1 - q) * dxiq);
  return {t1, t2, phi};
}

}  // namespace

TEST_CASE("1RSB map reduces to RS at q0 = q1 (any θ) and, for m and q0, at θ = 1") {
  const int P = 4;
  const double gamma = 0.3, beta = 5.0, m = 0.9;
  // Both quadratures are accurate to ~1e-12 on these smooth integrals: 1e-9 is far above round-off
  // and far below any modelling error.
  const Model M{P, gamma};
  const RsRef ref = rs_reference(P, gamma, beta, m, 0.95);
  for (double theta : {0.3, 0.7, 1.0}) {
    const Map f = apply_map(M, beta, {m, 0.95, 0.95, theta});
    CHECK(f.m == doctest::Approx(ref.m).epsilon(1e-9));
    CHECK(f.q0 == doctest::Approx(ref.q).epsilon(1e-9));
    CHECK(f.q1 == doctest::Approx(ref.q).epsilon(1e-9));
    CHECK(std::abs(f.dphi_dtheta) < 1e-9);
    CHECK(f.phi == doctest::Approx(ref.phi).epsilon(1e-10));
  }
  // θ = 1: ⟨tanh g⟩₁ = E sinh / E cosh = tanh(x) exactly and E cosh(x + bz) = cosh(x) e^{b²/2}, so the
  // m and q0 equations and φ are those of RS at q = q0, whatever q1. q1 = 0.95 puts the inner
  // integral on the closed-form-plus-window path (b > 1), q1 = 0.82 on the Gauss–Hermite path (b < 1).
  const RsRef ref0 = rs_reference(P, gamma, beta, m, 0.8);
  for (double q1 : {0.95, 0.82}) {
    const Map f = apply_map(M, beta, {m, 0.8, q1, 1.0});
    CHECK(f.m == doctest::Approx(ref0.m).epsilon(1e-9));
    CHECK(f.q0 == doctest::Approx(ref0.q).epsilon(1e-9));
    CHECK(f.phi == doctest::Approx(ref0.phi).epsilon(1e-10));
  }
  // The full solver returns RS where RS is AT-stable (λ_AT ≈ 0.28 here).
  const Rs rs = solve_rs(M, beta, 1.0, 0.99);
  CHECK(rs.at < 1);
  const Rsb r = solve(M, beta, {1.0, 0.98, 0.999, 0.5});
  CHECK_FALSE(r.broken);
  CHECK(r.s.m == doctest::Approx(rs.m).epsilon(1e-9));
  CHECK(r.s.q1 == doctest::Approx(rs.q).epsilon(1e-9));
}

TEST_CASE("Nishimori line βγ = 1: the RS retrieval state has m = q and is AT-stable") {
  // With βγ = 1 the field β(P/2)m^{P−1} + z√(β²γ(P/2)q^{P−1}) at m = q has variance equal to its mean
  // v, and E tanh(v + √v z) = E tanh²(v + √v z) exactly: m = q is a solution. RS is exact there.
  const Model M{4, 0.3};
  const double beta = 1 / 0.3;
  const Rs rs = solve_rs(M, beta, 1.0, 0.99);
  CHECK(rs.m > 0.9);
  CHECK(rs.m == doctest::Approx(rs.q).epsilon(1e-10));
  CHECK(rs.at < 1);
  CHECK_FALSE(solve(M, beta, {1.0, 0.98, 0.999, 0.5}).broken);
}

TEST_CASE("large P at fixed γ: the 1RSB spin glass tends to the random energy model") {
  // Derived limit (rsb_dense.cpp): q0 = 0, q1 → 1, θ = T/T_c, φ = β√(γ log 2), u = −√(γ log 2),
  // T_c = √γ/(2√log 2); corrections come from the weight of |g| ≲ 1 under the cosh^θ-tilted Gaussian,
  // e^{−θ²ξ'(1)/2} with θ²ξ'(1)/2 = (β_c²/β²)(β²γP/4) = P log 2: 2^{−P} times powers of P.
  const double gamma = 1.0, Tc = std::sqrt(gamma) / (2 * std::sqrt(std::log(2.0)));
  const double T = 0.4, beta = 1 / T;
  double err16 = 0, err20 = 0;
  for (int P : {16, 20}) {
    const Rsb r = solve(Model{P, gamma}, beta, {0.0, 0.0, 0.999, 0.5});
    REQUIRE(r.broken);
    CHECK(std::abs(r.s.q0) < 1e-12);
    const double err = std::abs(r.s.theta - T / Tc);
    (P == 16 ? err16 : err20) = err;
    // P 2^{−P}: 2.4e-4 at P = 16, 1.9e-5 at P = 20.
    CHECK(err < P * std::pow(2.0, -P));
    CHECK(1 - r.s.q1 < P * std::pow(2.0, -P));
    CHECK(std::abs(r.phi - beta * std::sqrt(gamma * std::log(2.0))) < P * std::pow(2.0, -P));
    CHECK(std::abs(r.energy + std::sqrt(gamma * std::log(2.0))) < P * std::pow(2.0, -P));
  }
  // The 2^{−P} law itself: four more body orders divide the error by ~16 (8 to 32 allows the P^k).
  CHECK(err16 / err20 > 8);
  CHECK(err16 / err20 < 32);
  // Above T_c the paramagnet (RS, q = 0) is the solution, below it 1RSB with θ just under 1.
  const Rsb above = solve(Model{20, gamma}, 1 / (1.01 * Tc), {0.0, 0.0, 0.999, 0.9});
  CHECK_FALSE(above.broken);
  CHECK(above.s.q1 < 1e-9);
  CHECK(above.phi == doctest::Approx(std::log(2.0) + gamma / (4 * 1.01 * 1.01 * Tc * Tc)).epsilon(1e-12));
  const Rsb below = solve(Model{20, gamma}, 1 / (0.99 * Tc), {0.0, 0.0, 0.999, 0.9});
  CHECK(below.broken);
  CHECK(below.s.theta == doctest::Approx(0.99).epsilon(1e-4));
  // T = 0: e0 → −√(γ log 2), μ = βθ → 1/T_c.
  const Ground g = solve_ground(Model{20, gamma}, {0.0, 0.0, 1.0, 0.0, 0.0, false});
  CHECK(std::abs(g.energy + std::sqrt(gamma * std::log(2.0))) < 20 * std::pow(2.0, -20));
  CHECK(g.mu == doctest::Approx(1 / Tc).epsilon(20 * std::pow(2.0, -20)));
}

TEST_CASE("AT line: the replicon multiplier of the 1RSB map is λ_AT = ξ''(q) E sech⁴") {
  // Linearising the map about an RS solution q: q1' − q0' = ξ''(q) E sech⁴ (q1 − q0) (1 + O(b²)) for
  // any θ, b² = ξ''(q) δ the inner variance (up to 7e-3 δ/1e-5 at T = 0.05). δ = 1e-7 keeps the
  // correction below 1e-4 and the round-off of a 1e-7 difference near 1e-8: tolerance 1e-3.
  struct Point {
    int P;
    double gamma, T, m0;
  };
  for (const Point& pt : {Point{4, 0.3, 0.1, 1.0}, Point{4, 0.3, 0.05, 1.0}, Point{4, 1.2, 0.3, 0.0}}) {
    const Model M{pt.P, pt.gamma};
    const double beta = 1 / pt.T;
    const Rs rs = solve_rs(M, beta, pt.m0, 0.99);
    REQUIRE(rs.converged);
    REQUIRE(rs.q > 0.5);
    const double delta = 1e-7;
    for (double theta : {0.3, 0.8}) {
      const Map f = apply_map(M, beta, {rs.m, rs.q - delta / 2, rs.q + delta / 2, theta});
      CHECK((f.q1 - f.q0) / delta == doctest::Approx(rs.at).epsilon(1e-3));
    }
  }
}

TEST_CASE("AT line: RS retrieval stable above T_AT, 1RSB below, and the breaking is continuous") {
  const Model M{4, 0.3};
  // T_AT from λ_AT(T) = 1 by bisection on RS solutions (λ rises as T falls: 0.55 at T = 0.1, 1.11 at
  // T = 0.05).
  double lo = 0.04, hi = 0.1;
  for (int it = 0; it < 40; ++it) {
    const double mid = 0.5 * (lo + hi);
    (solve_rs(M, 1 / mid, 1.0, 0.99).at > 1 ? lo : hi) = mid;
  }
  const double t_at = 0.5 * (lo + hi);
  const Rsb above = solve(M, 1 / (1.05 * t_at), {1.0, 0.99, 0.999, 0.3});
  CHECK_FALSE(above.broken);
  const Rs rs_below = solve_rs(M, 1 / (0.9 * t_at), 1.0, 0.99);
  const Rsb below = solve(M, 1 / (0.9 * t_at), {1.0, 0.99, 0.999, 0.3});
  const Rsb further = solve(M, 1 / (0.7 * t_at), {1.0, 0.99, 0.999, 0.3});
  REQUIRE(below.broken);
  REQUIRE(further.broken);
  // Guerra's bound: the 1RSB free entropy lies below the RS one (to quadrature accuracy).
  CHECK(below.phi < rs_below.phi + 1e-10);
  // Continuous (AT-type) breaking: q1 − q0 grows from 0 as T falls below T_AT.
  CHECK(below.s.q1 - below.s.q0 > 0);
  CHECK(below.s.q1 - below.s.q0 < further.s.q1 - further.s.q0);
}

TEST_CASE("T = 0: RS capacity, finite-β solutions approach the T = 0 1RSB equations") {
  // RS: γ_c(P = 4) = max_m P m^{2P−2} / (4 erfinv(m)²) = 0.395720 (evaluated independently with scipy
  // on a 2·10⁵-point grid, error < 1e-6).
  const Capacity rs = rs_capacity_t0(4);
  CHECK(rs.gamma == doctest::Approx(0.395720).epsilon(1e-5));
  CHECK(solve_rs(Model{4, 0.99 * rs.gamma}, INFINITY, 1.0, 1.0).m > 0.8);
  CHECK(solve_rs(Model{4, 1.01 * rs.gamma}, INFINITY, 1.0, 1.0).m < 1e-3);
  // 1RSB at γ = 0.38: the finite-T solutions approach the T = 0 one linearly in T (observed slopes
  // ~0.03 for q0 and ~27 for βθ): Richardson's 2x(T) − x(2T) at T = 0.01 removes the linear term,
  // leaving O(T²) ≈ 1e-4 relative.
  const Model M{4, 0.38};
  const Ground g = solve_ground(M, {1.0, 0.9, 1.0, 0.0, 0.0, false});
  REQUIRE(g.converged);
  REQUIRE(g.m > 0.9);
  const Rsb a = solve(M, 100.0, {1.0, 0.98, 0.999, 0.03});
  const Rsb b = solve(M, 50.0, {1.0, 0.98, 0.999, 0.06});
  REQUIRE(a.broken);
  REQUIRE(b.broken);
  CHECK(2 * a.s.m - b.s.m == doctest::Approx(g.m).epsilon(1e-4));
  CHECK(2 * a.s.q0 - b.s.q0 == doctest::Approx(g.q0).epsilon(1e-4));
  CHECK(2 * 100 * a.s.theta - 50 * b.s.theta == doctest::Approx(g.mu).epsilon(1e-2));
  CHECK(a.energy == doctest::Approx(g.energy).epsilon(1e-5));
  // Guerra's bound in the T → 0 limit: the 1RSB ground-state energy lies above the RS one.
  CHECK(g.energy > solve_rs(M, INFINITY, 1.0, 1.0).energy);
}

TEST_CASE("1RSB maximal storage at T = 0 for P = 4: retrieval exists just below, not just above") {
  const Capacity c = rsb_capacity_t0(4);
  CHECK(c.gamma > rs_capacity_t0(4).gamma);
  // Started on the retrieval side of the capacity point, the T = 0 iteration stays on the retrieval
  // branch at 0.995 γ_c (m ≈ m_c + O(√0.005)) and falls to the spin glass at 1.005 γ_c.
  const Ground below = solve_ground(Model{4, 0.995 * c.gamma}, {c.m + 0.02, c.q0, c.mu, 0.0, 0.0, false});
  CHECK(below.m > c.m);
  CHECK(below.m < c.m + 0.1);
  const Ground above = solve_ground(Model{4, 1.005 * c.gamma}, {c.m + 0.02, c.q0, c.mu, 0.0, 0.0, false});
  CHECK(above.m < 1e-6);
}

TEST_CASE("published 1RSB numbers: Ising 3-spin static transition and SK ground state") {
  // P = 3, γ = 1 is Gardner's Ising 3-spin glass (E[HH'] = N q³/2): static 1RSB transition
  // T_s = 0.651 (Gardner 1985; 3 digits, so ±0.001), where θ reaches 1.
  const Model M3{3, 1.0};
  const Rsb t1 = solve(M3, 1 / 0.645, {0.0, 0.0, 0.9, 0.95});
  const Rsb t2 = solve(M3, 1 / 0.648, {0.0, 0.0, 0.9, 0.95});
  REQUIRE(t1.broken);
  REQUIRE(t2.broken);
  const double ts = 0.648 + (1 - t2.s.theta) * (0.648 - 0.645) / (t2.s.theta - t1.s.theta);
  CHECK(ts == doctest::Approx(0.651).epsilon(0.001 / 0.651));
  CHECK_FALSE(solve(M3, 1 / 0.655, {0.0, 0.0, 0.9, 0.95}).broken);
  // P = 2, γ = 1 without a condensed pattern is SK: 1RSB ground-state energy −0.7652 (Parisi; 4
  // digits), with q0 > 0 (unlike P ≥ 3, where q0 = 0).
  const Ground sk = solve_ground(Model{2, 1.0}, {0.0, 0.5, 1.0, 0.0, 0.0, false});
  CHECK(sk.energy == doctest::Approx(-0.7652).epsilon(1e-4 / 0.7652));
  CHECK(sk.q0 > 0.3);
}

TEST_CASE("Hopfield (P = 2, AGS noise): RS limit, α_c = 0.138, replicon multiplier") {
  // AGS: α_c = 0.138 with m_c = 0.967 at T = 0 (Amit, Gutfreund, Sompolinsky 1987; 3 digits).
  const Capacity ags = rs_capacity_t0(2, true);
  CHECK(ags.alpha == doctest::Approx(0.138).epsilon(0.0005 / 0.138));
  CHECK(ags.m == doctest::Approx(0.967).epsilon(0.0005 / 0.967));
  CHECK(solve_rs(Model{2, 0.99 * ags.alpha, true}, INFINITY, 1.0, 1.0).m > 0.9);
  CHECK(solve_rs(Model{2, 1.01 * ags.alpha, true}, INFINITY, 1.0, 1.0).m < 0.1);
  // q0 = q1 = q: the 1RSB map is AGS at that q, r = q/A², A = 1 − β(1 − q) (independent quadrature).
  const double alpha = 0.1, beta = 8.0, m = 0.95, q = 0.97;
  const Model M{2, alpha, true};
  const double A = 1 - beta * (1 - q), r = q / (A * A), s = beta * std::sqrt(alpha * r);
  const double t1 = sharp_gauss_average([&](double z) { return std::tanh(beta * m + s * z); }, 4000);
  const double t2 = sharp_gauss_average([&](double z) { return std::pow(std::tanh(beta * m + s * z), 2); }, 4000);
  const double lc = sharp_gauss_average([&](double z) {
    const double a = std::abs(beta * m + s * z);
    return a + std::log1p(std::exp(-2 * a)) - std::log(2.0);
  }, 4000);
  const double phi = -beta * (alpha / 2 + m * m / 2) - alpha / 2 * (std::log(A) - beta * q / A) -
                     alpha * beta * beta / 2 * r * (1 - q) + std::log(2.0) + lc;
  for (double theta : {0.4, 1.0}) {
    const Map f = apply_map(M, beta, {m, q, q, theta});
    CHECK(f.m == doctest::Approx(t1).epsilon(1e-9));
    CHECK(f.q1 == doctest::Approx(t2).epsilon(1e-9));
    CHECK(f.q0 == doctest::Approx(t2).epsilon(1e-9));
    CHECK(std::abs(f.dphi_dtheta) < 1e-9);
    CHECK(f.phi == doctest::Approx(phi).epsilon(1e-10));
  }
  // The 1RSB energy (−∂φ/∂β by a central difference of step 1e-4 β, error ~1e-8) at an RS solution
  // against AGS u = α/2 − m²/2 − (α/2)[1/A + βq(1 − q)/A²].
  const Rs rs = solve_rs(M, beta, 1.0, 0.99);
  const Map at_rs = apply_map(M, beta, {rs.m, rs.q, rs.q, 0.5});
  CHECK(at_rs.energy == doctest::Approx(rs.energy).epsilon(1e-7));
  // Replicon multiplier αβ² E sech⁴ / A² (the Hopfield AT line): α = 0.138, T = 0.02 (λ ≈ 1.1).
  const Model H{2, 0.138, true};
  const Rs r2 = solve_rs(H, 50.0, 1.0, 0.999);
  REQUIRE(r2.m > 0.9);
  const double delta = 1e-8;
  const Map f = apply_map(H, 50.0, {r2.m, r2.q - delta / 2, r2.q + delta / 2, 0.5});
  CHECK((f.q1 - f.q0) / delta == doctest::Approx(r2.at).epsilon(2e-3));
  CHECK(r2.at > 1);
  const Rsb broken = solve(H, 50.0, {r2.m, r2.q - 1e-3, r2.q + 1e-3, 0.1});
  CHECK(broken.broken);
  CHECK(broken.phi < solve_rs(H, 50.0, 1.0, 0.999).phi + 1e-10);
  // T = 0 at α = 0.13: RSB corrections to the retrieval state are tiny (CAG: in the 4th digit of m).
  const Ground g = solve_ground(Model{2, 0.13, true}, {1.0, 0.99, 20.0, 0.0, 0.0, false, 0.02});
  const Rs r0 = solve_rs(Model{2, 0.13, true}, INFINITY, 1.0, 1.0);
  CHECK(g.converged);
  CHECK(g.m == doctest::Approx(r0.m).epsilon(1e-3));
  CHECK(g.energy >= r0.energy - 1e-12);
  CHECK(g.energy == doctest::Approx(r0.energy).epsilon(1e-4));
}
