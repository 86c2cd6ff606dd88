#include "analysis/rs_perceptron.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <string>
#include <type_traits>
#include <vector>

#include "analysis/count_cost_integrals.hpp"
#include "analysis/gaussian_quadrature.hpp"
#include "analysis/quadratic_cost_integrals.hpp"
#include "engine/params/param_reader.hpp"

// Conventions (derivations in the comments below). Count cost, Boltzmann weight of a stability λ:
// w(λ) = ε + (1 - ε) Θ(λ - κ) with ε = e^{-β}. With Z(v) = ε + (1 - ε) H(v) and F(v) = (1 - ε) G(v) / Z(v):
//
// Storage:  -βf = -q̂(1-q)/2 + E_z ln 2cosh(√q̂ z) + α ∫Dt ln Z(u),  u = (κ + √q t)/√(1-q)
//   q = E_z tanh²(√q̂ z),  q̂ = α/(1-q) ∫Dt F(u)²  (Gardner–Derrida; ε = 0 gives docs/conventions.md's form).
//   The q̂ equation follows from ∂_q E_{h~N(0,q)} ln (γ_{1-q} * w)(h) = -½ E (∂_h ln(γ_{1-q} * w))².
//
// Teacher–student: teacher field u₀ and student field h = √q t with Cov(u₀, h) = R, D = q - R²:
//   -βf = -R R̂ - q̂(1-q)/2 + E_z ln 2cosh(√q̂ z + R̂) + α G_E,
//   G_E = 2 ∫Dt H(-R t/√D) ln Z(v),  v = (κ - √q t)/√(1-q).
//   R̂ = α ∂_R G_E = α √(2/π)/√(1-q) ∫Ds F((κ - √D s)/√(1-q))            (Price's theorem in Cov(u₀, h))
//   q̂ = -2α ∂_q G_E = 2α/(1-q) ∫Dt H(-R t/√D) F(v)²                    (Price in Var h + heat equation)
//   R = E_z tanh(√q̂ z + R̂),  q = E_z tanh²(√q̂ z + R̂).
// At T = 0, κ = 0, q = R these reduce to Györgyi's one-dimensional equation (docs/conventions.md); the tests check
// that the general map keeps q = R there.
// Energy per weight: e = -∂_β(-βf) = α ∫ (weight) ε (1 - H) / Z; entropy s = -βf + βe.

namespace ptmc::theory {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kInvSqrt2Pi = 0.39894228040143268;
constexpr double kSqrt2OverPi = 0.79788456080286536;


// H(x)/G(x) for x >= 5 by the continued fraction 1/(x + 1/(x + 2/(x + 3/(x + ...)))).
double mills_ratio(double x) {
  double t = x;
  for (int k = 100; k >= 1; --k) t = x + k / t;
  return 1.0 / t;
}


double log_2cosh(double x) {
  const double a = std::abs(x);
  return a + std::log1p(std::exp(-2 * a));
}

// Entropic averages over the fields x = √q̂ z + R̂: 1 - E tanh, 1 - E tanh², E ln 2cosh.
Feature entropic_feature(double Rhat, double qhat) {
  const double s = std::sqrt(std::max(qhat, 0.0));
  return {s > 0 ? -Rhat / s : 0.0, s > 0 ? 1.0 / s : 1.0};
}
double one_minus_mean_tanh(double Rhat, double qhat) {
  const double s = std::sqrt(std::max(qhat, 0.0));
  return feature_average([&](double z) { return 2.0 / (1.0 + std::exp(2 * (s * z + Rhat))); },
                         {entropic_feature(Rhat, qhat)});
}
double one_minus_mean_tanh2(double Rhat, double qhat) {
  const double s = std::sqrt(std::max(qhat, 0.0));
  return feature_average([&](double z) {
    const double c = std::cosh(s * z + Rhat);
    return std::isinf(c) ? 0.0 : 1.0 / (c * c);
  }, {entropic_feature(Rhat, qhat)});
}
double mean_log_2cosh(double Rhat, double qhat) {
  const double s = std::sqrt(std::max(qhat, 0.0));
  return feature_average([&](double z) { return log_2cosh(s * z + Rhat); }, {entropic_feature(Rhat, qhat)});
}

// ---------------------------------------------------------------- storage

// The storage map for either cost: `weights(1 - q)` gives the cost's energetic factor at that q
// (the count cost's depends on β alone, the quadratic cost's on β(1 - q) too). q̂ = α ⟨F²⟩/(1 - q) holds
// for any cost smoothed by the cavity's Gaussian, F = -∂_v ln Z.
double constraint_cost(const CountCostWeights& w, double v) { return w.violated(v); }
double constraint_cost(const QuadraticCostWeights& w, double v) { return w.mean_cost(v); }
bool zero_temperature(const CountCostWeights& w) { return w.zero_t; }
bool zero_temperature(const QuadraticCostWeights&) { return false; }

template <class W>
double storage_qhat(double alpha, double kappa, double one_minus_q, const W& w) {
  const double q = 1 - one_minus_q, a = std::sqrt(one_minus_q), sq = std::sqrt(q);
  const Feature ft{sq > 0 ? -kappa / sq : 0.0, sq > 0 ? a / sq : 1.0};
  const double I = feature_average([&](double t) {
    const double f = w.F((kappa + sq * t) / a);
    return f * f;
  }, {ft});
  return alpha / one_minus_q * I;
}

template <class Weights>
PerceptronRs storage_point(double alpha, double kappa, double beta, double one_minus_q, const Weights& weights) {
  const auto w = weights(one_minus_q);
  PerceptronRs r;
  r.q = 1 - one_minus_q;
  r.qhat = storage_qhat(alpha, kappa, one_minus_q, w);
  const double a = std::sqrt(one_minus_q), sq = std::sqrt(r.q);
  const Feature ft{sq > 0 ? -kappa / sq : 0.0, sq > 0 ? a / sq : 1.0};
  const double logZ = feature_average([&](double t) { return w.log_Z((kappa + sq * t) / a); }, {ft});
  const double viol = feature_average([&](double t) { return w.violated((kappa + sq * t) / a); }, {ft});
  // The count cost's cost per constraint is the violated fraction itself: not integrated twice.
  const double cost = std::is_same_v<std::decay_t<decltype(w)>, CountCostWeights>
                          ? viol
                          : feature_average([&](double t) { return constraint_cost(w, (kappa + sq * t) / a); }, {ft});
  r.phi = -0.5 * r.qhat * one_minus_q + mean_log_2cosh(0.0, r.qhat) + alpha * logZ;
  r.energy = alpha * cost;
  r.train_error = viol;
  r.entropy = zero_temperature(w) ? r.phi : r.phi + beta * r.energy;
  r.free_energy = zero_temperature(w) ? 0.0 : -r.phi / beta;
  r.converged = true;
  return r;
}

// d(x) = -ln(1 - q_new) - x at 1 - q = e^{-x}: positive while the map pushes q up.
template <class Weights>
double storage_drift(double alpha, double kappa, const Weights& weights, double x) {
  const double one_minus_q = std::exp(-x);
  const double qhat = storage_qhat(alpha, kappa, one_minus_q, weights(one_minus_q));
  const double omq_new = one_minus_mean_tanh2(0.0, qhat);
  return -std::log(omq_new) - x;
}

template <class Weights>
PerceptronRs storage_solve(double alpha, double kappa, double beta, const Weights& weights) {
  // d(x) > 0 at small x (q̂(0) > 0) and, for a solution to exist, < 0 at large x. Take the first
  // downward crossing (the storage map has a single one in every case we scanned).
  // The grid starts at q = 1e-15 (at high T, q ~ α β²) and is logarithmic up to q = 0.05.
  double prev_x = 1e-15, prev = storage_drift(alpha, kappa, weights, prev_x);
  for (double x = 1e-14; x <= 40.0; x = x < 0.05 ? x * 10 : x + (x < 2 ? 0.05 : 0.5)) {
    const double cur = storage_drift(alpha, kappa, weights, x);
    if (prev > 0 && cur <= 0) {
      double lo = prev_x, hi = x;
      for (int it = 0; it < 80 && hi - lo > 1e-14 * hi; ++it) {
        const double mid = 0.5 * (lo + hi);
        (storage_drift(alpha, kappa, weights, mid) > 0 ? lo : hi) = mid;
      }
      return storage_point(alpha, kappa, beta, std::exp(-0.5 * (lo + hi)), weights);
    }
    prev_x = x;
    prev = cur;
  }
  PerceptronRs r;  // q → 1 with an entropy going to -∞: no RS solution with zero energy
  r.q = 1;
  r.phi = r.entropy = r.energy = r.train_error = r.free_energy = NAN;
  r.converged = false;
  return r;
}

// ---------------------------------------------------------------- teacher–student

struct Conjugates {
  double Rhat, qhat;
};

// The energetic half of the saddle-point map at (R, q), given as 1 - R and 1 - q (exact near 1).
Conjugates ts_conjugates(double alpha, double kappa, const CountCostWeights& w, double omR, double omq) {
  const double R = 1 - omR, q = 1 - omq;
  const double D = std::max(2 * omR - omR * omR - omq, 1e-300);  // q - R²
  const double a = std::sqrt(omq), sD = std::sqrt(D), sq = std::sqrt(q);
  Conjugates m{};
  m.Rhat = alpha * kSqrt2OverPi / a *
           feature_average([&](double s) { return w.F((kappa - sD * s) / a); }, {{kappa / sD, a / sD}});
  m.qhat = 2 * alpha / omq * feature_average([&](double t) {
    const double f = w.F((kappa - sq * t) / a);
    return gauss_tail(-R * t / sD) * f * f;
  }, {{0.0, sD / std::max(std::abs(R), 1e-300)}, {kappa / sq, a / sq}});
  return m;
}

PerceptronRs ts_point(double alpha, double kappa, double beta, double omR, double omq) {
  const CountCostWeights w(beta);
  const Conjugates m = ts_conjugates(alpha, kappa, w, omR, omq);
  const double R = 1 - omR, q = 1 - omq;
  const double D = std::max(2 * omR - omR * omR - omq, 1e-300);
  const double a = std::sqrt(omq), sD = std::sqrt(D), sq = std::sqrt(q);
  const std::initializer_list<Feature> fts = {{0.0, sD / std::max(std::abs(R), 1e-300)}, {kappa / sq, a / sq}};
  const double GE = 2 * feature_average([&](double t) { return gauss_tail(-R * t / sD) * w.log_Z((kappa - sq * t) / a); }, fts);
  const double viol = 2 * feature_average([&](double t) { return gauss_tail(-R * t / sD) * w.violated((kappa - sq * t) / a); }, fts);
  PerceptronRs r;
  r.R = R;
  r.q = q;
  r.Rhat = m.Rhat;
  r.qhat = m.qhat;
  r.phi = -R * m.Rhat - 0.5 * m.qhat * omq + mean_log_2cosh(m.Rhat, m.qhat) + alpha * GE;
  r.energy = alpha * viol;
  r.train_error = viol;
  r.entropy = w.zero_t ? r.phi : r.phi + beta * r.energy;
  r.free_energy = w.zero_t ? 0.0 : -r.phi / beta;
  r.converged = true;
  return r;
}

// R = q = 1 exactly (κ = 0): the teacher's state, isolated at any T; f = e = s = 0.
PerceptronRs perfect_point() {
  PerceptronRs r;
  r.R = r.q = 1;
  r.Rhat = r.qhat = kInf;
  r.converged = true;
  return r;
}

// At fixed R, solve for q: the root of y_new(y) - y in y = ln(1 - q) by the secant method from a warm
// start, kept inside q >= R². Returns 1 - q.
double ts_inner_q(double alpha, double kappa, const CountCostWeights& w, double omR, double omq) {
  const double y_max = std::log((2 * omR - omR * omR) * (1 - 1e-9)), y_min = std::log(1e-15);
  auto residual = [&](double y) {
    const Conjugates c = ts_conjugates(alpha, kappa, w, omR, std::exp(y));
    return std::log(one_minus_mean_tanh2(c.Rhat, c.qhat)) - y;
  };
  double y0 = std::clamp(std::log(omq), y_min, y_max), r0 = residual(y0);
  double y1 = std::clamp(y0 + r0, y_min, y_max), r1 = residual(y1);
  for (int it = 0; it < 60 && std::abs(y1 - y0) > 1e-11; ++it) {
    double y2 = r1 == r0 ? y1 + r1 : y1 - r1 * (y1 - y0) / (r1 - r0);
    if (!std::isfinite(y2)) y2 = y1 + 0.5 * r1;
    y2 = std::clamp(y2, y_min, y_max);
    y0 = y1;
    r0 = r1;
    y1 = y2;
    r1 = residual(y1);
  }
  return std::exp(y1);
}

// g(R) = R_new(R, q*(R)) - R at 1 - R = e^{-x}: positive where the map pushes R up.
struct Drift {
  double value, omq;
};
Drift ts_drift(double alpha, double kappa, const CountCostWeights& w, double x, double omq_guess) {
  const double omR = std::exp(-x);
  const double omq = ts_inner_q(alpha, kappa, w, omR, omq_guess);
  const Conjugates c = ts_conjugates(alpha, kappa, w, omR, omq);
  return {omR - one_minus_mean_tanh(c.Rhat, c.qhat), omq};
}

// Every fixed point of the reduced map with R from 1e-7 up to 1 - 6e-6 (x = 1e-7 .. 12), found by a
// scan and the Illinois (regula falsi) method. Closer to R = 1 the κ = 0 map has no other fixed point
// than R = 1 itself (handled exactly), and the quadratures lose their accuracy.
struct Root {
  double x, omq;
  bool stable;  // g crosses from + to -: attracting for the iteration in R
};
std::vector<Root> ts_roots(double alpha, double kappa, double beta) {
  const CountCostWeights w(beta);
  std::vector<Root> roots;
  std::vector<double> xs;
  for (double x : {1e-7, 1e-5, 1e-3}) xs.push_back(x);  // high T, small α: R can be tiny
  for (double x = 0.01; x < 1; x += 0.07) xs.push_back(x);
  for (double x = 1; x <= 12; x += 0.4) xs.push_back(x);
  Drift prev = ts_drift(alpha, kappa, w, xs[0], 0.99);
  for (std::size_t k = 1; k < xs.size(); ++k) {
    const Drift cur = ts_drift(alpha, kappa, w, xs[k], prev.omq);
    if ((prev.value > 0) != (cur.value > 0)) {
      double a = xs[k - 1], b = xs[k], ga = prev.value, gb = cur.value, omq = prev.omq;
      int side = 0;
      for (int it = 0; it < 60 && b - a > 1e-11 * b; ++it) {
        const double c = (a * gb - b * ga) / (gb - ga);
        const Drift d = ts_drift(alpha, kappa, w, c, omq);
        omq = d.omq;
        if ((d.value > 0) == (ga > 0)) {
          a = c;
          ga = d.value;
          if (side == -1) gb *= 0.5;
          side = -1;
        } else {
          b = c;
          gb = d.value;
          if (side == 1) ga *= 0.5;
          side = 1;
        }
        if (d.value == 0) a = b = c;
      }
      const double x = 0.5 * (a + b);
      const double omR = std::exp(-x), omq_root = ts_inner_q(alpha, kappa, w, omR, omq);
      const Conjugates cj = ts_conjugates(alpha, kappa, w, omR, omq_root);
      const double rR = std::log(one_minus_mean_tanh(cj.Rhat, cj.qhat) / omR);
      const double rq = std::log(one_minus_mean_tanh2(cj.Rhat, cj.qhat) / omq_root);
      // A sign change of g is a fixed point only if the inner q solution is continuous there: where it
      // jumps between branches, g changes sign without a root, and the residuals show it.
      if (std::abs(rR) < 1e-7 && std::abs(rq) < 1e-7) roots.push_back({x, omq_root, prev.value > 0});
    }
    prev = cur;
  }
  return roots;
}

// T = 0, κ = 0, Nishimori line: h(R) = E tanh(√R̂ z + R̂) - R with R̂ = α√(2/π)/√(1-R) ∫Dt G/H(√R t).
double nishimori_Rhat(double alpha, double R) {
  const double sR = std::sqrt(R);
  const double I = feature_average([&](double t) { return gauss_hazard(sR * t); }, {});
  return alpha * kSqrt2OverPi / std::sqrt(1 - R) * I;
}
double nishimori_drift(double alpha, double x) {
  const double omR = std::exp(-x);
  const double Rhat = nishimori_Rhat(alpha, 1 - omR);
  return omR - one_minus_mean_tanh(Rhat, Rhat);
}

// The first downward crossing of the Nishimori drift (the poor-generalisation branch), as x = -ln(1 - R).
std::optional<double> nishimori_poor_x(double alpha) {
  double prev_x = 1e-4, prev = nishimori_drift(alpha, prev_x);
  for (double x = 0.02; x < 27.6; x += (x < 4 ? 0.02 : 0.25)) {
    const double cur = nishimori_drift(alpha, x);
    if (prev > 0 && cur <= 0) {
      double lo = prev_x, hi = x;
      for (int it = 0; it < 80 && hi - lo > 1e-14; ++it) {
        const double mid = 0.5 * (lo + hi);
        (nishimori_drift(alpha, mid) > 0 ? lo : hi) = mid;
      }
      return 0.5 * (lo + hi);
    }
    prev_x = x;
    prev = cur;
  }
  return std::nullopt;
}

// Results that depend on κ or β only are asked for once per sweep point; remember them.
template <class V>
V memoized(std::map<double, V>& cache, double key, V (*compute)(double)) {
  static std::mutex mutex;
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (auto it = cache.find(key); it != cache.end()) return it->second;
  }
  const V v = compute(key);
  std::lock_guard<std::mutex> lock(mutex);
  return cache.emplace(key, v).first->second;
}

}  // namespace

double gauss_tail(double x) { return 0.5 * std::erfc(x * 0.70710678118654752); }

double log_gauss_tail(double x) {
  if (x < 5) return std::log(gauss_tail(x));
  return -0.5 * x * x + std::log(kInvSqrt2Pi * mills_ratio(x));
}

double gauss_hazard(double x) {
  if (x < 5) return gauss_density(x) / gauss_tail(x);
  return 1.0 / mills_ratio(x);
}

PerceptronRs storage_rs(double alpha, double kappa, double beta) {
  const CountCostWeights w(beta);
  return storage_solve(alpha, kappa, beta, [&w](double) -> const CountCostWeights& { return w; });
}

PerceptronRs storage_rs_quadratic(double alpha, double kappa, double beta) {
  return storage_solve(alpha, kappa, beta, [beta](double one_minus_q) { return QuadraticCostWeights(beta, one_minus_q); });
}

double storage_rs_capacity(double kappa) {
  const double I = (1 + kappa * kappa) * gauss_tail(-kappa) + kappa * gauss_density(kappa);
  return 2.0 / (M_PI * I);
}

double storage_entropy_zero(double kappa) {
  double lo = 1e-3, hi = storage_rs_capacity(kappa) * (1 - 1e-9);
  for (int it = 0; it < 60 && hi - lo > 1e-12; ++it) {
    const double mid = 0.5 * (lo + hi);
    (storage_rs(mid, kappa, kInf).phi > 0 ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

std::optional<PerceptronRs> gibbs_zero_temperature_poor(double alpha) {
  const auto x = nishimori_poor_x(alpha);
  if (!x) return std::nullopt;
  const double omR = std::exp(-*x);
  return ts_point(alpha, 0.0, kInf, omR, omR);
}

TeacherStudentRs teacher_student_rs(double alpha, double kappa, double beta) {
  std::vector<PerceptronRs> branches;
  if (std::isinf(beta) && kappa == 0) {
    if (auto poor = gibbs_zero_temperature_poor(alpha)) branches.push_back(*poor);
  } else {
    // At κ = 0 a branch with q > R is discarded: at T = 0 the Gibbs measure is the Bayes posterior, whose
    // overlaps obey q = R (Nishimori), and the RS equations' stable roots with q > R (found at low T above
    // the spinodal, all with negative entropy) do not continue the poor branch.
    for (const Root& r : ts_roots(alpha, kappa, beta)) {
      const double omR = std::exp(-r.x);
      if (r.stable && (kappa != 0 || r.omq >= omR * (1 - 1e-6)))
        branches.push_back(ts_point(alpha, kappa, beta, omR, r.omq));
    }
  }
  // κ = 0: R = 1 is always an attracting fixed point (an extensive move away from the teacher costs
  // energy ∝ √(1 - R), more than the entropy it gains), with f = 0. For κ ≠ 0 the scan finds the good branch.
  if (kappa == 0) branches.push_back(perfect_point());
  TeacherStudentRs out;
  if (branches.empty()) {
    out.equilibrium.R = out.equilibrium.q = out.equilibrium.phi = NAN;
    return out;
  }
  std::size_t best = 0;
  for (std::size_t k = 1; k < branches.size(); ++k)
    if (branches[k].phi > branches[best].phi) best = k;
  out.equilibrium = branches[best];
  // The metastable branch: the best of the others (the poor one beyond the transition, or the good one below).
  std::optional<std::size_t> other;
  for (std::size_t k = 0; k < branches.size(); ++k)
    if (k != best && (!other || branches[k].phi > branches[*other].phi)) other = k;
  if (other) out.metastable = branches[*other];
  return out;
}

TeacherStudentTransition teacher_student_transition(double beta) {
  // The poor branch exists below the spinodal; its free energy crosses that of R = 1 (zero) at alpha_c.
  auto poor = [&](double alpha) -> std::optional<PerceptronRs> {
    const auto b = teacher_student_rs(alpha, 0.0, beta);
    for (const auto& p : {std::optional<PerceptronRs>(b.equilibrium), b.metastable})
      if (p && p->R < 1) return p;
    return std::nullopt;
  };
  double lo = 0.5, hi = 4.0;
  for (int it = 0; it < 40 && hi - lo > 1e-7; ++it) {
    const double mid = 0.5 * (lo + hi);
    (poor(mid) ? lo : hi) = mid;
  }
  TeacherStudentTransition t;
  t.alpha_spinodal = 0.5 * (lo + hi);
  double a = 0.5, b = lo;
  for (int it = 0; it < 40 && b - a > 1e-7; ++it) {
    const double mid = 0.5 * (a + b);
    const auto p = poor(mid);
    (p && p->phi > 0 ? a : b) = mid;
  }
  t.alpha_c = 0.5 * (a + b);
  return t;
}

Curves binary_perceptron_curves(const BinaryPerceptron::Params& p, std::span<const double> beta) {
  using Mode = BinaryPerceptron::Mode;
  const double alpha = p.alpha, kappa = p.kappa;
  const bool count = p.cost == BinaryPerceptron::Cost::count;
  const std::size_t n = beta.size();
  auto column = [&] { return std::vector<double>(n, NAN); };
  Curves c;
  if (p.mode == Mode::storage) {
    auto q = column(), e = column(), te = column(), s = column(), f = column();
    for (std::size_t k = 0; k < n; ++k) {
      const PerceptronRs r = count || std::isinf(beta[k]) ? storage_rs(alpha, kappa, beta[k]) : storage_rs_quadratic(alpha, kappa, beta[k]);
      q[k] = r.q;
      e[k] = r.energy;
      te[k] = r.train_error;
      s[k] = r.entropy;
      f[k] = r.free_energy;
    }
    c.add("q", q);
    c.add("energy", e);
    c.add("train_error", te);
    c.add("entropy", s);
    c.add("free_energy", f);
    c.add("alpha_rs", std::vector<double>(n, storage_rs_capacity(kappa)));
    static std::map<double, double> s0_cache;
    c.add("alpha_s0", std::vector<double>(n, memoized(s0_cache, kappa, &storage_entropy_zero)));
    return c;
  }
  const bool continual = p.mode == Mode::continual;
  const double lambda = continual ? p.lambda : 0.0;
  const double r0 = continual ? p.r0 : 1.0;
  const bool solvable = lambda == 0.0;
  std::vector<std::string> names = {"R", "q", "energy", "train_error", "entropy", "free_energy"};
  std::vector<std::vector<double>> eq(names.size(), column()), meta(names.size(), column());
  auto fill = [&](std::vector<std::vector<double>>& dst, std::size_t k, const PerceptronRs& r) {
    const double v[] = {r.R, r.q, r.energy, r.train_error, r.entropy, r.free_energy};
    for (std::size_t j = 0; j < names.size(); ++j) dst[j][k] = v[j];
  };
  for (std::size_t k = 0; k < n && solvable; ++k) {
    if (!count && !std::isinf(beta[k])) continue;
    const TeacherStudentRs ts = teacher_student_rs(alpha, kappa, beta[k]);
    fill(eq, k, ts.equilibrium);
    if (ts.metastable) fill(meta, k, *ts.metastable);
  }
  auto eg = [](const std::vector<double>& R) {
    std::vector<double> out(R.size());
    for (std::size_t k = 0; k < R.size(); ++k) out[k] = std::acos(std::clamp(R[k], -1.0, 1.0)) / M_PI;
    for (std::size_t k = 0; k < R.size(); ++k)
      if (std::isnan(R[k])) out[k] = NAN;
    return out;
  };
  if (continual) {
    // λ = 0: the student learns task 2 alone; teacher 1 = teacher 2 ∘ χ with χ independent of it and of
    // the task-2 data, so R = r0 R2; σ_ref (task 1 at beta_ref) is independent given the teachers.
    const auto ref = teacher_student_rs(p.alpha1, kappa, p.beta_ref).equilibrium;
    std::vector<double> R2 = eq[0], R1 = column(), Rref = column();
    for (std::size_t k = 0; k < n; ++k) {
      R1[k] = r0 * R2[k];
      Rref[k] = r0 * R2[k] * ref.R;
    }
    c.add("m", R1);
    c.add("R", R1);
    c.add("eg", eg(R1));
    c.add("R2", R2);
    c.add("R_ref", Rref);
    for (std::size_t j = 1; j < names.size(); ++j) c.add(names[j], eq[j]);
    return c;
  }
  c.add("m", eq[0]);
  c.add("eg", eg(eq[0]));
  for (std::size_t j = 0; j < names.size(); ++j) c.add(names[j], eq[j]);
  c.add("R_meta", meta[0]);
  c.add("eg_meta", eg(meta[0]));
  for (std::size_t j = 1; j < names.size(); ++j) c.add(names[j] + "_meta", meta[j]);
  if (kappa == 0) {
    auto ac = column(), asp = column();
    for (std::size_t k = 0; k < n; ++k)
      if (std::isinf(beta[k])) {
        static std::map<double, TeacherStudentTransition> cache;
        const auto t = memoized(cache, beta[k], &teacher_student_transition);
        ac[k] = t.alpha_c;
        asp[k] = t.alpha_spinodal;
      }
    c.add("alpha_c", ac);
    c.add("alpha_spinodal", asp);
  }
  return c;
}

}  // namespace ptmc::theory
