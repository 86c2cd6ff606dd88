// Replica-symmetric theory of the dense Hebbian network (docs/conventions.md): storage for any P ≥ 2 (AGS at
// P = 2), supervised and unsupervised learning at low and high load, finite T and T = 0, every branch
// (retrieval, spin glass, paramagnet) with its free energy, and the stable one chosen by free energy.
//
// ===================================== derivation (per spin) =====================================
// Notation. Load α = K/N^{P−1}, γ = (P!/2)α. Gauge σ_i → ξ^1_i σ_i (pattern/archetype 1 condensed).
// Learning: ξ̂ = (1/M)Σ_a η^a = r ξ Y with Y = ξ̂/(rξ), E Y = 1, E Y² = 1 + ρ; Y is exactly
// (M − 2k)/(M r), k ~ Bin(M, (1 − r)/2), and N(1, ρ) when M → ∞ at fixed ρ. Storage is Y ≡ 1, ρ = 0.
// Signal order parameter n̄ = ξ̂·σ/(N r(1+ρ)) (= m in storage); A = (1+ρ)^{P/2}. Since
// ξ̂·σ/(N√𝓡) = √(1+ρ) n̄, the supervised signal energy is −(A/2) n̄^P and the local field
//   h = s Y + √v z,   s(n̄) = (P/2)(1+ρ)^{P/2−1} n̄^{P−1},   z ~ N(0, 1),
// with n̄ = E[Y tanh βh]/(1+ρ), m = E tanh βh, q = E tanh² βh, C ≡ β(1 − q) = β E sech² βh.
// (Gaussian Y: h = s + τw, τ² = s²ρ + v, and Stein's lemma gives E[Y tanh βh] = m + ρ s C.)
//
// Noise, P ≥ 3 ("gaussian" kind). The non-condensed patterns make a centred field of covariance
// E[H(σ)H(τ)] = N Γ(q_στ). Distinct sites: Var e_P = C(N, P) for unit-variance entries, so
// Γ(q) = (γ/2)λ q^P, λ = 1 (storage, supervised: ξ̂/√𝓡 has unit variance). Unsupervised: examples of one
// archetype are correlated, E[η^a η^b] = r² (a ≠ b), so
//   λ_uns = Σ_{ab} E[η^aη^b]^P / (M² 𝓡^P) = (1 + (M − 1) r^{2P}) / (M 𝓡^P)      (my derivation).
// Storage with self-interactions: (N/2)K E[m^P] is a constant and, writing x^P = Σ_k a_k He_k(x),
// a_{P−2j} = P!/(2^j j!(P−2j)!), Γ(q) = (α/4) Σ_{k ≥ 1} a_k² k! q^k (the k < P terms are the extra spin-glass
// terms; for odd P the k = 1 term is a random field), plus the exact constant −K E[S^P]/(2N^P) per
// spin, S a sum of N ±1 (O(N) per spin for P ≥ 4!). For P ≥ 3 one pattern's Boltzmann reweighting,
// β N m_μ^P ~ N^{1−P/2}, vanishes, so the noise is Gaussian and the RS free entropy is that of a mixed
// p-spin with a ferromagnetic P-spin term (Legendre form of the convex n̄^P):
//   f = c0 + (P−1)/2 A n̄^P − T[ln 2 + E ln cosh βh] − (β/2)[Γ(1) − Γ(q) − (1 − q)Γ'(q)],  v = Γ'(q),
//   u = ∂(βf)/∂β = c0 − (A/2) n̄^P − β[Γ(1) − Γ(q)]   (only the explicit β: f is stationary).
// (Check: at q = 0 and P ≥ 3 the paramagnet f = −T ln 2 − βΓ(1)/2 is the annealed REM-like answer.)
//
// Noise, P = 2 ("ags" kind): the reweighting is O(1) and the non-condensed overlaps give the AGS
// determinant. With unit-variance patterns of weights λ_k at loads α_k (H_noise = −(N/2)Σ λ_k m_k²):
//   f = c0 + (A/2)n̄² + Σ_k (α_k/2β)[ln D_k − βλ_k q/D_k] + (β/2) R(1 − q) − T[ln 2 + E ln cosh βh],
//   D_k = 1 − βλ_k(1 − q),   v = R = Σ_k α_k λ_k² q / D_k²      (∂f/∂q = 0; storage: R = α r_AGS),
//   u = c0 − (A/2)n̄² − Σ_k (α_k λ_k/2)[1/D_k + βλ_k q(1 − q)/D_k²],
// c0 = Σ_k α_k λ_k/2 for distinct sites (the removed diagonal), 0 with self-interactions. Storage and
// supervised: one weight λ = 1 (AGS: f = α/2 + m²/2 + (α/2β)[ln(1−β+βq) − βq/(1−β+βq)] + αβr(1−q)/2 − ...).
// Unsupervised: an archetype's M examples have correlation matrix δ_ab + (1−δ_ab)r², eigenvalues
// M𝓡 (once) and 1 − r² (M − 1 times); divided by M𝓡 they give weights 1 (at load α) and
// (1 − r²)/(M𝓡) (at load (M − 1)α); then Σ α_kλ_k = α/𝓡, the diagonal of H_uns.
// Paramagnet check (storage): u = −(α/2)β/(1 − β), the annealed Hopfield energy.
//
// T = 0 (β = ∞, q → 1, C finite). C = E_Y[2φ(sY/√v)/√v] (density of h at 0, twice), m = E_Y erf(sY/√(2v)),
// n̄ = E_Y[Y erf(sY/√(2v))]/(1+ρ), f = u:
//   gaussian: u0 = c0 − (A/2)n̄^P − C Γ'(1)        (storage: m = erf(m^{P−1}√(P/(4γ))), u0 = −m^P/2 − γP φ(s/σ)/σ),
//   ags:      u0 = c0 − (A/2)n̄² − Σ_k (α_kλ_k/2)[1/(1 − λ_kC) + λ_kC/(1 − λ_kC)²],  R = Σ_k α_kλ_k²/(1 − λ_kC)².
// For P = 2 we parametrise by y = n̄/√(2R): n̄ = E_Y[Y erf(yY)]/(1+ρ), R = n̄²/(2y²), and solve
// √R = √(Σ_k α_kλ_k²/(1 − λ_kC)²); storage gives the AGS erf(y) = y(√(2α) + (2/√π)e^{−y²}), α_c ≈ 0.138.
// Spin glass at T = 0 (n̄ = 0): C = √(2/(πv)); for P = 2, C√R(C) = √(2/π) (storage: C = a/(1+a),
// a = √(2/(πα)), u = −√(2α/π) − 1/π, the α → 0 limit being the symmetric mixture of many patterns).
// Zero noise (low load): h = sY, so m = erf(1/√(2ρ)) for Gaussian Y at any P and β = ∞.
//
// Unsupervised at low load. The examples' overlaps n_a = η^a·σ/N are exchangeable; on the symmetric
// solution n_a = n the field is (P/2)n^{P−1}𝓡^{−P/2}(1/M)Σ_a η^a = (P/2)n^{P−1}𝓡^{−P/2} r ξ Y and
// n = E[η^a tanh βh] = E[ξ̂ tanh βh] = r E[Y tanh βh]. With n = r(1+ρ)n̄ this is exactly the
// supervised field and n̄-equation, and the energy −(1/(2M𝓡^{P/2}))Σ_a n_a^P = −(A/2)n̄^P: at low load
// both modes have the same equations, free energy and thresholds. (Not covered: states that retrieve
// single examples, n_a unequal, which exist for small M and good examples.)
//
// Branches and stability. Retrieval: the largest root n̄ > 0 of n̄ = F(n̄), F evaluated at the q
// continued from q = 1; found by a scan in n̄ (or y at T = 0, P = 2) that also catches the double root
// near the spinodal. m = 0 states: the largest-q solution (spin glass, from q = 1) and q = 0 (paramagnet,
// from q = 0). The m = 0 state is the one of larger f among the admissible ones (the replica rule of
// extremising over q as n → 0; at P = 2 it is the spin glass below T_g = 1 + √α, where f_SG > f_para),
// the paramagnet being inadmissible for βλ ≥ 1 (P = 2: its Gaussian integral diverges) and, at P ≥ 3,
// where its entropy ln 2 − β²Γ(1)/2 is negative (the REM catastrophe of the annealed paramagnet).
// Stable = the lower f of that m = 0 state and the retrieval state (the retrieval state alone, or
// else the paramagnet, where no m = 0 state is admissible) (AGS: retrieval is the global minimum at T = 0 for α < 0.051 only). The RS
// spin glass has negative entropy at low T for P ≥ 3; compare with analysis/rsb_dense there.
// Not covered: 1RSB (analysis/rsb_dense), self-interactions in the learning modes at P ≥ 3 and
// high load (NaN), example-retrieval states of unsupervised learning.
#pragma once
#include <span>
#include <utility>
#include <vector>

#include "analysis/theory.hpp"
#include "models/dense_hebbian.hpp"

namespace ptmc::theory::dense {

enum class Data { storage, supervised, unsupervised };
enum class LawChoice { automatic, gaussian, binomial };  // law of Y in the learning modes

// Physical parameters of one sweep point (N only enters through the finite-K counting below).
struct Setup {
  int P = 2;
  Data data = Data::storage;
  double alpha = 0;          // load of the non-condensed patterns/archetypes (noise), K_noise/N^{P−1}
  double alpha_all = -1;     // load in the constant terms (all K patterns); < 0: same as alpha
  int M = 1;                 // examples per archetype
  double r = 1;              // example quality in (0, 1]
  bool self_interaction = false;
  long long N = 0;           // for the exact self-interaction constant at P ≥ 3 (0: dropped)
  LawChoice law = LawChoice::automatic;  // automatic: exact binomial while it has ≤ 101 atoms
};

// One thermodynamic state (per spin). exists = false: the branch has no solution here.
struct State {
  bool exists = false;
  double nbar = 0, m = 0, q = 0;
  double C = 0;            // β(1 − q), finite at T = 0
  double v = 0;            // variance of the noise field
  double energy = 0, free_energy = 0, entropy = 0;
};

enum class Phase { paramagnet = 0, spin_glass = 1, retrieval = 2 };

struct Solution {
  State retrieval, spin_glass, paramagnet;
  Phase stable = Phase::paramagnet;
  const State& stable_state() const {
    return stable == Phase::retrieval ? retrieval : stable == Phase::spin_glass ? spin_glass : paramagnet;
  }
};

// The solvable problem: the law of Y, the noise and the constant. Built from a Setup.
struct Problem {
  int P = 2;
  double rho = 0;                  // E Y² − 1
  std::vector<double> y, w;        // atoms of Y (empty: Gaussian N(1, ρ))
  bool ags = false;                // P = 2 kind, else Gaussian noise
  std::vector<double> gamma;       // gaussian kind: Γ(q) = Σ_k gamma[k] q^k
  std::vector<std::pair<double, double>> spectrum;  // ags kind: (α_k, λ_k)
  double c0 = 0;                   // constant energy per spin
  bool covered = true;             // false: outside this theory (curves are NaN)
};

Problem make_problem(const Setup& s);
Setup setup_from(const DenseHebbian::Params& p);  // the model's parameters, as the theory reads them

// All branches at one β (β = +inf: T = 0).
Solution solve(const Problem& pb, double beta);
// Storage shortcut: P ≥ 2 at load α (thermodynamic limit, no self-interactions).
Solution solve_storage(int P, double alpha, double beta);

// Mean-field right-hand side at a given n̄ with q solved at that n̄ (continued from q_start); the
// retrieval branch is where F(n̄) = n̄. Exposed for tests.
State state_at(const Problem& pb, double beta, double nbar, double q_start = 1.0);

// Curves named like the Monte Carlo summary, for the stable state: m, q, energy, free_energy, nbar,
// n (= r(1+ρ)n̄, the mean example overlap; m in storage), phase (0 para, 1 spin glass, 2 retrieval),
// m1 (the retrieval branch where it exists, else 0: a run started at the archetype); and per branch:
// m_retrieval, q_retrieval, nbar_retrieval, energy_retrieval, f_retrieval (NaN where absent), q_sg,
// energy_sg, f_sg (the m = 0 state), f_para. All NaN where the theory does not apply.
Curves dense_hebbian_curves(const DenseHebbian::Params& p, std::span<const double> beta);

}  // namespace ptmc::theory::dense

namespace ptmc::theory {
using dense::dense_hebbian_curves;
}
