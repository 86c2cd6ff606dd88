// Replica-symmetric Franz–Parisi theory of continual learning in the binary perceptron, for exactly the
// setting that models/binary_perceptron samples in mode = "continual" (count or quadratic cost for the
// student; the reference always has the count cost): σ_ref is a Gibbs sample of task 1 (α1, beta_ref, teacher 1), quenched; the student samples task 2 (α, β, teacher 2 =
// teacher 1 ∘ χ, P(χ = +1) = (1 + r0)/2) with the energy term -λ σ·σ_ref. Derivation and conventions:
// docs/continual_learning_theory.md.
#pragma once
#include <cmath>
#include <optional>
#include <span>

#include "analysis/theory.hpp"
#include "models/binary_perceptron.hpp"

namespace ptmc::theory {

// The reference: teacher–student RS on task 1 (the equilibrium branch of teacher_student_rs).
struct ContinualReference {
  double R = 0, q = 0, Rhat = 0, qhat = 0;  // overlap with teacher 1, its own replica overlap, conjugates
  double train_error = 0, eg = 0;            // task-1 violated fraction, arccos(R)/π
  double at = 0;                             // AT product (RS stable iff < 1)
};

// One RS saddle point of the student. R1 = σ·t1/N (MC column R), R2 = σ·t2/N, Rref = σ·σ_ref/N
// (R_ref), q the replica overlap of two students coupled to the same σ_ref. phi = -βf per weight;
// energy per weight = α train_error - λ Rref (the MC's `energy` column); entropy = phi + β energy.
// at = α γ_E γ_S: the replicon of the student's replicas is positive (RS locally stable) iff at < 1.
// Abar, Bbar: the site means of A and B in the student's magnetisation ⟨σ_i⟩ = A_i + B_i σ_ref,i t1_i
// (R1 = Abar + Bbar R_ref1, Rref = Abar R_ref1 + Bbar); train_error1 is its violated fraction of task 1's
// examples, which σ_ref was trained on (docs/continual_learning_theory.md §4).
struct ContinualRs {
  double R1 = 0, R2 = 0, Rref = 0, q = 0, R2hat = 0, qhat = 0;
  double phi = 0, energy = 0, train_error = 0, entropy = 0, free_energy = 0, at = 0;
  double Abar = 0, Bbar = 0, train_error1 = NAN;
  bool perfect = false;  // κ = 0 isolated state σ = teacher 2 (R2 = q = 1)
  bool converged = false;
};

struct ContinualSolution {
  ContinualReference reference;
  ContinualRs equilibrium;               // the fixed point of largest -βf
  std::optional<ContinualRs> metastable;  // the best of the others, if any
};

// The reference at (alpha1, kappa, beta_ref); the overlap of σ_ref with teacher 1 is all the student sees.
ContinualReference continual_reference(double alpha1, double kappa, double beta_ref);

// The student at finite β; at β = ∞ and λ = 0 the teacher–student T = 0 solution of task 2, at β = ∞ and
// λ ≠ 0 continual_zero_t. Either cost (p.cost; the quadratic cost's energy is α ⟨Σ (κ - Δ)² Θ(κ - Δ)⟩/P - λ R_ref,
// its train_error the violated fraction). Every attracting fixed point of the damped RS map reached from a few
// starts.
ContinualSolution continual_rs(const BinaryPerceptron::Params& p, double beta);
ContinualSolution continual_rs(const BinaryPerceptron::Params& p, const ContinualReference& ref, double beta);

// T = 0, λ ≠ 0: the RS ground state of E2 - λ σ·σ_ref for either cost (q = 1, ground-state scaling; docs §6). Branches ranked
// by energy; phi is NaN, R2hat and qhat are R̂2/β and q̂/β², at is +∞ (RS is unstable at T = 0).
ContinualSolution continual_zero_t(const BinaryPerceptron::Params& p, const ContinualReference& ref);

// The student's RS map at a given (R2, q), for tests: the new (R2, q) and every site average.
ContinualRs continual_point(const BinaryPerceptron::Params& p, const ContinualReference& ref, double beta,
                            double one_minus_R2, double one_minus_q);

// The student's training error on task 1 (MC column train_error1) at a solved point r: on a task-1 example
// its field is Abar v0 + Bbar Δ_ref + d η (v0 teacher 1's field, Δ_ref the reference's, d² = 1 - R1² -
// Bbar²(1 - R_ref1²)), averaged over the reference's own training-set law at beta_ref. continual_rs fills it
// in for the branches it returns; continual_point does not (it costs a two-dimensional integral).
double continual_train_error1(const BinaryPerceptron::Params& p, const ContinualReference& ref, const ContinualRs& r);

// The integral itself at given (A, B, d), for tests: E over (v0, Δ_ref) with the law of teacher 1's and the
// reference's fields on the reference's own training examples, of H((A |v0| + B Δ_ref - κ)/d).
double task1_violation(double kappa, double beta_ref, const ContinualReference& ref, double A, double B, double d);

// `ptmc theory` for binary_perceptron: mode = "continual" here (every λ), other modes by
// binary_perceptron_curves, except teacher_student with the quadratic cost at finite β, which is the
// continual student at λ = 0, r0 = 1. Columns under the MC's names: m (= |R|), R, R2, R_ref, q, eg, train_error,
// train_error1, energy; theory-only: eg2, entropy, free_energy, at, the _meta branch, and the reference's own
// ref_R, ref_q, ref_eg, ref_train_error, ref_at.
Curves binary_perceptron_all_curves(const BinaryPerceptron::Params& p, std::span<const double> beta);
Curves continual_curves(const BinaryPerceptron::Params& p, std::span<const double> beta);

}  // namespace ptmc::theory
