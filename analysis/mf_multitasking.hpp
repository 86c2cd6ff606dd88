// Low-storage mean-field theory of the multitasking Hebbian network (diluted patterns, K finite):
// m_μ = E_ξ[ξ^μ tanh(β Σ_ν m_ν ξ^ν)] with the exact 3^K sum, its learning variants, T = 0, stability.
//
// One form covers storage and learning. Per pattern, the coupling sees a random coefficient v_μ:
//   storage: v = ξ ∈ {-1, 0, +1};  learning: v = ξ Y, Y = ξ̂/(r ξ) the example average over r,
//   Y = S/(M r) with S = Σ_a χ_a binomial (exact), or Y ~ N(1, ρ) (Gaussian, large M),
// with ρ = (1 - r²)/(M r²) and κ = 1 + ρ = E[Y²]. The free energy per spin of the signal overlaps n
// (storage: n = m; learning: n̄_μ = ξ̂^μ·σ/(N r (1+ρ)), the normalisation of docs/conventions.md) is
//   f(n) = (κ/2) Σ_μ n_μ² - (1/β) E ln 2cosh(β h),  h = Σ_ν n_ν v_ν,
// stationary at κ n_μ = E[v_μ tanh βh]; archetype overlaps m_μ = E[ξ_μ tanh βh]; q = E tanh² βh;
// energy per spin u = ∂(βf)/∂β = -(κ/2) Σ n_μ²; Hessian κ δ_μν - β E[v_μ v_ν sech² βh]: a solution is
// stable when it is positive definite. At T = 0, tanh → sign with sign(0) = 0, f = (κ/2)Σn² - E|h|,
// and a solution is stable iff no configuration of nonzero v has h = 0 (there f has a concave kink,
// so such a point is a saddle) — then the Hessian is κ I. Unsupervised learning (the example
// overlaps n_{μ,a}) reduces to these equations on the example-symmetric subspace, see the .cpp.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "analysis/theory.hpp"
#include "models/multitasking.hpp"

namespace ptmc::theory {

// The law of one pattern's coefficient v: values, probabilities and E[ξ | v] (archetype weight).
struct PatternLaw {
  std::vector<double> v, p, a;
  double kappa = 1.0;     // 1 + ρ = E[v²] / (1 - d)
  double dilution = 0.0;  // P(ξ = 0)
  // Learning laws only (M ≥ 2): c = E[ξ² (M² - S²)/(M(M-1)) | v], and M𝓡 = M r² + 1 - r². They give
  // the unsupervised Hessian off the example-symmetric subspace (see the .cpp).
  std::vector<double> c;
  double example_scale = 0.0;
};

PatternLaw storage_law(double d);
// Learning from M examples of quality r: the exact binomial law of S (values lumped by v) when
// exact, else Y ~ N(1, ρ) on a `gauss_points`-node Gauss–Hermite rule.
PatternLaw learning_law(double d, int M, double r, bool exact, int gauss_points = 15);

// Families of initial conditions for the solver; each is iterated inside its own subspace
// (pure: one pattern; parallel: the first j patterns equal; free: no constraint).
enum class Family { pure, parallel, free };

enum class Phase { paramagnet = 0, pure = 1, hierarchical = 2, parallel = 3, mixture = 4 };
// By the sorted archetype amplitudes m_1 ≥ m_2 ≥ ... (zero: below 1e-6 (1 - d)):
// paramagnet: n = 0. pure: one nonzero overlap. parallel: all K overlaps nonzero and equal.
// hierarchical: ≥ 2 nonzero, unequal, the largest exceeds the sum of the others (m_1 > Σ_{k>1} m_k,
// as the T = 0 power law (1-d)d^{k-1}). mixture: any other state with ≥ 2 nonzero overlaps (no
// dominant one: the T = 0 state of K ≥ 3 at strong dilution; or an equal subset of j < K).
const char* phase_name(Phase p);

struct MfState {
  std::vector<double> n;  // signal overlaps (storage: n = m), unsorted, as solved
  std::vector<double> m;  // archetype overlaps E[ξ tanh βh]
  double q = 0, free_energy = 0, energy = 0, loss = 0;
  double min_hessian = 0;  // smallest Hessian eigenvalue (T = 0: κ, or -inf on a kink)
  // Unsupervised learning: min_μ 1 - β E[ξ²(M² - S²)/(M(M-1)) sech² βh]/(M𝓡), the Hessian (in units
  // of 1/(M𝓡)) along example-antisymmetric overlaps; NaN for laws without examples.
  double example_hessian = 0;
  double residual = 0;     // max |κ n - E[v tanh βh]|
  bool converged = false;  // residual below 1e-10 (solve() sets it; evaluate() leaves it false)
  bool stable = false;     // positive-definite Hessian at a converged solution
  Phase phase = Phase::paramagnet;
  std::vector<double> sorted_m() const;  // |m_μ| in decreasing order
};

class MultitaskingMf {
 public:
  // unsupervised = true: a solution is stable only if example_hessian > 0 as well.
  MultitaskingMf(int K, PatternLaw law, bool unsupervised = false);
  int K() const { return K_; }
  const PatternLaw& law() const { return law_; }

  // Every moment of the state n at inverse temperature beta (+inf allowed), Hessian included.
  MfState evaluate(std::span<const double> n, double beta) const;
  // The fixed-point map n -> E[v tanh βh] / κ.
  std::vector<double> map(std::span<const double> n, double beta) const;
  // Iterates the map from n0 inside the family's subspace (parallel: the first `j` equal, rest 0),
  // then polishes with Newton steps on the subspace; returns the evaluated state.
  MfState solve(std::vector<double> n0, double beta, Family family, int j = 0) const;
  // Converged solutions from pure, parallel (j = 2..K), hierarchical and fixed random starts.
  std::vector<MfState> candidates(double beta) const;
  // The stable candidate of lowest free energy (else the converged one of lowest f; else the
  // least-residual candidate, which only happens when every iteration stalls).
  MfState equilibrium(double beta) const;

 private:
  int K_;
  PatternLaw law_;
  bool unsupervised_ = false;
};

// T = 0 hierarchical amplitudes m_k = (1 - d) d^{k-1}, and the dilution where that state stops
// existing: the largest amplitude must exceed the sum of the others, 1 - 2d + d^K > 0 (K = 2: never).
std::vector<double> hierarchical_amplitudes(int K, double d);
double hierarchical_end(int K);

// `ptmc theory` entry, per β: the equilibrium state's m (largest), m_1..m_K (sorted), q, energy, loss,
// free_energy and phase (the Phase code); hierarchical_m_k and parallel_m, the two branches where
// they are stable (NaN elsewhere); unsupervised: example_hessian of the equilibrium state (stable
// states must also be stable off the example-symmetric subspace; if none is, the reported state is
// the best example-symmetric one and example_hessian < 0 says the true state breaks that symmetry).
Curves multitasking_curves(const Multitasking::Params& p, std::span<const double> beta);

}  // namespace ptmc::theory
