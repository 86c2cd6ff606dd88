// Replica-symmetric theory of the binary perceptron (count cost): Gardner–Derrida storage at any T
// (q, entropy, the q → 1 capacity and the zero-entropy point) and teacher–student Gibbs learning
// (Györgyi at T = 0, Sompolinsky–Tishby–Seung at T > 0) with both branches of the first-order transition.
#pragma once
#include <optional>
#include <span>

#include "analysis/theory.hpp"
#include "models/binary_perceptron.hpp"

namespace ptmc::theory {

// Gaussian tail H(x) = ∫_x^∞ Dt, ln H(x) and the hazard G(x)/H(x), accurate for large x.
double gauss_tail(double x);
double log_gauss_tail(double x);
double gauss_hazard(double x);

// One RS saddle point. phi = -βf per weight (at β = ∞: the entropy of the zero-energy states);
// energy per weight = α × train_error; entropy = phi + β·energy; free_energy = -phi/β.
struct PerceptronRs {
  double R = 0, q = 0, Rhat = 0, qhat = 0;
  double phi = 0, energy = 0, train_error = 0, entropy = 0, free_energy = 0;
  bool converged = false;
};

// Storage (random labels), margin κ. At β = ∞ beyond the q → 1 point the entropy is -∞: q = 1, phi = NaN.
PerceptronRs storage_rs(double alpha, double kappa, double beta);
// The same with the quadratic cost (κ - Δ)² Θ(κ - Δ), finite β: energy = α × the mean cost per
// constraint, train_error = the fraction violated (analysis/quadratic_cost_integrals.hpp).
PerceptronRs storage_rs_quadratic(double alpha, double kappa, double beta);
// T = 0 RS capacity (q → 1): α = 2 / (π ∫_{-κ}^∞ Dt (κ + t)²), 4/π at κ = 0.
double storage_rs_capacity(double kappa);
// T = 0 load where the RS entropy vanishes (the Krauth–Mézard capacity, 0.833 at κ = 0).
double storage_entropy_zero(double kappa);

// Teacher–student Gibbs learning: every branch the fixed-point map reaches (the poor-generalisation
// branch and the good one, which at κ = 0 is R = q = 1 exactly, f = 0), the equilibrium one being the
// branch of lower free energy and the other kept as metastable.
struct TeacherStudentRs {
  PerceptronRs equilibrium;
  std::optional<PerceptronRs> metastable;
};
TeacherStudentRs teacher_student_rs(double alpha, double kappa, double beta);

// T = 0, κ = 0 (Nishimori line q = R): the poor-generalisation branch from the one-dimensional equation
// R = E_z tanh(√R̂ z + R̂), R̂ = α/(π√(1-R)) ∫Dt e^{-Rt²/2}/H(√R t); nullopt where it does not exist.
std::optional<PerceptronRs> gibbs_zero_temperature_poor(double alpha);

// κ = 0: the load where the poor branch loses to R = 1 (free energies equal) and the load where it
// ceases to exist (spinodal). Györgyi at T = 0: 1.245 and 1.49.
struct TeacherStudentTransition {
  double alpha_c = 0, alpha_spinodal = 0;
};
TeacherStudentTransition teacher_student_transition(double beta);

// `ptmc theory` for binary_perceptron. Storage: q, energy, train_error, entropy, free_energy and the
// κ-dependent alpha_rs (q → 1) and alpha_s0 (zero entropy). Teacher–student: m = R, R, eg, q, energy,
// train_error, entropy, free_energy for the equilibrium branch, the same with _meta for the metastable
// one, and alpha_c, alpha_spinodal (κ = 0). Continual: the λ = 0 baseline only (NaN for λ ≠ 0).
// Storage has curves for both costs (T = 0 values are the same for both); teacher–student and continual
// with the quadratic cost at finite β come from analysis/rs_continual.hpp.
Curves binary_perceptron_curves(const BinaryPerceptron::Params& p, std::span<const double> beta);

}  // namespace ptmc::theory
