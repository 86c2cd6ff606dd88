// SK specifics: coupling statistics, cached fields, and the disorder-averaged paramagnetic energy.
#include <cmath>
#include <memory>
#include <vector>
#include <doctest/doctest.h>

#include "analysis/theory_reference.hpp"
#include "engine/simulation.hpp"
#include "models/sherrington_kirkpatrick.hpp"
#include "observables/jackknife.hpp"
#include "observables/overlap_distribution.hpp"
#include "tests/support/memory_recorder.hpp"
#include "tests/support/reference_sweep.hpp"
#include "tests/support/archive_round_trip.hpp"

using namespace ptmc;

TEST_CASE("SK couplings are symmetric with variance 1/N and zero diagonal") {
  const int N = 400;
  Rng rng(StreamKey{5, 0, 0, 0, StreamPurpose::disorder});
  const auto d = SherringtonKirkpatrick::make_disorder({N, SherringtonKirkpatrick::Couplings::gaussian}, rng);
  double s2 = 0;
  const double pairs = N * (N - 1) / 2.0;
  for (int i = 0; i < N; ++i) {
    CHECK((*d)(i, i) == 0.0);
    for (int j = i + 1; j < N; ++j) {
      REQUIRE((*d)(i, j) == (*d)(j, i));
      s2 += (*d)(i, j) * (*d)(i, j);
    }
  }
  // N <J^2> = 1 with relative standard error sqrt(2 / pairs) = 0.5 %.
  CHECK(std::abs(s2 / pairs * N - 1.0) < 4 * std::sqrt(2.0 / pairs));
}

TEST_CASE("SK cached fields and energy survive many flips") {
  Rng init(1), moves(2), dis(3);
  SherringtonKirkpatrick::Params p{64, SherringtonKirkpatrick::Couplings::gaussian};
  SherringtonKirkpatrick m(p, SherringtonKirkpatrick::make_disorder(p, dis), init);
  double e = m.energy();
  for (int k = 0; k < 100000; ++k) {
    const int i = static_cast<int>(moves.below(64));
    e += m.delta_energy(i);
    m.flip(i);
  }
  CHECK(std::abs(m.energy() - m.recompute_energy()) < 1e-9 * 64);
  CHECK(std::abs(e - m.recompute_energy()) < 1e-9 * 64);
}

TEST_CASE("SK Gaussian: the flip's vector steps move every field as the plain sum does, bit for bit") {
  // N = 67: four steps of 16 fields and a tail of 3. Each field is mirrored by h_j += J_ij (-2 σ_i),
  // one element at a time in double; ΔE_j = 2 σ_j h_j must agree exactly after each of 5000 flips.
  const int N = 67;
  Rng dis(21), init(22), moves(23);
  const SherringtonKirkpatrick::Params p{N, SherringtonKirkpatrick::Couplings::gaussian};
  const auto d = SherringtonKirkpatrick::make_disorder(p, dis);
  SherringtonKirkpatrick m(p, d, init);
  std::vector<double> h(N);
  std::vector<int> s(N);
  for (int j = 0; j < N; ++j) {
    s[j] = m.spins()[j];
    h[j] = m.delta_energy(j) / (2.0 * s[j]);
  }
  for (int k = 0; k < 5000; ++k) {
    const int i = static_cast<int>(moves.below(N));
    m.flip(i);
    for (int j = 0; j < N; ++j) h[j] += static_cast<double>(static_cast<float>((*d)(i, j))) * (-2.0 * s[i]);
    s[i] = -s[i];
    for (int j = 0; j < N; ++j) REQUIRE(m.delta_energy(j) == 2.0 * s[j] * h[j]);
  }
}

TEST_CASE("SK bimodal: the integer fields give the float row's ΔE bit for bit, and the energy stays exact") {
  // N = 67: whole steps of 32 fields and a tail, and a row of two words. The same couplings without
  // their sign bits take the float row and double fields: every ΔE agrees exactly after each of 20000
  // flips (|J| H is exact in double), and the energy equals its recomputation exactly.
  const int N = 67;
  Rng dis(7), init_a(8), init_b(8), moves(9);
  const SherringtonKirkpatrick::Params p{N, SherringtonKirkpatrick::Couplings::bimodal};
  const auto with_bits = SherringtonKirkpatrick::make_disorder(p, dis);
  REQUIRE(with_bits->bimodal_value > 0);
  auto float_rows = std::make_shared<SherringtonKirkpatrick::Disorder>(*with_bits);
  float_rows->negative_bits.clear();
  float_rows->bimodal_value = 0;
  SherringtonKirkpatrick a(p, with_bits, init_a), b(p, float_rows, init_b);
  for (int k = 0; k < 20000; ++k) {
    const int i = static_cast<int>(moves.below(N));
    a.flip(i);
    b.flip(i);
    for (int j = 0; j < N; ++j) REQUIRE(a.delta_energy(j) == b.delta_energy(j));
  }
  CHECK(a.energy() == a.recompute_energy());
  for (int j = 0; j < N; ++j) CHECK(a.delta_energy(j) == a.energy_unit() * static_cast<double>(a.delta_units(j)));
  // A checkpoint carries the integer fields (as the doubles |J| H).
  Rng init_c(10);
  SherringtonKirkpatrick c(p, with_bits, init_c);
  testing::restore_through_archive(a, c);
  for (int j = 0; j < N; ++j) REQUIRE(c.delta_energy(j) == a.delta_energy(j));
}

TEST_CASE("SK bimodal: the integer sweep takes the reference loop's decisions") {
  // β = 0.3, 1 and 3: moderate, mixed and low acceptance, both dynamics, both orders.
  const SherringtonKirkpatrick::Params p{101, SherringtonKirkpatrick::Couplings::bimodal};
  Rng dis(11);
  const auto d = SherringtonKirkpatrick::make_disorder(p, dis);
  for (const double beta : {0.3, 1.0, 3.0})
    for (const auto dyn : {Dynamics::metropolis, Dynamics::heat_bath})
      for (const auto order : {SweepOrder::random, SweepOrder::sequential}) {
        CAPTURE(beta);
        Rng ia(12), ib(12);
        SherringtonKirkpatrick a(p, d, ia), b(p, d, ib);
        REQUIRE(a.integer_delta());
        testing::check_same_sweeps(a, b, beta, dyn, order, 10, 13);
      }
}

TEST_CASE("SK disorder-averaged energy at T = 2 matches -β/2 + β/(2N(1-β²)) at N = 32") {
  // The 1/N term (Aizenman–Lebowitz–Ruelle) is 0.0104 here; the error over 400 samples is ~0.0015,
  // so the test resolves the finite-size correction rather than only the N → ∞ value.
  const int N = 32, samples = 400;
  const double beta = 0.5;
  std::vector<double> per_sample;
  for (int s = 0; s < samples; ++s) {
    EngineSettings es;
    es.beta = {beta};
    es.replicas = 1;
    es.swap_every = 0;
    es.run.sweeps = 400;
    es.run.thermalization = 100;
    es.run.seed = 99;
    Simulation<SherringtonKirkpatrick> sim({N, SherringtonKirkpatrick::Couplings::gaussian}, es, TaskId{0, s});
    testing::MemoryRecorder rec;
    sim.run(rec);
    per_sample.push_back(rec.stats("energy", 0).mean);
  }
  const Estimate e = mean_over_samples(per_sample);
  const double exact = theory::sk_paramagnet_energy(N, beta);
  CHECK(std::abs(exact - (-beta / 2 + beta / (2.0 * N * (1 - beta * beta)))) < 1e-12);
  CHECK(e.error < 0.003);
  CHECK(std::abs(e.value - exact) < 4 * e.error);
}

TEST_CASE("SK P(q) below T_c is symmetric and has weight near q = 0 that RS lacks") {
  // N = 64, T = 0.5 (β = 2) with an 8-temperature PT ladder, 40 disorder samples, P(q) with one bin
  // per overlap value. Symmetry: every bin agrees with its mirror within 4 standard errors (over
  // samples). Non-trivial weight: RS predicts two δ peaks at ±q_EA; broadened by finite-size
  // fluctuations of width 1/√N they would put weight 2Φ((0.2 - q_EA)√N) ≈ 0.01 into |q| < 0.2.
  // Replica symmetry breaking fills the middle: we require more than 0.05 there (measured ≈ 0.12,
  // error ≈ 0.007 at this seed).
  const int N = 64, samples = 40;
  EngineSettings es;
  es.beta = {0.5, 0.8, 1.0, 1.2, 1.45, 1.7, 2.0, 2.5};
  es.replicas = 2;
  es.run.sweeps = 4000;
  es.run.thermalization = 1000;
  es.run.seed = 4;
  std::vector<std::vector<std::int64_t>> counts;
  for (int s = 0; s < samples; ++s) {
    Simulation<SherringtonKirkpatrick> sim({N, SherringtonKirkpatrick::Couplings::gaussian}, es, TaskId{0, s});
    testing::MemoryRecorder rec;
    sim.run(rec);
    counts.push_back(rec.final().histogram);
  }
  const int T = 8, bins = N + 1;
  const auto d = average_overlap_distribution(counts, T, bins);
  const int t = 6;  // β = 2
  double weight = 0, weight_var = 0;
  for (int b = 0; b < bins; ++b) {
    const double mirror = d.density[t * bins + (bins - 1 - b)], p = d.density[t * bins + b];
    const double err = std::hypot(d.error[t * bins + b], d.error[t * bins + (bins - 1 - b)]);
    CHECK(std::abs(p - mirror) <= 4 * err + 1e-12);
    if (std::abs(d.q[b]) < 0.2) {
      weight += p * 2.0 / bins;
      weight_var += std::pow(d.error[t * bins + b] * 2.0 / bins, 2);
    }
  }
  const double q_ea = theory::sk_replica_symmetric(2.0).q;
  const double rs_weight = 2 * 0.5 * std::erfc((q_ea - 0.2) * std::sqrt(static_cast<double>(N)) / std::sqrt(2.0));
  CHECK(rs_weight < 0.02);
  CHECK(std::sqrt(weight_var) < 0.015);
  CHECK(weight > 0.05);
}
