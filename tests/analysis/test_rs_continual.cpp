// Franz–Parisi RS theory of continual learning (analysis/rs_continual): its limits against independent
// results. λ = 0 against the teacher–student solver (a separate implementation of the energetic term);
// λ → ∞ pins the student to σ_ref; α → 0 is a paramagnet in the field βλ σ_ref (closed form); r0 = 1 at
// matching temperatures and loads, λ = 0, makes the student a second reference (closed form in the
// reference's order parameters); and the thermodynamic identities ∂(-βf)/∂β = -e, ∂(-βf)/∂λ = β R_ref,
// which tie the saddle point to its observables.
#include <cmath>
#include <doctest/doctest.h>
#include <string>

#include "analysis/count_cost_integrals.hpp"
#include "analysis/gaussian_quadrature.hpp"
#include "analysis/rs_continual.hpp"
#include "analysis/rs_perceptron.hpp"
#include "engine/params/config.hpp"
#include "models/registry.hpp"

using namespace ptmc;
using namespace ptmc::theory;

namespace {

BinaryPerceptron::Params params(double alpha, double lambda, double r0, double alpha1 = 1.0, double beta_ref = 4.0,
                                double kappa = 0.0) {
  BinaryPerceptron::Params p;
  p.N = 101;
  p.alpha = alpha;
  p.mode = BinaryPerceptron::Mode::continual;
  p.kappa = kappa;
  p.alpha1 = alpha1;
  p.r0 = r0;
  p.lambda = lambda;
  p.beta_ref = beta_ref;
  return p;
}

// E over the reference's own training examples of g(Δ), Δ = y σ_ref·x/√N its stability, κ = 0: the
// teacher–student parametrisation of docs §3 (cavity mean √Q z, weight 2 H(-R z/√(Q - R²)) for the teacher's
// sign, Δ = √Q z + √(1-Q) ζ with ζ tilted by e^{-β_ref Θ(-Δ)}), by nested quadrature.
template <class G>
double reference_training_average(const ContinualReference& ref, double beta_ref, G&& g) {
  const double Q = ref.q, sig = std::sqrt(1 - Q), sD = std::sqrt(Q - ref.R * ref.R), eps = std::exp(-beta_ref);
  return 2 * feature_average([&](double z) {
    const double z0 = -std::sqrt(Q) * z / sig, Z = eps + (1 - eps) * gauss_tail(z0);
    const double inner = feature_average([&](double zeta) {
      return (zeta > z0 ? 1.0 : eps) * g(std::sqrt(Q) * z + sig * zeta);
    }, {{z0, 1e-3}});
    return gauss_tail(-ref.R * z / sD) * inner / Z;
  }, {});
}

}  // namespace

TEST_CASE("bivariate_upper: P(X > h, Y > k) at correlation ρ against one-dimensional quadrature") {
  // P = ∫_h^∞ Dx H((k - ρx)/√(1-ρ²)), integrated with a breakpoint at h and panels refined where the H
  // steps (width √(1-ρ²)/|ρ|); every branch of the closed form (|ρ| <= 0.925, ρ > 0.925, ρ < -0.925).
  for (double rho : {-0.9999, -0.99, -0.95, -0.6, 0.0, 0.3, 0.8, 0.925, 0.93, 0.99, 0.9999})
    for (double h : {-2.0, -0.3, 0.0, 0.7, 2.5})
      for (double k : {-1.5, -0.3, 0.0, 0.7, 3.0}) {
        const double c = std::sqrt(1 - rho * rho);
        const double direct = feature_average([&](double x) { return x > h ? gauss_tail((k - rho * x) / c) : 0.0; },
                                              {{h, 1e-4}, {rho != 0 ? k / rho : 0.0, rho != 0 ? c / std::abs(rho) : 1.0}});
        INFO("rho " << rho << " h " << h << " k " << k);
        CHECK(std::abs(bivariate_upper(h, k, rho) - direct) < 1e-9);
      }
  CHECK(bivariate_upper(0.4, -0.2, 0.0) == doctest::Approx(gauss_tail(0.4) * gauss_tail(-0.2)).epsilon(1e-14));
  CHECK(bivariate_upper(0.0, 0.0, 0.5) == doctest::Approx(1.0 / 3.0).epsilon(1e-13));  // 1/4 + asin(ρ)/2π
}

TEST_CASE("continual, λ = 0: the student is the teacher–student solution of task 2, R = r0 R2") {
  for (double beta : {1.0, 2.0, 5.0})
    for (double alpha : {0.5, 1.0, 2.0})
      for (double r0 : {-0.5, 0.0, 0.5}) {
        const auto p = params(alpha, 0.0, r0);
        const ContinualSolution s = continual_rs(p, beta);
        const PerceptronRs ts = teacher_student_rs(alpha, 0.0, beta).equilibrium;
        const ContinualReference ref = continual_reference(1.0, 0.0, 4.0);
        INFO("beta " << beta << " alpha " << alpha << " r0 " << r0);
        CHECK(s.equilibrium.R2 == doctest::Approx(ts.R).epsilon(1e-7));
        CHECK(s.equilibrium.q == doctest::Approx(ts.q).epsilon(1e-7));
        CHECK(s.equilibrium.phi == doctest::Approx(ts.phi).epsilon(1e-7));
        CHECK(s.equilibrium.train_error == doctest::Approx(ts.train_error).epsilon(1e-7));
        CHECK(std::abs(s.equilibrium.R1 - r0 * ts.R) < 1e-8);
        CHECK(std::abs(s.equilibrium.Rref - r0 * ref.R * ts.R) < 1e-8);
        // The student never looks at task 1's examples: on them it errs as on fresh ones, arccos(R)/π (κ = 0).
        CHECK(std::abs(s.equilibrium.train_error1 - std::acos(s.equilibrium.R1) / M_PI) < 1e-7);
      }
}

TEST_CASE("continual, α → 0: a paramagnet in the field βλ σ_ref") {
  // No task-2 data: σ_i = ±1 with field βλ σ_ref,i, so R_ref = tanh βλ, q = tanh² βλ, R = R_ref1 tanh βλ,
  // R2 = r0 R_ref1 tanh βλ, -βf = ln 2cosh βλ.
  const double beta = 2.0;
  for (double lambda : {-0.3, 0.2, 0.7})
    for (double r0 : {-0.5, 0.5}) {
      const auto p = params(1e-7, lambda, r0);
      const ContinualSolution s = continual_rs(p, beta);
      const double t = std::tanh(beta * lambda), Rr = s.reference.R;
      INFO("lambda " << lambda << " r0 " << r0);
      CHECK(std::abs(s.equilibrium.Rref - t) < 1e-6);
      CHECK(std::abs(s.equilibrium.q - t * t) < 1e-6);
      CHECK(std::abs(s.equilibrium.R1 - Rr * t) < 1e-6);
      CHECK(std::abs(s.equilibrium.R2 - r0 * Rr * t) < 1e-6);
      CHECK(std::abs(s.equilibrium.phi - std::log(2 * std::cosh(beta * lambda))) < 1e-6);
      // train_error1: σ is σ_ref with each weight flipped w.p. (1 - tanh βλ)/2, so on a task-1 example its
      // field is t Δ_ref + √(1 - t²) η. Averaged here over the reference's training-set law in the
      // teacher–student parametrisation (cavity mean √Q z, teacher's sign H(-R z/√(Q - R²))), by direct
      // two-dimensional quadrature: independent of the bivariate closed form the solver uses.
      const double direct = reference_training_average(s.reference, 4.0, [&](double delta) {
        return gauss_tail(t * delta / std::sqrt(1 - t * t));
      });
      CHECK(std::abs(s.equilibrium.train_error1 - direct) < 1e-6);
    }
  // At λ = 0 there (t = 0) it is 1/2; with the field, below 1/2 and above the reference's own training error.
  const ContinualRs e = continual_rs(params(1e-7, 0.7, 0.5), beta).equilibrium;
  CHECK(e.train_error1 < 0.5);
  CHECK(e.train_error1 > continual_reference(1.0, 0.0, 4.0).train_error);
}

TEST_CASE("continual, λ → ∞: the student is pinned to σ_ref") {
  // At finite T, 1 - q ~ e^{-2βλ} and the approach is slow (the energetic field √q̂ grows as (1-q)^{-1/4}).
  // Every overlap becomes the reference's: R = R_ref1, R2 = r0 R_ref1 (σ_ref·t2/N), R_ref = q = 1, and the
  // task-2 training error is the reference's error on teacher 2, arccos(r0 R_ref1)/π (κ = 0).
  const double beta = 2.0;
  for (double r0 : {-0.5, 0.0, 0.5}) {
    double prev = 1;
    for (double lambda : {1.0, 2.5, 5.0}) {
      const auto p = params(1.0, lambda, r0);
      const ContinualSolution s = continual_rs(p, beta);
      const double Rr = s.reference.R;
      const ContinualRs& e = s.equilibrium;
      const double dist = std::max({std::abs(e.R1 - Rr), std::abs(e.R2 - r0 * Rr), 1 - e.Rref, 1 - e.q,
                                    std::abs(e.train_error - std::acos(r0 * Rr) / M_PI),
                                    std::abs(e.train_error1 - s.reference.train_error)});
      INFO("r0 " << r0 << " lambda " << lambda << " R " << e.R1 << " R2 " << e.R2 << " Rref " << e.Rref << " q " << e.q
                 << " train " << e.train_error << " train1 " << e.train_error1 << " dist " << dist);
      CHECK(dist < prev);  // approaches the pinned values monotonically
      prev = dist;
      if (lambda == 5.0) CHECK(dist < 0.03);
    }
    // Beyond βλ ≈ 15, 1 - q < 1e-13 is not resolved: the solver says so (NaN) instead of answering wrongly
    // (before this guard it returned the isolated state σ = teacher 2, R2 = 1).
    CHECK(std::isnan(continual_rs(params(1.0, 20.0, r0), beta).equilibrium.R2));
  }
}

TEST_CASE("continual, r0 = 1, β = beta_ref, α = α1, λ = 0: the student is a second reference") {
  // Teacher 2 = teacher 1 and task 2 is task 1 with fresh examples: the student has the reference's order
  // parameters, R = R2 = R_ref1, q = q_ref, the same training error, and R_ref = R_ref1² (two samples that
  // share only the teacher). With λ ≠ 0 and r0 = 1, R = R2 still (χ = 1).
  for (double beta : {2.0, 4.0})
    for (double alpha : {0.5, 1.0}) {
      const auto p = params(alpha, 0.0, 1.0, alpha, beta);
      const ContinualSolution s = continual_rs(p, beta);
      const ContinualReference& r = s.reference;
      INFO("beta " << beta << " alpha " << alpha);
      CHECK(s.equilibrium.R1 == doctest::Approx(r.R).epsilon(1e-7));
      CHECK(s.equilibrium.R2 == doctest::Approx(r.R).epsilon(1e-7));
      CHECK(s.equilibrium.q == doctest::Approx(r.q).epsilon(1e-7));
      CHECK(s.equilibrium.train_error == doctest::Approx(r.train_error).epsilon(1e-7));
      CHECK(s.equilibrium.Rref == doctest::Approx(r.R * r.R).epsilon(1e-7));
      CHECK(s.equilibrium.at == doctest::Approx(r.at).epsilon(1e-6));
      const ContinualSolution c = continual_rs(params(alpha, 0.4, 1.0, alpha, beta), beta);
      CHECK(c.equilibrium.R1 == doctest::Approx(c.equilibrium.R2).epsilon(1e-9));
      CHECK(c.equilibrium.Rref > s.equilibrium.Rref + 0.05);
    }
}

TEST_CASE("continual: -βf is the potential of its observables, ∂/∂β = -energy and ∂/∂λ = β R_ref") {
  for (double lambda : {-0.2, 0.3, 0.8})
    for (double r0 : {-0.5, 0.5}) {
      const double beta = 3.0, h = 1e-4;
      auto phi = [&](double b, double l) { return continual_rs(params(1.0, l, r0), b).equilibrium.phi; };
      const ContinualRs e = continual_rs(params(1.0, lambda, r0), beta).equilibrium;
      INFO("lambda " << lambda << " r0 " << r0 << " R " << e.R1 << " R2 " << e.R2 << " Rref " << e.Rref << " q " << e.q);
      REQUIRE_FALSE(e.perfect);
      const double dbeta = (phi(beta + h, lambda) - phi(beta - h, lambda)) / (2 * h);
      const double dlambda = (phi(beta, lambda + h) - phi(beta, lambda - h)) / (2 * h);
      CHECK(dbeta == doctest::Approx(-e.energy).epsilon(1e-5));
      CHECK(dlambda == doctest::Approx(beta * e.Rref).epsilon(1e-5));
      CHECK(e.at < 1);
    }
}

TEST_CASE("ptmc theory for binary_perceptron, mode = continual: every λ, under the Monte Carlo names") {
  const Config c = parse_config_text(
      "[model]\nname = \"binary_perceptron\"\nmode = \"continual\"\nN = 21\nalpha = 1.0\nalpha1 = 1.0\n"
      "r0 = 0.5\nlambda = 0.4\nbeta_ref = 4.0\n[tempering]\nbeta = [2.0, inf]\n[run]\nsweeps = 10\n",
      "test.toml", model_schemas());
  const Curves cv = binary_perceptron_all_curves(BinaryPerceptron::parse(c.point_reader(0)), c.tempering.beta);
  auto get = [&](const std::string& name) {
    for (std::size_t k = 0; k < cv.names.size(); ++k)
      if (cv.names[k] == name) return cv.values[k];
    FAIL("missing curve " << name);
    return std::vector<double>{};
  };
  const ContinualRs e = continual_rs(params(1.0, 0.4, 0.5), 2.0).equilibrium;
  CHECK(get("R")[0] == doctest::Approx(e.R1).epsilon(1e-12));
  CHECK(get("m")[0] == doctest::Approx(std::abs(e.R1)).epsilon(1e-12));
  CHECK(get("R2")[0] == doctest::Approx(e.R2).epsilon(1e-12));
  CHECK(get("R_ref")[0] == doctest::Approx(e.Rref).epsilon(1e-12));
  CHECK(get("q")[0] == doctest::Approx(e.q).epsilon(1e-12));
  CHECK(get("energy")[0] == doctest::Approx(e.energy).epsilon(1e-12));
  CHECK(get("train_error")[0] == doctest::Approx(e.train_error).epsilon(1e-12));
  CHECK(get("eg")[0] == doctest::Approx(std::acos(e.R1) / M_PI).epsilon(1e-12));
  CHECK(get("eg2")[0] == doctest::Approx(std::acos(e.R2) / M_PI).epsilon(1e-12));
  CHECK(get("train_error1")[0] == doctest::Approx(e.train_error1).epsilon(1e-12));
  // T = 0 at λ ≠ 0: the RS ground state (q = 1), flagged RS-unstable (at = ∞).
  const ContinualRs z = continual_zero_t(params(1.0, 0.4, 0.5), continual_reference(1.0, 0.0, 4.0)).equilibrium;
  CHECK(get("R")[1] == doctest::Approx(z.R1).epsilon(1e-12));
  CHECK(get("q")[1] == 1.0);
  CHECK(get("train_error1")[1] == doctest::Approx(z.train_error1).epsilon(1e-12));
  CHECK(std::isinf(get("at")[1]));
  CHECK(get("ref_R")[0] == doctest::Approx(teacher_student_rs(1.0, 0.0, 4.0).equilibrium.R).epsilon(1e-12));
  // The quadratic cost: tests/analysis/test_rs_continual_quadratic.cpp.
  // Other modes still go to binary_perceptron_curves.
  const Config ts = parse_config_text("[model]\nname = \"binary_perceptron\"\nmode = \"teacher_student\"\nN = 21\n"
                                      "alpha = 1.0\n[tempering]\nbeta = [2.0]\n[run]\nsweeps = 10\n",
                                      "test.toml", model_schemas());
  const Curves tc = binary_perceptron_all_curves(BinaryPerceptron::parse(ts.point_reader(0)), ts.tempering.beta);
  CHECK(tc.values[0][0] == doctest::Approx(teacher_student_rs(1.0, 0.0, 2.0).equilibrium.R).epsilon(1e-10));
}

TEST_CASE("continual: the student's task-1 training error from the overlaps R, R_ref, p̃ by direct quadrature") {
  // On a task-1 example the fields (teacher v0, reference w, student u) are jointly Gaussian with covariances
  // R_ref1, R (= R1), p = R_ref and p̃ = σ·σ_ref'/N, σ_ref' a second sample of the reference's Gibbs measure.
  // p̃ is computed here from the site law (reference field h_r = R̂_r + √Q̂ z, σ_ref = ±1 given z, the
  // student's h = R̂2 χ + βλ σ_ref + √q̂ ξ), not from the solver's A, B; then u = R v0 + b t + c ζ + d η with
  // b = (p̃ - R R_ref1)/√(Q - R_ref1²), c = (p - p̃)/√(1-Q), d² = 1 - R² - b² - c², and the error is averaged
  // over (v0, t, ζ) with the reference's tilt, the η average being H. The solver's value must agree.
  for (double lambda : {0.5, 1.5})
    for (double r0 : {-0.5, 0.5}) {
      const double beta = 2.0, beta_ref = 2.0;
      const auto p = params(1.0, lambda, r0, 1.0, beta_ref);
      const ContinualSolution sol = continual_rs(p, beta);
      const ContinualReference& ref = sol.reference;
      const ContinualRs& e = sol.equilibrium;
      const double b = beta * lambda;
      double pt = 0;  // p̃ = E[⟨σ⟩ tanh h_r]
      for (int chi : {1, -1})
        pt += 0.5 * (1 + r0 * chi) * gauss_average([&](double z) {
          const double tr = std::tanh(ref.Rhat + std::sqrt(ref.qhat) * z);
          return tr * gauss_average([&](double xi) {
            const double c = e.R2hat * chi + std::sqrt(e.qhat) * xi;
            return 0.5 * (1 + tr) * std::tanh(c + b) + 0.5 * (1 - tr) * std::tanh(c - b);
          });
        });
      const double Rr = ref.R, Q = ref.q, R = e.R1, pp = e.Rref;
      INFO("lambda " << lambda << " r0 " << r0 << " p~ " << pt << " R " << R << " Rref " << pp);
      CHECK(std::abs(pt - (e.Abar * Rr + e.Bbar * Q)) < 1e-8);  // the A + B σ_ref decomposition
      CHECK(std::abs(R - (e.Abar + e.Bbar * Rr)) < 1e-10);
      CHECK(std::abs(pp - (e.Abar * Rr + e.Bbar)) < 1e-10);
      const double sD = std::sqrt(Q - Rr * Rr), sig = std::sqrt(1 - Q), eps = std::exp(-beta_ref);
      const double bb = (pt - R * Rr) / sD, cc = (pp - pt) / sig, d = std::sqrt(1 - R * R - bb * bb - cc * cc);
      const double direct = feature_average([&](double v0) {
        const double v = std::abs(v0);
        return gauss_average([&](double t) {
          const double mu = Rr * v + sD * t, z0 = -mu / sig, Z = eps + (1 - eps) * gauss_tail(z0);
          return feature_average([&](double zeta) {
            return (zeta > z0 ? 1.0 : eps) * gauss_tail((R * v + bb * t + cc * zeta) / d);
          }, {{z0, 1e-3}}) / Z;
        }, 41);
      }, {{0.0, 1e-3}});
      CHECK(std::abs(e.train_error1 - direct) < 2e-6);
      CHECK(e.train_error1 > ref.train_error);
      CHECK(e.train_error1 < std::acos(R) / M_PI);  // σ_ref's memory of its examples helps beyond R
    }
}

TEST_CASE("continual, T = 0, λ ≠ 0: the RS ground state of E2 - λ σ·σ_ref") {
  // Hellmann–Feynman: the ground-state energy e0 = α train_error - λ R_ref is stationary in the order
  // parameters, so de0/dλ = -R_ref. A wrong factor in r̂ or q̂0 leaves the fixed point off the stationary
  // point of the ground-state functional and breaks this.
  const ContinualReference ref = continual_reference(1.0, 0.0, 2.0);
  for (double lambda : {0.2, 1.0})
    for (double r0 : {-0.5, 0.5}) {
      const double h = 1e-5;
      auto e0 = [&](double l) { return continual_zero_t(params(1.0, l, r0, 1.0, 2.0), ref).equilibrium.energy; };
      const ContinualRs e = continual_zero_t(params(1.0, lambda, r0, 1.0, 2.0), ref).equilibrium;
      INFO("lambda " << lambda << " r0 " << r0 << " R " << e.R1 << " R2 " << e.R2 << " Rref " << e.Rref);
      REQUIRE(e.converged);
      CHECK(e.q == 1.0);
      CHECK(e.entropy == 0.0);
      CHECK((e0(lambda + h) - e0(lambda - h)) / (2 * h) == doctest::Approx(-e.Rref).epsilon(1e-6));
    }
  // λ → 0+: E2 has zero-error minima (teacher 2 among them), so the ground state has no task-2 error and
  // e0 = -λ R_ref, with R_ref above the isolated state's r0 R_ref1 (it picks the zero-error state closest
  // to σ_ref). This is not the λ = 0 solution (the T = 0 limit of Gibbs learning, q < 1): the limits
  // λ → 0 and T → 0 do not commute.
  {
    const ContinualRs e = continual_zero_t(params(1.0, 1e-3, 0.5, 1.0, 2.0), ref).equilibrium;
    CHECK(e.train_error < 1e-12);
    CHECK(e.energy == doctest::Approx(-1e-3 * e.Rref).epsilon(1e-9));
    CHECK(e.Rref > 0.5 * ref.R + 0.1);
    const ContinualRs gibbs = continual_rs(params(1.0, 0.0, 0.5, 1.0, 2.0), INFINITY).equilibrium;
    CHECK(std::abs(gibbs.Rref - e.Rref) > 0.1);
  }
  // λ → ∞ at T = 0: σ → σ_ref, so R → R_ref1, R2 → r0 R_ref1, R_ref → 1, the task-2 error → arccos(r0 R_ref1)/π
  // and train_error1 → the reference's training error, monotonically (before χ was damped in log χ the
  // solver lost this branch at λ = 10 and returned the isolated state σ = teacher 2).
  {
    double prev = 1;
    for (double lambda : {3.0, 10.0, 30.0}) {
      const ContinualRs e = continual_zero_t(params(1.0, lambda, 0.5, 1.0, 2.0), ref).equilibrium;
      const double dist = std::max({std::abs(e.R1 - ref.R), std::abs(e.R2 - 0.5 * ref.R), 1 - e.Rref,
                                    std::abs(e.train_error - std::acos(0.5 * ref.R) / M_PI),
                                    std::abs(e.train_error1 - ref.train_error)});
      INFO("lambda " << lambda << " R " << e.R1 << " R2 " << e.R2 << " Rref " << e.Rref << " train " << e.train_error
                     << " train1 " << e.train_error1 << " dist " << dist);
      CHECK_FALSE(e.perfect);
      CHECK(dist < prev);
      prev = dist;
    }
    CHECK(prev < 0.01);
  }
  // Continuity with finite β at λ = 0.2 (where the finite-β solver reaches β = 80): energy, R_ref and R2
  // approach the T = 0 values monotonically as β = 20, 40, 80.
  {
    const auto p = params(1.0, 0.2, 0.5, 1.0, 2.0);
    const ContinualRs z = continual_zero_t(p, ref).equilibrium;
    double prev[4] = {1, 1, 1, 1};
    for (double beta : {20.0, 40.0, 80.0}) {
      const ContinualRs e = continual_rs(p, beta).equilibrium;
      const double d[4] = {std::abs(e.energy - z.energy), std::abs(e.Rref - z.Rref), std::abs(e.R2 - z.R2),
                           std::abs(e.train_error1 - z.train_error1)};
      INFO("beta " << beta << " energy " << e.energy << " / " << z.energy << " Rref " << e.Rref << " / " << z.Rref
                   << " R2 " << e.R2 << " / " << z.R2 << " train1 " << e.train_error1 << " / " << z.train_error1);
      for (int k = 0; k < 4; ++k) {
        CHECK(d[k] < prev[k]);
        prev[k] = d[k];
      }
    }
    CHECK(prev[0] < 0.003);
    CHECK(prev[1] < 0.015);
    CHECK(prev[2] < 0.03);
    CHECK(prev[3] < 0.005);
  }
}
