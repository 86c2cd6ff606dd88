// Free energies by thermodynamic integration (observables/free_energy.hpp): the quadrature on closed
// forms, then the Monte Carlo against exact enumeration (SK N = 12, Curie-Weiss N = 10) and against
// the SK paramagnet with its 1/N term, each within 4 error bars (statistical by the jackknife, plus
// the quadrature bound).
#include <cmath>
#include <doctest/doctest.h>
#include <omp.h>
#include <vector>

#include "engine/simulation.hpp"
#include "models/curie_weiss.hpp"
#include "models/sherrington_kirkpatrick.hpp"
#include "observables/binning.hpp"
#include "observables/free_energy.hpp"
#include "tests/support/memory_recorder.hpp"

using namespace ptmc;
using testing::MemoryRecorder;

namespace {

EngineSettings fe_settings(std::vector<double> beta, std::int64_t sweeps, int replicas) {
  EngineSettings s;
  s.beta = std::move(beta);
  s.replicas = replicas;
  s.swap_every = 1;
  s.run.dynamics = Dynamics::metropolis;
  s.run.order = SweepOrder::random;
  s.run.sweeps = sweeps;
  s.run.thermalization = 500;
  s.run.measure_every = 1;
  s.run.seed = 99;
  return s;
}

// The energy per spin of 32 consecutive blocks of the run, per temperature: rows[block][t].
std::vector<std::vector<double>> block_rows(const MemoryRecorder& rec, int T) {
  std::vector<std::vector<double>> rows(32, std::vector<double>(T));
  for (int t = 0; t < T; ++t) {
    const auto b = block_means(rec.series("energy", t), 32);
    REQUIRE(b.size() == 32);
    for (int k = 0; k < 32; ++k) rows[k][t] = b[k];
  }
  return rows;
}

// Exact f = -(1/βN) ln Z from all 2^N states (Gray code through the model's flip()).
template <class M>
std::vector<double> exact_free_energy(M model, const std::vector<double>& beta) {
  const int N = model.size();
  const std::size_t states = std::size_t{1} << N;
  std::vector<double> E(states);
  for (std::size_t k = 0; k < states; ++k) {
    if (k > 0) model.flip(__builtin_ctzll(k));
    E[k] = model.energy();
  }
  const double emin = *std::min_element(E.begin(), E.end());
  std::vector<double> f;
  for (double b : beta) {
    double Z = 0;
    for (double x : E) Z += std::exp(-b * (x - emin));
    f.push_back(b > 0 ? -(std::log(Z) - b * emin) / (b * N) : NAN);
  }
  return f;
}

template <class M>
void check_against_enumeration(const typename M::Params& p, const std::vector<double>& beta) {
  const int threads = omp_get_max_threads();
  omp_set_num_threads(1);
  Simulation<M> sim(p, fe_settings(beta, 20000, 2), TaskId{0, 0});
  const auto exact = exact_free_energy(sim.walker(0, 0), beta);
  MemoryRecorder rec;
  sim.run(rec);
  omp_set_num_threads(threads);
  const int T = static_cast<int>(beta.size());
  const auto fe = free_energy(beta, block_rows(rec, T));
  for (int t = 0; t < T; ++t) {
    CAPTURE(beta[t]);
    if (beta[t] == 0) {
      CHECK(std::isnan(fe.value[t]));
      continue;
    }
    CAPTURE(fe.value[t]);
    CAPTURE(exact[t]);
    CAPTURE(fe.stat_error[t]);
    CAPTURE(fe.quadrature_error[t]);
    CHECK(std::abs(fe.value[t] - exact[t]) < 4 * fe.error[t]);
    CHECK(fe.error[t] > 0);
    CHECK(fe.error[t] < 0.01);
  }
}

}  // namespace

TEST_CASE("thermodynamic integration is exact for a quadratic energy and bounds a cubic's error") {
  // e(β) = 1 - 2β + 0.3β²: ln Z(β) = ln 2 - (β - β² + 0.1β³), on an uneven ladder starting at β > 0.
  const std::vector<double> beta = {0.2, 0.35, 0.7, 0.8, 1.4, 2.0};
  std::vector<double> e;
  for (double b : beta) e.push_back(1 - 2 * b + 0.3 * b * b);
  const auto I = integrate_energy(beta, e);
  for (std::size_t t = 0; t < beta.size(); ++t) {
    const double b = beta[t];
    CHECK(I.log_z[t] == doctest::Approx(std::log(2.0) - (b - b * b + 0.1 * b * b * b)).epsilon(1e-12));
    // The bound is not zero: the anchor's straight line and the last interval's trapezoid differ.
    CHECK(I.quadrature_error[t] < 0.02);
  }
  // e(β) = β³: the quadratics miss, and the error bound covers what they miss.
  std::vector<double> c;
  for (double b : beta) c.push_back(b * b * b);
  const auto J = integrate_energy(beta, c, 0.0);
  for (std::size_t t = 0; t < beta.size(); ++t) {
    const double exact = -std::pow(beta[t], 4) / 4;
    CAPTURE(t);
    CHECK(std::abs(J.log_z[t] - exact) <= J.quadrature_error[t]);
  }
  CHECK(J.quadrature_error.back() < 0.1 * std::pow(beta.back(), 4) / 4);  // a bound, not a gross one
  // An infinite β ends the integration there.
  const std::vector<double> with_inf = {0.0, 1.0, 2.0, INFINITY};
  const auto K = integrate_energy(with_inf, std::vector<double>{0, -1, -2, -3});
  CHECK(K.log_z[0] == doctest::Approx(std::log(2.0)));
  CHECK(K.log_z[2] == doctest::Approx(std::log(2.0) + 2.0));
  CHECK(std::isnan(K.log_z[3]));
}

TEST_CASE("free energy from the Monte Carlo: SK N = 12 against exact enumeration, ladder from beta = 0") {
  std::vector<double> beta;
  for (int k = 0; k < 14; ++k) beta.push_back(0.2 * k);  // 0 to 2.6
  check_against_enumeration<SherringtonKirkpatrick>(
      SherringtonKirkpatrick::Params{12, SherringtonKirkpatrick::Couplings::gaussian}, beta);
}

TEST_CASE("free energy from the Monte Carlo: Curie-Weiss N = 10 against exact enumeration, anchored by extrapolation") {
  check_against_enumeration<CurieWeiss>(CurieWeiss::Params{10, CurieWeiss::Init::random},
                                        {0.1, 0.25, 0.4, 0.55, 0.7, 0.85, 1.0, 1.15, 1.3, 1.5, 1.7, 2.0});
}

TEST_CASE("free energy from the Monte Carlo: the SK paramagnet -beta f = ln 2 + beta^2/4 + ln(1 - beta^2)/(4N)") {
  // The quenched average over 48 samples at N = 32 (Aizenman, Lebowitz and Ruelle 1987: E ln Z =
  // ln E Z + (ln(1 - β²) + β²)/4 + o(1), with ln E Z / N = ln 2 + β²(N - 1)/(4N)). The 1/N term is
  // -0.008 at β = 0.8, the error bar there (samples' spread of ln Z / N ~ 0.014 / √48) ~ 0.002.
  const int N = 32, S = 48;
  const std::vector<double> beta = {0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8};
  const int T = static_cast<int>(beta.size());
  const int threads = omp_get_max_threads();
  omp_set_num_threads(1);
  std::vector<std::vector<double>> rows;
  for (int s = 0; s < S; ++s) {
    Simulation<SherringtonKirkpatrick> sim({N, SherringtonKirkpatrick::Couplings::gaussian}, fe_settings(beta, 2000, 1),
                                           TaskId{0, s});
    MemoryRecorder rec;
    sim.run(rec);
    std::vector<double> row(T);
    for (int t = 0; t < T; ++t) row[t] = binning_analysis(rec.series("energy", t)).mean;
    rows.push_back(row);
  }
  omp_set_num_threads(threads);
  const auto fe = free_energy(beta, rows);
  for (int t = 1; t < T; ++t) {
    const double b = beta[t];
    const double exact = std::log(2.0) + b * b / 4 + std::log(1 - b * b) / (4 * N);
    CAPTURE(b);
    CAPTURE(-b * fe.value[t]);
    CAPTURE(exact);
    CAPTURE(b * fe.error[t]);
    CHECK(std::abs(-b * fe.value[t] - exact) < 4 * b * fe.error[t]);
    CHECK(b * fe.error[t] < 0.004);
  }
}
