// The machine's limits, which every kernel's bound in docs/performance.md is computed from: streaming read
// bandwidth per cache level and from DRAM, random row reads (the access of a random-order sweep), the
// peak SIMD lane rate (float FMA, int8/int16/int32 adds) and the cost of one random number.
#include <benchmark/benchmark.h>
#include <immintrin.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "engine/sweep/rng.hpp"

namespace {

struct FreeDeleter {
  void operator()(void* p) const { std::free(p); }
};
using Buffer = std::unique_ptr<std::uint8_t, FreeDeleter>;

Buffer aligned_buffer(std::size_t bytes) {
  auto* p = static_cast<std::uint8_t*>(std::aligned_alloc(64, (bytes + 63) / 64 * 64));
  std::memset(p, 1, bytes);  // touch every page
  return Buffer(p);
}

#if defined(__AVX512F__)
using Vec = __m512i;
inline Vec vload(const std::uint8_t* p) { return _mm512_load_si512(p); }
inline Vec vadd64(Vec a, Vec b) { return _mm512_add_epi64(a, b); }
inline Vec vzero() { return _mm512_setzero_si512(); }
#else
using Vec = __m256i;
inline Vec vload(const std::uint8_t* p) { return _mm256_load_si256(reinterpret_cast<const __m256i*>(p)); }
inline Vec vadd64(Vec a, Vec b) { return _mm256_add_epi64(a, b); }
inline Vec vzero() { return _mm256_setzero_si256(); }
#endif
constexpr std::size_t kVec = sizeof(Vec);

// Streaming read of a working set of range(0) bytes, again and again: four independent sums of full
// vector loads, so the loads, not the adds, limit the rate. Bytes/s is the read bandwidth of the
// level the working set fits in (L1 32 KiB, L2 1 MiB per core, L3 32 MiB shared, DRAM beyond).
void BM_read_bandwidth(benchmark::State& state) {
  const auto bytes = static_cast<std::size_t>(state.range(0));
  Buffer buf = aligned_buffer(bytes);
  const std::uint8_t* p = buf.get();
  for (auto _ : state) {
    Vec a = vzero(), b = vzero(), c = vzero(), d = vzero();
    for (std::size_t k = 0; k < bytes; k += 4 * kVec) {
      a = vadd64(a, vload(p + k));
      b = vadd64(b, vload(p + k + kVec));
      c = vadd64(c, vload(p + k + 2 * kVec));
      d = vadd64(d, vload(p + k + 3 * kVec));
    }
    Vec s = vadd64(vadd64(a, b), vadd64(c, d));
    benchmark::DoNotOptimize(s);
  }
  state.counters["bytes/s"] = benchmark::Counter(static_cast<double>(bytes), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_read_bandwidth)
    ->ArgName("bytes")
    ->Arg(16 << 10)    // L1
    ->Arg(512 << 10)   // L2
    ->Arg(8 << 20)     // L3
    ->Arg(1 << 30)     // DRAM
    ->Unit(benchmark::kMillisecond);

// Random rows of range(1) bytes from a working set of range(0) bytes, row indices from xoshiro (as a
// random-order sweep picks its sites). Rows are independent, so the out-of-order core overlaps
// several misses: this is the rate a sweep that reads one random site's row per flip can reach.
void BM_random_rows(benchmark::State& state) {
  const auto bytes = static_cast<std::size_t>(state.range(0));
  const auto row = static_cast<std::size_t>(state.range(1));
  const auto rows = static_cast<std::uint32_t>(bytes / row);
  Buffer buf = aligned_buffer(bytes);
  const std::uint8_t* p = buf.get();
  ptmc::Rng rng(7);
  constexpr int kBatch = 1024;
  for (auto _ : state) {
    Vec s = vzero();
    for (int n = 0; n < kBatch; ++n) {
      const std::uint8_t* r = p + static_cast<std::size_t>(rng.below(rows)) * row;
      for (std::size_t k = 0; k < row; k += kVec) s = vadd64(s, vload(r + k));
    }
    benchmark::DoNotOptimize(s);
  }
  state.counters["rows/s"] = benchmark::Counter(kBatch, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["bytes/s"] = benchmark::Counter(static_cast<double>(kBatch * row), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_random_rows)
    ->ArgNames({"bytes", "row"})
    ->Args({16 << 10, 256})
    ->Args({512 << 10, 256})
    ->Args({1 << 20, 256})
    ->Args({8 << 20, 256})
    ->Args({1 << 30, 256})
    ->Args({1 << 30, 4096});

// Peak SIMD rates: twelve independent accumulator chains (enough to cover a 4-cycle FMA latency on
// two pipes) of the widest vector the build targets; the empty asm keeps them in registers and keeps
// the compiler from folding the loop. Counters are lane operations per second.
template <class V, class Op>
void peak(benchmark::State& state, Op op, double lanes_per_op, double ops_per_call = 1) {
  constexpr int kInner = 256;
  V x0{}, x1{}, x2{}, x3{}, x4{}, x5{}, x6{}, x7{}, x8{}, x9{}, x10{}, x11{};
  for (auto _ : state) {
    for (int k = 0; k < kInner; ++k) {
      x0 = op(x0); x1 = op(x1); x2 = op(x2); x3 = op(x3); x4 = op(x4); x5 = op(x5);
      x6 = op(x6); x7 = op(x7); x8 = op(x8); x9 = op(x9); x10 = op(x10); x11 = op(x11);
      asm volatile("" : "+v"(x0), "+v"(x1), "+v"(x2), "+v"(x3), "+v"(x4), "+v"(x5), "+v"(x6), "+v"(x7),
                   "+v"(x8), "+v"(x9), "+v"(x10), "+v"(x11));
    }
  }
  state.counters["ops/s"] = benchmark::Counter(12.0 * kInner * lanes_per_op, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["vector_ops/s"] = benchmark::Counter(12.0 * kInner * ops_per_call, benchmark::Counter::kIsIterationInvariantRate);
}

#if defined(__AVX512F__)
void BM_peak_fma_f32(benchmark::State& state) {
  const __m512 a = _mm512_set1_ps(0.999f), b = _mm512_set1_ps(1e-3f);
  peak<__m512>(state, [a, b](__m512 x) { return _mm512_fmadd_ps(x, a, b); }, 16);
}
void BM_peak_add_i8(benchmark::State& state) {
  const __m512i a = _mm512_set1_epi8(3);
  peak<__m512i>(state, [a](__m512i x) { return _mm512_add_epi8(x, a); }, 64);
}
void BM_peak_add_i32(benchmark::State& state) {
  const __m512i a = _mm512_set1_epi32(3);
  peak<__m512i>(state, [a](__m512i x) { return _mm512_add_epi32(x, a); }, 16);
}
#if defined(__AVX512VNNI__)
// int16 multiply-accumulate into int32 (vpdpwssd: 32 products per instruction): the Hebbian kernel's op.
void BM_peak_madd_i16(benchmark::State& state) {
  const __m512i a = _mm512_set1_epi16(3), b = _mm512_set1_epi16(-2);
  peak<__m512i>(state, [a, b](__m512i x) { return _mm512_dpwssd_epi32(x, a, b); }, 32);
}
BENCHMARK(BM_peak_madd_i16);
#endif
#if defined(__AVX512VNNI__) && defined(__GFNI__)
// The Hopfield kernel's two instructions (dense_hebbian P = 2): a byte multiply-add (vpdpbusd) and a
// GF(2) affine map (vgf2p8affineqb), one of each per call. Here they share one 512-bit issue per
// cycle (each alone runs at the same rate), half the rate of integer adds: vector_ops/s counts both.
void BM_peak_dot_gf2p8(benchmark::State& state) {
  const __m512i a = _mm512_set1_epi8(3), m = _mm512_set1_epi64(0x0102040810204080LL);
  peak<__m512i>(state, [a, m](__m512i x) { return _mm512_gf2p8affine_epi64_epi8(_mm512_dpbusd_epi32(x, a, a), m, 0); }, 64, 2);
}
BENCHMARK(BM_peak_dot_gf2p8);
#endif
#else
void BM_peak_fma_f32(benchmark::State& state) {
  const __m256 a = _mm256_set1_ps(0.999f), b = _mm256_set1_ps(1e-3f);
  peak<__m256>(state, [a, b](__m256 x) { return _mm256_fmadd_ps(x, a, b); }, 8);
}
void BM_peak_add_i8(benchmark::State& state) {
  const __m256i a = _mm256_set1_epi8(3);
  peak<__m256i>(state, [a](__m256i x) { return _mm256_add_epi8(x, a); }, 32);
}
void BM_peak_add_i32(benchmark::State& state) {
  const __m256i a = _mm256_set1_epi32(3);
  peak<__m256i>(state, [a](__m256i x) { return _mm256_add_epi32(x, a); }, 8);
}
#endif
BENCHMARK(BM_peak_fma_f32);
BENCHMARK(BM_peak_add_i8);
BENCHMARK(BM_peak_add_i32);

// One xoshiro256++ draw, used as a site index (below) and as a uniform: the floor under any
// random-order sweep (one or two draws per attempted flip).
void BM_rng(benchmark::State& state) {
  ptmc::Rng rng(11);
  constexpr int kBatch = 1024;
  for (auto _ : state) {
    std::uint64_t s = 0;
    double u = 0;
    for (int k = 0; k < kBatch; k += 2) {
      s += rng.below(4096);
      u += rng.uniform();
    }
    benchmark::DoNotOptimize(s);
    benchmark::DoNotOptimize(u);
  }
  state.counters["draws/s"] = benchmark::Counter(kBatch, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_rng);

}  // namespace

BENCHMARK_MAIN();
