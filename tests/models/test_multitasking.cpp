// Multitasking Hebbian network: cached integer energies against the pair sum in all three data
// modes, the quenched data's statistics, the initial states, parameter errors, and the engine's
// Metropolis averages against exact enumeration of all 2^N states with diluted patterns.
#include <algorithm>
#include <cmath>
#include <doctest/doctest.h>
#include <functional>
#include <omp.h>
#include <vector>

#include "engine/simulation.hpp"
#include "models/multitasking.hpp"
#include "tests/support/enumeration_settings.hpp"
#include "tests/support/memory_recorder.hpp"
#include "tests/support/reference_sweep.hpp"
#include "tests/support/archive_round_trip.hpp"

using namespace ptmc;
using testing::MemoryRecorder;

namespace {

Multitasking::Params params(int N, int K, double d, Multitasking::Data data = Multitasking::Data::storage, int M = 1,
                            double r = 1.0) {
  Multitasking::Params p;
  p.N = N;
  p.K = K;
  p.d = d;
  p.data = data;
  p.M = M;
  p.r = r;
  return p;
}

// The energy from its definition, -(s/2) Σ_c Σ_{i≠j} w_ci w_cj σ_i σ_j, written out per mode from
// the archetypes (storage) or the channel coefficients (learning), independent of the cached overlaps.
double pair_energy(const Multitasking::Params& p, const Multitasking::Disorder& D, std::span<const std::int8_t> s) {
  const int N = D.data.N, K = D.data.K;
  double e = 0;
  if (p.data == Multitasking::Data::storage) {
    for (int mu = 0; mu < K; ++mu)
      for (int i = 0; i < N; ++i)
        for (int j = 0; j < N; ++j)
          if (i != j) e -= D.data.xi[i * K + mu] * D.data.xi[j * K + mu] * s[i] * s[j];
    return e / (2.0 * N);
  }
  const double R = Multitasking::example_power(p);
  for (int c = 0; c < D.C; ++c)
    for (int i = 0; i < N; ++i)
      for (int j = 0; j < N; ++j)
        if (i != j) e -= static_cast<double>(D.w[i * D.C + c]) * D.w[j * D.C + c] * s[i] * s[j];
  // supervised: ξ̂ = w/M and 1/(2N𝓡); unsupervised: η = w and 1/(2NM𝓡).
  return p.data == Multitasking::Data::supervised ? e / (2.0 * N * R * p.M * p.M) : e / (2.0 * N * R * p.M);
}

// Observables from their definitions: largest |m|, sorted |m|, loss = (1/K) Σ (1 - (S_μ/n_μ)²).
std::vector<double> observables(const Multitasking::Disorder& D, std::span<const std::int8_t> s) {
  const int N = D.data.N, K = D.data.K;
  std::vector<double> a(K);
  double loss = 0;
  for (int mu = 0; mu < K; ++mu) {
    double S = 0, n = 0;
    for (int i = 0; i < N; ++i) {
      S += D.data.xi[i * K + mu] * s[i];
      n += D.data.xi[i * K + mu] != 0;
    }
    a[mu] = std::abs(S) / N;
    loss += (1 - (n > 0 ? (S / n) * (S / n) : 0.0)) / K;
  }
  std::sort(a.begin(), a.end(), std::greater<>());
  std::vector<double> out{a[0]};
  out.insert(out.end(), a.begin(), a.end());
  out.push_back(loss);
  return out;
}

}  // namespace

TEST_CASE("multitasking: cached energy and delta_energy equal the pair sum in every data mode") {
  // M = 8 unsupervised: 24 channels, held as int16 (the int64 overlaps copied when read).
  using D = Multitasking::Data;
  for (auto [data, M, r] : {std::tuple{D::storage, 1, 1.0}, std::tuple{D::supervised, 4, 0.5}, std::tuple{D::unsupervised, 3, 0.7},
                            std::tuple{D::unsupervised, 8, 0.7}}) {
    CAPTURE(static_cast<int>(data));
    const auto p = params(30, 3, 0.3, data, M, r);
    Rng dis(11), init(12), moves(13);
    const auto disorder = Multitasking::make_disorder(p, dis);
    Multitasking m(p, disorder, init);
    CHECK(m.energy() == doctest::Approx(pair_energy(p, *disorder, m.spins())).epsilon(1e-12));
    for (int k = 0; k < 2000; ++k) {
      const int i = static_cast<int>(moves.below(30));
      const double before = pair_energy(p, *disorder, m.spins());
      const double dE = m.delta_energy(i);
      m.flip(i);
      const double after = pair_energy(p, *disorder, m.spins());
      REQUIRE(std::abs(after - before - dE) < 1e-12);
      REQUIRE(std::abs(m.energy() - after) < 1e-12);
    }
    CHECK(std::abs(m.recompute_energy() - m.energy()) < 1e-12);
    std::vector<double> out(3 + 2);
    m.measure(out);
    const auto ref = observables(*disorder, m.spins());
    for (std::size_t k = 0; k < out.size(); ++k) CHECK(out[k] == doctest::Approx(ref[k]).epsilon(1e-14));
  }
}

TEST_CASE("multitasking: quenched data has dilution d and example quality r") {
  // Frequencies over n draws within 4 binomial standard errors.
  const int N = 20000, K = 2, M = 5;  // the channels built from models/hebbian_data
  const double d = 0.35, r = 0.6;
  Rng rng(7);
  const auto sup = Multitasking::make_disorder(params(N, K, d, Multitasking::Data::supervised, M, r), rng);
  double zeros = 0, agree = 0, informative = 0;
  for (int i = 0; i < N; ++i)
    for (int mu = 0; mu < K; ++mu) {
      const int x = sup->data.xi[i * K + mu];
      zeros += x == 0;
      if (x == 0) CHECK(sup->w[i * K + mu] == 0);  // examples keep the zeros
      else {
        agree += sup->w[i * K + mu] * x;  // Σ_a χ_a: mean M r per informative entry
        informative += 1;
      }
    }
  const double n = static_cast<double>(N) * K;
  CHECK(std::abs(zeros / n - d) < 4 * std::sqrt(d * (1 - d) / n));
  CHECK(std::abs(agree / (informative * M) - r) < 4 * std::sqrt((1 - r * r) / (informative * M)));
  // The supervised channels are the example sums M ξ̂, then 16 zeros (rows read as whole 64-bit words).
  CHECK(std::vector<std::int16_t>(sup->w.begin(), sup->w.end() - 16) == sup->data.sums);
  CHECK(std::vector<std::int16_t>(sup->w.end() - 16, sup->w.end()) == std::vector<std::int16_t>(16, 0));
  CHECK(sup->scale == doctest::Approx(1.0 / (N * (r * r + (1 - r * r) / M) * M * M)));
  // Unsupervised: K M channels of ±1/0 examples on the same archetypes (same stream order).
  Rng rng2(7);
  const auto uns = Multitasking::make_disorder(params(N, K, d, Multitasking::Data::unsupervised, M, r), rng2);
  CHECK(uns->C == K * M);
  CHECK(uns->data.xi == sup->data.xi);
  for (int i = 0; i < 50; ++i)
    for (int mu = 0; mu < K; ++mu) {
      int s = 0;
      for (int a = 0; a < M; ++a) s += uns->w[i * K * M + mu * M + a];
      CHECK(s == sup->w[i * K + mu]);  // the supervised channel is the sum of the examples
    }
}

TEST_CASE("multitasking: initial states and parameter errors") {
  const int N = 4000, K = 3;
  const double d = 0.5;
  Rng dis(3), init(4);
  auto p = params(N, K, d);
  const auto D = Multitasking::make_disorder(p, dis);
  p.init = HebbianInit{HebbianInit::Kind::archetype};
  Multitasking a(p, D, init);
  // Archetype cascade: σ = ξ^1 where informative, so S_1 = n_1; ξ^2 where ξ^1 = 0, so S_2 counts
  // +1 on those sites and is the sum of ξ^1 ξ^2 elsewhere; ξ^3 where both vanish.
  const auto& xi = D->data.xi;
  CHECK(a.archetype_overlaps()[0] == D->data.informative[0]);
  for (int mu = 1; mu < K; ++mu) {
    std::int64_t expected = 0;  // sites where every pattern vanishes are random but carry ξ^μ = 0
    for (int i = 0; i < N; ++i) {
      int s = 0;
      for (int nu = 0; nu < K && s == 0; ++nu) s = xi[i * K + nu];
      expected += s * xi[i * K + mu];
    }
    CHECK(a.archetype_overlaps()[mu] == expected);
  }
  p.init = HebbianInit{HebbianInit::Kind::quality, 0.6};
  Multitasking q(p, D, init);
  // Each spin kept with probability 0.8: E[S_1] = 0.6 n_1, standard deviation √(n_1 (1 - 0.36)).
  const double n1 = static_cast<double>(D->data.informative[0]);
  CHECK(std::abs(static_cast<double>(q.archetype_overlaps()[0]) - 0.6 * n1) < 4 * std::sqrt(n1 * 0.64));

  const auto specs = Multitasking::parameters();
  auto reader = [&](std::vector<std::pair<std::string, ParamValue>> e) {
    e.emplace_back("N", ParamValue{Scalar{std::int64_t{16}}, {}, false, {}});
    return ParamReader(specs, std::move(e), SourcePos{"test.toml", 1, 1}, "model");
  };
  CHECK(Multitasking::parse(reader({{"init", ParamValue{{}, {{"quality", Scalar{0.7}}}, true, {}}}})).init.quality == 0.7);
  CHECK_THROWS_AS(Multitasking::parse(reader({{"init", ParamValue{{}, {{"qualty", Scalar{0.7}}}, true, {}}}})), ParamError);
  CHECK_THROWS_AS(Multitasking::parse(reader({{"init", ParamValue{{}, {{"quality", Scalar{1.5}}}, true, {}}}})), ParamError);
  CHECK_THROWS_AS(Multitasking::parse(reader({{"d", ParamValue{Scalar{1.0}, {}, false, {}}}})), ParamError);
  CHECK_THROWS_AS(Multitasking::parse(reader({{"data", ParamValue{Scalar{std::string("dreaming")}, {}, false, {}}}})), ParamError);
}

namespace {

// Exact Boltzmann averages over all 2^N states (energies and observables from their definitions),
// then the engine (Metropolis, random sites, tempering over the listed β, 2 replicas): every
// observable within 4 binning error bars. About 25 comparisons per case: a false alarm at 4σ has
// probability ~0.2 % for Gaussian errors; the seed is fixed.
void check_enumeration(const Multitasking::Params& p, const std::vector<double>& beta) {
  const EngineSettings es = testing::enumeration_settings(beta, 60000, 1000, 1, 2024);
  // One thread: at N = 10 a sweep is far shorter than an OpenMP barrier on a loaded machine.
  const int threads = omp_get_max_threads();
  omp_set_num_threads(1);
  Simulation<Multitasking> sim(p, es, TaskId{0, 0});
  const auto& D = sim.disorder();
  const int N = p.N;
  const std::size_t states = std::size_t{1} << N;
  std::vector<double> E(states);
  std::vector<std::vector<double>> O(states);
  std::vector<std::vector<std::int8_t>> S(states);
  std::vector<std::int8_t> s(N, 1);
  for (std::size_t k = 0; k < states; ++k) {
    for (int i = 0; i < N; ++i) s[i] = (k >> i) & 1 ? -1 : 1;
    E[k] = pair_energy(p, D, s);
    O[k] = observables(D, s);
    S[k] = s;
  }
  const double emin = *std::min_element(E.begin(), E.end());
  const auto names = Multitasking::observable_names(p);
  MemoryRecorder rec;
  sim.run(rec);
  omp_set_num_threads(threads);
  for (int t = 0; t < static_cast<int>(beta.size()); ++t) {
    CAPTURE(beta[t]);
    double Z = 0, e = 0;
    std::vector<double> o(names.size(), 0.0), C(static_cast<std::size_t>(N) * N, 0.0);
    for (std::size_t k = 0; k < states; ++k) {
      const double w = std::exp(-beta[t] * (E[k] - emin));
      Z += w;
      e += w * E[k];
      for (std::size_t j = 0; j < o.size(); ++j) o[j] += w * O[k][j];
      for (int i = 0; i < N; ++i)
        for (int j = 0; j < N; ++j) C[i * N + j] += w * S[k][i] * S[k][j];
    }
    double q2 = 0;  // <q²> = (1/N²) Σ_ij <σ_i σ_j>² between two independent replicas
    for (double c : C) q2 += (c / Z) * (c / Z);
    auto check = [&](const std::string& name, double exact) {
      CAPTURE(name);
      const auto st = rec.stats(name, t);
      CHECK(std::abs(st.mean - exact) < 4 * st.error + 1e-12);
      CHECK(st.error < 0.01);
    };
    check("energy", e / Z / N);
    for (std::size_t j = 0; j < names.size(); ++j) check(names[j], o[j] / Z);
    check("q2", q2 / (static_cast<double>(N) * N));
  }
  for (std::size_t k = 0; k < rec.final().pair_accepts.size(); ++k) CHECK(rec.final().pair_accepts[k] > 0);
}

}  // namespace

TEST_CASE("multitasking storage, N = 12, K = 3, d = 0.4: engine averages equal exact enumeration") {
  check_enumeration(params(12, 3, 0.4), {0.5, 1.5, 3.0, 6.0});
}

TEST_CASE("multitasking supervised and unsupervised, N = 10: engine averages equal exact enumeration") {
  check_enumeration(params(10, 2, 0.3, Multitasking::Data::supervised, 3, 0.6), {0.7, 2.0, 5.0});
  check_enumeration(params(10, 2, 0.3, Multitasking::Data::unsupervised, 3, 0.6), {0.7, 2.0, 5.0});
}

TEST_CASE("multitasking: the unrolled kernels, delta_units_after_flip and the fast sweeps follow the reference") {
  // C = 3 (storage, supervised: unrolled), C = 9 (unsupervised K = 3, M = 3: counted at run time), and
  // int16 overlaps (kernels/two_byte_channel_overlaps.hpp): C = 33 (unsupervised K = 3, M = 11: one
  // vector and a tail of 1) and C = 20 (supervised K = 20: a tail alone).
  using D = Multitasking::Data;
  for (auto [data, K, M, r] : {std::tuple{D::storage, 3, 1, 1.0}, std::tuple{D::supervised, 3, 4, 0.5}, std::tuple{D::unsupervised, 3, 3, 0.7},
                               std::tuple{D::unsupervised, 3, 11, 0.7}, std::tuple{D::supervised, 20, 4, 0.5}}) {
    CAPTURE(static_cast<int>(data));
    CAPTURE(M);
    auto p = params(200, K, 0.3, data, M, r);
    p.init.kind = HebbianInit::Kind::random;
    Rng dis(71), init(72), moves(73);
    const auto disorder = Multitasking::make_disorder(p, dis);
    CHECK(disorder->overlaps_fit_int16 == (disorder->C > 16));
    Multitasking m(p, disorder, init);
    REQUIRE(m.pair_delta());
    std::vector<std::int64_t> before(200);
    for (int round = 0; round < 20; ++round) {
      m.with_delta_kernel([&](const auto& delta) {
        for (int i = 0; i < 200; ++i) REQUIRE(delta(i) == m.delta_units(i));
        return 0;
      });
      for (int i = 0; i < 200; ++i) before[static_cast<std::size_t>(i)] = m.delta_units(i);
      const int j = round % 4 == 0 ? round : static_cast<int>(moves.below(200));
      m.flip(j);
      for (int i = 0; i < 200; ++i) REQUIRE(m.delta_units_after_flip(i, before[static_cast<std::size_t>(i)], j) == m.delta_units(i));
    }
    // β = 0.5: nearly every attempt accepted; 1.5 and 2: from a quarter accepted, the overlaps in a
    // register (kernels/channel_overlap_registers.hpp); 8: few.
    for (double beta : {0.5, 1.5, 2.0, 8.0})
      for (auto dyn : {Dynamics::metropolis, Dynamics::heat_bath}) {
        CAPTURE(beta);
        Rng ia(74), ib(74);
        Multitasking a(p, disorder, ia), b(p, disorder, ib);
        testing::check_same_sweeps(a, b, beta, dyn, SweepOrder::random, 8, 75);
        std::vector<double> out(static_cast<std::size_t>(K) + 2), ref(static_cast<std::size_t>(K) + 2);
        a.measure(out);
        b.measure(ref);
        CHECK(out == ref);
        CHECK(std::equal(a.archetype_overlaps().begin(), a.archetype_overlaps().end(), b.archetype_overlaps().begin()));
        // A checkpoint carries the archetype overlaps (kept in U alone for stored patterns).
        Rng ic(76);
        Multitasking c(p, disorder, ic);
        testing::restore_through_archive(a, c);
        CHECK(std::equal(c.archetype_overlaps().begin(), c.archetype_overlaps().end(), a.archetype_overlaps().begin()));
        CHECK(c.energy() == a.energy());
      }
  }
}
