// Swap schemes (engine/sweep/swap_scheme.hpp): deterministic even/odd (DEO) swaps visit the pairs by
// round parity, keep the joint Boltzmann distribution (exact enumeration at every temperature), and
// resume bitwise from a checkpoint.
#include <cmath>
#include <cstring>
#include <doctest/doctest.h>
#include <numeric>
#include <omp.h>
#include <vector>

#include "engine/simulation.hpp"
#include "engine/sweep/tempering.hpp"
#include "models/curie_weiss.hpp"
#include "models/sherrington_kirkpatrick.hpp"
#include "tests/support/memory_recorder.hpp"

using namespace ptmc;
using testing::MemoryRecorder;

namespace {

EngineSettings deo_settings(std::vector<double> beta, std::int64_t sweeps) {
  EngineSettings s;
  s.beta = std::move(beta);
  s.replicas = 2;
  s.swap_every = 1;
  s.swaps = SwapScheme::deo;
  s.run.dynamics = Dynamics::metropolis;
  s.run.order = SweepOrder::random;
  s.run.sweeps = sweeps;
  s.run.thermalization = 1000;
  s.run.measure_every = 1;
  s.run.seed = 777;
  return s;
}

// Exact <E>/N and <m²> from all 2^N states, visited in Gray-code order through the model's flip().
template <class M>
void exact_energy_m2(M model, const std::vector<double>& beta, std::vector<double>& e_out, std::vector<double>& m2_out) {
  const int N = model.size();
  const std::size_t states = std::size_t{1} << N;
  std::vector<double> E(states), m(states), obs(1);
  for (std::size_t k = 0; k < states; ++k) {
    if (k > 0) model.flip(__builtin_ctzll(k));
    E[k] = model.energy();
    model.measure(obs);
    m[k] = obs[0];
  }
  const double emin = *std::min_element(E.begin(), E.end());
  for (double b : beta) {
    double Z = 0, e = 0, m2 = 0;
    for (std::size_t k = 0; k < states; ++k) {
      const double w = std::exp(-b * (E[k] - emin));
      Z += w;
      e += w * E[k];
      m2 += w * m[k] * m[k];
    }
    e_out.push_back(e / Z / N);
    m2_out.push_back(m2 / Z);
  }
}

// Energy and m² within 4 binning error bars at every temperature (about 10 comparisons per model:
// a false alarm at 4σ has probability ~0.06 % for Gaussian errors; the seed is fixed). Swaps that
// broke detailed balance of the pair they exchange bias the cold temperatures first.
template <class M>
void check_deo_against_enumeration(const typename M::Params& p, const std::vector<double>& beta) {
  const int threads = omp_get_max_threads();
  omp_set_num_threads(1);  // a sweep at N <= 10 is far shorter than an OpenMP barrier
  Simulation<M> sim(p, deo_settings(beta, 40000), TaskId{0, 0});
  std::vector<double> e, m2;
  exact_energy_m2(sim.walker(0, 0), beta, e, m2);
  MemoryRecorder rec;
  sim.run(rec);
  omp_set_num_threads(threads);
  for (int t = 0; t < static_cast<int>(beta.size()); ++t) {
    CAPTURE(beta[t]);
    const auto se = rec.stats("energy", t), sm = rec.stats("m2", t);
    CHECK(std::abs(se.mean - e[t]) < 4 * se.error + 1e-12);
    CHECK(std::abs(sm.mean - m2[t]) < 4 * sm.error + 1e-12);
    CHECK(se.error > 0);
    CHECK(se.error < 0.01);
  }
  // Every pair was attempted on every other round only, and swaps happened everywhere.
  const auto& f = rec.final();
  const std::size_t P = beta.size() - 1;
  for (std::size_t k = 0; k < f.pair_accepts.size(); ++k) {
    CHECK(f.pair_accepts[k] > 0);
    CHECK(std::abs(2 * f.pair_attempts[k] - f.swap_rounds) <= 1);
  }
  CHECK(f.pair_accepts.size() == 2 * P);
}

}  // namespace

TEST_CASE("DEO swaps attempt the even pairs on even rounds and the odd pairs on odd rounds") {
  const int T = 5;
  TemperatureLadder lad(T, SwapScheme::deo);
  const std::vector<double> beta = {0.1, 0.2, 0.3, 0.4, 0.5};
  const std::vector<double> energies(T, 0.0);  // every attempted swap is accepted
  Rng rng(3);
  lad.swap_round(beta, energies, rng);
  CHECK(lad.pair_attempts() == std::vector<std::int64_t>{1, 0, 1, 0});
  CHECK(lad.config_at(0) == 1);
  CHECK(lad.config_at(1) == 0);
  CHECK(lad.config_at(4) == 4);
  lad.swap_round(beta, energies, rng);
  CHECK(lad.pair_attempts() == std::vector<std::int64_t>{1, 1, 1, 1});
  // With every swap accepted each configuration moves ballistically, one level a round, and turns
  // at the ends: a round trip every 2T rounds.
  for (int round = 2; round < 200; ++round) lad.swap_round(beta, energies, rng);
  for (int c = 0; c < T; ++c) {
    CAPTURE(c);
    CHECK(lad.round_trips()[c] >= 200 / (2 * T) - 1);
    CHECK(lad.round_trips()[c] <= 200 / (2 * T));
  }
  // A two-temperature ladder attempts its one pair on even rounds only.
  TemperatureLadder two(2, SwapScheme::deo);
  for (int round = 0; round < 7; ++round) two.swap_round(std::vector<double>{1, 2}, std::vector<double>{0, 0}, rng);
  CHECK(two.pair_attempts()[0] == 4);
}

TEST_CASE("DEO swaps: Curie-Weiss N = 8 averages equal exact enumeration at every temperature") {
  check_deo_against_enumeration<CurieWeiss>(CurieWeiss::Params{8, CurieWeiss::Init::random}, {0.2, 0.6, 1.0, 1.5, 2.5});
}

TEST_CASE("DEO swaps: SK N = 10 averages equal exact enumeration at every temperature") {
  check_deo_against_enumeration<SherringtonKirkpatrick>(
      SherringtonKirkpatrick::Params{10, SherringtonKirkpatrick::Couplings::gaussian}, {0.3, 0.8, 1.4, 2.0, 3.0, 4.0});
}

TEST_CASE("DEO swaps: a task stopped at a checkpoint and resumed gives bitwise the uninterrupted series") {
  struct StopAfter final : RunControl {
    int calls = 0, stop_at = 0;
    std::vector<std::uint8_t> saved;
    bool checkpoint_due() override { return ++calls % 97 == 0; }  // odd: stops after an odd round too
    void save(std::int64_t, std::vector<std::uint8_t> state) override { saved = std::move(state); }
    bool stop_requested() override { return calls >= stop_at; }
  };
  auto s = deo_settings({0.5, 1.0, 1.5, 2.0, 3.0}, 3000);
  const SherringtonKirkpatrick::Params p{20, SherringtonKirkpatrick::Couplings::bimodal};
  for (int stop_at : {97 * 11, 97 * 12}) {  // one checkpoint after an odd number of rounds, one after an even
    CAPTURE(stop_at);
    MemoryRecorder full;
    Simulation<SherringtonKirkpatrick>(p, s, TaskId{1, 2}).run(full);
    StopAfter control;
    control.stop_at = stop_at;
    MemoryRecorder cut;
    bool stopped = false;
    try {
      Simulation<SherringtonKirkpatrick>(p, s, TaskId{1, 2}).run(cut, &control);
    } catch (const TaskStopped&) {
      stopped = true;
    }
    REQUIRE(stopped);
    Simulation<SherringtonKirkpatrick>(p, s, TaskId{1, 2}).run(cut, nullptr, &control.saved);
    for (const auto& name : full.layout().names)
      for (int t = 0; t < 5; ++t) {
        CAPTURE(name);
        // Bitwise, NaN included: under DEO the end temperatures' swap_rate is NaN after a round
        // that attempted none of their pairs.
        const auto a = full.series(name, t), b = cut.series(name, t);
        REQUIRE(a.size() == b.size());
        CHECK(std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
      }
    CHECK(full.walks() == cut.walks());
    CHECK(full.final().round_trips == cut.final().round_trips);
    CHECK(full.final().pair_attempts == cut.final().pair_attempts);
    CHECK(full.final().pair_accepts == cut.final().pair_accepts);
  }
}
