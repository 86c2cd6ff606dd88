// One-step replica symmetry breaking (1RSB) for the dense Hebbian network in storage (docs/conventions.md,
// "Beyond replica symmetry"): m, q0, q1 and the Parisi parameter θ at finite T and T = 0, the RS limit,
// the de Almeida–Thouless line and the 1RSB maximal storage. Derivations are in rsb_dense.cpp.
#pragma once
#include <span>

#include "analysis/theory.hpp"
#include "models/dense_hebbian.hpp"

namespace ptmc::theory::dense1rsb {

// Noise of the non-condensed patterns. P-body (hopfield = false): a Gaussian field of covariance
// E[H(σ)H(τ)] = N (γ/2) q^P, γ = (P!/2) α, exact for P ≥ 3 (P = 2 here is SK plus a Mattis term).
// Hopfield (P = 2, hopfield = true, γ = α): the Amit–Gutfreund–Sompolinsky noise with its soft-spin
// determinant, 1RSB as in Crisanti–Amit–Gutfreund.
struct Model {
  int P = 4;
  double gamma = 0;
  bool hopfield = false;
};
double gamma_from_alpha(int P, double alpha);  // γ = (P!/2) α
double alpha_from_gamma(int P, double gamma);

// ---- replica symmetric (q0 = q1 = q) ----
struct Rs {
  double m = 0, q = 0;
  double phi = 0;     // −βf per spin (free entropy)
  double energy = 0;  // per spin
  double at = 0;      // λ_AT = ξ''(q) E sech⁴(g); RS is locally stable iff λ_AT ≤ 1
  bool converged = false;
};
// Fixed-point iteration from (m, q). beta may be +inf (then q = 1, energy and m from the T = 0 limit,
// at = +inf where the field density at 0 is positive: RS is never AT-stable at T = 0 for P ≥ 3).
Rs solve_rs(const Model& M, double beta, double m_start, double q_start);
// λ_AT at a given (m, q) (not necessarily a solution).
double at_lambda(const Model& M, double beta, double m, double q);

// ---- 1RSB, finite temperature ----
struct State {
  double m = 0, q0 = 0, q1 = 0, theta = 1;
};
// One application of the 1RSB map at a given state, with the θ residual ∂φ/∂θ and φ = −βf.
struct Map {
  double m = 0, q0 = 0, q1 = 0;  // right-hand sides of the three self-consistency equations
  double dphi_dtheta = 0;        // zero at the θ-stationary point
  double phi = 0;                // 1RSB free entropy −βf at the given state
  double energy = 0;             // per spin, valid at a stationary point
};
Map apply_map(const Model& M, double beta, const State& s);

struct Rsb {
  State s;
  double phi = 0, energy = 0;
  bool broken = false;     // q1 − q0 > 1e-6 at the solution (otherwise the RS solution, θ = NaN)
  bool converged = false;
};
// Full 1RSB solution from a start that selects the branch (m = 0 holds m at 0: the spin-glass
// branch; start.m near 1 and q's near 1: retrieval): m, q0, q1 iterated with θ ∈ (0, 1] slaved to
// ∂φ/∂θ = 0. Returns the RS solution (broken = false, θ = NaN) when the replicas merge (q1 → q0) or
// θ* ≥ 1 (high temperature). beta = +inf gives the T = 0 solution (q1 = 1, θ = 0).
Rsb solve(const Model& M, double beta, State start);

// ---- 1RSB, T = 0 (q1 = 1, θ = μ/β with μ finite) ----
struct Ground {
  double m = 0, q0 = 0, mu = 0;
  double energy = 0;  // ground-state energy per spin
  double m_rhs = 0;   // E⟨sign ĝ⟩ at the solution (= m unless m was held fixed)
  bool converged = false;
  double C = 0;       // Hopfield only: β(1 − q1), finite at T = 0
};
Ground solve_ground(const Model& M, Ground start);
// q0 and μ at a held m (the m-equation not imposed): the retrieval curve is where m_rhs = m.
Ground solve_ground_at_m(const Model& M, double m, double q0_start);
// Maximal storage at T = 0: the largest γ with a retrieval solution (m > 0), and the m there.
struct Capacity {
  double gamma = 0, alpha = 0, m = 0;
  double q0 = 1, mu = 0;  // 1RSB only: the T = 0 order parameters at the capacity
};
// RS: from m = erf(m^{P−1} √(P/(4γ))), γ_c = max_m P m^{2P−2} / (4 erfinv(m)²); Hopfield (AGS):
// α_c = max_y [erf(y)/(√2 y) − √(2/π) e^{−y²}]² (0.138).
Capacity rs_capacity_t0(int P, bool hopfield = false);
// The same with the T = 0 1RSB equations, P-body noise. (Hopfield: not provided; near α_c its T = 0
// 1RSB solution has μ ~ 10²–10³ and q0 → 1 and this search does not follow it reliably.)
Capacity rsb_capacity_t0(int P);

// Theory curves over one β ladder at (P, γ), P ≥ 3 (β may contain +inf; f = free energy per spin,
// the ground-state energy at T = 0; θ = NaN where the solution is replica symmetric, q0 = q1):
//   m_1rsb, q0_1rsb, q1_1rsb, theta_1rsb, energy_1rsb, f_1rsb: the 1RSB state of lowest f among the
//     retrieval state and the m = 0 one;
//   m_retrieval_1rsb, f_retrieval_1rsb: the retrieval state (NaN where it does not exist; followed
//     by continuation along the ladder, which also finds it near its spinodal);
//   f_sg_1rsb, q1_sg_1rsb, theta_sg_1rsb: the m = 0 state (1RSB spin glass or RS paramagnet);
//   at_lambda, at_stable: λ_AT of rs_dense's stable RS state (its m, q curves) and 1/0 for λ_AT ≤ 1;
//   at_lambda_retrieval: λ_AT of rs_dense's RS retrieval state (NaN where none).
Curves curves(const Model& M, std::span<const double> beta);

// Appends curves() for one sweep point of the dense_hebbian model (storage data, P ≥ 3, no
// self-interaction); the same names filled with NaN outside this theory.
void append_1rsb_curves(Curves& c, const DenseHebbian::Params& p, std::span<const double> beta);

}  // namespace ptmc::theory::dense1rsb
