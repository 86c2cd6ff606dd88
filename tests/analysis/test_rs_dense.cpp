// RS theory of the dense Hebbian network (analysis/rs_dense): Curie–Weiss and P-spin Curie–Weiss at
// zero load (closed forms, Landau free energy), AGS at T = 0 and finite T (published α_c, m_c, α ≈ 0.051,
// T_g = 1 + √α and the small-α asymptotes of T_M and T_c), the P > 2 capacity from the T = 0 equation,
// learning at T = 0 (erf(1/√(2ρ)) and the exact binomial law), learning against mean-field equations
// written directly from the Hamiltonians, self-interaction terms against exact moments, the T → 0
// limit, and the curves read through a ParamReader. References are computed here by other routes.
#include <cmath>
#include <doctest/doctest.h>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "analysis/gaussian_quadrature.hpp"
#include "analysis/rs_dense.hpp"
#include "analysis/rsb_dense.hpp"

using namespace ptmc;
using namespace ptmc::theory::dense;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

double factorial(int n) {
  double f = 1;
  for (int k = 2; k <= n; ++k) f *= k;
  return f;
}
double alpha_of_gamma(int P, double gamma) { return 2 * gamma / factorial(P); }

// Bisection for a sign change of f on [lo, hi] (f(lo), f(hi) of opposite signs).
double bisect(const std::function<double(double)>& f, double lo, double hi) {
  const double flo = f(lo);
  for (int it = 0; it < 200; ++it) {
    const double mid = 0.5 * (lo + hi);
    if ((f(mid) > 0) == (flo > 0)) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}
// Boundary of a predicate that is true at lo and false at hi.
double boundary(const std::function<bool(double)>& p, double lo, double hi, int iters = 50) {
  for (int it = 0; it < iters; ++it) {
    const double mid = 0.5 * (lo + hi);
    if (p(mid)) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}
// Largest root in (0, 1) of m = tanh(b m^{P−1}) by a fine scan from m = 1 down, then bisection; 0 if none.
double pspin_cw_root(int P, double b) {
  auto g = [&](double m) { return std::tanh(b * std::pow(m, P - 1)) - m; };
  double prev = 1.0;
  for (int k = 9999; k >= 1; --k) {
    const double m = k * 1e-4;
    if (g(m) >= 0) return bisect(g, m, prev);
    prev = m;
  }
  return 0.0;
}
double binary_entropy(double m) {
  const double a = 0.5 * (1 + m), b = 0.5 * (1 - m);
  return -(a > 0 ? a * std::log(a) : 0.0) - (b > 0 ? b * std::log(b) : 0.0);
}
double erfinv(double y) {
  return bisect([&](double x) { return std::erf(x) - y; }, 0.0, 10.0);
}

ParamReader reader(std::vector<std::pair<std::string, Scalar>> kv) {
  // A dense_hebbian [model] table: the model parses it into the Params the theory takes.
  ParamReader::Entries e;
  for (auto& [k, v] : kv) e.emplace_back(k, ParamValue{v, {}, false, SourcePos{"test.toml", 2, 1}});
  return ParamReader(DenseHebbian::parameters(), std::move(e), SourcePos{"test.toml", 1, 1}, "model");
}
std::vector<double> curve(const theory::Curves& c, const std::string& name) {
  for (std::size_t k = 0; k < c.names.size(); ++k)
    if (c.names[k] == name) return c.values[k];
  FAIL("missing curve " << name);
  return {};
}

}  // namespace

TEST_CASE("rs_dense: P = 2 at zero load is Curie-Weiss, m = tanh(βm)") {
  // Root of m = tanh(βm) by bisection (1e-15) and the Landau free energy −m²/2 − T H(m) (equal to the
  // RS one at a stationary point by a different formula): agreement to 1e-10 is round-off.
  for (double beta : {1.1, 1.5, 3.0, 10.0}) {
    const double m = bisect([&](double x) { return std::tanh(beta * x) - x; }, 1e-3, 1.0);
    const Solution s = solve_storage(2, 0.0, beta);
    CHECK(s.stable == Phase::retrieval);
    CHECK(s.retrieval.m == doctest::Approx(m).epsilon(1e-10));
    CHECK(s.retrieval.energy == doctest::Approx(-0.5 * m * m).epsilon(1e-10));
    CHECK(s.retrieval.free_energy == doctest::Approx(-0.5 * m * m - binary_entropy(m) / beta).epsilon(1e-10));
  }
  const Solution hot = solve_storage(2, 0.0, 0.9);
  CHECK(hot.stable == Phase::paramagnet);
  CHECK_FALSE(hot.retrieval.exists);
  const Solution cold = solve_storage(2, 0.0, kInf);
  CHECK(cold.retrieval.m == 1.0);
  CHECK(cold.retrieval.energy == -0.5);
}

TEST_CASE("rs_dense: P-spin Curie-Weiss at zero load, spinodal and first-order point") {
  for (int P : {3, 4}) {
    // Spinodal in closed form: tangency of m = tanh(b m^{P−1}), b = βP/2, gives atanh(m) =
    // m/((P−1)(1−m²)) and b = 1/((P−1) m^{P−2} (1−m²)).
    const double ms = bisect([&](double m) { return std::atanh(m) - m / ((P - 1) * (1 - m * m)); }, 0.05, 0.999);
    const double beta_sp = 2.0 / (P * (P - 1) * std::pow(ms, P - 2) * (1 - ms * ms));
    const double beta_sp_solver =
        1 / boundary([&](double T) { return solve_storage(P, 0.0, 1 / T).retrieval.exists; }, 0.3, 2.0);
    CHECK(beta_sp_solver == doctest::Approx(beta_sp).epsilon(1e-7));
    // Magnetisation on the retrieval branch against the largest root of m = tanh(β(P/2)m^{P−1}).
    for (double f : {1.05, 1.5, 3.0}) {
      const double beta = f * beta_sp;
      const double m = pspin_cw_root(P, 0.5 * P * beta);
      const Solution s = solve_storage(P, 0.0, beta);
      REQUIRE(s.retrieval.exists);
      CHECK(s.retrieval.m == doctest::Approx(m).epsilon(1e-9));
      CHECK(s.retrieval.free_energy == doctest::Approx(-0.5 * std::pow(m, P) - binary_entropy(m) / beta).epsilon(1e-9));
    }
    // First-order point: Landau min_m [−m^P/2 − T H(m)] = −T ln 2 (bisection in β above the spinodal),
    // against the temperature where the solver's stable phase changes.
    const double beta_c = bisect(
        [&](double beta) {
          const double m = pspin_cw_root(P, 0.5 * P * beta);
          return -0.5 * std::pow(m, P) - binary_entropy(m) / beta + std::log(2.0) / beta;
        },
        beta_sp * 1.0001, 5.0);
    const double beta_c_solver =
        1 / boundary([&](double T) { return solve_storage(P, 0.0, 1 / T).stable == Phase::retrieval; }, 0.3, 1 / beta_sp);
    CHECK(beta_c_solver == doctest::Approx(beta_c).epsilon(1e-6));  // bisections to ~1e-10; scan root 1e-12
    MESSAGE("P = " << P << ": T_spinodal = " << 1 / beta_sp << ", T_c = " << 1 / beta_c);
  }
}

TEST_CASE("rs_dense: AGS at T = 0, alpha_c = 0.138, m_c = 0.967, global minimum up to 0.051") {
  // Published (Amit, Gutfreund, Sompolinsky 1985/1987): α_c ≈ 0.138 with m ≈ 0.967, retrieval states
  // global minima for α < 0.051. Tolerance ±0.002 / ±0.003: the published digits.
  const double alpha_c = boundary([](double a) { return solve_storage(2, a, kInf).retrieval.exists; }, 0.05, 0.2);
  CHECK(std::abs(alpha_c - 0.138) < 0.002);
  const double m_c = solve_storage(2, alpha_c - 1e-9, kInf).retrieval.m;
  CHECK(std::abs(m_c - 0.967) < 0.003);
  // Independently: erf(y) = y(√(2α) + (2/√π)e^{−y²}) has a root y > 0 iff √(2α) ≤ max_y g(y),
  // g = erf(y)/y − (2/√π)e^{−y²}; golden-section maximum, so α_c = max g²/2 to ~1e-12.
  auto g = [](double y) { return std::erf(y) / y - 2 / std::sqrt(M_PI) * std::exp(-y * y); };
  double lo = 0.5, hi = 3.0;
  for (int it = 0; it < 200; ++it) {
    const double a = lo + (hi - lo) / 3, b = hi - (hi - lo) / 3;
    if (g(a) < g(b)) lo = a;
    else hi = b;
  }
  const double gmax = g(0.5 * (lo + hi));
  CHECK(alpha_c == doctest::Approx(0.5 * gmax * gmax).epsilon(1e-8));
  CHECK(m_c == doctest::Approx(std::erf(0.5 * (lo + hi))).epsilon(1e-4));  // y at the tangency; m ∝ √ near it
  const double alpha_1 =
      boundary([](double a) { return solve_storage(2, a, kInf).stable == Phase::retrieval; }, 0.01, 0.13);
  CHECK(std::abs(alpha_1 - 0.051) < 0.002);
  // Spin glass at T = 0: C = a/(1+a), a = √(2/(πα)), energy −√(2α/π) − 1/π (closed form of the header).
  for (double a : {0.05, 0.2}) {
    const Solution s = solve_storage(2, a, kInf);
    CHECK(s.spin_glass.energy == doctest::Approx(-std::sqrt(2 * a / M_PI) - 1 / M_PI).epsilon(1e-10));
  }
  MESSAGE("AGS: alpha_c = " << alpha_c << ", m_c = " << m_c << ", alpha_1 = " << alpha_1);
}

TEST_CASE("rs_dense: AGS at finite T, T_g = 1 + sqrt(alpha), paramagnet, small-alpha T_M and T_c") {
  const double a = 0.05, Tg = 1 + std::sqrt(a);
  const Solution above = solve_storage(2, a, 1 / (1.01 * Tg));
  CHECK_FALSE(above.spin_glass.exists);
  CHECK(above.stable == Phase::paramagnet);
  const Solution below = solve_storage(2, a, 1 / (0.99 * Tg));
  REQUIRE(below.spin_glass.exists);
  CHECK(below.spin_glass.q > 1e-3);
  CHECK(below.stable == Phase::spin_glass);
  // Paramagnet: the annealed Hopfield free energy (E_ξ Z = 2^N (1 − β)^{−K/2} e^{−βK/2}) gives
  // u = −(α/2) β/(1 − β) and f = α/2 + (α/2β) ln(1 − β) − T ln 2.
  const double beta = 0.5;
  const Solution p = solve_storage(2, a, beta);
  CHECK(p.paramagnet.energy == doctest::Approx(-0.5 * a * beta / (1 - beta)).epsilon(1e-12));
  CHECK(p.paramagnet.free_energy ==
        doctest::Approx(0.5 * a + a / (2 * beta) * std::log(1 - beta) - std::log(2.0) / beta).epsilon(1e-12));
  // AGS asymptotes for α → 0: T_M ≈ 1 − 1.95√α (retrieval disappears), T_c ≈ 1 − 2.6√α (retrieval
  // stops being the global minimum). At α = 1e-5 the next order shifts the ratios by ~0.005;
  // tolerance: the published digits.
  const double s = 1e-5;
  const double TM = boundary([&](double T) { return solve_storage(2, s, 1 / T).retrieval.exists; }, 0.9, 1.1, 45);
  const double Tc =
      boundary([&](double T) { return solve_storage(2, s, 1 / T).stable == Phase::retrieval; }, 0.9, 1.1, 45);
  CHECK(std::abs((1 - TM) / std::sqrt(s) - 1.95) < 0.02);
  CHECK(std::abs((1 - Tc) / std::sqrt(s) - 2.6) < 0.03);
  MESSAGE("alpha = 1e-5: (1 - T_M)/sqrt(alpha) = " << (1 - TM) / std::sqrt(s)
                                                    << ", (1 - T_c)/sqrt(alpha) = " << (1 - Tc) / std::sqrt(s));
}

TEST_CASE("rs_dense: AGS retrieval next to its spinodal, against Newton on the AGS equations") {
  // At T = 0.1 the retrieval branch ends at α ≈ 0.13505; at α = 0.135 the mean-field map is sharply
  // peaked in m (an earlier scan missed the root there). Reference: Newton on (m, q) of
  // m = E tanh β(m + √(αr)z), q = E tanh², r = q/(1 − β(1 − q))², with the composite quadrature of
  // gaussian_quadrature.hpp (accurate to ~1e-12 here) and a finite-difference Jacobian; a plain damped
  // iteration (numpy, 4e5-point grid) gave m = 0.96476323, q = 0.98103949. Tolerance 1e-8.
  const double alpha = 0.135, beta = 10.0;
  auto F = [&](double m, double q, int k) {
    const double D = 1 - beta * (1 - q), a = std::sqrt(alpha * q) / D;
    return theory::sharp_gauss_average([&](double z) {
      const double t = std::tanh(beta * (m + a * z));
      return k == 0 ? t : t * t;
    }, 4000);
  };
  double m = 0.97, q = 0.98;
  for (int it = 0; it < 30; ++it) {
    const double r0 = F(m, q, 0) - m, r1 = F(m, q, 1) - q, h = 1e-7;
    const double a00 = (F(m + h, q, 0) - m - h - r0) / h, a01 = (F(m, q + h, 0) - m - r0) / h;
    const double a10 = (F(m + h, q, 1) - q - r1) / h, a11 = (F(m, q + h, 1) - q - h - r1) / h;
    const double det = a00 * a11 - a01 * a10;
    m -= (a11 * r0 - a01 * r1) / det;
    q -= (a00 * r1 - a10 * r0) / det;
  }
  REQUIRE(std::abs(F(m, q, 0) - m) < 1e-11);
  REQUIRE(std::abs(F(m, q, 1) - q) < 1e-11);
  const Solution s = solve_storage(2, alpha, beta);
  REQUIRE(s.retrieval.exists);
  CHECK(s.retrieval.m == doctest::Approx(m).epsilon(1e-8));
  CHECK(s.retrieval.q == doctest::Approx(q).epsilon(1e-8));
  CHECK(std::abs(m - 0.96476323) < 1e-7);
}

TEST_CASE("rs_dense: P > 2 storage at T = 0, capacity of m = erf(m^{P-1} sqrt(P/(4 gamma)))") {
  for (int P : {3, 4, 6}) {
    // A root m exists iff γ ≤ P m^{2P−2}/(4 erfinv(m)²) for some m: scan m on a 1e-3 grid, refine
    // by golden section (the function is smooth and unimodal near its maximum).
    auto cap = [&](double m) { return P * std::pow(m, 2 * P - 2) / (4 * std::pow(erfinv(m), 2)); };
    double best = 0, at = 0;
    for (int k = 1; k < 1000; ++k)
      if (cap(k * 1e-3) > best) best = cap(k * 1e-3), at = k * 1e-3;
    double lo = at - 1e-3, hi = at + 1e-3;
    for (int it = 0; it < 100; ++it) {
      const double x = lo + (hi - lo) / 3, y = hi - (hi - lo) / 3;
      if (cap(x) < cap(y)) lo = x;
      else hi = y;
    }
    const double gamma_c = cap(0.5 * (lo + hi));
    const double gamma_solver = boundary(
        [&](double g) { return solve_storage(P, alpha_of_gamma(P, g), kInf).retrieval.exists; }, 0.01, 2.0);
    CHECK(gamma_solver == doctest::Approx(gamma_c).epsilon(1e-7));
    // The same number from the 1RSB module's RS capacity (another implementation).
    CHECK(theory::dense1rsb::rs_capacity_t0(P).gamma == doctest::Approx(gamma_c).epsilon(1e-5));
    MESSAGE("P = " << P << ": gamma_c = " << gamma_c << ", alpha_c = " << alpha_of_gamma(P, gamma_c)
                   << ", m_c = " << 0.5 * (lo + hi));
  }
}

TEST_CASE("rs_dense: learning at T = 0 and low load, m = erf(1/sqrt(2 rho)) and the binomial law") {
  for (int P : {2, 3, 4})
    for (Data d : {Data::supervised, Data::unsupervised})
      for (double rho : {0.2, 0.5, 1.0}) {
        Setup s;
        s.P = P;
        s.data = d;
        s.M = 10;
        s.r = 1 / std::sqrt(1 + s.M * rho);
        s.law = LawChoice::gaussian;
        const Solution sol = solve(make_problem(s), kInf);
        REQUIRE(sol.retrieval.exists);
        CHECK(sol.stable == Phase::retrieval);
        CHECK(sol.retrieval.m == doctest::Approx(std::erf(1 / std::sqrt(2 * rho))).epsilon(1e-12));
      }
  // Exact law, small M: with no noise h ∝ Y, so m = P(Y > 0) − P(Y < 0) and q = 1 − P(Y = 0),
  // Y ∝ M − 2k, k ~ Bin(M, (1 − r)/2).
  for (int M : {7, 6}) {
    const double r = 0.3, p = 0.5 * (1 - r);
    double m = 0, p0 = 0;
    for (int k = 0; k <= M; ++k) {
      const double w = std::tgamma(M + 1.0) / (std::tgamma(k + 1.0) * std::tgamma(M - k + 1.0)) * std::pow(p, k) *
                       std::pow(1 - p, M - k);
      m += w * (2 * k < M ? 1 : 2 * k > M ? -1 : 0);
      p0 += 2 * k == M ? w : 0.0;
    }
    Setup s;
    s.P = 3;
    s.data = Data::supervised;
    s.M = M;
    s.r = r;
    const Solution sol = solve(make_problem(s), kInf);
    CHECK(sol.retrieval.m == doctest::Approx(m).epsilon(1e-12));
    CHECK(sol.retrieval.q == doctest::Approx(1 - p0).epsilon(1e-12));
  }
}

TEST_CASE("rs_dense: supervised learning with M = 1 is storage of the examples") {
  // M = 1: ξ̂ = η, 𝓡 = 1, so H_sup is the storage Hamiltonian of the examples; the overlap with the
  // stored example is the storage m and the archetype overlap is r times it (χ is independent of the
  // field along η); n̄ = n/(r(1+ρ)) = r n. Two solver paths (binomial law vs storage): 1e-8.
  const double r = 0.8;
  for (int P : {2, 3}) {
    const double alpha = P == 2 ? 0.05 : 0.02, beta = 3.0;
    Setup s;
    s.P = P;
    s.data = Data::supervised;
    s.M = 1;
    s.r = r;
    s.alpha = alpha;
    const Solution sup = solve(make_problem(s), beta);
    const Solution st = solve_storage(P, alpha, beta);
    REQUIRE(sup.retrieval.exists);
    REQUIRE(st.retrieval.exists);
    CHECK(sup.retrieval.m == doctest::Approx(r * st.retrieval.m).epsilon(1e-8));
    CHECK(sup.retrieval.nbar == doctest::Approx(r * st.retrieval.m).epsilon(1e-8));
    CHECK(sup.retrieval.q == doctest::Approx(st.retrieval.q).epsilon(1e-8));
    CHECK(sup.retrieval.energy == doctest::Approx(st.retrieval.energy).epsilon(1e-8));
    CHECK(sup.retrieval.free_energy == doctest::Approx(st.retrieval.free_energy).epsilon(1e-8));
  }
}

TEST_CASE("rs_dense: unsupervised learning with perfect examples is storage") {
  // r = 1: every example equals its archetype, H_uns = −(N/2)(1/M)Σ_μ Σ_a m_μ^P is the storage
  // Hamiltonian for any M: the high-load noise must reduce to storage (λ_uns = 1 at P ≥ 3, the second
  // AGS weight (1 − r²)/(M𝓡) = 0 at P = 2). Two solver paths: 1e-8.
  for (int P : {2, 3}) {
    const double alpha = P == 2 ? 0.05 : 0.02, beta = 3.0;
    Setup s;
    s.P = P;
    s.data = Data::unsupervised;
    s.M = 4;
    s.r = 1.0;
    s.alpha = alpha;
    const Solution uns = solve(make_problem(s), beta);
    const Solution st = solve_storage(P, alpha, beta);
    REQUIRE(uns.retrieval.exists);
    CHECK(uns.retrieval.m == doctest::Approx(st.retrieval.m).epsilon(1e-8));
    CHECK(uns.retrieval.free_energy == doctest::Approx(st.retrieval.free_energy).epsilon(1e-8));
    CHECK(uns.spin_glass.free_energy == doctest::Approx(st.spin_glass.free_energy).epsilon(1e-8));
  }
}

TEST_CASE("rs_dense: low-load learning against mean field written from the Hamiltonians") {
  // Gauge ξ = 1, examples η_a = χ_a, M = 3: average over the 8 values of χ exactly.
  // Unsupervised: H = −(N/(2M𝓡^{P/2})) Σ_a n_a^P, field h = (P/(2M𝓡^{P/2})) Σ_a n_a^{P−1} χ_a,
  // n_a = E[χ_a tanh βh], iterated with the n_a free (not assumed equal). Supervised:
  // H = −(N/2) t^P, t = ξ̂·σ/(N√𝓡), h = (P/2) t^{P−1} ξ̂/√𝓡, t = E[ξ̂ tanh βh]/√𝓡.
  // Neither uses Y or n̄; the solver's equations are the derived reduction. Tolerance 1e-9.
  const int M = 3, P = 3;
  const double r = 0.6, beta = 2.0, R = r * r + (1 - r * r) / M;
  std::vector<std::vector<int>> chi;
  std::vector<double> w;
  for (int c = 0; c < (1 << M); ++c) {
    std::vector<int> x(M);
    double p = 1;
    for (int a = 0; a < M; ++a) {
      x[a] = (c >> a) & 1 ? -1 : 1;
      p *= 0.5 * (1 + r * x[a]);
    }
    chi.push_back(x);
    w.push_back(p);
  }
  std::vector<double> n(M, r);
  for (int it = 0; it < 20000; ++it) {
    std::vector<double> nn(M, 0.0);
    for (std::size_t c = 0; c < chi.size(); ++c) {
      double h = 0;
      for (int a = 0; a < M; ++a) h += 0.5 * P / (M * std::pow(R, 0.5 * P)) * std::pow(n[a], P - 1) * chi[c][a];
      for (int a = 0; a < M; ++a) nn[a] += w[c] * chi[c][a] * std::tanh(beta * h);
    }
    n = nn;
  }
  double m_uns = 0, u_uns = 0;
  for (std::size_t c = 0; c < chi.size(); ++c) {
    double h = 0;
    for (int a = 0; a < M; ++a) h += 0.5 * P / (M * std::pow(R, 0.5 * P)) * std::pow(n[a], P - 1) * chi[c][a];
    m_uns += w[c] * std::tanh(beta * h);
  }
  for (int a = 0; a < M; ++a) u_uns -= std::pow(n[a], P) / (2 * M * std::pow(R, 0.5 * P));
  double t = 1;
  for (int it = 0; it < 20000; ++it) {
    double tn = 0;
    for (std::size_t c = 0; c < chi.size(); ++c) {
      double xh = 0;
      for (int a = 0; a < M; ++a) xh += chi[c][a] / static_cast<double>(M);
      tn += w[c] * xh * std::tanh(beta * 0.5 * P * std::pow(t, P - 1) * xh / std::sqrt(R)) / std::sqrt(R);
    }
    t = tn;
  }
  double m_sup = 0;
  for (std::size_t c = 0; c < chi.size(); ++c) {
    double xh = 0;
    for (int a = 0; a < M; ++a) xh += chi[c][a] / static_cast<double>(M);
    m_sup += w[c] * std::tanh(beta * 0.5 * P * std::pow(t, P - 1) * xh / std::sqrt(R));
  }
  for (Data d : {Data::supervised, Data::unsupervised}) {
    Setup s;
    s.P = P;
    s.data = d;
    s.M = M;
    s.r = r;
    const Solution sol = solve(make_problem(s), beta);
    REQUIRE(sol.retrieval.exists);
    const double m = d == Data::supervised ? m_sup : m_uns;
    const double u = d == Data::supervised ? -0.5 * std::pow(t, P) : u_uns;
    CHECK(sol.retrieval.m == doctest::Approx(m).epsilon(1e-9));
    CHECK(sol.retrieval.energy == doctest::Approx(u).epsilon(1e-9));
  }
  CHECK(m_sup == doctest::Approx(m_uns).epsilon(1e-9));  // same thresholds at low load
}

TEST_CASE("rs_dense: self-interaction terms against exact moments of a sum of N spins") {
  // H = −(1/(2N^{P−1})) Σ_μ S_μ^P, S_μ a sum of N ±1 under the uniform measure: mean −K E[S^P]/(2N^{P−1})
  // and variance K Var(S^P)/(4N^{2P−2}), computed here by a binomial sum. The RS paramagnet has
  // u = c0 − βΓ(1) exactly, with Γ(1) = (α/4) Var(x^P), x ~ N(0, 1): the finite-N variance differs
  // by O(1/N) = 5e-4 relative; the constant is exact (the solver uses cumulants).
  const int P = 4, N = 2000;
  const double alpha = 1e-4;
  double m1 = 0, m2 = 0;
  for (int k = 0; k <= N; ++k) {
    const double lw = std::lgamma(N + 1.0) - std::lgamma(k + 1.0) - std::lgamma(N - k + 1.0) - N * std::log(2.0);
    const double S = N - 2.0 * k;
    m1 += std::exp(lw + P * std::log(std::abs(S) + 1e-300));
    m2 += std::exp(lw + 2 * P * std::log(std::abs(S) + 1e-300));
  }
  Setup s;
  s.P = P;
  s.alpha = alpha;
  s.self_interaction = true;
  s.N = N;
  const Problem pb = make_problem(s);
  const double K = alpha * std::pow(N, P - 1);
  CHECK(pb.c0 == doctest::Approx(-K * m1 / (2 * std::pow(N, P - 1)) / N).epsilon(1e-10));
  const double beta = 0.05;
  const Solution sol = solve(pb, beta);
  const double gamma1 = (pb.c0 - sol.paramagnet.energy) / beta;
  const double var_per_spin = K * (m2 - m1 * m1) / (4 * std::pow(N, 2 * P - 2)) / N;
  CHECK(gamma1 == doctest::Approx(var_per_spin).epsilon(2e-3));
}

TEST_CASE("rs_dense: finite beta tends to the T = 0 solution") {
  // RS at low T: q = 1 − C T shifts the noise variance by O(T), so m and C move by O(T) (slopes
  // ∂m/∂T ≈ 2.5e-4 and ∂C/∂T ≈ 2e-3 in these three cases) and u by O(T²) (stationarity). Tolerances:
  // 1e-3 T for m and u, 1e-2 T for C (4x the slopes), and the distance must shrink as T halves.
  Setup a;  // AGS
  a.P = 2;
  a.alpha = 0.1;
  Setup b;  // P = 4
  b.P = 4;
  b.alpha = alpha_of_gamma(4, 0.2);
  Setup c;  // supervised P = 3, exact law, high load
  c.P = 3;
  c.data = Data::supervised;
  c.M = 5;
  c.r = 0.6;
  c.alpha = 2e-3;
  for (const Setup& s : {a, b, c}) {
    const Problem pb = make_problem(s);
    const State t0 = solve(pb, kInf).retrieval;
    REQUIRE(t0.exists);
    double last = 1;
    for (double beta : {4000.0, 8000.0}) {
      const State st = solve(pb, beta).retrieval;
      REQUIRE(st.exists);
      CHECK(std::abs(st.m - t0.m) < 1e-3 / beta);
      CHECK(std::abs(st.energy - t0.energy) < 1e-3 / beta);
      CHECK(std::abs(st.C - t0.C) < 1e-2 / beta);
      const double d = std::abs(st.energy - t0.energy) + std::abs(st.m - t0.m);
      CHECK(d <= last);
      last = d;
    }
  }
}

TEST_CASE("rs_dense: curves through a ParamReader") {
  const std::vector<double> beta = {0.5, 2.0, kInf};
  const Scalar N{std::int64_t{100}};
  // K = 1: no noise at all (exactly K − 1 patterns make it), the Curie–Weiss model; the removed
  // diagonal adds K/(2N) = 0.005 to the energy per spin.
  const auto cw = dense_hebbian_curves(DenseHebbian::parse(reader({{"N", N}, {"K", Scalar{std::int64_t{1}}}})), beta);
  const auto m = curve(cw, "m"), e = curve(cw, "energy");
  const double m2 = bisect([&](double x) { return std::tanh(2 * x) - x; }, 1e-3, 1.0);
  CHECK(m[0] == 0.0);
  CHECK(m[1] == doctest::Approx(m2).epsilon(1e-10));
  CHECK(m[2] == 1.0);
  CHECK(e[1] == doctest::Approx(-0.5 * m2 * m2 + 0.005).epsilon(1e-10));
  for (const char* name : {"q", "free_energy", "nbar", "n", "phase", "m_retrieval", "f_sg"}) CHECK(curve(cw, name).size() == 3);
  // alpha and rho keys: the Hopfield T = 0 retrieval, and supervised learning at T = 0 given ρ.
  const auto hop = dense_hebbian_curves(DenseHebbian::parse(reader({{"N", N}, {"alpha", Scalar{0.1}}})), beta);
  CHECK(curve(hop, "m_retrieval")[2] == doctest::Approx(solve_storage(2, 0.1, kInf).retrieval.m).epsilon(1e-12));
  CHECK(curve(hop, "phase")[2] == static_cast<double>(Phase::spin_glass));  // α > 0.051
  const auto sup = dense_hebbian_curves(DenseHebbian::parse(reader({{"N", N},
                                                {"P", Scalar{std::int64_t{4}}},
                                                {"K", Scalar{std::int64_t{1}}},
                                                {"data", Scalar{std::string("supervised")}},
                                                {"M", Scalar{std::int64_t{3001}}},
                                                {"rho", Scalar{0.5}}})),
                                        beta);
  // M = 3001: Gaussian limit of the binomial law; the skewness of Y gives an O(1/√M) shift.
  CHECK(std::abs(curve(sup, "m")[2] - std::erf(1.0)) < 2e-3);
  // Learning with self-interactions at P ≥ 3 and high load is outside this theory: NaN.
  const auto out = dense_hebbian_curves(DenseHebbian::parse(reader({{"N", N},
                                                {"P", Scalar{std::int64_t{4}}},
                                                {"alpha", Scalar{1e-5}},
                                                {"data", Scalar{std::string("unsupervised")}},
                                                {"M", Scalar{std::int64_t{3}}},
                                                {"r", Scalar{0.5}},
                                                {"self_interaction", Scalar{true}}})),
                                        beta);
  CHECK(std::isnan(curve(out, "m")[1]));
}
