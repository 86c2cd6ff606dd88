#include "analysis/mf_multitasking.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>

#include "analysis/gaussian_quadrature.hpp"
#include "engine/params/param_reader.hpp"

// Unsupervised learning. The unsupervised couplings J_ij = (1/(N M 𝓡)) Σ_{μ,a} η^{μa}_i η^{μa}_j give a
// free energy in the K M example overlaps n_{μa} = η^{μa}·σ/N,
//   f = (1/(2 M 𝓡)) Σ_{μ,a} n_{μa}² - (1/β) E ln 2cosh(β/(M 𝓡) Σ_{μ,a} n_{μa} η^{μa}).
// On the example-symmetric subspace n_{μa} = n_μ the field is (β n_μ/𝓡) ξ̂^μ and f is exactly the
// supervised f with J_ij = (1/(N 𝓡)) Σ_μ ξ̂^μ_i ξ̂^μ_j; with n_μ = r(1+ρ) n̄_μ both are the form of
// the header. So the two protocols share every low-storage solution and threshold (as the
// multitasking paper states); only the stability against example-asymmetric fluctuations differs.
// Off the symmetric subspace, for overlaps x_a of one pattern with Σ_a x_a = 0, the Hessian is
// (1/(M𝓡)) [1 - β (A - B)/(M𝓡)] |x|², A = E[η_a² sech² βh], B = E[η_a η_b sech² βh] (a ≠ b): the
// cross terms with other patterns and with the symmetric direction vanish because, given S = Σ_a χ_a
// (which is all the field sees), E[χ_a | S] does not depend on a. With E[χ_a χ_b | S] =
// (S² - M)/(M(M-1)), A - B = E[ξ² (M² - S²)/(M(M-1)) sech² βh] (PatternLaw::c). In the paramagnet
// A - B = (1-d)(1-r²), so the symmetric state is stable there down to T = (1-d)(1-r²)/(M𝓡).

namespace ptmc::theory {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();

// tanh(x) and sech²(x) without overflow.
inline double sech2(double x) {
  const double e = std::exp(-2.0 * std::abs(x));
  return 4.0 * e / ((1.0 + e) * (1.0 + e));
}
// (1/β) ln 2cosh(βh) = |h| + log1p(e^{-2β|h|})/β; at β = inf, |h|.
inline double log2cosh_over_beta(double h, double beta) {
  if (std::isinf(beta)) return std::abs(h);
  return std::abs(h) + std::log1p(std::exp(-2.0 * beta * std::abs(h))) / beta;
}

// Visits every term of the product law: f(h, P, idx) with h = Σ n_ν v_{idx_ν}, P = Π p_{idx_ν}.
template <class F>
void for_each_term(const PatternLaw& law, int K, std::span<const double> n, F&& f) {
  const int L = static_cast<int>(law.v.size());
  std::vector<int> idx(K, 0);
  std::vector<double> h(K + 1, 0.0), P(K + 1, 1.0);
  auto refresh = [&](int from) {
    for (int k = from; k < K; ++k) {
      h[k + 1] = h[k] + n[k] * law.v[idx[k]];
      P[k + 1] = P[k] * law.p[idx[k]];
    }
  };
  refresh(0);
  while (true) {
    f(h[K], P[K], idx);
    int k = K - 1;
    while (k >= 0 && ++idx[k] == L) idx[k--] = 0;
    if (k < 0) return;
    refresh(k);
  }
}

double zero_tolerance(std::span<const double> n, const PatternLaw& law) {
  double s = 0, vmax = 0;
  for (double x : n) s += std::abs(x);
  for (double x : law.v) vmax = std::max(vmax, std::abs(x));
  return 1e-12 * std::max(s * vmax, 1e-300);
}
}  // namespace

const char* phase_name(Phase p) {
  switch (p) {
    case Phase::paramagnet: return "paramagnet";
    case Phase::pure: return "pure";
    case Phase::hierarchical: return "hierarchical";
    case Phase::parallel: return "parallel";
    case Phase::mixture: return "mixture";
  }
  return "?";
}

PatternLaw storage_law(double d) {
  PatternLaw law;
  law.dilution = d;
  law.kappa = 1.0;
  const double half = (1.0 - d) / 2.0;
  law.v = {-1.0, 1.0};
  law.p = {half, half};
  law.a = {-1.0, 1.0};
  if (d > 0) {
    law.v.push_back(0.0);
    law.p.push_back(d);
    law.a.push_back(0.0);
  }
  return law;
}

PatternLaw learning_law(double d, int M, double r, bool exact, int gauss_points) {
  if (!(M >= 1) || !(r > 0 && r <= 1)) throw std::invalid_argument("learning_law: need M >= 1 and r in (0, 1]");
  PatternLaw law;
  law.dilution = d;
  const double rho = (1.0 - r * r) / (M * r * r);
  law.kappa = 1.0 + rho;
  law.example_scale = M * r * r + 1.0 - r * r;
  const double half = (1.0 - d) / 2.0;
  if (exact) {
    // S = Σ_a χ_a = M - 2k with k ~ Binomial(M, (1 - r)/2); u = ξ S in {-M..M}; v = u/(M r).
    std::vector<double> B(2 * M + 1, 0.0);  // B[S + M]
    const double lp = std::log1p(r) - std::log(2.0), lq = std::log1p(-r) - std::log(2.0);
    for (int k = 0; k <= M; ++k) {
      const double logc = std::lgamma(M + 1.0) - std::lgamma(k + 1.0) - std::lgamma(M - k + 1.0);
      const double lw = logc + (M - k) * lp + (k > 0 ? k * lq : 0.0);  // r = 1: only k = 0
      B[M - 2 * k + M] = (r == 1.0 && k > 0) ? 0.0 : std::exp(lw);
    }
    // Tails below 1e-16 of the largest weight are dropped (total probability lost < 1e-13): that
    // keeps the exact law short enough for M in the hundreds.
    const double top = *std::max_element(B.begin(), B.end());
    for (auto& b : B)
      if (b < 1e-16 * top) b = 0;
    for (int u = -M; u <= M; ++u) {
      double p = half * (B[u + M] + B[-u + M]);
      double pa = half * (B[u + M] - B[-u + M]);
      if (u == 0) p += d;
      if (!(p > 0)) continue;
      law.v.push_back(u / (M * r));
      law.p.push_back(p);
      law.a.push_back(pa / p);
      if (M >= 2) {  // P(ξ ≠ 0 | u) (M² - u²)/(M(M-1)); u = 0 also collects the ξ = 0 entries
        const double informative = u == 0 ? (p - d) / p : 1.0;
        law.c.push_back(informative * (double(M) * M - double(u) * u) / (double(M) * (M - 1)));
      }
    }
  } else {
    const GaussRule& g = gauss_hermite(gauss_points);
    for (std::size_t k = 0; k < g.nodes.size(); ++k) {
      const double y = 1.0 + std::sqrt(rho) * g.nodes[k];
      for (double s : {-1.0, 1.0}) {
        law.v.push_back(s * y);
        law.p.push_back(half * g.weights[k]);
        law.a.push_back(s);
        if (M >= 2) law.c.push_back(M * (1.0 - r * r * y * y) / (M - 1.0));  // S = M r Y
      }
    }
    if (d > 0) {
      law.v.push_back(0.0);
      law.p.push_back(d);
      law.a.push_back(0.0);
      if (M >= 2) law.c.push_back(0.0);
    }
  }
  return law;
}

std::vector<double> MfState::sorted_m() const {
  std::vector<double> s(m.size());
  for (std::size_t k = 0; k < m.size(); ++k) s[k] = std::abs(m[k]);
  std::sort(s.begin(), s.end(), std::greater<>());
  return s;
}

MultitaskingMf::MultitaskingMf(int K, PatternLaw law, bool unsupervised)
    : K_(K), law_(std::move(law)), unsupervised_(unsupervised) {
  if (unsupervised_ && law_.c.size() != law_.v.size())
    throw std::invalid_argument("multitasking MF: the unsupervised check needs a learning law with M >= 2");
  if (K < 1) throw std::invalid_argument("multitasking MF: K must be >= 1");
  const double terms = std::pow(static_cast<double>(law_.v.size()), K);
  if (terms > 2.0e7) throw std::invalid_argument("multitasking MF: the exact sum has too many terms (L^K > 2e7)");
}

std::vector<double> MultitaskingMf::map(std::span<const double> n, double beta) const {
  std::vector<double> g(K_, 0.0);
  const bool zeroT = std::isinf(beta);
  const double eps = zero_tolerance(n, law_);
  for_each_term(law_, K_, n, [&](double h, double P, const std::vector<int>& idx) {
    const double t = zeroT ? (std::abs(h) <= eps ? 0.0 : (h > 0 ? 1.0 : -1.0)) : std::tanh(beta * h);
    if (t == 0.0) return;
    const double w = P * t;
    for (int k = 0; k < K_; ++k) g[k] += w * law_.v[idx[k]];
  });
  for (auto& x : g) x /= law_.kappa;
  return g;
}

MfState MultitaskingMf::evaluate(std::span<const double> n, double beta) const {
  MfState s;
  s.n.assign(n.begin(), n.end());
  s.m.assign(K_, 0.0);
  std::vector<double> g(K_, 0.0);
  Eigen::MatrixXd C = Eigen::MatrixXd::Zero(K_, K_);
  const bool zeroT = std::isinf(beta);
  const double eps = zero_tolerance(n, law_);
  double lc = 0;
  bool kink = false;
  const bool examples = law_.c.size() == law_.v.size();
  std::vector<double> ab(K_, 0.0);  // A_μ - B_μ
  for_each_term(law_, K_, n, [&](double h, double P, const std::vector<int>& idx) {
    double t;
    if (zeroT) {
      t = std::abs(h) <= eps ? 0.0 : (h > 0 ? 1.0 : -1.0);
      if (t == 0.0)
        for (int k = 0; k < K_; ++k)
          if (law_.v[idx[k]] != 0.0) kink = true;
    } else {
      t = std::tanh(beta * h);
      const double w = P * beta * sech2(beta * h);
      for (int a = 0; a < K_; ++a)
        for (int b = 0; b <= a; ++b) C(a, b) += w * law_.v[idx[a]] * law_.v[idx[b]];
      if (examples)
        for (int k = 0; k < K_; ++k) ab[k] += w * law_.c[idx[k]];
    }
    lc += P * log2cosh_over_beta(h, beta);
    s.q += P * t * t;
    for (int k = 0; k < K_; ++k) {
      g[k] += P * t * law_.v[idx[k]];
      s.m[k] += P * t * law_.a[idx[k]];
    }
  });
  double n2 = 0;
  for (int k = 0; k < K_; ++k) {
    n2 += n[k] * n[k];
    s.residual = std::max(s.residual, std::abs(law_.kappa * n[k] - g[k]));
  }
  s.energy = -0.5 * law_.kappa * n2;
  s.free_energy = 0.5 * law_.kappa * n2 - lc;
  const double f1 = 1.0 - law_.dilution;
  for (int k = 0; k < K_; ++k) s.loss += (1.0 - (s.m[k] / f1) * (s.m[k] / f1)) / K_;
  if (zeroT) {
    s.min_hessian = kink ? -kInf : law_.kappa;
  } else {
    const Eigen::MatrixXd H = law_.kappa * Eigen::MatrixXd::Identity(K_, K_) - C.selfadjointView<Eigen::Lower>().toDenseMatrix();
    s.min_hessian = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(H, Eigen::EigenvaluesOnly).eigenvalues()(0);
  }
  s.example_hessian = std::numeric_limits<double>::quiet_NaN();
  if (examples) {  // at T = 0 sech² → 0 off kinks (and a kink is unstable anyway)
    s.example_hessian = zeroT ? (kink ? -kInf : 1.0) : 1.0;
    if (!zeroT)
      for (int k = 0; k < K_; ++k) s.example_hessian = std::min(s.example_hessian, 1.0 - ab[k] / law_.example_scale);
  }
  s.stable = s.min_hessian > 1e-9 && (!unsupervised_ || s.example_hessian > 1e-9);

  // Classification by the sorted archetype amplitudes |m| (what is reported and measured; in
  // storage m = n). Equal n give equal m, so the parallel class is the same either way.
  const std::vector<double> a = s.sorted_m();
  const double zero = 1e-6 * std::max(f1, 1e-3);
  int nonzero = 0;
  for (double x : a) nonzero += x > zero;
  if (nonzero == 0) {
    s.phase = Phase::paramagnet;
  } else if (nonzero == 1) {
    s.phase = Phase::pure;
  } else if (a[nonzero - 1] > a[0] * (1.0 - 1e-6)) {
    s.phase = nonzero == K_ ? Phase::parallel : Phase::mixture;
  } else {
    double rest = 0;
    for (int k = 1; k < nonzero; ++k) rest += a[k];
    s.phase = a[0] > rest ? Phase::hierarchical : Phase::mixture;
  }
  return s;
}

MfState MultitaskingMf::solve(std::vector<double> n, double beta, Family family, int j) const {
  // The subspace: n = B x with B's columns the allowed directions.
  const int dim = family == Family::free ? K_ : 1;
  Eigen::MatrixXd B = Eigen::MatrixXd::Zero(K_, dim);
  if (family == Family::free) B = Eigen::MatrixXd::Identity(K_, K_);
  if (family == Family::pure) B(0, 0) = 1.0;
  if (family == Family::parallel)
    for (int k = 0; k < std::min(j, K_); ++k) B(k, 0) = 1.0;
  auto project = [&](std::vector<double>& v) {
    Eigen::Map<Eigen::VectorXd> x(v.data(), K_);
    const Eigen::VectorXd c = (B.transpose() * B).ldlt().solve(B.transpose() * x);
    x = B * c;
  };
  project(n);
  // Plain iteration: converges to the solutions that are stable within the subspace (the map's
  // Jacobian β E[v vᵀ sech²]/κ is symmetric positive semi-definite), slowly near a bifurcation,
  // where the Newton steps below finish the job.
  const int max_iter = std::isinf(beta) ? 200 : 400;
  for (int it = 0; it < max_iter; ++it) {
    std::vector<double> next = map(n, beta);
    project(next);
    double diff = 0;
    for (int k = 0; k < K_; ++k) diff = std::max(diff, std::abs(next[k] - n[k]));
    n = std::move(next);
    if (diff < 1e-14) break;
  }
  if (std::isinf(beta)) {
    MfState s = evaluate(n, beta);  // the T = 0 map is exact: a fixed point has zero residual
    s.converged = s.residual < 1e-10;
    s.stable = s.stable && s.converged;
    return s;
  }
  // Newton polish on the subspace: F(x) = Bᵀ(κ n - g), Jacobian Bᵀ H B, with backtracking so that
  // every step lowers the residual (near a degenerate direction a full step may overshoot).
  MfState s = evaluate(n, beta);
  for (int it = 0; it < 100 && s.residual > 1e-15; ++it) {
    Eigen::VectorXd F(K_);
    std::vector<double> g = map(n, beta);
    for (int k = 0; k < K_; ++k) F(k) = law_.kappa * (n[k] - g[k]);
    Eigen::MatrixXd C = Eigen::MatrixXd::Zero(K_, K_);
    for_each_term(law_, K_, n, [&](double h, double P, const std::vector<int>& idx) {
      const double w = P * beta * sech2(beta * h);
      for (int a = 0; a < K_; ++a)
        for (int b = 0; b < K_; ++b) C(a, b) += w * law_.v[idx[a]] * law_.v[idx[b]];
    });
    const Eigen::MatrixXd H = law_.kappa * Eigen::MatrixXd::Identity(K_, K_) - C;
    const Eigen::VectorXd dx = (B.transpose() * H * B).colPivHouseholderQr().solve(B.transpose() * F);
    bool improved = false;
    for (double step = 1.0; step > 1e-3 && !improved; step *= 0.5) {
      std::vector<double> trial(n);
      Eigen::Map<Eigen::VectorXd>(trial.data(), K_) -= step * (B * dx);
      MfState t = evaluate(trial, beta);
      if (t.residual < s.residual) {
        n = std::move(trial);
        s = std::move(t);
        improved = true;
      }
    }
    if (!improved) break;
  }
  s.converged = s.residual < 1e-10;
  s.stable = s.stable && s.converged;
  return s;
}

std::vector<MfState> MultitaskingMf::candidates(double beta) const {
  const double A = 1.0 - law_.dilution;
  std::vector<MfState> out, stalled;
  auto add = [&](MfState s) {
    if (!s.converged) {  // a stalled iteration is not a solution; kept only if nothing converges
      stalled.push_back(std::move(s));
      return;
    }
    const auto key = s.sorted_m();
    for (auto& o : out) {
      const auto ok = o.sorted_m();
      bool same = true;
      for (int k = 0; k < K_; ++k) same = same && std::abs(ok[k] - key[k]) < 1e-7;
      if (same) {
        if (s.stable && !o.stable) o = s;
        return;
      }
    }
    out.push_back(std::move(s));
  };
  std::vector<double> n0(K_, 0.0);
  n0[0] = A;
  add(solve(n0, beta, Family::pure));
  for (int j = 2; j <= K_; ++j) {
    std::vector<double> p(K_, 0.0);
    for (int k = 0; k < j; ++k) p[k] = 0.8 * A;
    add(solve(p, beta, Family::parallel, j));
  }
  add(solve(hierarchical_amplitudes(K_, law_.dilution), beta, Family::free));
  std::mt19937_64 gen(12345);
  std::uniform_real_distribution<double> u(0.05, 1.0);
  // Random starts find the many T = 0 mixtures of K >= 4; fewer where the sum is long (learning).
  const int starts = std::pow(static_cast<double>(law_.v.size()), K_) <= 2000.0 ? 24 : 6;
  for (int s = 0; s < starts; ++s) {
    std::vector<double> x(K_);
    for (auto& v : x) v = A * u(gen);
    add(solve(x, beta, Family::free));
  }
  return out.empty() ? stalled : out;
}

MfState MultitaskingMf::equilibrium(double beta) const {
  const auto all = candidates(beta);
  const MfState* best = nullptr;
  for (const auto& s : all)  // stable (hence converged) solutions first
    if (s.stable && (!best || s.free_energy < best->free_energy)) best = &s;
  if (!best)
    for (const auto& s : all)
      if (s.converged && (!best || s.free_energy < best->free_energy)) best = &s;
  if (!best)
    for (const auto& s : all)
      if (!best || s.residual < best->residual) best = &s;
  return *best;
}

std::vector<double> hierarchical_amplitudes(int K, double d) {
  std::vector<double> m(K);
  double x = 1.0 - d;
  for (int k = 0; k < K; ++k, x *= d) m[k] = x;
  return m;
}

double hierarchical_end(int K) {
  if (K <= 2) return 1.0;  // 1 - 2d + d² = (1 - d)² > 0 for every d < 1
  // g(d) = 1 - 2d + d^K: g(1/2) > 0, g(1) = 0 with g'(1) = K - 2 > 0, so the root in (1/2, 1) is
  // where g is negative just to its right; bisection on [1/2, 1 - 1e-9]: g < 0 near 1.
  double lo = 0.5, hi = 1.0 - 1e-6;
  auto g = [K](double d) { return 1.0 - 2.0 * d + std::pow(d, K); };
  for (int it = 0; it < 200; ++it) {
    const double mid = 0.5 * (lo + hi);
    (g(mid) > 0 ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

Curves multitasking_curves(const Multitasking::Params& p, std::span<const double> beta) {
  const int K = p.K;
  const double d = p.d;
  PatternLaw law;
  const bool unsupervised = p.data == Multitasking::Data::unsupervised && p.M >= 2;
  if (p.data == Multitasking::Data::storage) {
    law = storage_law(d);
  } else {
    const int M = p.M;
    const double r = p.r;
    // The exact binomial law while its L^K terms stay few, else the Gaussian limit Y ~ N(1, ρ) on
    // a Gauss–Hermite rule (spectrally accurate at T > 0; at T = 0, where tanh is a step, its error
    // is of the order of the weight of the node nearest Y = 0: a few 1e-2 at 21 nodes).
    law = learning_law(d, M, r, true);
    if (std::pow(static_cast<double>(law.v.size()), K) > 3.0e5) {
      int gp = 41;
      while (gp > 5 && std::pow(2.0 * gp + 1.0, K) > 3.0e5) gp -= 2;
      law = learning_law(d, M, r, false, gp);
    }
  }
  const MultitaskingMf mf(K, std::move(law), unsupervised);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Curves c;
  std::vector<std::vector<double>> mk(K), hk(K);
  std::vector<double> m, q, e, loss, f, phase, par, ex;
  for (double b : beta) {
    const MfState s = mf.equilibrium(b);
    const auto sorted = s.sorted_m();
    m.push_back(sorted[0]);
    for (int k = 0; k < K; ++k) mk[k].push_back(sorted[k]);
    q.push_back(s.q);
    e.push_back(s.energy);
    loss.push_back(s.loss);
    f.push_back(s.free_energy);
    phase.push_back(static_cast<double>(s.phase));
    ex.push_back(s.example_hessian);
    // The branches, where stable: the state continued from the T = 0 hierarchical amplitudes (while
    // it stays hierarchical or pure) and the symmetric parallel state.
    const MfState h = mf.solve(hierarchical_amplitudes(K, mf.law().dilution), b, Family::free);
    const bool hier = h.stable && (h.phase == Phase::hierarchical || h.phase == Phase::pure);
    const auto hs = h.sorted_m();
    for (int k = 0; k < K; ++k) hk[k].push_back(hier ? hs[k] : nan);
    const MfState parallel = mf.solve(std::vector<double>(K, 0.8 * (1.0 - mf.law().dilution)), b, Family::parallel, K);
    par.push_back(parallel.stable && parallel.phase == Phase::parallel ? parallel.sorted_m()[0] : nan);
  }
  c.add("m", m);
  for (int k = 0; k < K; ++k) c.add("m_" + std::to_string(k + 1), mk[k]);
  c.add("q", q);
  c.add("energy", e);
  c.add("loss", loss);
  c.add("free_energy", f);
  c.add("phase", phase);
  for (int k = 0; k < K; ++k) c.add("hierarchical_m_" + std::to_string(k + 1), hk[k]);
  c.add("parallel_m", par);
  if (unsupervised) c.add("example_hessian", ex);
  return c;
}

}  // namespace ptmc::theory
