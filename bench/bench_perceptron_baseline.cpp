// Where a user starts with the binary perceptron (storage, N = 1001, α = 1, count cost), written here
// from scratch: cached integer stabilities s_μ = y_μ σ·x^μ (site-major int8 inputs with the labels
// folded in, int32 stabilities) and a plain loop over the P constraints per attempted flip (count
// those that change sides), std::exp Metropolis, xoshiro site and uniform draws — O(P) per attempt.
// Compare with BM_binary_perceptron in bench_models (the same problem through ptmc's engine).
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "engine/sweep/rng.hpp"

namespace {

using ptmc::Rng;

struct ScalarPerceptron {
  int N, P;
  std::vector<std::int8_t> z;  // [i*P + μ] = y_μ x^μ_i
  std::vector<std::int32_t> s;
  std::vector<std::int8_t> sigma;
  ScalarPerceptron(int n, int p, std::uint64_t seed) : N(n), P(p), z(static_cast<std::size_t>(n) * p), s(p, 0), sigma(n) {
    Rng rng(seed);
    for (auto& v : z) v = static_cast<std::int8_t>(rng.spin());
    for (auto& v : sigma) v = static_cast<std::int8_t>(rng.spin());
    for (int i = 0; i < N; ++i)
      for (int mu = 0; mu < P; ++mu) s[mu] += sigma[i] * z[static_cast<std::size_t>(i) * P + mu];
  }
  // Change of the number of violated constraints (s ≤ 0) if σ_i flips.
  int delta(int i) const {
    const std::int8_t* row = &z[static_cast<std::size_t>(i) * P];
    const int two = 2 * sigma[i];
    int dn = 0;
    for (int mu = 0; mu < P; ++mu) dn += (s[mu] - two * row[mu] <= 0) - (s[mu] <= 0);
    return dn;
  }
  void flip(int i) {
    const std::int8_t* row = &z[static_cast<std::size_t>(i) * P];
    const int two = 2 * sigma[i];
    for (int mu = 0; mu < P; ++mu) s[mu] -= two * row[mu];
    sigma[i] = static_cast<std::int8_t>(-sigma[i]);
  }
};

// Arg: 1 = low acceptance (β = 3), 0 = moderate (β = 0.4); same β as BM_binary_perceptron.
void BM_perceptron_scalar_stabilities(benchmark::State& state) {
  const double beta = state.range(0) ? 3.0 : 0.4;
  ScalarPerceptron m(1001, 1001, 42);
  Rng rng(5);
  auto attempt = [&] {
    const int i = static_cast<int>(rng.below(static_cast<std::uint32_t>(m.N)));
    const double dE = m.delta(i);
    if (dE <= 0 || rng.uniform() < std::exp(-beta * dE)) {
      m.flip(i);
      return 1;
    }
    return 0;
  };
  for (int k = 0; k < 20 * m.N; ++k) attempt();  // leave the random start
  std::int64_t flips = 0, accepted = 0;
  for (auto _ : state) {
    for (int k = 0; k < m.N; ++k) accepted += attempt();
    flips += m.N;
  }
  state.counters["flips/s"] = benchmark::Counter(static_cast<double>(flips), benchmark::Counter::kIsRate);
  state.counters["work/s"] = benchmark::Counter(static_cast<double>(flips) * m.P, benchmark::Counter::kIsRate);
  state.counters["acceptance"] = static_cast<double>(accepted) / static_cast<double>(flips);
}
BENCHMARK(BM_perceptron_scalar_stabilities)->ArgName("low")->Arg(1)->Arg(0)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
