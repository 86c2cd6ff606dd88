// Hopfield storage (P = 2), N = 4096, K = 256, one core: where a user starts and how far
// a prototype of bit rows and masked adds goes, all written here from scratch and simulating the same Gibbs measure.
//   (a) coupling matrix: N×N double J_ij = (1/N) Σ_μ ξ^μ_i ξ^μ_j, local field recomputed per update,
//       Glauber (heat-bath) rule, std::mt19937 — the loop of typical public Hopfield codes, O(N) per flip;
//   (b) cached integer overlaps M_μ = ξ^μ·σ, a plain scalar loop over the K×N pattern matrix
//       (pattern-major, as the patterns are usually stored), std::exp Metropolis — O(K) per flip;
//   (c) the fast kernel: site-major bit-packed patterns, int32 overlaps in L1, ΔE as a masked sum
//       (AVX-512 masked adds, selected by the bits of ξ_i XOR σ_i), exp-free Metropolis through a
//       lazily filled table indexed by the integer energy change, and (c-R) several replicas at
//       different β updating the same site from one read of its pattern row.
// (b) and (c) consume the same random numbers and take the same decisions: the setup checks that they
// end in the same state. Counters: flips/s (attempted), pattern-spin updates/s (flips × K), acceptance.
#include <benchmark/benchmark.h>
#include <immintrin.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <vector>

#include "engine/sweep/fast_sweep.hpp"
#include "engine/sweep/rng.hpp"

namespace {

using ptmc::Rng;

constexpr int kN = 4096, kK = 256;
constexpr double kBetaLow = 3.0;    // retrieval state (m ≈ 0.98): Metropolis acceptance ≈ 2 %
constexpr double kBetaHigh = 1.25;  // from a random state (m ≈ 0): acceptance ≈ 40 %

struct Patterns {
  int N, K;
  std::vector<std::int8_t> pattern_major;  // [μ*N + i], ±1
  std::vector<std::int8_t> site_major;     // [i*K + μ], ±1
  std::vector<std::uint64_t> bits;         // [i*K/64 + w], bit μ%64 of word μ/64 set iff ξ^μ_i = -1
};

Patterns make_patterns(int N, int K, std::uint64_t seed) {
  Patterns p{N, K, {}, {}, {}};
  Rng rng(seed);
  p.pattern_major.resize(static_cast<std::size_t>(N) * K);
  p.site_major.resize(p.pattern_major.size());
  p.bits.assign(static_cast<std::size_t>(N) * K / 64, 0);
  for (int mu = 0; mu < K; ++mu)
    for (int i = 0; i < N; ++i) {
      const int x = rng.spin();
      p.pattern_major[static_cast<std::size_t>(mu) * N + i] = static_cast<std::int8_t>(x);
      p.site_major[static_cast<std::size_t>(i) * K + mu] = static_cast<std::int8_t>(x);
      if (x < 0) p.bits[static_cast<std::size_t>(i) * K / 64 + mu / 64] |= std::uint64_t{1} << (mu % 64);
    }
  return p;
}

const Patterns& patterns() {
  static const Patterns p = make_patterns(kN, kK, 2024);
  return p;
}

// Initial state: pattern 1 (retrieval) at low temperature (β ≥ 2), random otherwise.
std::vector<std::int8_t> initial_spins(const Patterns& p, double beta, std::uint64_t seed) {
  std::vector<std::int8_t> s(static_cast<std::size_t>(p.N));
  Rng rng(seed);
  for (int i = 0; i < p.N; ++i) s[i] = beta >= 2 ? p.pattern_major[i] : static_cast<std::int8_t>(rng.spin());
  return s;
}

// ---------------------------------------------------------------------------------------------------
// (a) Coupling matrix and Glauber dynamics, as typical public codes write it.
struct CouplingGlauber {
  int N;
  std::vector<double> J;  // N×N, zero diagonal
  std::vector<int> s;
  std::mt19937 gen{12345};
  std::uniform_real_distribution<double> unif{0.0, 1.0};
  std::uniform_int_distribution<int> site;

  CouplingGlauber(const Patterns& p, double beta) : N(p.N), J(static_cast<std::size_t>(p.N) * p.N, 0.0), site(0, p.N - 1) {
    for (int mu = 0; mu < p.K; ++mu) {
      const std::int8_t* x = &p.pattern_major[static_cast<std::size_t>(mu) * N];
      for (int i = 0; i < N; ++i)
        for (int j = 0; j < N; ++j) J[static_cast<std::size_t>(i) * N + j] += x[i] * x[j];
    }
    for (int i = 0; i < N; ++i) {
      for (int j = 0; j < N; ++j) J[static_cast<std::size_t>(i) * N + j] /= N;
      J[static_cast<std::size_t>(i) * N + i] = 0.0;
    }
    const auto s0 = initial_spins(p, beta, 99);
    s.assign(s0.begin(), s0.end());
  }
  // One update: returns 1 if the spin changed.
  int update(double beta) {
    const int i = site(gen);
    double h = 0;
    const double* row = &J[static_cast<std::size_t>(i) * N];
    for (int j = 0; j < N; ++j) h += row[j] * s[j];
    const int next = unif(gen) < 1.0 / (1.0 + std::exp(-2.0 * beta * h)) ? 1 : -1;
    const int changed = next != s[i];
    s[i] = next;
    return changed;
  }
};

void BM_hopfield_a_coupling_glauber(benchmark::State& state) {
  const double beta = state.range(0) ? kBetaLow : kBetaHigh;
  CouplingGlauber m(patterns(), beta);
  std::int64_t flips = 0, changed = 0;
  for (auto _ : state) {
    for (int k = 0; k < 256; ++k) changed += m.update(beta);
    flips += 256;
  }
  state.counters["flips/s"] = benchmark::Counter(static_cast<double>(flips), benchmark::Counter::kIsRate);
  state.counters["updates/s"] = benchmark::Counter(static_cast<double>(flips) * kK, benchmark::Counter::kIsRate);
  state.counters["acceptance"] = static_cast<double>(changed) / static_cast<double>(flips);
}

// ---------------------------------------------------------------------------------------------------
// (b) Cached integer overlaps, plain scalar loop over the pattern-major matrix, std::exp Metropolis.
// ΔE of flipping i is (2/N)(σ_i Σ_μ ξ^μ_i M_μ - K): an integer x times the unit 2/N.
struct ScalarOverlaps {
  const Patterns& p;
  std::vector<std::int8_t> s;
  std::vector<std::int64_t> M;
  std::int64_t sum_sq = 0;  // Σ_μ M_μ², so E = -(Σ M² - K N)/(2N) exactly
  double unit;

  ScalarOverlaps(const Patterns& pat, double beta) : p(pat), s(initial_spins(pat, beta, 99)), M(pat.K, 0), unit(2.0 / pat.N) {
    for (int mu = 0; mu < p.K; ++mu) {
      for (int i = 0; i < p.N; ++i) M[mu] += p.pattern_major[static_cast<std::size_t>(mu) * p.N + i] * s[i];
      sum_sq += M[mu] * M[mu];
    }
  }
  std::int64_t delta_int(int i) const {
    std::int64_t h = 0;
    for (int mu = 0; mu < p.K; ++mu) h += p.pattern_major[static_cast<std::size_t>(mu) * p.N + i] * M[mu];
    return s[i] * h - p.K;
  }
  void flip(int i, std::int64_t x) {
    for (int mu = 0; mu < p.K; ++mu) M[mu] -= 2 * s[i] * p.pattern_major[static_cast<std::size_t>(mu) * p.N + i];
    sum_sq += -4 * (x + p.K) + 4 * p.K;
    s[i] = static_cast<std::int8_t>(-s[i]);
  }
  // One attempted flip at a random site, the engine's Metropolis rule. Returns 1 if accepted.
  int attempt(double beta, Rng& rng) {
    const int i = static_cast<int>(rng.below(static_cast<std::uint32_t>(p.N)));
    const std::int64_t x = delta_int(i);
    const double dE = unit * static_cast<double>(x);
    if (dE <= 0.0 || rng.uniform() < std::exp(-beta * dE)) {
      flip(i, x);
      return 1;
    }
    return 0;
  }
};

void BM_hopfield_b_scalar_overlaps(benchmark::State& state) {
  const double beta = state.range(0) ? kBetaLow : kBetaHigh;
  ScalarOverlaps m(patterns(), beta);
  Rng rng(5);
  std::int64_t flips = 0, accepted = 0;
  for (auto _ : state) {
    for (int k = 0; k < kN; ++k) accepted += m.attempt(beta, rng);
    flips += kN;
  }
  state.counters["flips/s"] = benchmark::Counter(static_cast<double>(flips), benchmark::Counter::kIsRate);
  state.counters["updates/s"] = benchmark::Counter(static_cast<double>(flips) * kK, benchmark::Counter::kIsRate);
  state.counters["acceptance"] = static_cast<double>(accepted) / static_cast<double>(flips);
}

// ---------------------------------------------------------------------------------------------------
// (c) The fast kernel. Acceptance thresholds exp(-β unit x) for 0 < x < kTable are computed on first
// use, with the very expression (b) evaluates, so decisions are bitwise those of std::exp.
class AcceptTable {
 public:
  static constexpr std::int64_t kTable = 1 << 14;
  AcceptTable(double beta, double unit) : beta_(beta), unit_(unit), t_(kTable, -1.0) {}
  double threshold(std::int64_t x) {
    if (x >= kTable) return std::exp(-beta_ * (unit_ * static_cast<double>(x)));
    double& t = t_[static_cast<std::size_t>(x)];
    if (t < 0) t = std::exp(-beta_ * (unit_ * static_cast<double>(x)));
    return t;
  }

 private:
  double beta_, unit_;
  std::vector<double> t_;
};

struct alignas(64) BitOverlaps {
  static constexpr int kWords = kK / 64;
  const Patterns& p;
  std::vector<std::int8_t> s;
  alignas(64) std::int32_t M[kK];
  std::int64_t Mtot = 0, sum_sq = 0;
  double unit;

  BitOverlaps(const Patterns& pat, double beta) : p(pat), s(initial_spins(pat, beta, 99)), unit(2.0 / pat.N) {
    for (int mu = 0; mu < kK; ++mu) {
      std::int64_t m = 0;
      for (int i = 0; i < p.N; ++i) m += p.site_major[static_cast<std::size_t>(i) * kK + mu] * s[i];
      M[mu] = static_cast<std::int32_t>(m);
      Mtot += m;
      sum_sq += m * m;
    }
  }
  // With c_μ = 1 iff ξ^μ_i = -1: Σ_μ ξ^μ_i M_μ = Mtot - 2 Σ_{c=1} M_μ, one masked sum over the raw
  // pattern bits (16-bit masks loaded straight from the row), then x = σ_i (that) - K.
  std::int64_t delta_int(const std::uint16_t* row, int spin) const {
#if defined(__AVX512F__)
    __m512i a0 = _mm512_setzero_si512(), a1 = _mm512_setzero_si512();
    for (int c = 0; c < kK / 16; c += 2) {
      a0 = _mm512_mask_add_epi32(a0, _cvtu32_mask16(row[c]), a0, _mm512_load_si512(M + 16 * c));
      a1 = _mm512_mask_add_epi32(a1, _cvtu32_mask16(row[c + 1]), a1, _mm512_load_si512(M + 16 * c + 16));
    }
    const std::int64_t neg = _mm512_reduce_add_epi32(_mm512_add_epi32(a0, a1));
#else
    std::int64_t neg = 0;
    for (int mu = 0; mu < kK; ++mu) neg += ((row[mu / 16] >> (mu % 16)) & 1) ? M[mu] : 0;
#endif
    return spin * (Mtot - 2 * neg) - kK;
  }
  // M_μ -= 2 σ_i ξ^μ_i: -2σ where c = 0, +2σ where c = 1.
  void flip(int i, const std::uint16_t* row, std::int64_t x) {
    const int spin = s[i];
#if defined(__AVX512F__)
    const __m512i lo = _mm512_set1_epi32(-2 * spin), hi = _mm512_set1_epi32(2 * spin);
    for (int c = 0; c < kK / 16; ++c) {
      std::int32_t* q = M + 16 * c;
      const __m512i d = _mm512_mask_blend_epi32(_cvtu32_mask16(row[c]), lo, hi);
      _mm512_store_si512(q, _mm512_add_epi32(_mm512_load_si512(q), d));
    }
#else
    for (int mu = 0; mu < kK; ++mu) M[mu] += ((row[mu / 16] >> (mu % 16)) & 1) ? 2 * spin : -2 * spin;
#endif
    int ones = 0;
    for (int w = 0; w < kWords; ++w) ones += __builtin_popcountll(reinterpret_cast<const std::uint64_t*>(row)[w]);
    Mtot += -2 * spin * (kK - 2 * ones);
    sum_sq += -4 * x;  // Σ (M - 2σξ)² - M² = -4 σ Σ ξ M + 4K = -4x
    s[i] = static_cast<std::int8_t>(-spin);
  }
  const std::uint16_t* row_of(int i) const {
    return reinterpret_cast<const std::uint16_t*>(&p.bits[static_cast<std::size_t>(i) * kWords]);
  }
  int attempt(AcceptTable& table, Rng& rng) {
    const int i = static_cast<int>(rng.below(static_cast<std::uint32_t>(p.N)));
    const std::uint16_t* row = row_of(i);
    const std::int64_t x = delta_int(row, s[i]);
    if (x <= 0 || rng.uniform() < table.threshold(x)) {
      flip(i, row, x);
      return 1;
    }
    return 0;
  }
};

// (b) and (c) must take the same decisions from the same stream: run both for a few sweeps.
bool same_trajectory(double beta) {
  ScalarOverlaps b(patterns(), beta);
  auto c = std::make_unique<BitOverlaps>(patterns(), beta);
  AcceptTable table(beta, c->unit);
  Rng rb(77), rc(77);
  for (int k = 0; k < 3 * kN; ++k)
    if (b.attempt(beta, rb) != c->attempt(table, rc)) return false;
  return b.s == c->s && b.sum_sq == c->sum_sq && rb == rc;
}

void BM_hopfield_c_bitpacked(benchmark::State& state) {
  const double beta = state.range(0) ? kBetaLow : kBetaHigh;
  if (!same_trajectory(beta)) {
    state.SkipWithError("fast kernel and scalar loop disagree");
    return;
  }
  auto m = std::make_unique<BitOverlaps>(patterns(), beta);
  AcceptTable table(beta, m->unit);
  Rng rng(5);
  std::int64_t flips = 0, accepted = 0;
  for (auto _ : state) {
    for (int k = 0; k < kN; ++k) accepted += m->attempt(table, rng);
    flips += kN;
  }
  state.counters["flips/s"] = benchmark::Counter(static_cast<double>(flips), benchmark::Counter::kIsRate);
  state.counters["updates/s"] = benchmark::Counter(static_cast<double>(flips) * kK, benchmark::Counter::kIsRate);
  state.counters["acceptance"] = static_cast<double>(accepted) / static_cast<double>(flips);
}

// (c-R): R replicas (temperatures) of one disorder sample visit the same random site; its pattern row
// is read once and each replica decides with its own stream. flips/s counts every replica's attempt.
void BM_hopfield_c_replicas(benchmark::State& state) {
  const double beta = state.range(0) ? kBetaLow : kBetaHigh;
  const int R = static_cast<int>(state.range(1));
  std::vector<std::unique_ptr<BitOverlaps>> reps;
  std::vector<AcceptTable> tables;
  std::vector<Rng> rngs;
  for (int r = 0; r < R; ++r) {
    const double br = beta * (1.0 + 0.02 * r);  // a ladder of nearby temperatures
    reps.push_back(std::make_unique<BitOverlaps>(patterns(), br));
    tables.emplace_back(br, reps.back()->unit);
    rngs.emplace_back(100 + r);
  }
  Rng site_rng(3);
  std::int64_t flips = 0, accepted = 0;
  for (auto _ : state) {
    for (int k = 0; k < kN; ++k) {
      const int i = static_cast<int>(site_rng.below(kN));
      const std::uint16_t* row = reps[0]->row_of(i);
      for (int r = 0; r < R; ++r) {
        BitOverlaps& m = *reps[r];
        const std::int64_t x = m.delta_int(row, m.s[i]);
        if (x <= 0 || rngs[r].uniform() < tables[r].threshold(x)) {
          m.flip(i, row, x);
          ++accepted;
        }
      }
    }
    flips += static_cast<std::int64_t>(kN) * R;
  }
  state.counters["flips/s"] = benchmark::Counter(static_cast<double>(flips), benchmark::Counter::kIsRate);
  state.counters["updates/s"] = benchmark::Counter(static_cast<double>(flips) * kK, benchmark::Counter::kIsRate);
  state.counters["acceptance"] = static_cast<double>(accepted) / static_cast<double>(flips);
}

// (c) behind the model interface the engine drives (size, delta_energy as a double, flip), swept by
// engine/sweep/dynamics.hpp's sweep() (std::exp acceptance) or engine/sweep/fast_sweep.hpp's (exact, exp-free in
// the common case): what the engine loop costs on top of the kernel.
struct EngineBits {
  std::unique_ptr<BitOverlaps> m;
  int size() const { return kN; }
  double delta_energy(int i) const { return m->unit * static_cast<double>(m->delta_int(m->row_of(i), m->s[i])); }
  void flip(int i) { m->flip(i, m->row_of(i), m->delta_int(m->row_of(i), m->s[i])); }
};
struct EngineBitsFast : EngineBits {
  static constexpr ptmc::ModelFeatures features{.fast_sweep = true};
};

template <class W>
void engine_sweeps(benchmark::State& state) {
  const double beta = state.range(0) ? kBetaLow : kBetaHigh;
  W w{{std::make_unique<BitOverlaps>(patterns(), beta)}};
  Rng rng(5);
  std::int64_t flips = 0, accepted = 0;
  for (auto _ : state) {
    accepted += ptmc::sweep(w, beta, ptmc::Dynamics::metropolis, ptmc::SweepOrder::random, rng);
    flips += kN;
  }
  state.counters["flips/s"] = benchmark::Counter(static_cast<double>(flips), benchmark::Counter::kIsRate);
  state.counters["updates/s"] = benchmark::Counter(static_cast<double>(flips) * kK, benchmark::Counter::kIsRate);
  state.counters["acceptance"] = static_cast<double>(accepted) / static_cast<double>(flips);
}
void BM_hopfield_c_engine_sweep(benchmark::State& state) { engine_sweeps<EngineBits>(state); }
void BM_hopfield_c_engine_fast_sweep(benchmark::State& state) { engine_sweeps<EngineBitsFast>(state); }

// Arg 1 = low acceptance (β = 3, retrieval), 0 = moderate acceptance (β = 1.25, from random).
BENCHMARK(BM_hopfield_a_coupling_glauber)->ArgName("low_acc")->Arg(1)->Arg(0)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_hopfield_b_scalar_overlaps)->ArgName("low_acc")->Arg(1)->Arg(0)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_hopfield_c_bitpacked)->ArgName("low_acc")->Arg(1)->Arg(0)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_hopfield_c_engine_sweep)->ArgName("low_acc")->Arg(1)->Arg(0)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_hopfield_c_engine_fast_sweep)->ArgName("low_acc")->Arg(1)->Arg(0)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_hopfield_c_replicas)
    ->ArgNames({"low_acc", "R"})
    ->Args({1, 1})
    ->Args({1, 4})
    ->Args({1, 8})
    ->Args({0, 4})
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
