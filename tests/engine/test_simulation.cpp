// The engine end to end on the reference models, against exact enumeration of all 2^N states:
// both dynamics, both site orders, parallel tempering on, R = 2 replicas (so <q^2> is tested too).
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <doctest/doctest.h>
#include <omp.h>
#include <vector>

#include "engine/simulation.hpp"
#include "models/curie_weiss.hpp"
#include "models/sherrington_kirkpatrick.hpp"
#include "analysis/theory_reference.hpp"
#include "tests/support/memory_recorder.hpp"

using namespace ptmc;
using testing::MemoryRecorder;

namespace {

struct ExactAverages {
  std::vector<double> energy, m_abs, m2, q2;  // per spin, one entry per beta
};

// Visits all 2^N states in Gray-code order through the model's own flip() and cached energy(), so
// the enumeration also exercises the incremental updates it checks.
template <class M>
ExactAverages enumerate(M model, const std::vector<double>& beta) {
  const int N = model.size();
  const std::size_t states = std::size_t{1} << N;
  std::vector<double> E(states), m(states);
  std::vector<std::vector<std::int8_t>> spins(states);
  std::vector<double> obs(1);
  for (std::size_t k = 0; k < states; ++k) {
    if (k > 0) model.flip(__builtin_ctzll(k));
    E[k] = model.energy();
    model.measure(obs);
    m[k] = obs[0];
    spins[k].assign(model.spins().begin(), model.spins().end());
  }
  const double emin = *std::min_element(E.begin(), E.end());
  ExactAverages out;
  for (double b : beta) {
    double Z = 0, e = 0, ma = 0, m2 = 0;
    std::vector<double> C(static_cast<std::size_t>(N) * N, 0.0);
    for (std::size_t k = 0; k < states; ++k) {
      const double w = std::exp(-b * (E[k] - emin));
      Z += w;
      e += w * E[k];
      ma += w * std::abs(m[k]);
      m2 += w * m[k] * m[k];
      for (int i = 0; i < N; ++i)
        for (int j = 0; j < N; ++j) C[i * N + j] += w * spins[k][i] * spins[k][j];
    }
    double q2 = 0;  // <q^2> = (1/N^2) Σ_ij <σ_i σ_j>^2 for two independent replicas
    for (double c : C) q2 += (c / Z) * (c / Z);
    out.energy.push_back(e / Z / N);
    out.m_abs.push_back(ma / Z);
    out.m2.push_back(m2 / Z);
    out.q2.push_back(q2 / (static_cast<double>(N) * N));
  }
  return out;
}

EngineSettings settings(std::vector<double> beta, Dynamics dyn, SweepOrder order, std::int64_t sweeps) {
  EngineSettings s;
  s.beta = std::move(beta);
  s.replicas = 2;
  s.swap_every = 1;
  s.run.dynamics = dyn;
  s.run.order = order;
  s.run.sweeps = sweeps;
  s.run.thermalization = 1000;
  s.run.measure_every = 1;
  s.run.seed = 12345;
  return s;
}

// Every observable within 4 binning error bars (plus 1e-12 for exact zeros) at every temperature.
// With ~40 comparisons per model a false alarm at 4σ has probability ~0.3 %; the seed is fixed.
template <class M>
void check_against_enumeration(const typename M::Params& p, const std::vector<double>& beta) {
  for (Dynamics dyn : {Dynamics::metropolis, Dynamics::heat_bath})
    for (SweepOrder order : {SweepOrder::random, SweepOrder::sequential}) {
      CAPTURE(static_cast<int>(dyn));
      CAPTURE(static_cast<int>(order));
      Simulation<M> sim(p, settings(beta, dyn, order, 40000), TaskId{0, 0});
      const ExactAverages ex = enumerate(sim.walker(0, 0), beta);
      MemoryRecorder rec;
      sim.run(rec);
      for (int t = 0; t < static_cast<int>(beta.size()); ++t) {
        CAPTURE(beta[t]);
        const auto e = rec.stats("energy", t), m = rec.stats("m", t), m2 = rec.stats("m2", t), q2 = rec.stats("q2", t);
        CHECK(std::abs(e.mean - ex.energy[t]) < 4 * e.error + 1e-12);
        CHECK(std::abs(m.mean - ex.m_abs[t]) < 4 * m.error + 1e-12);
        CHECK(std::abs(m2.mean - ex.m2[t]) < 4 * m2.error + 1e-12);
        CHECK(std::abs(q2.mean - ex.q2[t]) < 4 * q2.error + 1e-12);
        // The error bars are meaningful: not zero, and far smaller than the signal.
        CHECK(e.error > 0);
        CHECK(e.error < 0.01);
      }
      // The cached energy never drifted from a full recomputation.
      for (int r = 0; r < 2; ++r)
        for (int c = 0; c < static_cast<int>(beta.size()); ++c)
          CHECK(std::abs(sim.walker(r, c).energy() - sim.walker(r, c).recompute_energy()) < 1e-9);
      // Parallel tempering was active: swaps were accepted between every neighbouring pair.
      for (std::size_t k = 0; k < rec.final().pair_accepts.size(); ++k) CHECK(rec.final().pair_accepts[k] > 0);
    }
}

}  // namespace

TEST_CASE("Curie-Weiss N = 10: engine averages equal exact enumeration") {
  check_against_enumeration<CurieWeiss>(CurieWeiss::Params{10, CurieWeiss::Init::random}, {0.2, 0.6, 1.0, 1.5, 2.5});
}

TEST_CASE("SK N = 10 (one Gaussian sample): engine averages equal exact enumeration") {
  check_against_enumeration<SherringtonKirkpatrick>(
      SherringtonKirkpatrick::Params{10, SherringtonKirkpatrick::Couplings::gaussian}, {0.3, 0.8, 1.4, 2.0, 3.0});
}

TEST_CASE("SK N = 10 bimodal couplings: engine averages equal exact enumeration") {
  check_against_enumeration<SherringtonKirkpatrick>(
      SherringtonKirkpatrick::Params{10, SherringtonKirkpatrick::Couplings::bimodal}, {0.5, 1.5, 3.0});
}

TEST_CASE("measurements do not depend on the number of OpenMP threads") {
  // At N = 24 a sweep is too short for threads to pay, so the engine would stay on one thread:
  // PTMC_WALKER_THREADS=always makes every sweep and measurement run in the team regardless.
  const std::vector<double> beta = {0.5, 1.0, 1.5, 2.0};
  auto run = [&](int threads) {
    omp_set_num_threads(threads);
    setenv("PTMC_WALKER_THREADS", threads > 1 ? "always" : "never", 1);
    Simulation<SherringtonKirkpatrick> sim(SherringtonKirkpatrick::Params{24, SherringtonKirkpatrick::Couplings::gaussian},
                                           settings(beta, Dynamics::metropolis, SweepOrder::random, 500), TaskId{3, 1});
    MemoryRecorder rec;
    sim.run(rec);
    std::vector<double> all;
    for (const auto& name : rec.layout().names)
      for (int t = 0; t < 4; ++t) {
        const auto s = rec.series(name, t);
        all.insert(all.end(), s.begin(), s.end());
      }
    return all;
  };
  const auto one = run(1), two = run(2), three = run(3);
  unsetenv("PTMC_WALKER_THREADS");
  omp_set_num_threads(omp_get_num_procs());
  REQUIRE(one.size() > 0);
  CHECK(one == two);  // bitwise: NaN-free series compare exactly
  CHECK(one == three);
}

TEST_CASE("walkers share threads only when a sweep of all of them outlasts a fork and join") {
  const int threads = omp_get_max_threads();
  omp_set_num_threads(2);
  WalkerThreads small(true, 16), large(true, 16), single(true, 1), barred(false, 16);
  for (int k = 0; k < WalkerThreads::calibration_sweeps; ++k) {
    CHECK(!small.use());  // the calibration sweeps run on one thread
    small.record(std::chrono::microseconds(3));
    large.record(std::chrono::milliseconds(2));
  }
  CHECK(!small.use());
  CHECK(large.use());
  CHECK(!single.calibrating());
  CHECK(!barred.calibrating());
  CHECK(!barred.use());
  omp_set_num_threads(threads);
}

TEST_CASE("Curie-Weiss N = 256 follows the exact finite-N magnetisation across the transition") {
  const std::vector<double> beta = {0.5, 0.9, 1.1, 1.5};
  Simulation<CurieWeiss> sim(CurieWeiss::Params{256, CurieWeiss::Init::random},
                             settings(beta, Dynamics::metropolis, SweepOrder::random, 20000), TaskId{0, 0});
  MemoryRecorder rec;
  sim.run(rec);
  for (int t = 0; t < 4; ++t) {
    CAPTURE(beta[t]);
    const auto m = rec.stats("m", t), e = rec.stats("energy", t);
    const auto ex = theory::curie_weiss_exact(256, beta[t]);
    CHECK(std::abs(m.mean - ex.m_abs) < 4 * m.error);
    CHECK(std::abs(e.mean - ex.energy) < 4 * e.error);
  }
}

TEST_CASE("a task stopped at a checkpoint and resumed gives bitwise the uninterrupted series") {
  // Stops after `stop_at` checkpoint requests; the saved state is then resumed in a fresh Simulation.
  struct StopAfter final : RunControl {
    int calls = 0, stop_at = 0;
    std::vector<std::uint8_t> saved;
    bool checkpoint_due() override { return ++calls % 97 == 0; }
    void save(std::int64_t, std::vector<std::uint8_t> state) override { saved = std::move(state); }
    bool stop_requested() override { return calls >= stop_at; }
  };
  const std::vector<double> beta = {0.5, 1.0, 2.0};
  auto settings3 = settings(beta, Dynamics::heat_bath, SweepOrder::random, 3000);
  settings3.run.measure_every = 3;
  const SherringtonKirkpatrick::Params p{20, SherringtonKirkpatrick::Couplings::bimodal};
  MemoryRecorder full;
  Simulation<SherringtonKirkpatrick>(p, settings3, TaskId{1, 2}).run(full);

  StopAfter control;
  control.stop_at = 97 * 11;  // stops in the middle of the measured sweeps
  MemoryRecorder cut;
  bool stopped = false;
  try {
    Simulation<SherringtonKirkpatrick>(p, settings3, TaskId{1, 2}).run(cut, &control);
  } catch (const TaskStopped&) {
    stopped = true;
  }
  REQUIRE(stopped);
  REQUIRE(!control.saved.empty());
  CHECK(cut.series("energy", 0).size() < full.series("energy", 0).size());
  Simulation<SherringtonKirkpatrick>(p, settings3, TaskId{1, 2}).run(cut, nullptr, &control.saved);
  for (const auto& name : full.layout().names)
    for (int t = 0; t < 3; ++t) CHECK(full.series(name, t) == cut.series(name, t));
  CHECK(full.walks() == cut.walks());
  CHECK(full.final().round_trips == cut.final().round_trips);
  CHECK(full.final().histogram == cut.final().histogram);
  // A checkpoint of another task's shape is refused.
  auto wrong = control.saved;
  Simulation<SherringtonKirkpatrick> other({24, SherringtonKirkpatrick::Couplings::bimodal}, settings3, TaskId{1, 2});
  MemoryRecorder sink;
  CHECK_THROWS_AS(other.run(sink, nullptr, &wrong), std::runtime_error);
}
