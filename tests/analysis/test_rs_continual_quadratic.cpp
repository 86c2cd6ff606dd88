// The quadratic cost at finite temperature in the continual (Franz–Parisi) RS theory: the closed-form
// Gaussian-smoothed Boltzmann factor (analysis/quadratic_cost_integrals.hpp) against direct quadrature; the
// saddle point at λ = 0 against a teacher–student RS map built from Z_c(ω) by direct quadrature over the
// student's noise; β → 0 (the annealed energy, closed form); ∂(-βf)/∂β = -energy and ∂(-βf)/∂λ = β R_ref;
// and β → ∞ at λ = 0, κ = 0 towards the T = 0 solution (docs/continual_learning_theory.md §4a).
#include <cmath>
#include <doctest/doctest.h>
#include <string>

#include "analysis/count_cost_integrals.hpp"
#include "analysis/gaussian_quadrature.hpp"
#include "analysis/quadratic_cost_integrals.hpp"
#include "analysis/rs_continual.hpp"
#include "analysis/rs_perceptron.hpp"
#include "engine/params/config.hpp"
#include "models/registry.hpp"

using namespace ptmc;
using namespace ptmc::theory;

namespace {

BinaryPerceptron::Params qparams(double alpha, double lambda, double r0, double kappa = 0.0) {
  BinaryPerceptron::Params p;
  p.N = 101;
  p.alpha = alpha;
  p.mode = BinaryPerceptron::Mode::continual;
  p.cost = BinaryPerceptron::Cost::quadratic;
  p.kappa = kappa;
  p.alpha1 = 1.0;
  p.r0 = r0;
  p.lambda = lambda;
  p.beta_ref = 2.0;
  return p;
}

// ∫_0^U du u^k φ(v - u) e^{-b u²} by composite 8-point Gauss–Legendre (u = v - y, the gap in units of √V).
double gap_moment(double v, double b, int k) {
  const GaussRule& r = gauss_legendre(8);
  const double U = std::max(v, 0.0) + 12, h = U / 600;
  double s = 0;
  for (int p = 0; p < 600; ++p)
    for (std::size_t i = 0; i < r.nodes.size(); ++i) {
      const double u = h * (p + 0.5 * (r.nodes[i] + 1));
      s += 0.5 * h * r.weights[i] * std::pow(u, k) * gauss_density(v - u) * std::exp(-b * u * u);
    }
  return s;
}

}  // namespace

TEST_CASE("quadratic cost: Z, F, violated, mean cost and curvature against direct quadrature over the noise") {
  for (double omq : {0.05, 0.5})
    for (double beta : {0.02, 1.0, 6.0, 80.0})
      for (double v : {-9.0, -4.0, -1.0, 0.0, 0.7, 2.5, 6.0}) {
        const QuadraticCostWeights w(beta, omq);
        const double b = beta * omq, I0 = gap_moment(v, b, 0), I1 = gap_moment(v, b, 1), I2 = gap_moment(v, b, 2);
        const double Z = gauss_tail(v) + I0;
        INFO("omq " << omq << " beta " << beta << " v " << v);
        CHECK(w.log_Z(v) == doctest::Approx(std::log(Z)).epsilon(1e-10));
        CHECK(w.F(v) == doctest::Approx(2 * b * I1 / Z).epsilon(1e-9));
        CHECK(w.violated(v) == doctest::Approx(I0 / Z).epsilon(1e-9));
        CHECK(w.mean_cost(v) == doctest::Approx(omq * I2 / Z).epsilon(1e-9));
        // -∂²_v ln Z = ∂_v F, by central differences of F.
        const double h = 1e-4, dF = (w.F(v + h) - w.F(v - h)) / (2 * h);
        // (Finite differences lose digits where ln Z ≈ 0: an absolute floor of 1e-10.)
        CHECK(w.curvature(v) == doctest::Approx(dF).epsilon(1e-6).scale(1e-4));
        // F = -∂_v ln Z and mean cost = -∂_β ln Z at fixed v.
        CHECK(w.F(v) == doctest::Approx(-(w.log_Z(v + h) - w.log_Z(v - h)) / (2 * h)).epsilon(1e-6).scale(1e-4));
        const double db = 1e-3 * beta;
        const double dlogZ = (QuadraticCostWeights(beta + db, omq).log_Z(v) - QuadraticCostWeights(beta - db, omq).log_Z(v)) / (2 * db);
        CHECK(w.mean_cost(v) == doctest::Approx(-dlogZ).epsilon(1e-5).scale(1e-5));
      }
}

TEST_CASE("continual, quadratic cost, λ = 0: a fixed point of the teacher–student map with Z_c by direct quadrature") {
  // Independent of analysis/quadratic_cost_integrals.hpp: Z_c(ω) = ∫Dy exp(-β (κ - ω - √V y)² Θ(κ - ω - √V y)) and
  // ∂_ω Z_c by quadrature over y; then R̂ = α √(2/π) ∫Ds g(√D s), q̂ = 2α ∫Dt H(-R t/√D) g(√q t)² with
  // g = ∂_ω ln Z_c, D = q - R², and the entropic map R = E tanh(R̂ + √q̂ z), q = E tanh²(R̂ + √q̂ z).
  for (double kappa : {0.0, 0.3})
    for (double beta : {1.0, 4.0})
      for (double alpha : {0.5, 1.5}) {
        const BinaryPerceptron::Params p = qparams(alpha, 0.0, 0.5, kappa);
        const ContinualRs e = continual_rs(p, beta).equilibrium;
        INFO("kappa " << kappa << " beta " << beta << " alpha " << alpha << " R2 " << e.R2 << " q " << e.q);
        REQUIRE(e.converged);
        const double R = e.R2, q = e.q, V = 1 - q, sV = std::sqrt(V), D = q - R * R, sD = std::sqrt(D), sq = std::sqrt(q);
        struct Zc {
          double Z, dZ, cost;
        };
        auto zc = [&](double omega) {
          const double y0 = (kappa - omega) / sV;  // the constraint is violated for y < y0
          const double Z = feature_average([&](double y) {
            const double g = kappa - omega - sV * y;
            return g > 0 ? std::exp(-beta * g * g) : 1.0;
          }, {{y0, 0.01}});
          const double dZ = feature_average([&](double y) {
            const double g = kappa - omega - sV * y;
            return g > 0 ? 2 * beta * g * std::exp(-beta * g * g) : 0.0;
          }, {{y0, 0.01}});
          const double cost = feature_average([&](double y) {
            const double g = kappa - omega - sV * y;
            return g > 0 ? g * g * std::exp(-beta * g * g) : 0.0;
          }, {{y0, 0.01}});
          return Zc{Z, dZ, cost};
        };
        const double Rhat = alpha * std::sqrt(2 / M_PI) * feature_average([&](double s) {
          const Zc z = zc(sD * s);
          return z.dZ / z.Z;
        }, {});
        const double qhat = 2 * alpha * feature_average([&](double t) {
          const Zc z = zc(sq * t);
          return gauss_tail(-R * t / sD) * (z.dZ / z.Z) * (z.dZ / z.Z);
        }, {});
        const double GE = 2 * feature_average([&](double t) { return gauss_tail(-R * t / sD) * std::log(zc(sq * t).Z); }, {});
        const double cost = 2 * feature_average([&](double t) {
          const Zc z = zc(sq * t);
          return gauss_tail(-R * t / sD) * z.cost / z.Z;
        }, {});
        const double Rnew = gauss_average([&](double z) { return std::tanh(Rhat + std::sqrt(qhat) * z); }, 201);
        const double qnew = gauss_average([&](double z) { return std::pow(std::tanh(Rhat + std::sqrt(qhat) * z), 2); }, 201);
        const double lncosh = gauss_average([&](double z) { return std::log(2 * std::cosh(Rhat + std::sqrt(qhat) * z)); }, 201);
        CHECK(Rnew == doctest::Approx(R).epsilon(1e-6));
        CHECK(qnew == doctest::Approx(q).epsilon(1e-6));
        CHECK(e.R2hat == doctest::Approx(Rhat).epsilon(1e-6));
        CHECK(e.qhat == doctest::Approx(qhat).epsilon(1e-6));
        CHECK(e.phi == doctest::Approx(-R * Rhat - 0.5 * qhat * V + lncosh + alpha * GE).epsilon(1e-7));
        CHECK(e.energy == doctest::Approx(alpha * cost).epsilon(1e-7));
        CHECK(std::abs(e.R1 - 0.5 * e.R2) < 1e-12);
      }
}

TEST_CASE("continual, quadratic cost, β → 0: the energy is the annealed average α[(1 + κ²) Φ(κ) + κ φ(κ)]") {
  // At β = 0 the student is uniform, its stability Δ ~ N(0, 1) independent of the label, and
  // E (κ - Δ)² Θ(κ - Δ) = (1 + κ²) Φ(κ) + κ φ(κ); the correction is linear in β.
  for (double kappa : {0.0, 0.3})
    for (double lambda : {0.0, 0.7}) {
      const double alpha = 1.3;
      const double ann = alpha * ((1 + kappa * kappa) * gauss_tail(-kappa) + kappa * gauss_density(kappa));
      const ContinualRs a = continual_rs(qparams(alpha, lambda, 0.5, kappa), 1e-4).equilibrium;
      const ContinualRs b = continual_rs(qparams(alpha, lambda, 0.5, kappa), 1e-5).equilibrium;
      INFO("kappa " << kappa << " lambda " << lambda << " e(1e-4) " << a.energy << " e(1e-5) " << b.energy << " annealed " << ann);
      CHECK(std::abs(b.energy - ann) < 1e-4);
      CHECK((ann - a.energy) / (ann - b.energy) == doctest::Approx(10).epsilon(0.02));
      CHECK(b.train_error == doctest::Approx(gauss_tail(-kappa)).epsilon(1e-4));
      CHECK(b.entropy == doctest::Approx(std::log(2.0)).epsilon(1e-6));
    }
}

TEST_CASE("continual, quadratic cost: -βf is the potential of its observables, ∂/∂β = -energy and ∂/∂λ = β R_ref") {
  for (double kappa : {0.0, 0.3})
    for (double lambda : {-0.2, 0.3, 0.8})
      for (double r0 : {-0.5, 0.5}) {
        const double beta = 3.0, h = 1e-4;
        auto phi = [&](double b, double l) { return continual_rs(qparams(1.0, l, r0, kappa), b).equilibrium.phi; };
        const ContinualRs e = continual_rs(qparams(1.0, lambda, r0, kappa), beta).equilibrium;
        INFO("kappa " << kappa << " lambda " << lambda << " r0 " << r0 << " R2 " << e.R2 << " Rref " << e.Rref << " q " << e.q);
        REQUIRE(e.converged);
        const double dbeta = (phi(beta + h, lambda) - phi(beta - h, lambda)) / (2 * h);
        const double dlambda = (phi(beta, lambda + h) - phi(beta, lambda - h)) / (2 * h);
        CHECK(dbeta == doctest::Approx(-e.energy).epsilon(1e-5));
        CHECK(dlambda == doctest::Approx(beta * e.Rref).epsilon(1e-5));
        // The quadratic energy per violated constraint is below the count cost's 1 at these β.
        CHECK(e.energy + lambda * e.Rref < e.train_error);
      }
}

TEST_CASE("continual, quadratic cost, λ = 0, κ = 0: β → ∞ approaches the T = 0 solution") {
  // At κ = 0 and α below the first-order transition the zero-energy states are those of the count cost, so
  // the limit is teacher–student Gibbs learning at T = 0 (what ptmc theory writes at β = inf for both costs).
  // The approach is slow, about β^{-1/2} (violations of gap ~ 1/√β stay cheap); its extrapolation in √β
  // from β = 40, 80 lands on the T = 0 value.
  for (double alpha : {0.5, 1.0}) {
    const ContinualRs z = continual_rs(qparams(alpha, 0.0, 0.5), INFINITY).equilibrium;
    double prev_R2 = -1, prev_q = -1, prev_e = 1, prev_te = 1;
    double R2_40 = 0, q_40 = 0;
    for (double beta : {10.0, 20.0, 40.0, 80.0}) {
      const ContinualRs e = continual_rs(qparams(alpha, 0.0, 0.5), beta).equilibrium;
      INFO("alpha " << alpha << " beta " << beta << " R2 " << e.R2 << " q " << e.q << " T=0: " << z.R2 << " " << z.q);
      CHECK(e.R2 > prev_R2);
      CHECK(e.R2 < z.R2);
      CHECK(e.q > prev_q);
      CHECK(e.q < z.q);
      CHECK(e.energy < prev_e);
      CHECK(e.train_error < prev_te);
      prev_R2 = e.R2;
      prev_q = e.q;
      prev_e = e.energy;
      prev_te = e.train_error;
      if (beta == 40.0) {
        R2_40 = e.R2;
        q_40 = e.q;
      }
      if (beta == 80.0) {
        const double c = 1 / (std::sqrt(2.0) - 1);
        CHECK(std::abs(e.R2 + c * (e.R2 - R2_40) - z.R2) < 0.003);
        CHECK(std::abs(e.q + c * (e.q - q_40) - z.q) < 0.01);
        CHECK(e.energy < 1e-3);
      }
    }
  }
}

TEST_CASE("continual, quadratic cost, T = 0, λ ≠ 0: the RS ground state of E2 - λ σ·σ_ref") {
  // Hellmann–Feynman: e0 = α × mean cost - λ R_ref is stationary in the order parameters, so de0/dλ = -R_ref.
  // The mean cost is (κ - u)² at the relaxed field u, not the minimised c(t) with its elastic term: with
  // the elastic term, or with r̂ or q̂0 off by 10 %, this fails.
  for (double kappa : {0.0, 0.3}) {
    const ContinualReference ref = continual_reference(1.0, kappa, 2.0);
    for (double lambda : {0.2, 1.0})
      for (double r0 : {-0.5, 0.5}) {
        const double h = 1e-5;
        auto e0 = [&](double l) { return continual_zero_t(qparams(1.0, l, r0, kappa), ref).equilibrium.energy; };
        const ContinualRs e = continual_zero_t(qparams(1.0, lambda, r0, kappa), ref).equilibrium;
        INFO("kappa " << kappa << " lambda " << lambda << " r0 " << r0 << " R2 " << e.R2 << " Rref " << e.Rref);
        REQUIRE(e.converged);
        CHECK_FALSE(e.perfect);
        CHECK(e.q == 1.0);
        CHECK(e.entropy == 0.0);
        CHECK((e0(lambda + h) - e0(lambda - h)) / (2 * h) == doctest::Approx(-e.Rref).epsilon(1e-6));
      }
  }
  // Continuity with finite β at λ = 0.2, κ = 0, where the finite-β solver reaches β = 40: the energy falls
  // towards the ground-state energy from above and R2 approaches it monotonically (at β = 40 within 0.0008
  // and 0.009; the training error, whose violations of gap ~ 1/√β stay cheap, approaches as β^{-1/2}).
  {
    const ContinualRs z = continual_zero_t(qparams(1.0, 0.2, 0.5), continual_reference(1.0, 0.0, 2.0)).equilibrium;
    double prev_e = 1, prev_R2 = 1;
    for (double beta : {10.0, 20.0, 40.0}) {
      const ContinualRs e = continual_rs(qparams(1.0, 0.2, 0.5), beta).equilibrium;
      INFO("beta " << beta << " energy " << e.energy << " / " << z.energy << " R2 " << e.R2 << " / " << z.R2);
      CHECK(e.energy > z.energy);
      CHECK(e.energy - z.energy < prev_e);
      CHECK(std::abs(e.R2 - z.R2) < prev_R2);
      prev_e = e.energy - z.energy;
      prev_R2 = std::abs(e.R2 - z.R2);
    }
    CHECK(prev_e < 0.0015);
    CHECK(prev_R2 < 0.015);
  }
  // λ → ∞: σ → σ_ref, so R → R_ref1, R2 → r0 R_ref1, R_ref → 1, the violated fraction of task 2 →
  // arccos(r0 R_ref1)/π (κ = 0) and train_error1 → the reference's training error, monotonically.
  {
    const ContinualReference ref = continual_reference(1.0, 0.0, 2.0);
    double prev = 1;
    for (double lambda : {3.0, 10.0, 30.0}) {
      const ContinualRs e = continual_zero_t(qparams(1.0, lambda, 0.5), ref).equilibrium;
      const double dist = std::max({std::abs(e.R1 - ref.R), std::abs(e.R2 - 0.5 * ref.R), 1 - e.Rref,
                                    std::abs(e.train_error - std::acos(0.5 * ref.R) / M_PI),
                                    std::abs(e.train_error1 - ref.train_error)});
      INFO("lambda " << lambda << " dist " << dist);
      CHECK(dist < prev);
      prev = dist;
    }
    CHECK(prev < 0.01);
  }
}

TEST_CASE("ptmc theory, mode = continual, cost = quadratic: finite β from the quadratic saddle point, T = 0 from its ground state") {
  for (double lambda : {0.4, 0.0}) {
    const Config qc = parse_config_text(
        "[model]\nname = \"binary_perceptron\"\nmode = \"continual\"\ncost = \"quadratic\"\nN = 21\nalpha = 1.0\n"
        "alpha1 = 1.0\nr0 = 0.5\nlambda = " + std::to_string(lambda) + "\nbeta_ref = 2.0\n[tempering]\nbeta = [2.0, inf]\n"
        "[run]\nsweeps = 10\n",
        "test.toml", model_schemas());
    const Curves cv = binary_perceptron_all_curves(BinaryPerceptron::parse(qc.point_reader(0)), qc.tempering.beta);
    auto get = [&](const std::string& name) {
      for (std::size_t k = 0; k < cv.names.size(); ++k)
        if (cv.names[k] == name) return cv.values[k];
      FAIL("missing curve " << name);
      return std::vector<double>{};
    };
    const ContinualRs e = continual_rs(qparams(1.0, lambda, 0.5), 2.0).equilibrium;
    CHECK(get("R")[0] == doctest::Approx(e.R1).epsilon(1e-12));
    CHECK(get("R2")[0] == doctest::Approx(e.R2).epsilon(1e-12));
    CHECK(get("R_ref")[0] == doctest::Approx(e.Rref).epsilon(1e-12));
    CHECK(get("energy")[0] == doctest::Approx(e.energy).epsilon(1e-12));
    CHECK(get("train_error")[0] == doctest::Approx(e.train_error).epsilon(1e-12));
    CHECK(get("train_error1")[0] == doctest::Approx(e.train_error1).epsilon(1e-12));
    // The count cost's value differs (the quadratic cost prices errors by their gap).
    BinaryPerceptron::Params pc = qparams(1.0, lambda, 0.5);
    pc.cost = BinaryPerceptron::Cost::count;
    CHECK(std::abs(continual_rs(pc, 2.0).equilibrium.R2 - e.R2) > 1e-3);
    if (lambda != 0) {
      const ContinualRs z = continual_zero_t(qparams(1.0, lambda, 0.5), continual_reference(1.0, 0.0, 2.0)).equilibrium;
      CHECK(get("R2")[1] == doctest::Approx(z.R2).epsilon(1e-12));
      CHECK(get("energy")[1] == doctest::Approx(z.energy).epsilon(1e-12));
      CHECK(std::abs(continual_rs(pc, INFINITY).equilibrium.energy - z.energy) > 1e-3);
    } else {
      CHECK(std::isfinite(get("R2")[1]));
    }
  }
}

TEST_CASE("ptmc theory, mode = teacher_student, cost = quadratic: the continual student at λ = 0, r0 = 1") {
  const Config c = parse_config_text(
      "[model]\nname = \"binary_perceptron\"\nmode = \"teacher_student\"\ncost = \"quadratic\"\nN = 21\nalpha = 1.5\n"
      "kappa = 0.3\n[tempering]\nbeta = [1.0, 4.0, inf]\n[run]\nsweeps = 10\n",
      "test.toml", model_schemas());
  const Curves cv = binary_perceptron_all_curves(BinaryPerceptron::parse(c.point_reader(0)), c.tempering.beta);
  auto get = [&](const std::string& name) {
    for (std::size_t k = 0; k < cv.names.size(); ++k)
      if (cv.names[k] == name) return cv.values[k];
    FAIL("missing curve " << name);
    return std::vector<double>{};
  };
  for (std::size_t k = 0; k < 2; ++k) {
    const double beta = k == 0 ? 1.0 : 4.0;
    const ContinualRs e = continual_rs(qparams(1.5, 0.0, 1.0, 0.3), beta).equilibrium;
    INFO("beta " << beta);
    CHECK(get("R")[k] == doctest::Approx(e.R2).epsilon(1e-12));
    CHECK(get("m")[k] == doctest::Approx(e.R2).epsilon(1e-12));
    CHECK(get("eg")[k] == doctest::Approx(std::acos(e.R2) / M_PI).epsilon(1e-12));
    CHECK(get("q")[k] == doctest::Approx(e.q).epsilon(1e-12));
    CHECK(get("energy")[k] == doctest::Approx(e.energy).epsilon(1e-12));
    CHECK(get("train_error")[k] == doctest::Approx(e.train_error).epsilon(1e-12));
    CHECK(get("entropy")[k] == doctest::Approx(e.entropy).epsilon(1e-12));
    CHECK(get("free_energy")[k] == doctest::Approx(e.free_energy).epsilon(1e-12));
  }
  // T = 0 is binary_perceptron_curves' (the teacher–student solution for both costs), as before.
  const double r_inf = teacher_student_rs(1.5, 0.3, INFINITY).equilibrium.R;
  CHECK((std::isnan(r_inf) ? std::isnan(get("R")[2]) : get("R")[2] == r_inf));
  // The count cost still comes from teacher_student_rs.
  const Config cc = parse_config_text(
      "[model]\nname = \"binary_perceptron\"\nmode = \"teacher_student\"\nN = 21\nalpha = 1.5\nkappa = 0.3\n"
      "[tempering]\nbeta = [1.0]\n[run]\nsweeps = 10\n",
      "test.toml", model_schemas());
  const Curves cc_v = binary_perceptron_all_curves(BinaryPerceptron::parse(cc.point_reader(0)), cc.tempering.beta);
  CHECK(cc_v.values[0][0] == teacher_student_rs(1.5, 0.3, 1.0).equilibrium.R);
}
