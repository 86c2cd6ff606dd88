#include "analysis/rs_continual.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "analysis/count_cost_integrals.hpp"
#include "analysis/gaussian_quadrature.hpp"
#include "analysis/quadratic_cost_integrals.hpp"
#include "analysis/rs_perceptron.hpp"
#include "engine/params/param_reader.hpp"

// Franz–Parisi RS theory of mode = "continual" (derivation: docs/continual_learning_theory.md).
// Gauge t1_i = +1, so t2_i = χ_i and s_i = σ_ref,i t1_i. The task-1 and task-2 examples are independent,
// so the student's energetic term is the teacher–student one of task 2 in (R2, q), and the student sees
// the reference only through a site field βλ s_i, with s = ±1 of mean R_ref1 = σ_ref·t1/N, independent of χ:
//   h = R̂2 χ + βλ s + √q̂ ξ,  ξ ~ N(0, 1),
//   R2 = E[χ tanh h], q = E tanh² h, R1 = E tanh h, Rref = E[s tanh h],
//   R̂2 = α √(2/π)/√(1-q) ∫Ds F((κ - √D s)/√(1-q)),  q̂ = 2α/(1-q) ∫Dt H(-R2 t/√D) F(v)²,
//   v = (κ - √q t)/√(1-q), D = q - R2², F = (1-ε) G / (ε + (1-ε) H), ε = e^{-β}.
//   -βf = -R2 R̂2 - q̂(1-q)/2 + E ln 2cosh h + α G_E,  G_E = 2 ∫Dt H(-R2 t/√D) ln Z(v).
// The student's task-1 training error (train_error1) is an observable at the saddle point: see
// task1_violation below.
// The energetic integrals are written again here (not shared with rs_perceptron.cpp) so that the λ = 0
// test compares two independent implementations.

namespace ptmc::theory {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kSqrt2OverPi = 0.79788456080286536;

// Task-2 energetic term at (R, q) = (1 - omR, 1 - omq), R of either sign, q >= R².
// cost: the mean cost per constraint (the violated fraction for the count cost).
struct Energetic {
  double Rhat = 0, qhat = 0, GE = 0, viol = 0, cost = 0, atE = 0;
};
template <class W>
Energetic energetic(double alpha, double kappa, const W& w, double omR, double omq, bool full) {
  const double R = 1 - omR, q = 1 - omq;
  const double D = std::max(2 * omR - omR * omR - omq, 1e-300);
  const double a = std::sqrt(omq), sD = std::sqrt(D), sq = std::sqrt(q);
  Energetic e;
  e.Rhat = alpha * kSqrt2OverPi / a * feature_average([&](double s) { return w.F((kappa - sD * s) / a); }, {{kappa / sD, a / sD}});
  const std::initializer_list<Feature> fts = {{0.0, sD / std::max(std::abs(R), 1e-300)}, {kappa / sq, a / sq}};
  e.qhat = 2 * alpha / omq * feature_average([&](double t) {
    const double f = w.F((kappa - sq * t) / a);
    return gauss_tail(-R * t / sD) * f * f;
  }, fts);
  if (!full) return e;
  e.GE = 2 * feature_average([&](double t) { return gauss_tail(-R * t / sD) * w.log_Z((kappa - sq * t) / a); }, fts);
  e.viol = 2 * feature_average([&](double t) { return gauss_tail(-R * t / sD) * w.violated((kappa - sq * t) / a); }, fts);
  if constexpr (std::is_same_v<W, QuadraticCostWeights>)
    e.cost = 2 * feature_average([&](double t) { return gauss_tail(-R * t / sD) * w.mean_cost((kappa - sq * t) / a); }, fts);
  else
    e.cost = e.viol;
  // Replicon, energetic factor: α E[(∂²_h ln Z_c)²] = α/(1-q)² E[(∂²_v ln Z)²] (count cost: (F² - vF)²).
  e.atE = 2 * alpha / (omq * omq) * feature_average([&](double t) {
    const double g = w.curvature((kappa - sq * t) / a);
    return gauss_tail(-R * t / sD) * g * g;
  }, fts);
  return e;
}

// The student's energetic term for its cost: the quadratic cost's Z depends on q through β(1 - q).
Energetic energetic(const BinaryPerceptron::Params& p, double beta, double omR, double omq, bool full) {
  if (p.cost == BinaryPerceptron::Cost::count) return energetic(p.alpha, p.kappa, CountCostWeights(beta), omR, omq, full);
  return energetic(p.alpha, p.kappa, QuadraticCostWeights(beta, omq), omR, omq, full);
}

double log_2cosh(double x) {
  const double a = std::abs(x);
  return a + std::log1p(std::exp(-2 * a));
}
double sech2(double x) {
  const double e = std::exp(-2 * std::abs(x));
  return 4 * e / ((1 + e) * (1 + e));
}

// Site averages over χ (mean r0), s (mean Rref1) and ξ of functions of h = R̂ χ + b s + √q̂ ξ.
// Also the site means of A = [m(+1) + m(-1)]/2 and B = [m(+1) - m(-1)]/2, m(s) = E_ξ tanh h, over χ.
struct Entropic {
  double omR2 = 0, omq = 0, R1 = 0, Rref = 0, lncosh = 0, sech4 = 0, Abar = 0, Bbar = 0;
};
Entropic entropic(double Rhat, double qhat, double b, double r0, double Rref1) {
  Entropic out;
  const double sq = std::sqrt(std::max(qhat, 0.0));
  for (int chi : {1, -1})
    for (int s : {1, -1}) {
      const double wchi = 0.5 * (1 + r0 * chi), w = 0.5 * wchi * (1 + Rref1 * s);
      if (!(wchi > 0)) continue;
      const double c = Rhat * chi + b * s;
      const Feature ft{sq > 0 ? -c / sq : 0.0, sq > 0 ? 1.0 / sq : 1.0};
      auto avg = [&](auto f) { return feature_average([&](double z) { return f(c + sq * z); }, {ft}); };
      out.omR2 += w * avg([&](double h) { return 2.0 / (1.0 + std::exp(2 * chi * h)); });
      out.omq += w * avg([](double h) { return sech2(h); });
      const double t = avg([](double h) { return std::tanh(h); });
      out.R1 += w * t;
      out.Rref += w * s * t;
      out.Abar += 0.5 * wchi * t;
      out.Bbar += 0.5 * wchi * s * t;
      out.lncosh += w * avg([](double h) { return log_2cosh(h); });
      out.sech4 += w * avg([](double h) {
        const double x = sech2(h);
        return x * x;
      });
    }
  return out;
}

ContinualRs perfect_student(const BinaryPerceptron::Params& p, const ContinualReference& ref, double beta) {
  ContinualRs r;
  r.R2 = r.q = 1;
  r.R1 = p.r0;
  r.Rref = p.r0 * ref.R;
  r.Abar = p.r0;  // σ = teacher 2 whatever σ_ref
  r.Bbar = 0;
  r.R2hat = r.qhat = kInf;
  r.energy = -p.lambda * r.Rref;
  r.phi = -beta * r.energy;
  r.free_energy = r.energy;
  r.entropy = 0;
  r.train_error = 0;
  r.at = 0;
  r.perfect = r.converged = true;
  return r;
}

}  // namespace

ContinualReference continual_reference(double alpha1, double kappa, double beta_ref) {
  const TeacherStudentRs ts = teacher_student_rs(alpha1, kappa, beta_ref);
  const PerceptronRs& e = ts.equilibrium;
  ContinualReference ref;
  ref.R = e.R;
  ref.q = e.q;
  ref.Rhat = e.Rhat;
  ref.qhat = e.qhat;
  ref.train_error = e.train_error;
  ref.eg = std::acos(std::clamp(e.R, -1.0, 1.0)) / M_PI;
  if (e.R >= 1) {
    ref.at = 0;  // the isolated state σ_ref = teacher 1
  } else {
    const Energetic en = energetic(alpha1, kappa, CountCostWeights(beta_ref), 1 - e.R, 1 - e.q, true);
    const Entropic s = entropic(e.Rhat, e.qhat, 0.0, 1.0, 1.0);
    ref.at = en.atE * s.sech4;
  }
  return ref;
}

ContinualRs continual_point(const BinaryPerceptron::Params& p, const ContinualReference& ref, double beta,
                            double omR, double omq) {
  const Energetic en = energetic(p, beta, omR, omq, true);
  const Entropic s = entropic(en.Rhat, en.qhat, beta * p.lambda, p.r0, ref.R);
  ContinualRs r;
  r.R2 = 1 - s.omR2;
  r.q = 1 - s.omq;
  r.R1 = s.R1;
  r.Rref = s.Rref;
  r.Abar = s.Abar;
  r.Bbar = s.Bbar;
  r.R2hat = en.Rhat;
  r.qhat = en.qhat;
  // -βf at the point (omR, omq) with its conjugates; stationary (and the value) at a fixed point.
  r.phi = -(1 - omR) * en.Rhat - 0.5 * en.qhat * omq + s.lncosh + p.alpha * en.GE;
  r.train_error = en.viol;
  r.energy = p.alpha * en.cost - p.lambda * s.Rref;
  r.entropy = r.phi + beta * r.energy;
  r.free_energy = -r.phi / beta;
  r.at = en.atE * s.sech4;
  return r;
}

// Docs §4. On a task-1 example (teacher field v0, y = sign v0) the student's field is
// u = Abar v0 + Bbar w + d η, w the reference's field, η ~ N(0, 1) independent; in the gauge y = +1, v = |v0|
// and Δ = y w, the reference's stability. The reference's training-set law: t ~ N(0, 1), cavity mean
// μ = R_ref1 v + √(Q - R_ref1²) t, Δ = μ + √(1 - Q) ζ with ζ tilted by [ε + (1-ε) Θ(Δ - κ)]/Z, Z = ε + (1-ε) H(ζ0),
// ζ0 = (κ - μ)/√(1 - Q), ε = e^{-β_ref}. The student violates it when y u < κ, with probability
// H((A v + B Δ - κ)/d); the ζ average of that is done in closed form:
//   ∫Dζ H((K + Bσζ)/d) = H(K/s),  ∫_{ζ0}^∞ Dζ H((K + Bσζ)/d) = P2(ζ0, K/s; -Bσ/s),
// K = A v + B μ - κ, σ = √(1 - Q), s = √(d² + B²σ²), P2 the bivariate upper orthant; v and t by quadrature.
double task1_violation(double kappa, double beta_ref, const ContinualReference& ref, double A, double B, double d) {
  d = std::max(d, 0.0);
  if (ref.R >= 1 || ref.q >= 1) {  // σ_ref = teacher 1: Δ = v
    const double c = A + B, w = d;
    return feature_average([&](double v) {
      const double K = c * v - kappa;
      return v > 0 ? 2 * (w > 0 ? gauss_tail(K / w) : (K < 0 ? 1.0 : 0.0)) : 0.0;
    }, {});
  }
  const CountCostWeights wt(beta_ref);
  const double Rr = ref.R, sig = std::sqrt(1 - ref.q), sD = std::sqrt(std::max(ref.q - Rr * Rr, 0.0));
  const double s = std::sqrt(d * d + B * B * sig * sig), rho = s > 0 ? -B * sig / s : 0.0;
  const double eps = wt.zero_t ? 0.0 : wt.eps, one_minus = wt.one_minus;
  auto f = [&](double v, double t) {
    const double mu = Rr * v + sD * t, z0 = (kappa - mu) / sig, Z = eps + one_minus * gauss_tail(z0);
    if (!(Z > 1e-300)) return 0.0;
    const double K = A * v + B * mu - kappa;
    double all, sat;
    if (s > 1e-14) {
      all = gauss_tail(K / s);
      sat = bivariate_upper(z0, K / s, rho);
    } else {
      all = K < 0 ? 1.0 : 0.0;
      sat = K < 0 ? gauss_tail(z0) : 0.0;
    }
    return (eps * all + one_minus * sat) / Z;
  };
  // v = |v0| >= 0 with weight 2φ(v) (0 is a panel end of feature_average's grid). Sharp in v where the
  // student's field crosses κ (width s/|A + B R_ref1|) or the reference's does (σ/R_ref1), when narrow.
  return feature_average([&](double t) {
    const double cv = A + B * Rr, vs = cv != 0 ? (kappa - B * sD * t) / cv : 0.0, vr = Rr != 0 ? (kappa - sD * t) / Rr : 0.0;
    const double ws = cv != 0 ? s / std::abs(cv) : 1.0, wr = Rr != 0 ? sig / std::abs(Rr) : 1.0;
    return feature_average([&](double v) { return v > 0 ? 2 * f(v, t) : 0.0; }, {{vs, ws}, {vr, wr}});
  }, {});
}

double continual_train_error1(const BinaryPerceptron::Params& p, const ContinualReference& ref, const ContinualRs& r) {
  if (std::isnan(r.R1) || std::isnan(r.Abar) || std::isnan(r.Bbar)) return NAN;
  const double d2 = 1 - r.R1 * r.R1 - r.Bbar * r.Bbar * (1 - ref.R * ref.R);
  return task1_violation(p.kappa, p.beta_ref, ref, r.Abar, r.Bbar, std::sqrt(std::max(d2, 0.0)));
}

namespace {

// T = 0 at λ ≠ 0 (docs §6): the student minimises E2 - λ σ·σ_ref, so q → 1 with the ground-state scaling
// 1 - q = Γ/β, R̂2 = β r̂, q̂ = β² q̂0, h = β h0, h0 = r̂ χ + λ s + √q̂0 ξ, ⟨σ⟩ = sign h0 (in the code `chi` is
// the susceptibility Γ; χ = ±1 the site variable t2_i t1_i).
// Energetic (D = 1 - R2²): the cavity field t of a constraint relaxes to u minimising (u - t)²/(2Γ) + its
// cost at u, and the minimum is its ground-state cost c(t); with M = 2∫Dt H(-R2 t/√D) c(t),
// r̂ = -α ∂M/∂R2 = -α/(π√D) ∫dt e^{-t²/(2D)} c'(t) and q̂0 = -2α ∂M/∂Γ.
// Count cost (a = κ - √(2Γ)): a constraint of cavity field t in (a, κ) is pushed to κ at cost (κ - t)²/(2Γ),
// one below a is violated at cost 1 (Gardner's minimum-error form), so
//   r̂ = α/(π Γ √D) ∫_a^κ dt e^{-t²/(2D)} (κ - t),  q̂0 = (2α/Γ²) ∫_a^κ Dt H(-R2 t/√D) (κ - t)²,
//   train_error = 2 ∫_{-∞}^a Dt H(-R2 t/√D) = 2 P2(-a, 0; -R2).
// Quadratic cost: every t < κ stops at u = (t + 2Γκ)/(1 + 2Γ) < κ, violated, with c(t) = (κ - t)²/(1 + 2Γ), so
//   r̂ = 2α/(π (1 + 2Γ) √D) ∫_{-∞}^κ dt e^{-t²/(2D)} (κ - t) = 2α (κ √(2πD) Φ(κ/√D) + D e^{-κ²/(2D)})/(π (1 + 2Γ) √D),
//   q̂0 = 8α/(1 + 2Γ)² ∫_{-∞}^κ Dt H(-R2 t/√D) (κ - t)²,  train_error = 2 P2(-κ, 0; -R2),
//   mean cost = 2/(1 + 2Γ)² ∫_{-∞}^κ Dt H(-R2 t/√D) (κ - t)²  (the cost (κ - u)² itself, without the elastic
//   term (u - t)²/(2Γ) of c(t); in general e0 = α M - q̂0 Γ/2 - λ R_ref at the saddle point).
struct EnergeticT0 {
  double rhat = 0, qhat = 0, viol = 0, cost = 0;  // cost: the mean cost per constraint
};
EnergeticT0 energetic_t0(double alpha, double kappa, double R, double chi, BinaryPerceptron::Cost cost) {
  const double D = std::max((1 - R) * (1 + R), 1e-300), sD = std::sqrt(D);
  const bool count = cost == BinaryPerceptron::Cost::count;
  // The count cost's integrals run over the margin (a, κ); the quadratic cost's over every t < κ, of which
  // 12 standard deviations below κ or 0 hold all that a double sees.
  const double a = count ? kappa - std::sqrt(2 * chi) : std::min(kappa, 0.0) - 12;
  const GaussRule& g = gauss_legendre(8);
  const int panels = count ? 32 : 96;
  const double h = (kappa - a) / panels;
  double I1 = 0, I2 = 0;
  for (int k = 0; k < panels; ++k)
    for (std::size_t i = 0; i < g.nodes.size(); ++i) {
      const double t = a + h * (k + 0.5 * (g.nodes[i] + 1)), w = 0.5 * h * g.weights[i], u = kappa - t;
      I1 += w * std::exp(-t * t / (2 * D)) * u;
      I2 += w * gauss_density(t) * gauss_tail(-R * t / sD) * u * u;
    }
  EnergeticT0 e;
  if (count) {
    e.rhat = alpha / (M_PI * chi * sD) * I1;
    e.qhat = 2 * alpha / (chi * chi) * I2;
    e.viol = 2 * bivariate_upper(-a, 0.0, -R);
    e.cost = e.viol;
  } else {
    const double stiff = 1 + 2 * chi;
    I1 = kappa * std::sqrt(2 * M_PI * D) * gauss_tail(-kappa / sD) + D * std::exp(-kappa * kappa / (2 * D));
    e.rhat = 2 * alpha / (M_PI * stiff * sD) * I1;
    e.qhat = 8 * alpha / (stiff * stiff) * I2;
    e.viol = 2 * bivariate_upper(-kappa, 0.0, -R);
    e.cost = 2 * I2 / (stiff * stiff);
  }
  return e;
}

// Entropic at T = 0: E sign h0 and the density of h0 at 0 (Γ = 2 E δ(h0)), over χ, s and ξ.
struct EntropicT0 {
  double R2 = 0, chi = 0, R1 = 0, Rref = 0, Abar = 0, Bbar = 0;
};
EntropicT0 entropic_t0(double rhat, double qhat, double lambda, double r0, double Rref1) {
  EntropicT0 out;
  const double sq = std::sqrt(std::max(qhat, 1e-300));
  for (int c : {1, -1})
    for (int s : {1, -1}) {
      const double wchi = 0.5 * (1 + r0 * c), w = 0.5 * wchi * (1 + Rref1 * s);
      const double m = rhat * c + lambda * s, sg = 1 - 2 * gauss_tail(m / sq);
      out.R2 += w * c * sg;
      out.chi += 2 * w * gauss_density(m / sq) / sq;
      out.R1 += w * sg;
      out.Rref += w * s * sg;
      out.Abar += 0.5 * wchi * sg;
      out.Bbar += 0.5 * wchi * s * sg;
    }
  return out;
}

ContinualRs zero_t_point(const BinaryPerceptron::Params& p, double R, double chi, const EntropicT0& s) {
  const EnergeticT0 en = energetic_t0(p.alpha, p.kappa, R, chi, p.cost);
  ContinualRs r;
  r.R1 = s.R1;
  r.R2 = s.R2;
  r.Rref = s.Rref;
  r.q = 1;
  r.Abar = s.Abar;
  r.Bbar = s.Bbar;
  r.R2hat = en.rhat;  // r̂ = R̂2/β and q̂0 = q̂/β² at T = 0
  r.qhat = en.qhat;
  r.train_error = en.viol;
  r.energy = p.alpha * en.cost - p.lambda * s.Rref;
  r.free_energy = r.energy;
  r.entropy = 0;
  r.phi = NAN;  // -βf = -β e is infinite; branches are ranked by energy
  r.at = INFINITY;  // the replicon factor grows without bound as β → ∞ (docs §6)
  return r;
}

}  // namespace

ContinualSolution continual_zero_t(const BinaryPerceptron::Params& p, const ContinualReference& ref) {
  ContinualSolution out;
  out.reference = ref;
  std::vector<ContinualRs> found;
  auto solve_from = [&](double R, double chi) {
    const double damp = 0.2;
    for (int it = 0; it < 20000; ++it) {
      const EnergeticT0 en = energetic_t0(p.alpha, p.kappa, R, chi, p.cost);
      const EntropicT0 s = entropic_t0(en.rhat, en.qhat, p.lambda, p.r0, ref.R);
      if (!std::isfinite(s.chi) || !std::isfinite(s.R2)) return;
      // Γ is damped in log Γ: at large λ the map falls by many decades across its fixed point.
      double nR = std::clamp(s.R2, -1 + 1e-14, 1 - 1e-14), nchi = std::clamp(s.chi, 1e-200, 1e6);
      nR = (1 - damp) * R + damp * nR;
      nchi = std::exp((1 - damp) * std::log(chi) + damp * std::log(nchi));
      const bool done = std::abs(nR - R) < 1e-13 && std::abs(nchi - chi) < 1e-13 * (1 + chi);
      R = nR;
      chi = nchi;
      if (done) {
        const EnergeticT0 e2 = energetic_t0(p.alpha, p.kappa, R, chi, p.cost);
        ContinualRs r = zero_t_point(p, R, chi, entropic_t0(e2.rhat, e2.qhat, p.lambda, p.r0, ref.R));
        r.converged = true;
        for (const auto& f : found)
          if (std::abs(f.R2 - r.R2) < 1e-6 && std::abs(f.Rref - r.Rref) < 1e-6) return;
        found.push_back(r);
        return;
      }
    }
  };
  solve_from(0.3, 1.0);
  solve_from(0.95, 0.2);
  solve_from(std::clamp(p.r0 * ref.R, -0.9, 0.9), 0.3);
  if (p.kappa == 0) {
    ContinualRs r = perfect_student(p, ref, INFINITY);
    r.phi = NAN;
    r.free_energy = r.energy;
    found.push_back(r);
  }
  if (found.empty()) {
    out.equilibrium.R1 = out.equilibrium.R2 = out.equilibrium.q = out.equilibrium.Rref = NAN;
    out.equilibrium.phi = out.equilibrium.energy = out.equilibrium.train_error = NAN;
    out.equilibrium.entropy = out.equilibrium.free_energy = out.equilibrium.at = NAN;
    return out;
  }
  std::sort(found.begin(), found.end(), [](const ContinualRs& a, const ContinualRs& b) { return a.energy < b.energy; });
  out.equilibrium = found[0];
  if (found.size() > 1) out.metastable = found[1];
  out.equilibrium.train_error1 = continual_train_error1(p, ref, out.equilibrium);
  if (out.metastable) out.metastable->train_error1 = continual_train_error1(p, ref, *out.metastable);
  return out;
}

ContinualSolution continual_rs(const BinaryPerceptron::Params& p, double beta) {
  return continual_rs(p, continual_reference(p.alpha1, p.kappa, p.beta_ref), beta);
}

ContinualSolution continual_rs(const BinaryPerceptron::Params& p, const ContinualReference& ref, double beta) {
  ContinualSolution out;
  out.reference = ref;
  if (std::isinf(beta)) {
    // λ ≠ 0: the ground state of E2 - λ σ·σ_ref. λ = 0: the limit of the Gibbs measure, i.e. the
    // teacher–student solution of task 2 (uniform over its lowest-error states), R1 = r0 R2.
    if (p.lambda != 0) return continual_zero_t(p, ref);
    const TeacherStudentRs ts = teacher_student_rs(p.alpha, p.kappa, beta);
    auto conv = [&](const PerceptronRs& e) {
      ContinualRs r;
      r.R2 = e.R;
      r.q = e.q;
      r.R1 = p.r0 * e.R;
      r.Rref = p.r0 * ref.R * e.R;
      r.Abar = r.R1;  // λ = 0: the student ignores σ_ref
      r.Bbar = 0;
      r.R2hat = e.Rhat;
      r.qhat = e.qhat;
      r.phi = e.phi;
      r.energy = e.energy;
      r.train_error = e.train_error;
      r.entropy = e.entropy;
      r.free_energy = e.free_energy;
      r.at = NAN;
      r.perfect = e.R >= 1;
      r.converged = e.converged;
      return r;
    };
    out.equilibrium = conv(ts.equilibrium);
    if (ts.metastable) out.metastable = conv(*ts.metastable);
    out.equilibrium.train_error1 = continual_train_error1(p, ref, out.equilibrium);
    if (out.metastable) out.metastable->train_error1 = continual_train_error1(p, ref, *out.metastable);
    return out;
  }
  // The count cost at κ = 0 has the isolated state σ = teacher 2; the quadratic cost has none (an error of small
  // gap costs little, so R̂2 stays finite as R2 → 1).
  const bool count = p.cost == BinaryPerceptron::Cost::count, isolated = count && p.kappa == 0;
  std::vector<ContinualRs> found;
  bool unresolved = false;
  auto solve_from = [&](double omR, double omq) {
    const double damp = 0.6;
    for (int it = 0; it < 6000; ++it) {
      const Energetic en = energetic(p, beta, omR, omq, false);
      const Entropic s = entropic(en.Rhat, en.qhat, beta * p.lambda, p.r0, ref.R);
      double nR = std::clamp(s.omR2, 0.0, 2.0), nq = std::clamp(s.omq, 0.0, 1.0);
      if (isolated && nR < 1e-13) return;  // flows into the isolated state σ = teacher 2 (added below)
      if (nq < 1e-13) {  // 1 - q below what the quadratures resolve (βλ ≳ 15): no answer rather than a wrong one
        unresolved = true;
        return;
      }
      nR = (1 - damp) * omR + damp * nR;
      nq = (1 - damp) * omq + damp * nq;
      nq = std::min(nq, (2 * nR - nR * nR) * (1 - 1e-12));  // q >= R2²
      const bool done = std::abs(nR - omR) <= 1e-13 + 1e-11 * omR && std::abs(nq - omq) <= 1e-13 + 1e-11 * omq;
      omR = nR;
      omq = nq;
      if (done) {
        ContinualRs r = continual_point(p, ref, beta, omR, omq);
        r.converged = true;
        for (const auto& f : found)
          if (std::abs(f.R2 - r.R2) < 1e-6 && std::abs(f.q - r.q) < 1e-6) return;
        found.push_back(r);
        return;
      }
    }
  };
  solve_from(0.99, 0.99);
  solve_from(1e-6, 1e-6);
  const double pinned = std::clamp((p.lambda >= 0 ? 1.0 : -1.0) * p.r0 * ref.R, -0.98, 0.98);
  if (std::abs(beta * p.lambda) > 0.5) solve_from(1 - pinned, std::min(0.02, 0.5 * (1 - pinned * pinned)));
  // κ = 0: σ = teacher 2 is an isolated fixed point at every λ (R̂2 = ∞ beats the finite field βλ).
  if (isolated) found.push_back(perfect_student(p, ref, beta));
  if (found.empty() || unresolved) {
    out.equilibrium.R1 = out.equilibrium.R2 = out.equilibrium.q = out.equilibrium.Rref = NAN;
    out.equilibrium.phi = out.equilibrium.energy = out.equilibrium.train_error = NAN;
    out.equilibrium.entropy = out.equilibrium.free_energy = out.equilibrium.at = NAN;
    return out;
  }
  std::size_t best = 0;
  for (std::size_t k = 1; k < found.size(); ++k)
    if (found[k].phi > found[best].phi) best = k;
  out.equilibrium = found[best];
  std::optional<std::size_t> other;
  for (std::size_t k = 0; k < found.size(); ++k)
    if (k != best && (!other || found[k].phi > found[*other].phi)) other = k;
  if (other) out.metastable = found[*other];
  out.equilibrium.train_error1 = continual_train_error1(p, ref, out.equilibrium);
  if (out.metastable) out.metastable->train_error1 = continual_train_error1(p, ref, *out.metastable);
  return out;
}

Curves continual_curves(const BinaryPerceptron::Params& p, std::span<const double> beta) {
  const std::size_t n = beta.size();
  const ContinualReference ref = continual_reference(p.alpha1, p.kappa, p.beta_ref);
  const std::vector<std::string> names = {"R",      "R2",      "R_ref",       "q",  "train_error", "train_error1",
                                          "energy", "entropy", "free_energy", "at"};
  std::vector<std::vector<double>> eq(names.size(), std::vector<double>(n, NAN)), meta = eq;
  auto fill = [&](std::vector<std::vector<double>>& dst, std::size_t k, const ContinualRs& r) {
    const double v[] = {r.R1, r.R2, r.Rref, r.q, r.train_error, r.train_error1, r.energy, r.entropy, r.free_energy, r.at};
    for (std::size_t j = 0; j < names.size(); ++j) dst[j][k] = v[j];
  };
  for (std::size_t k = 0; k < n; ++k) {
    const ContinualSolution s = continual_rs(p, ref, beta[k]);
    fill(eq, k, s.equilibrium);
    if (s.metastable) fill(meta, k, *s.metastable);
  }
  auto eg = [](const std::vector<double>& R) {
    std::vector<double> out(R.size(), NAN);
    for (std::size_t k = 0; k < R.size(); ++k)
      if (!std::isnan(R[k])) out[k] = std::acos(std::clamp(R[k], -1.0, 1.0)) / M_PI;
    return out;
  };
  Curves c;
  std::vector<double> m(n, NAN);
  for (std::size_t k = 0; k < n; ++k) m[k] = std::abs(eq[0][k]);
  c.add("m", m);  // the engine's m column is |R| (continual mode: R = σ·teacher₁/N)
  for (std::size_t j = 0; j < names.size(); ++j) c.add(names[j], eq[j]);
  c.add("eg", eg(eq[0]));
  c.add("eg2", eg(eq[1]));
  for (std::size_t j = 0; j < names.size(); ++j) c.add(names[j] + "_meta", meta[j]);
  c.add("eg_meta", eg(meta[0]));
  c.add("eg2_meta", eg(meta[1]));
  c.add("ref_R", std::vector<double>(n, ref.R));
  c.add("ref_q", std::vector<double>(n, ref.q));
  c.add("ref_eg", std::vector<double>(n, ref.eg));
  c.add("ref_train_error", std::vector<double>(n, ref.train_error));
  c.add("ref_at", std::vector<double>(n, ref.at));
  return c;
}

Curves binary_perceptron_all_curves(const BinaryPerceptron::Params& p, std::span<const double> beta) {
  using Mode = BinaryPerceptron::Mode;
  if (p.mode == Mode::continual) return continual_curves(p, beta);
  Curves c = binary_perceptron_curves(p, beta);
  if (p.mode != Mode::teacher_student || p.cost == BinaryPerceptron::Cost::count) return c;
  // Teacher–student with the quadratic cost at finite β: the continual student at λ = 0, r0 = 1 is exactly
  // teacher–student learning of task 2 (docs/continual_learning_theory.md §4a); σ_ref does not enter.
  BinaryPerceptron::Params q = p;
  q.mode = Mode::continual;
  q.lambda = 0;
  q.r0 = 1;
  const ContinualReference ref{};  // unused at λ = 0 but for train_error1, which is not reported here
  auto set = [&](const std::string& name, std::size_t k, double v) {
    for (std::size_t j = 0; j < c.names.size(); ++j)
      if (c.names[j] == name) c.values[j][k] = v;
  };
  auto eg = [](double R) { return std::isnan(R) ? NAN : std::acos(std::clamp(R, -1.0, 1.0)) / M_PI; };
  for (std::size_t k = 0; k < beta.size(); ++k) {
    if (std::isinf(beta[k])) continue;
    const ContinualSolution s = continual_rs(q, ref, beta[k]);
    auto put = [&](const std::string& suffix, const ContinualRs& r) {
      if (suffix.empty()) set("m", k, r.R2);
      set("R" + suffix, k, r.R2);
      set("eg" + suffix, k, eg(r.R2));
      set("q" + suffix, k, r.q);
      set("energy" + suffix, k, r.energy);
      set("train_error" + suffix, k, r.train_error);
      set("entropy" + suffix, k, r.entropy);
      set("free_energy" + suffix, k, r.free_energy);
    };
    put("", s.equilibrium);
    if (s.metastable) put("_meta", *s.metastable);
  }
  return c;
}

}  // namespace ptmc::theory
