// Attempted flips per second against acceptance rate, for each model at one size: the real model
// through the real engine path (a walker built as Simulation builds it, driven by sweep() from
// engine/sweep/dynamics.hpp, random site order, Metropolis), at inverse temperatures β chosen so that the
// acceptance spans about 0.1 % to 90 %. Each benchmark first sweeps WARMUP times at its β (the walker
// settles at that temperature, as it would in a ladder), then one iteration = one sweep of N attempted
// flips. Counters: flips/s (attempted, per CPU second), acceptance. bench/acceptance_curve.sh runs it
// and draws bench/figures/flips_vs_acceptance.png against each model's bound (bench/bench_table.py).
// Benchmark names: BM_acceptance_<model>/beta_milli:<1000 β>; BM_pair_<model>: two walkers swept
// together (sweep_pair), as a run sweeps models with a resident kernel; BM_lanes_<model>: eight in
// lanes (sweep_lanes), as a run sweeps models with a lane kernel.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/sweep/dynamics.hpp"
#include "engine/sweep/lane_sweep.hpp"
#include "engine/sweep/paired_sweep.hpp"
#include "engine/simulation.hpp"
#include "models/binary_perceptron.hpp"
#include "models/curie_weiss.hpp"
#include "models/dense_hebbian.hpp"
#include "models/multitasking.hpp"
#include "models/sherrington_kirkpatrick.hpp"

namespace {

using namespace ptmc;
using KV = std::vector<std::pair<std::string, Scalar>>;
constexpr int WARMUP = 50;

template <class M>
typename M::Params params_of(const KV& kv) {
  ParamReader::Entries e;
  for (const auto& [k, v] : kv) e.emplace_back(k, ParamValue{v, {}, false, SourcePos{"bench", 1, 1}});
  return M::parse(ParamReader(M::parameters(), std::move(e), SourcePos{"bench", 1, 1}, "model"));
}

// Walkers keyed as Simulation keys chains 0, 1, ... (configuration 0 of task (0, 0) of a run with seed 1):
// `together` = 1, one walker swept by sweep(); 2, two (the replicas of one temperature) swept together
// by sweep_pair (engine/sweep/paired_sweep.hpp), as a run sweeps a model with a resident kernel; 8,
// eight swept in lanes by sweep_lanes (engine/sweep/lane_sweep.hpp), as a run sweeps a model with a
// lane kernel. flips/s counts every walker's attempts.
template <class M, int together = 1>
void run_at_beta(benchmark::State& state, const KV& kv) {
  const double beta = static_cast<double>(state.range(0)) / 1000.0;
  const auto p = params_of<M>(kv);
  Rng disorder_rng(StreamKey{1, 0, 0, 0, StreamPurpose::disorder});
  std::shared_ptr<const typename M::Disorder> disorder = M::make_disorder(p, disorder_rng);
  std::vector<M> walkers;
  std::vector<Rng> rng;
  for (int chain = 0; chain < together; ++chain) {
    Rng init(walker_key(1, TaskId{0, 0}, chain, 0, StreamPurpose::initial_state));
    walkers.emplace_back(p, disorder, init);
    rng.emplace_back(walker_key(1, TaskId{0, 0}, chain, 0, StreamPurpose::dynamics));
  }
  std::vector<M*> lanes;
  std::vector<Rng*> streams;
  for (int chain = 0; chain < together; ++chain) {
    lanes.push_back(&walkers[chain]);
    streams.push_back(&rng[chain]);
  }
  const std::vector<double> lane_beta(together, beta);
  const auto sweep_walkers = [&]() -> std::int64_t {
    if constexpr (together == 2) {
      const auto both = sweep_pair(walkers[0], walkers[1], {beta, beta}, Dynamics::metropolis, SweepOrder::random, rng[0], rng[1]);
      return both[0] + both[1];
    } else if constexpr (together > 2) {
      const auto each = sweep_lanes<M>(lanes, lane_beta, Dynamics::metropolis, SweepOrder::random, streams);
      std::int64_t sum = 0;
      for (int l = 0; l < together; ++l) sum += each[l];
      return sum;
    } else {
      return sweep(walkers[0], beta, Dynamics::metropolis, SweepOrder::random, rng[0]);
    }
  };
  for (int k = 0; k < WARMUP; ++k) sweep_walkers();
  std::int64_t accepted = 0, sweeps = 0;
  for (auto _ : state) {
    accepted += sweep_walkers();
    ++sweeps;
  }
  const double flips = static_cast<double>(walkers.size()) * static_cast<double>(walkers[0].size()) * static_cast<double>(sweeps);
  state.counters["flips/s"] = benchmark::Counter(flips, benchmark::Counter::kIsRate);
  state.counters["acceptance"] = static_cast<double>(accepted) / flips;
}

// Same sizes as the ladder benchmarks (bench/ladders/*.toml) and bench_models' rows.
void BM_acceptance_hopfield(benchmark::State& state) {
  run_at_beta<DenseHebbian>(state, KV{{"N", std::int64_t{4096}}, {"P", std::int64_t{2}}, {"K", std::int64_t{256}},
                                     {"init", std::string("archetype")}});
}
void BM_acceptance_perceptron(benchmark::State& state) {
  run_at_beta<BinaryPerceptron>(state, KV{{"N", std::int64_t{1001}}, {"alpha", 1.0}});
}
void BM_acceptance_sk(benchmark::State& state) {
  run_at_beta<SherringtonKirkpatrick>(state, KV{{"N", std::int64_t{1024}}});
}
void BM_acceptance_multitasking(benchmark::State& state) {
  run_at_beta<Multitasking>(state, KV{{"N", std::int64_t{4096}}, {"K", std::int64_t{4}}, {"d", 0.3},
                                     {"init", std::string("archetype")}});
}
void BM_pair_hopfield(benchmark::State& state) {
  run_at_beta<DenseHebbian, 2>(state, KV{{"N", std::int64_t{4096}}, {"P", std::int64_t{2}}, {"K", std::int64_t{256}},
                                         {"init", std::string("archetype")}});
}
void BM_pair_multitasking(benchmark::State& state) {
  run_at_beta<Multitasking, 2>(state, KV{{"N", std::int64_t{4096}}, {"K", std::int64_t{4}}, {"d", 0.3},
                                         {"init", std::string("archetype")}});
}
void BM_acceptance_curie_weiss(benchmark::State& state) {
  run_at_beta<CurieWeiss>(state, KV{{"N", std::int64_t{4096}}, {"init", std::string("up")}});
}
void BM_lanes_multitasking(benchmark::State& state) {
  run_at_beta<Multitasking, 8>(state, KV{{"N", std::int64_t{4096}}, {"K", std::int64_t{4}}, {"d", 0.3},
                                      {"init", std::string("archetype")}});
}
// Multitasking with 12 stored patterns: beyond the sign masks (8 channels), by weights in lanes.
void BM_acceptance_multitasking12(benchmark::State& state) {
  run_at_beta<Multitasking>(state, KV{{"N", std::int64_t{4096}}, {"K", std::int64_t{12}}, {"d", 0.3}, {"init", std::string("archetype")}});
}
void BM_lanes_multitasking12(benchmark::State& state) {
  run_at_beta<Multitasking, 8>(state, KV{{"N", std::int64_t{4096}}, {"K", std::int64_t{12}}, {"d", 0.3}, {"init", std::string("archetype")}});
}
void BM_lanes_curie_weiss(benchmark::State& state) {
  run_at_beta<CurieWeiss, 8>(state, KV{{"N", std::int64_t{4096}}, {"init", std::string("up")}});
}

void betas(benchmark::internal::Benchmark* b, std::initializer_list<std::int64_t> milli) {
  b->ArgName("beta_milli")->Unit(benchmark::kMicrosecond);
  for (auto m : milli) b->Arg(m);
}
BENCHMARK(BM_acceptance_hopfield)->Apply([](auto* b) {
  betas(b, {100, 250, 500, 750, 1000, 1250, 1500, 2000, 2500, 3000, 4000, 5000, 6000, 8000});
});
BENCHMARK(BM_acceptance_perceptron)->Apply([](auto* b) {
  betas(b, {20, 50, 100, 200, 300, 400, 600, 800, 1000, 1300, 1600, 2000});
});
BENCHMARK(BM_acceptance_sk)->Apply([](auto* b) {
  betas(b, {50, 100, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 8000, 12000, 20000, 40000});
});
BENCHMARK(BM_acceptance_multitasking)->Apply([](auto* b) {
  betas(b, {100, 700, 1000, 1250, 1500, 2000, 3000, 4000, 6000, 9000, 13000, 20000, 30000, 60000, 120000});
});
// Walkers in pairs where the resident loop runs (from a quarter of attempts accepted).
BENCHMARK(BM_pair_hopfield)->Apply([](auto* b) { betas(b, {500, 1000, 1500}); });
BENCHMARK(BM_pair_multitasking)->Apply([](auto* b) { betas(b, {1000, 2000, 4000}); });
BENCHMARK(BM_acceptance_curie_weiss)->Apply([](auto* b) {
  betas(b, {100, 500, 900, 1100, 1300, 1500, 1700, 2000, 2500, 3000, 3500});
});
// Eight walkers in lanes, as a run sweeps a model with a lane kernel.
BENCHMARK(BM_lanes_multitasking)->Apply([](auto* b) {
  betas(b, {100, 700, 1000, 1250, 1500, 2000, 3000, 4000, 6000, 9000, 13000, 20000});
});
BENCHMARK(BM_acceptance_multitasking12)->Apply([](auto* b) { betas(b, {1000, 2000, 4000, 9000}); });
BENCHMARK(BM_lanes_multitasking12)->Apply([](auto* b) { betas(b, {1000, 2000, 4000, 9000}); });
BENCHMARK(BM_lanes_curie_weiss)->Apply([](auto* b) {
  betas(b, {100, 500, 900, 1100, 1300, 1500, 1700, 2000, 2500, 3000, 3500});
});

}  // namespace

BENCHMARK_MAIN();
