// 1RSB theory of dense Hebbian storage: the free entropy, its stationarity equations, the AT line and
// the T = 0 limit, all evaluated with quadratures that stay accurate at large β (closed forms plus a
// window around the sharp part of each integrand).
//
// ---------------------------------------------------------------------------------------------------
// Derivation (even P ≥ 4; P = 3 and odd P by the same formulas, where Guerra's bound is not proven).
// With pattern 1 condensed, the energy per spin is −(1/2) m^P plus a centred Gaussian-like field of
// covariance E[H(σ)H(τ)] = N (γ/2) q_{στ}^P (K = α N^{P−1} patterns, e_P with repeated sites removed:
// Var e_P = C(N, P) ≈ N^P / P!, so Cov = K (P!)²/(4 N^{2P−2}) (N q)^P / P! = N (P! α / 4) q^P). Put
// ξ(q) = (β² γ / 2) q^P (β² included), so ξ'(q) = (β²γP/2) q^{P−1}, ξ''(q) = (β²γP(P−1)/2) q^{P−2}.
// For a Gaussian field this is the mixed p-spin model with a ferromagnetic P-spin term; its Parisi
// functional restricted to the 1RSB order parameter x(q) = 0 on [0, q0), θ on [q0, q1), 1 on [q1, 1]
// (Parisi PDE solved backwards: log cosh at q = 1, the q ∈ [q1, 1] part gives (ξ'(1) − ξ'(q1))/2, the
// θ-part (1/θ) log E_{z1} exp(θ ·), the q0-part E_{z0}; minus ½∫ x(q) q ξ''(q) dq) gives
//
//   φ = −βf = −β(P−1)/2 m^P + log 2 + E_{z0} (1/θ) log E_{z1} cosh^θ g
//             + ½[ξ(1) − ξ(q1) − (1 − q1) ξ'(q1)] − (θ/2)[ψ(q1) − ψ(q0)],
//   g = β(P/2) m^{P−1} + z0 √ξ'(q0) + z1 √(ξ'(q1) − ξ'(q0)),   ψ(q) = qξ'(q) − ξ(q) = (P−1) ξ(q).
//
// (The signal term is the Legendre form of the convex m^P: sup_m [(P/2)m^{P−1}·m̂ − (P−1)/2 m^P].)
// Stationarity, with ⟨·⟩₁ = E_{z1}[cosh^θ g ·]/E_{z1} cosh^θ g and Gaussian integration by parts
// (∂/∂(b²) E f(x + b z) = ½ E f''):
//   ∂φ/∂m  = 0:  m  = E_{z0}⟨tanh g⟩₁
//   ∂φ/∂q1 = ½ ξ''(q1)(θ − 1)(E⟨tanh² g⟩₁ − q1) = 0:  q1 = E_{z0}⟨tanh² g⟩₁
//   ∂φ/∂q0 = (θ/2) ξ''(q0)(q0 − E⟨tanh g⟩₁²) = 0:      q0 = E_{z0}⟨tanh g⟩₁²
//   ∂φ/∂θ  = E_{z0}[(1/θ)⟨log cosh g⟩₁ − (1/θ²) log E_{z1} cosh^θ g] − ½[ψ(q1) − ψ(q0)] = 0.
// Guerra's replica-symmetry-breaking bound makes φ an upper bound on the true −βf for every
// (q0, q1, θ) at even P, so the θ-stationary point is a minimum of φ along the solution manifold.
// Energy per spin, u = −∂φ/∂β at a stationary point (only the explicit β counts; all ξ-terms are
// homogeneous of degree 1 in β², their β-derivative collapses by the q-equations):
//   u = −m^P/2 − (βγ/2)[1 − (1 − θ) q1^P − θ q0^P].
// RS limit: θ = 1 or q1 = q0 gives φ_RS = −β(P−1)/2 m^P + log 2 + E log cosh(g) + ½[ξ(1) − ξ(q) −
// (1 − q)ξ'(q)], g = β(P/2)m^{P−1} + z√ξ'(q), i.e. docs/conventions.md's RS equations; the θ residual is then 0
// identically. (SK check: ξ = β²q²/2 gives the textbook (β²/4)(1 − q)².)
//
// AT line. Linearise the 1RSB map about an RS solution q: with Δ = ξ'(q1) − ξ'(q0) ≈ ξ''(q)(q1 − q0),
// q1' − q0' = E_{z0} Var₁(tanh g) = Δ E sech⁴(g_RS) + O(Δ²) for every θ (the cosh^θ tilt shifts the
// mean of z1 by O(√Δ), the variance of tanh by O(Δ²)). So the replicon perturbation δ = q1 − q0 is
// multiplied by λ_AT = ξ''(q) E sech⁴(g_RS) per iteration: RS is stable iff
//   λ_AT = (β²γ P(P−1)/2) q^{P−2} E_z sech⁴(β(P/2)m^{P−1} + z√ξ'(q)) ≤ 1,
// the de Almeida–Thouless condition (β² E sech⁴ ≤ 1 for SK). The paramagnet q = 0 is always stable
// for P ≥ 3 (ξ''(0) = 0); at T = 0 with q → 1 the RS retrieval state has λ_AT ∝ β → ∞ (unstable).
//
// T = 0. q1 → 1 and θ → 0 with μ = βθ fixed; write g = β ĝ, log cosh g = β|ĝ| − log 2 + O(e^{−2β|ĝ|}).
//   e0 = (P−1)/2 m^P − (1/μ) E_{z0} log E_{z1} e^{μ|ĝ|} + (μγ(P−1)/4)(1 − q0^P),
//   ĝ = (P/2)m^{P−1} + z0 √(γ(P/2) q0^{P−1}) + z1 √(γ(P/2)(1 − q0^{P−1})),
// (the ½[ξ(1) − ξ(q1) − (1 − q1)ξ'(q1)] term is O(β²(1 − q1)²) = O(1), negligible after dividing by β),
// stationary in m, q0 (m = E⟨sign ĝ⟩, q0 = E⟨sign ĝ⟩²) and μ. The inner average has a closed form:
//   E e^{μ|x + bz|} = e^{μ²b²/2}[e^{μx} Φ(x/b + μb) + e^{−μx} Φ(μb − x/b)].
// The RS T = 0 equation is its q0 → 1 limit: m = erf(m^{P−1} √(P/(4γ))).
//
// Large P at fixed γ: the random-energy-model limit. On the spin-glass branch (m = 0) q0 = 0 exactly
// (⟨tanh⟩₁ is odd), and ξ'(q1) = β²γP/2 q1^{P−1} → ∞ drives q1 → 1 with 1 − q1 = O(e^{−θ²ξ'(1)/2});
// then E log E cosh^θ(b z) = θ²b²/2 − θ log 2 + log 2 + (exponentially small) and
//   φ → log 2/θ + θ β²γ/4,  stationary at θ = T/T_c, T_c = √γ / (2√log 2),
// φ = β √(γ log 2), u = −√(γ log 2): Derrida's REM with 2^N levels of variance Nγ/2 (its paramagnet,
// φ = log 2 + β²γ/4, is the q = 0 RS solution). All corrections are exponentially small in P.
// ---------------------------------------------------------------------------------------------------
#include "analysis/rsb_dense.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <string>
#include <vector>

#include "analysis/gaussian_quadrature.hpp"
#include "analysis/rs_dense.hpp"

namespace ptmc::theory::dense1rsb {

namespace {

constexpr double kLn2 = 0.69314718055994530942;
constexpr double kInvSqrt2Pi = 0.39894228040143267794;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double Phi(double y) { return 0.5 * std::erfc(-y / std::sqrt(2.0)); }
double phi_density(double y) { return kInvSqrt2Pi * std::exp(-0.5 * y * y); }
double log_cosh(double g) {
  const double a = std::abs(g);
  return a + std::log1p(std::exp(-2 * a)) - kLn2;
}
double factorial(int n) {
  double f = 1;
  for (int k = 2; k <= n; ++k) f *= k;
  return f;
}

// ---- outer average E_{z0} F(h + a z0) --------------------------------------------------------
// F is flat away from x = 0 and has its features, of width `scale`, around x = 0: composite 8-point
// Gauss–Legendre with a fine window of 2 × 8 panels of width min(1, 1.5 scale / a) centred at
// z0* = −h/a (an exact breakpoint: F may jump there at T = 0), unit panels elsewhere on [−9, 9].
struct Node {
  double z, w;
};

std::vector<Node> outer_nodes(double h, double a, double scale) {
  std::vector<Node> nodes;
  if (!(a > 0)) {
    nodes.push_back({0.0, 1.0});
    return nodes;
  }
  constexpr double L = 9.0;
  std::vector<double> cuts = {-L, L};
  const double zs = -h / a, w = std::min(1.0, 1.5 * scale / a);
  for (int k = -8; k <= 8; ++k) {
    const double c = zs + k * w;
    if (c > -L && c < L) cuts.push_back(c);
  }
  std::sort(cuts.begin(), cuts.end());
  const GaussRule& r = gauss_legendre(8);
  for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
    const double gap = cuts[i + 1] - cuts[i];
    if (gap <= 0) continue;
    const int n = std::max(1, static_cast<int>(std::ceil(gap - 1e-12)));
    const double hw = 0.5 * gap / n;
    for (int p = 0; p < n; ++p) {
      const double mid = cuts[i] + (2 * p + 1) * hw;
      for (std::size_t k = 0; k < r.nodes.size(); ++k) {
        const double z = mid + hw * r.nodes[k];
        nodes.push_back({z, hw * r.weights[k] * phi_density(z)});
      }
    }
  }
  return nodes;
}

// ---- inner average over z1 at finite β -------------------------------------------------------
struct Inner {
  double logz = 0;  // log E_{z1} cosh^θ g
  double t1 = 0;    // ⟨tanh g⟩₁
  double t2 = 0;    // ⟨tanh² g⟩₁
  double lc = 0;    // ⟨log cosh g⟩₁
};

// b < 1: cosh^θ(x + bz) and tanh are analytic in a strip |Im z| < π/(2b) > 1.5: 64-point Gauss–Hermite
// is exact to ~1e-12 there.
Inner inner_hermite(double x, double b, double theta) {
  const GaussRule& r = gauss_hermite(64);
  std::array<double, 64> e{}, t{}, l{};
  double top = -std::numeric_limits<double>::infinity();
  for (int k = 0; k < 64; ++k) {
    const double g = x + b * r.nodes[k];
    l[k] = log_cosh(g);
    t[k] = std::tanh(g);
    e[k] = theta * l[k] + std::log(r.weights[k]);
    top = std::max(top, e[k]);
  }
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (int k = 0; k < 64; ++k) {
    const double w = std::exp(e[k] - top);
    s0 += w;
    s1 += w * t[k];
    s2 += w * t[k] * t[k];
    s3 += w * l[k];
  }
  return {top + std::log(s0), s1 / s0, s2 / s0, s3 / s0};
}

// b ≥ 1: split cosh^θ(g) f(g) = 2^{−θ} e^{θ|g|} [A_f(g) + r_f(g)], with A = 1, sign g, 1, |g| − log 2
// for f = 1, tanh, tanh², log cosh. The A-parts integrate in closed form against the Gaussian of
// z1 (truncated exponential moments); the remainders r_f = O(e^{−2|g|}) live in |g| < 13 and are
// integrated there in g by graded 8-point Gauss–Legendre panels (r_f is smooth on each side of g = 0,
// with its nearest complex singularity at distance π/2). Everything is scaled by 2^θ e^{−S},
// S = θ|x| + θ²b²/2, so that nothing overflows at large β.
Inner inner_split(double x_in, double b, double theta) {
  const double x = std::abs(x_in);
  const double S = theta * x + 0.5 * theta * theta * b * b;
  const double yp = x / b + theta * b, ym = theta * b - x / b;
  const double Pp = Phi(yp), Pm = Phi(ym), E2 = std::exp(-2 * theta * x);
  const double J0 = Pp + E2 * Pm;
  const double J1 = Pp - E2 * Pm;
  const double Jabs = (x + theta * b * b) * Pp + b * phi_density(yp) + E2 * ((theta * b * b - x) * Pm + b * phi_density(ym));
  const double J3 = Jabs - kLn2 * J0;

  static constexpr std::array<double, 6> edges = {0.0, 1.5, 3.0, 5.0, 8.0, 13.0};
  const GaussRule& r = gauss_legendre(8);
  const double norm = 1.0 / (b * std::sqrt(2 * M_PI));
  double W0 = 0, W1 = 0, W2 = 0, W3 = 0;
  for (int sgn : {1, -1}) {
    for (std::size_t p = 0; p + 1 < edges.size(); ++p) {
      const double hw = 0.5 * (edges[p + 1] - edges[p]), mid = 0.5 * (edges[p + 1] + edges[p]);
      for (std::size_t k = 0; k < r.nodes.size(); ++k) {
        const double ag = mid + hw * r.nodes[k], g = sgn * ag;
        const double d = (g - x) / b;
        const double wt = hw * r.weights[k] * norm * std::exp(theta * ag - S - 0.5 * d * d);
        if (wt == 0) continue;
        const double u = std::exp(-2 * ag), l = std::log1p(u), lm = std::log1p(-u);
        const double e0 = std::expm1(theta * l);
        W0 += wt * e0;
        W1 += wt * sgn * std::expm1((theta - 1) * l + lm);
        W2 += wt * std::expm1((theta - 2) * l + 2 * lm);
        W3 += wt * ((ag - kLn2) * e0 + (1 + e0) * l);
      }
    }
  }
  const double T0 = J0 + W0;
  Inner in;
  in.logz = S - theta * kLn2 + std::log(T0);
  in.t1 = (x_in < 0 ? -1 : 1) * (J1 + W1) / T0;
  in.t2 = (J0 + W2) / T0;
  in.lc = (J3 + W3) / T0;
  return in;
}

Inner inner_average(double x, double b, double theta) {
  if (b < 1.0) return inner_hermite(x, b, theta);
  return inner_split(x, b, theta);
}

// ---- inner average at T = 0: E_{z1} e^{μ|x + b z1|}, closed form -------------------------------
struct InnerT0 {
  double logz = 0;  // log E e^{μ|g|}
  double sgn = 0;   // ⟨sign g⟩
  double abs = 0;   // ⟨|g|⟩
};

InnerT0 inner_t0(double x_in, double b, double mu) {
  const double x = std::abs(x_in), s = x_in < 0 ? -1.0 : 1.0;
  if (b < 1e-12) return {mu * x, x_in == 0 ? 0.0 : s, x};
  const double S = mu * x + 0.5 * mu * mu * b * b;
  const double yp = x / b + mu * b, ym = mu * b - x / b;
  const double Pp = Phi(yp), Pm = Phi(ym), E2 = std::exp(-2 * mu * x);
  const double J0 = Pp + E2 * Pm, J1 = Pp - E2 * Pm;
  const double Jabs = (x + mu * b * b) * Pp + b * phi_density(yp) + E2 * ((mu * b * b - x) * Pm + b * phi_density(ym));
  return {S + std::log(J0), s * J1 / J0, Jabs / J0};
}

struct Xi {  // ξ(q) = c q^P with c = β²γ/2
  int P;
  double c;
  double v(double q) const { return c * std::pow(q, P); }
  double d1(double q) const { return c * P * std::pow(q, P - 1); }
  double d2(double q) const { return c * P * (P - 1) * std::pow(q, P - 2); }
};

double signal_field(int P, double m) { return 0.5 * P * std::pow(m, P - 1); }

// Adaptive under-relaxation for the fixed-point iterations: the step shrinks when the largest update
// changes sign from one iteration to the next (a period-2 cycle of the map) and grows back otherwise.
class Damper {
 public:
  double operator()(std::initializer_list<double> deltas) {
    double lead = 0;
    for (double d : deltas)
      if (std::abs(d) > std::abs(lead)) lead = d;
    eta_ = lead * last_ < 0 ? std::max(0.02, 0.5 * eta_) : std::min(1.0, 1.25 * eta_);
    last_ = lead;
    return eta_;
  }

 private:
  double eta_ = 1, last_ = 0;
};

}  // namespace

double gamma_from_alpha(int P, double alpha) { return 0.5 * factorial(P) * alpha; }
double alpha_from_gamma(int P, double gamma) { return 2.0 * gamma / factorial(P); }

// ================================ replica symmetric ============================================

namespace {
struct RsMoments {
  double t1 = 0, t2 = 0, s4 = 0, lc = 0;  // E tanh, E tanh², E sech⁴, E log cosh
};
// The RS cavity field β(signal) + z·(noise): P-body Hebbian √ξ'(q); Hopfield β√(αr), r = q/A²,
// A = 1 − β(1 − q) (AGS).
struct RsField {
  double h = 0, a = 0, A = 1;
};
RsField rs_field(const Model& M, double beta, double m, double q) {
  if (M.hopfield) {
    const double A = 1 - beta * (1 - q);
    return {beta * m, beta * std::sqrt(M.gamma * q) / A, A};
  }
  const Xi xi{M.P, 0.5 * beta * beta * M.gamma};
  return {beta * signal_field(M.P, m), std::sqrt(xi.d1(q)), 1.0};
}
RsMoments rs_moments(const RsField& f) {
  RsMoments r;
  for (const Node& n : outer_nodes(f.h, f.a, 1.0)) {
    const double g = f.h + f.a * n.z, t = std::tanh(g), s2 = 1 - t * t;
    r.t1 += n.w * t;
    r.t2 += n.w * t * t;
    r.s4 += n.w * s2 * s2;
    r.lc += n.w * log_cosh(g);
  }
  return r;
}
}  // namespace

double at_lambda(const Model& M, double beta, double m, double q) {
  // T = 0: q = 1 with a field density p(0) > 0 at the origin gives λ_AT ∝ β p(0) → ∞.
  if (std::isinf(beta)) return q > 0 && M.gamma > 0 ? std::numeric_limits<double>::infinity() : 0.0;
  const RsField f = rs_field(M, beta, m, q);
  if (M.hopfield) return beta * beta * M.gamma * rs_moments(f).s4 / (f.A * f.A);  // αβ² E sech⁴ / A²
  const Xi xi{M.P, 0.5 * beta * beta * M.gamma};
  return xi.d2(q) * rs_moments(f).s4;
}

namespace {
// T = 0 RS. P-body: m = erf(m^{P−1} √(P/(4γ))), u = −m^P/2 − γ P p(0), p the field density at 0.
// Hopfield (AGS): σ = √α/(1 − C), m = erf(m/(√2 σ)), C = 2 p(0) = 2φ(m/σ)/σ,
// u = α/2 − m²/2 − (α/2)[1/(1 − C) + C/(1 − C)²].
Rs solve_rs_t0(const Model& M, double m) {
  Rs out;
  const int P = M.P;
  out.q = 1;
  out.phi = std::numeric_limits<double>::infinity();
  if (!(M.gamma > 0)) {  // zero load: the pattern itself
    out.m = 1;
    out.energy = -0.5;
    out.converged = true;
    return out;
  }
  double C = 0;
  for (int it = 0; it < 100000; ++it) {
    double next = 0, nC = C;
    if (M.hopfield) {
      const double sigma = std::sqrt(M.gamma) / (1 - C);
      next = std::erf(m / (std::sqrt(2.0) * sigma));
      nC = 2 * phi_density(m / sigma) / sigma;
    } else {
      next = std::erf(std::pow(m, P - 1) * std::sqrt(P / (4 * M.gamma)));
    }
    const double change = std::max(std::abs(next - m), std::abs(nC - C));
    m = next;
    C = nC;
    if (change < 1e-15) {
      out.converged = true;
      break;
    }
  }
  out.m = m;
  if (M.hopfield) {
    out.energy = 0.5 * M.gamma - 0.5 * m * m - 0.5 * M.gamma * (1 / (1 - C) + C / ((1 - C) * (1 - C)));
    out.at = C > 0 ? std::numeric_limits<double>::infinity() : 0.0;
  } else {
    const double sigma = std::sqrt(M.gamma * P / 2), p0 = phi_density(signal_field(P, m) / sigma) / sigma;
    out.energy = -0.5 * std::pow(m, P) - M.gamma * P * p0;
    out.at = p0 > 0 ? std::numeric_limits<double>::infinity() : 0.0;
  }
  return out;
}
}  // namespace

Rs solve_rs(const Model& M, double beta, double m, double q) {
  if (std::isinf(beta)) return solve_rs_t0(M, m);
  Rs out;
  const int P = M.P;
  const bool hold_m = (m == 0);
  for (int it = 0; it < 100000; ++it) {
    const RsMoments r = rs_moments(rs_field(M, beta, m, q));
    const double nm = hold_m ? 0.0 : r.t1, nq = r.t2;
    const double change = std::max(std::abs(nm - m), std::abs(nq - q));
    m = nm;
    q = nq;
    if (change < 1e-13) {
      out.converged = true;
      break;
    }
  }
  const RsField f = rs_field(M, beta, m, q);
  const RsMoments r = rs_moments(f);
  out.m = m;
  out.q = q;
  out.at = at_lambda(M, beta, m, q);
  if (M.hopfield) {
    // AGS: φ = −β(α/2 + m²/2) − (α/2)[ln A − βq/A] − (αβ²/2) r (1 − q) + log 2 + E log cosh g.
    const double alpha = M.gamma, A = f.A, rr = q / (A * A);
    out.phi = -beta * (0.5 * alpha + 0.5 * m * m) - 0.5 * alpha * (std::log(A) - beta * q / A) -
              0.5 * alpha * beta * beta * rr * (1 - q) + kLn2 + r.lc;
    out.energy = 0.5 * alpha - 0.5 * m * m - 0.5 * alpha * (1 / A + beta * q * (1 - q) / (A * A));
    return out;
  }
  const Xi xi{P, 0.5 * beta * beta * M.gamma};
  out.phi = -beta * (P - 1) / 2 * std::pow(m, P) + kLn2 + r.lc + 0.5 * (xi.v(1) - xi.v(q) - (1 - q) * xi.d1(q));
  out.energy = -0.5 * std::pow(m, P) - 0.5 * beta * M.gamma * (1 - std::pow(q, P));
  return out;
}

// ================================ 1RSB, finite β ================================================

namespace {
// E_{z0} of the inner averages for the field h + a z0 + b z1 with weight cosh^θ.
struct Moments1 {
  double Lz = 0, Llc = 0, m = 0, q1 = 0, q0 = 0;  // E log Z1, E⟨log cosh⟩₁, E⟨t⟩₁, E⟨t²⟩₁, E⟨t⟩₁²
};
Moments1 moments_1rsb(double h, double a, double b, double theta) {
  Moments1 r;
  for (const Node& n : outer_nodes(h, a, std::max(1.0, b))) {
    const Inner in = inner_average(h + a * n.z, b, theta);
    r.Lz += n.w * in.logz;
    r.Llc += n.w * in.lc;
    r.m += n.w * in.t1;
    r.q1 += n.w * in.t2;
    r.q0 += n.w * in.t1 * in.t1;
  }
  return r;
}

// Hopfield 1RSB (Crisanti–Amit–Gutfreund, derived here in the same conventions). With 1RSB overlaps
// the matrix I − βQ has eigenvalues A = 1 − β(1 − q1) (multiplicity n − n/θ), D = A − βθ(q1 − q0)
// (n/θ − 1) and D − nβq0 (1), so (1/n) Tr log(I − βQ) → (1 − 1/θ) ln A + (1/θ) ln D − βq0/D, and
//   φ = −β(α/2 + m²/2) − (α/2)[(1 − 1/θ) ln A + (1/θ) ln D − βq0/D]
//       − (αβ²/2)[(θ − 1) r1 q1 − θ r0 q0 + r1] + log 2 + E_{z0}(1/θ) log E_{z1} cosh^θ g,
//   g = β(m + z0 √(α r0) + z1 √(α(r1 − r0))).
// Stationarity in q0, q1: r0 = q0/D², r1 = r0 + (1/D − 1/A)/(βθ) (θ = 1 or q0 = q1: AGS, r = q/A²);
// in r0, r1, m: the same q0, q1, m equations as the P-body case; in θ:
//   E[(1/θ)⟨log cosh g⟩₁ − (1/θ²) log Z1] − (α/2)[ln(A/D)/θ² − β(q1 − q0)/(θD) − β²q0(q1 − q0)/D²]
//   − (αβ²/2)(r1 q1 − r0 q0) = 0.
// AT: the replicon multiplier is b²/(q1 − q0) E sech⁴ → αβ² E sech⁴/A², the known Hopfield AT line.
double phi_hopfield(double alpha, double beta, const State& s, double r0, double r1, Moments1* out) {
  const double th = s.theta, A = 1 - beta * (1 - s.q1), D = A - beta * th * (s.q1 - s.q0);
  const Moments1 mo = moments_1rsb(beta * s.m, beta * std::sqrt(alpha * r0), beta * std::sqrt(alpha * std::max(0.0, r1 - r0)), th);
  if (out) *out = mo;
  return -beta * (0.5 * alpha + 0.5 * s.m * s.m) - 0.5 * alpha * ((1 - 1 / th) * std::log(A) + std::log(D) / th - beta * s.q0 / D) -
         0.5 * alpha * beta * beta * ((th - 1) * r1 * s.q1 - th * r0 * s.q0 + r1) + kLn2 + mo.Lz / th;
}

Map apply_map_hopfield(double alpha, double beta, const State& s, bool with_energy) {
  const double th = s.theta, A = 1 - beta * (1 - s.q1), D = A - beta * th * (s.q1 - s.q0);
  Map out;
  if (!(A > 0 && D > 0)) {
    out.m = out.q0 = out.q1 = out.dphi_dtheta = out.phi = out.energy = kNaN;
    return out;
  }
  const double r0 = s.q0 / (D * D), r1 = r0 + (1 / D - 1 / A) / (beta * th);
  Moments1 mo;
  out.phi = phi_hopfield(alpha, beta, s, r0, r1, &mo);
  out.m = mo.m;
  out.q1 = mo.q1;
  out.q0 = mo.q0;
  const double dq = s.q1 - s.q0;
  out.dphi_dtheta = mo.Llc / th - mo.Lz / (th * th) -
                    0.5 * alpha * (std::log(A / D) / (th * th) - beta * dq / (th * D) - beta * beta * s.q0 * dq / (D * D)) -
                    0.5 * alpha * beta * beta * (r1 * s.q1 - r0 * s.q0);
  // u = −∂φ/∂β at fixed (m, q0, q1, θ, r0, r1) (φ is stationary in all of them): central difference.
  const double d = 1e-4 * beta;
  out.energy = !with_energy ? kNaN : -(phi_hopfield(alpha, beta + d, s, r0, r1, nullptr) - phi_hopfield(alpha, beta - d, s, r0, r1, nullptr)) / (2 * d);
  return out;
}
Map map_impl(const Model& M, double beta, const State& s, bool with_energy);
}  // namespace

Map apply_map(const Model& M, double beta, const State& s) { return map_impl(M, beta, s, true); }

namespace {
Map map_impl(const Model& M, double beta, const State& s, bool with_energy) {
  if (M.hopfield) return apply_map_hopfield(M.gamma, beta, s, with_energy);
  const int P = M.P;
  const Xi xi{P, 0.5 * beta * beta * M.gamma};
  const Moments1 mo = moments_1rsb(beta * signal_field(P, s.m), std::sqrt(xi.d1(s.q0)),
                                   std::sqrt(std::max(0.0, xi.d1(s.q1) - xi.d1(s.q0))), s.theta);
  const double th = s.theta, dpsi = (P - 1) * (xi.v(s.q1) - xi.v(s.q0));
  Map out;
  out.m = mo.m;
  out.q1 = mo.q1;
  out.q0 = mo.q0;
  out.dphi_dtheta = mo.Llc / th - mo.Lz / (th * th) - 0.5 * dpsi;
  out.phi = -beta * (P - 1) / 2 * std::pow(s.m, P) + kLn2 + mo.Lz / th +
            0.5 * (xi.v(1) - xi.v(s.q1) - (1 - s.q1) * xi.d1(s.q1)) - 0.5 * th * dpsi;
  out.energy = -0.5 * std::pow(s.m, P) -
               0.5 * beta * M.gamma * (1 - (1 - th) * std::pow(s.q1, P) - th * std::pow(s.q0, P));
  return out;
}
}  // namespace

namespace {
Rsb rs_as_rsb(const Model& M, double beta, const State& start) {
  const Rs rs = solve_rs(M, beta, start.m, std::max(start.q1, 1e-3));
  Rsb out;
  out.s = {rs.m, rs.q, rs.q, kNaN};
  out.phi = rs.phi;
  out.energy = rs.energy;
  out.broken = false;
  out.converged = rs.converged;
  return out;
}
}  // namespace

Rsb solve(const Model& M, double beta, State start) {
  if (std::isinf(beta)) {
    const Ground g = solve_ground(M, {start.m, start.q0, 1.0, 0.0, 0.0, false});
    Rsb out;
    out.s = {g.m, g.q0, 1.0, 0.0};
    out.phi = std::numeric_limits<double>::infinity();
    out.energy = g.energy;
    out.broken = g.q0 < 1 - 1e-9;
    out.converged = g.converged;
    return out;
  }
  // Joint iteration: (m, q0, q1) ← the 1RSB map, θ ← one Newton step on G(θ) = ∂φ/∂θ at the current
  // q's (finite-difference G'). φ is minimal in θ, so G' > 0 near θ*; θ is kept in (0, 1]. Slaving θ
  // this way follows the branch the start selects (a scan in θ at fixed θ would lose the retrieval
  // state beyond the RS capacity, where it does not exist at θ = 1). θ pinned at 1 with G < 0 means
  // θ* ≥ 1, and merged replicas (q1 → q0) mean the RS solution: both return the RS solution.
  const bool hold_m = (start.m == 0);
  State s = start;
  s.theta = std::clamp(s.theta, 1e-6, 1.0);
  bool converged = false;
  Damper damp;
  for (int it = 0; it < 5000; ++it) {
    const Map f = map_impl(M, beta, s, false);
    if (!std::isfinite(f.m)) {  // Hopfield: D = A − βθ(q1 − q0) ≤ 0, θ too large for these q's
      s.theta *= 0.5;
      continue;
    }
    double step = 0;
    if (s.q1 - s.q0 > 1e-9) {
      const double d = 1e-5 * s.theta;
      const double slope = (map_impl(M, beta, {s.m, s.q0, s.q1, s.theta - d}, false).dphi_dtheta - f.dphi_dtheta) / -d;
      step = slope > 0 ? -f.dphi_dtheta / slope : (f.dphi_dtheta > 0 ? -0.2 : 0.2) * s.theta;
    }
    const double dm = hold_m ? 0.0 : f.m - s.m, dq0 = f.q0 - s.q0, dq1 = f.q1 - s.q1;
    const double eta = damp({dm, dq0, dq1});
    const State next{s.m + eta * dm, s.q0 + eta * dq0, s.q1 + eta * dq1,
                     std::clamp(s.theta + eta * step, 0.25 * s.theta, std::min(1.0, 4 * s.theta))};
    // φ is flat in θ at θ*: θ is converged when its step is below 1e-10 or G is at round-off.
    const double change = std::max({std::abs(dm), std::abs(dq0), std::abs(dq1)});
    const bool theta_done = std::abs(next.theta - s.theta) < 1e-10 || std::abs(f.dphi_dtheta) < 1e-13;
    s = next;
    if (change < 1e-12 && theta_done) {
      converged = true;
      break;
    }
    if (s.q1 - s.q0 < 1e-9) break;
  }
  if (!(s.q1 - s.q0 > 1e-6) || s.theta >= 1.0) return rs_as_rsb(M, beta, {s.m, s.q0, s.q0, 1.0});
  const Map f = apply_map(M, beta, s);
  Rsb out;
  out.s = s;
  out.phi = f.phi;
  out.energy = f.energy;
  out.broken = true;
  out.converged = converged;
  return out;
}

// ================================ 1RSB, T = 0 ===================================================

namespace {
struct MapT0 {
  double m = 0, q0 = 0, C = 0, dmu = 0, energy = 0;  // dmu = −∂e0/∂μ; C = β(1 − q1) (Hopfield)
};
MapT0 apply_map_t0(const Model& M, double m, double q0, double C, double mu) {
  // P-body: ĝ = (P/2)m^{P−1} + z0 √(γ(P/2)q0^{P−1}) + z1 √(γ(P/2)(1 − q0^{P−1})).
  // Hopfield (T → 0 of the CAG equations, C = β(1 − q1) and μ = βθ finite): A = 1 − C,
  // D = A − μ(1 − q0), r0 = q0/D², r1 − r0 = (1/D − 1/A)/μ, ĝ = m + z0 √(α r0) + z1 √(α(r1 − r0)),
  //   C = E_{z0}[2φ(x/b)/(b Z1(x))] (β sech²(βĝ) → 2δ(ĝ) under the e^{μ|ĝ|} weight),
  //   e0 = α/2 + m²/2 + (α/2)[ln(D/A)/μ − q0/D] + (α/2)[r1 C + μ(r1 − r0 q0)] − (1/μ) E log Z1,
  // stationary in μ: dmu = −∂e0/∂μ (r0, r1 held: e0 is stationary in them).
  const int P = M.P;
  double h = 0, a = 0, b = 0, A = 1, D = 1, r0 = 0, r1 = 0;
  MapT0 out;
  if (M.hopfield) {
    A = 1 - C;
    D = A - mu * (1 - q0);
    if (!(A > 0 && D > 0)) {
      out.m = out.q0 = out.C = out.dmu = out.energy = kNaN;
      return out;
    }
    r0 = q0 / (D * D);
    r1 = r0 + (1 / D - 1 / A) / mu;
    h = m;
    a = std::sqrt(M.gamma * r0);
    b = std::sqrt(std::max(0.0, M.gamma * (r1 - r0)));
  } else {
    h = signal_field(P, m);
    a = std::sqrt(M.gamma * P / 2 * std::pow(q0, P - 1));
    b = std::sqrt(std::max(0.0, M.gamma * P / 2 * (1 - std::pow(q0, P - 1))));
  }
  const double scale = std::max(1e-9, std::min(b, 0.5 / mu));
  double Lz = 0, Lg = 0, s1 = 0, s2 = 0, c = 0;
  for (const Node& n : outer_nodes(h, a, scale)) {
    const double x = h + a * n.z;
    const InnerT0 in = inner_t0(x, b, mu);
    Lz += n.w * in.logz;
    Lg += n.w * in.abs;
    s1 += n.w * in.sgn;
    s2 += n.w * in.sgn * in.sgn;
    if (M.hopfield && b > 1e-12) c += n.w * std::exp(std::log(2 * phi_density(x / b) / b) - in.logz);
  }
  out.m = s1;
  out.q0 = s2;
  if (M.hopfield) {
    const double alpha = M.gamma;
    out.C = c;
    out.dmu = Lg / mu - Lz / (mu * mu) -
              0.5 * alpha * (std::log(A / D) / (mu * mu) - (1 - q0) / (mu * D) - q0 * (1 - q0) / (D * D)) -
              0.5 * alpha * (r1 - r0 * q0);
    out.energy = 0.5 * alpha + 0.5 * m * m + 0.5 * alpha * (std::log(D / A) / mu - q0 / D) +
                 0.5 * alpha * (r1 * C + mu * (r1 - r0 * q0)) - Lz / mu;
    return out;
  }
  const double tail = M.gamma * (P - 1) / 4 * (1 - std::pow(q0, P));
  out.dmu = Lg / mu - Lz / (mu * mu) - tail;
  out.energy = (P - 1) / 2.0 * std::pow(m, P) - Lz / mu + mu * tail;
  return out;
}

// Joint iteration as in solve(): (m, q0, C) ← the T = 0 map, μ ← one Newton step on dmu (e0 is
// maximal in μ, so dmu = −∂e0/∂μ rises through 0 at μ*); m held when hold_m.
Ground ground_impl(const Model& M, Ground start, bool hold_m) {
  double m = start.m, q0 = std::min(start.q0, 1 - 1e-6), mu = start.mu > 0 ? start.mu : 1.0, C = start.C;
  Ground out;
  Damper damp;
  for (int it = 0; it < 20000; ++it) {
    const MapT0 f = apply_map_t0(M, m, q0, C, mu);
    if (!std::isfinite(f.m)) {  // Hopfield: D ≤ 0, μ too large for these q0, C
      mu *= 0.5;
      continue;
    }
    const double d = 1e-5 * mu;
    const double slope = (apply_map_t0(M, m, q0, C, mu + d).dmu - f.dmu) / d;
    const double step = slope > 0 ? -f.dmu / slope : (f.dmu < 0 ? 0.2 : -0.2) * mu;
    const double dm = hold_m ? 0.0 : f.m - m, dq0 = f.q0 - q0, dC = f.C - C;
    const double eta = damp({dm, dq0, dC});
    const double nmu = std::clamp(mu + eta * step, 0.25 * mu, 4 * mu);
    // e0 is flat in μ at μ*: μ is converged when its step is 1e-9 relative or dmu is at round-off.
    const double change = std::max({std::abs(dm), std::abs(dq0), std::abs(dC)});
    const bool mu_done = std::abs(nmu - mu) < 1e-9 * std::max(1.0, mu) || std::abs(f.dmu) < 1e-14;
    m += eta * dm;
    q0 += eta * dq0;
    C += eta * dC;
    mu = nmu;
    if (change < 1e-13 && mu_done) {
      out.converged = true;
      break;
    }
  }
  const MapT0 f = apply_map_t0(M, m, q0, C, mu);
  out.m = m;
  out.q0 = q0;
  out.mu = mu;
  out.C = C;
  out.energy = f.energy;
  out.m_rhs = f.m;
  return out;
}
}  // namespace

Ground solve_ground(const Model& M, Ground start) { return ground_impl(M, start, start.m == 0); }
Ground solve_ground_at_m(const Model& M, double m, double q0_start) {
  return ground_impl(M, {m, q0_start, 1.0, 0.0, 0.0, false}, true);
}

namespace {
// Maximum of a unimodal f on [a, b] by golden section to |b − a| < tol: returns the argmax.
template <class F>
double golden_max(F&& f, double a, double b, double tol) {
  const double r = 0.5 * (std::sqrt(5.0) - 1);
  double c = b - r * (b - a), d = a + r * (b - a);
  double fc = f(c), fd = f(d);
  while (b - a > tol) {
    if (fc > fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - r * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + r * (b - a);
      fd = f(d);
    }
  }
  return fc > fd ? c : d;
}
}  // namespace

Capacity rs_capacity_t0(int P, bool hopfield) {
  Capacity out;
  if (hopfield) {
    // AGS at T = 0 with y = m/(√2 σ): m = erf y, σ = √α/(1 − C), C = √(2/π) e^{−y²}/σ, so
    // √α = erf(y)/(√2 y) − √(2/π) e^{−y²}; the capacity is the maximum over y.
    auto alpha_of_y = [](double y) {
      const double s = std::erf(y) / (std::sqrt(2.0) * y) - std::sqrt(2 / M_PI) * std::exp(-y * y);
      return s > 0 ? s * s : 0.0;
    };
    const double y = golden_max(alpha_of_y, 0.5, 4.0, 1e-12);
    out.gamma = out.alpha = alpha_of_y(y);
    out.m = std::erf(y);
    return out;
  }
  // γ(m) = P m^{2P−2} / (4 erfinv(m)²) along the solution curve.
  auto gamma_of_m = [P](double m) {
    double y = 1.0;  // erfinv(m) by Newton on erf
    for (int it = 0; it < 200; ++it) {
      const double d = (std::erf(y) - m) / (2 / std::sqrt(M_PI) * std::exp(-y * y));
      y -= d;
      if (std::abs(d) < 1e-15) break;
    }
    return P * std::pow(m, 2 * P - 2) / (4 * y * y);
  };
  out.m = golden_max(gamma_of_m, 0.3, 1 - 1e-9, 1e-12);
  out.gamma = gamma_of_m(out.m);
  out.alpha = alpha_from_gamma(P, out.gamma);
  return out;
}

Capacity rsb_capacity_t0(int P) {
  // Along the T = 0 retrieval curve, hold m and solve q0 and μ and then γ from m = E⟨sign ĝ⟩
  // (secant in γ, warm-started); γ(m) rises from the unstable small-m branch to the stable one and
  // peaks at the spinodal: maximise it by golden section. γ(m) is quadratic at its peak, so m to 1e-5
  // gives γ to ~1e-10.
  const Capacity rs = rs_capacity_t0(P);
  Ground warm{rs.m, 0.9, 2.0, 0.0, 0.0, false};
  double guess = rs.gamma;
  auto gamma_of_m = [&](double m) {
    auto excess = [&](double gamma) {
      Ground start = warm;
      start.m = m;
      const Ground g = ground_impl(Model{P, gamma}, start, true);
      if (g.converged) warm = g;
      return g.m_rhs - m;
    };
    double g0 = guess, e0 = excess(g0), g1 = 1.01 * guess, e1 = excess(g1);
    for (int it = 0; it < 60 && std::abs(g1 - g0) > 1e-13 * g1 && e1 != e0; ++it) {
      const double g2 = std::max(0.2 * g1, g1 - e1 * (g1 - g0) / (e1 - e0));
      g0 = g1;
      e0 = e1;
      g1 = g2;
      e1 = excess(g1);
    }
    guess = g1;
    return g1;
  };
  const double m = golden_max(gamma_of_m, 0.4, 0.995, 1e-5), g = gamma_of_m(m);
  return {g, alpha_from_gamma(P, g), m, warm.q0, warm.mu};
}

// ================================ curves =========================================================

namespace {
constexpr double kRetrieved = 0.2;  // m above this: the retrieval branch (P ≥ 3 jumps to m ≳ 0.6)

State cold_retrieval(double beta) { return {1.0, 0.98, 0.999, std::min(0.9, 3.0 / beta)}; }

// A start for the next temperature from a solution at another one: keep βθ (θ ∝ T at low T).
State warm_from(const Rsb& r, double beta_from, double beta_to) {
  if (r.broken) return {r.s.m, r.s.q0, r.s.q1, std::min(0.95, r.s.theta * beta_from / beta_to)};
  const double q = r.s.q1;
  return {r.s.m, std::max(0.0, q - 1e-3), std::min(1 - 1e-9, q + 1e-3), std::min(0.9, 3.0 / beta_to)};
}
}  // namespace

Curves curves(const Model& M, std::span<const double> beta) {
  const std::size_t n = beta.size();
  std::vector<Rsb> ret(n), sg(n);
  std::vector<bool> found(n, false);
  // Finite β, hottest first (cooling), then a heating pass for the points the cooling pass missed.
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < n; ++i)
    if (std::isfinite(beta[i])) order.push_back(i);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return beta[a] < beta[b]; });
  auto attempt = [&](std::size_t i, const State& start) {
    const Rsb r = solve(M, beta[i], start);
    if (r.s.m > kRetrieved) {
      ret[i] = r;
      found[i] = true;
    }
    return found[i];
  };
  std::size_t last = n;  // index of the last retrieval solution met
  for (std::size_t i : order) {
    if (!(last < n && attempt(i, warm_from(ret[last], beta[last], beta[i])))) attempt(i, cold_retrieval(beta[i]));
    if (found[i]) last = i;
  }
  last = n;
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const std::size_t i = *it;
    if (!found[i] && last < n) attempt(i, warm_from(ret[last], beta[last], beta[i]));
    if (found[i]) last = i;
  }
  // m = 0 branch, hottest first, warm-started from the previous temperature when broken.
  State sg_start{0.0, 0.0, 0.999, 0.9};
  double sg_beta = 0;
  for (std::size_t i : order) {
    if (sg_beta > 0 && sg_start.q1 > 0.5) sg_start.theta = std::min(0.95, sg_start.theta * sg_beta / beta[i]);
    else sg_start = {0.0, 0.0, 0.999, std::min(0.95, 2.5 / beta[i])};
    sg[i] = solve(M, beta[i], sg_start);
    if (sg[i].broken) {
      sg_start = sg[i].s;
      sg_beta = beta[i];
    } else {
      sg_beta = 0;
    }
  }

  // Output: the 1RSB state of lowest free energy (retrieval or m = 0), the two branches separately,
  // and λ_AT at rs_dense's RS states (its stable one, and its retrieval one).
  const std::vector<std::string> names = {"m_1rsb",         "q0_1rsb",        "q1_1rsb",      "theta_1rsb",
                                          "energy_1rsb",    "f_1rsb",         "m_retrieval_1rsb", "f_retrieval_1rsb",
                                          "f_sg_1rsb",      "q1_sg_1rsb",     "theta_sg_1rsb", "at_lambda",
                                          "at_stable",      "at_lambda_retrieval"};
  std::vector<std::vector<double>> v(names.size(), std::vector<double>(n, kNaN));
  const double alpha = alpha_from_gamma(M.P, M.gamma);
  for (std::size_t i = 0; i < n; ++i) {
    const double b = beta[i];
    struct Branch {
      double m, q0, q1, theta, energy, f;
    };
    Branch r{kNaN, kNaN, kNaN, kNaN, kNaN, kNaN}, z{};
    if (std::isinf(b)) {
      // T = 0: start the retrieval from the coldest finite-β retrieval solution (μ = βθ), if any.
      Ground start{1.0, 0.9, 2.0, 0.0, 0.0, false};
      for (auto it = order.rbegin(); it != order.rend(); ++it)
        if (found[*it]) {
          const Rsb& x = ret[*it];
          start = {x.s.m, x.s.q0, x.broken ? x.s.theta * beta[*it] : 2.0, 0.0, 0.0, false};
          break;
        }
      const Ground g = M.gamma > 0 ? solve_ground(M, start) : Ground{1.0, 1.0, 0.0, -0.5, 1.0, true};
      const Ground gs = M.gamma > 0 ? solve_ground(M, {0.0, 0.0, 2.0, 0.0, 0.0, false}) : Ground{};
      if (g.m > kRetrieved) r = {g.m, g.q0, 1.0, 0.0, g.energy, g.energy};
      z = {0.0, gs.q0, 1.0, 0.0, gs.energy, gs.energy};
    } else {
      if (found[i]) r = {ret[i].s.m, ret[i].s.q0, ret[i].s.q1, ret[i].broken ? ret[i].s.theta : kNaN, ret[i].energy, -ret[i].phi / b};
      z = {0.0, sg[i].s.q0, sg[i].s.q1, sg[i].broken ? sg[i].s.theta : kNaN, sg[i].energy, -sg[i].phi / b};
    }
    const Branch& st = std::isfinite(r.f) && r.f <= z.f ? r : z;
    const dense::Solution rs = dense::solve_storage(M.P, alpha, b);
    const dense::State& rst = rs.stable_state();
    const double lam = at_lambda(M, b, rst.m, rst.q);
    const double lam_r = rs.retrieval.exists ? at_lambda(M, b, rs.retrieval.m, rs.retrieval.q) : kNaN;
    const double vals[] = {st.m, st.q0, st.q1, st.theta, st.energy, st.f, r.m, r.f,
                           z.f, z.q1, z.theta, lam, lam <= 1 ? 1.0 : 0.0, lam_r};
    for (std::size_t k = 0; k < names.size(); ++k) v[k][i] = vals[k];
  }
  Curves c;
  for (std::size_t k = 0; k < names.size(); ++k) c.add(names[k], std::move(v[k]));
  return c;
}

void append_1rsb_curves(Curves& c, const DenseHebbian::Params& p, std::span<const double> beta) {
  // The same setup as rs_dense's curves (load of the non-condensed patterns).
  const dense::Setup s = dense::setup_from(p);
  const bool covered = s.P >= 3 && s.data == dense::Data::storage && !s.self_interaction;
  Curves mine = curves(Model{covered ? s.P : 3, covered ? gamma_from_alpha(s.P, s.alpha) : 0.0}, covered ? beta : std::span<const double>{});
  for (std::size_t k = 0; k < mine.names.size(); ++k) {
    if (!covered) mine.values[k].assign(beta.size(), kNaN);
    c.add(mine.names[k], std::move(mine.values[k]));
  }
}

}  // namespace ptmc::theory::dense1rsb
