// Multitasking ΔE and flip over C integer channel overlaps U_c = Σ_i w_ci σ_i (int16 weights, int64
// overlaps), unrolled when C ≤ kMaxUnrolledChannels is known at compile time. What it bought: the generic
// loops were auto-vectorised for large C, and at C = 4 their dispatch and remainder code cost more than
// the arithmetic. N = 4096, K = 4, d = 0.3, µs per sweep generic / unrolled (with the lookahead loop in
// its band; bench_acceptance): 99.8 % acceptance 105 / 43–54, 42 % 100 / 60–62, 0.8 % 27 / 11–12.
//
// Many channels (learning modes: K M examples) whose overlaps stay within ±2^31 (Σ_i |w_ci| < 2^31,
// Disorder::overlaps_fit_int32) take C = kInt32Overlaps: 8 channels per AVX-512 step, each product a
// 32 × 32 -> 64-bit multiply of the overlap's low half (one instruction) rather than the compiler's
// full 64-bit multiply. N = 4096, K = 4, M = 32 (128 channels), unsupervised, at 31 % acceptance
// (bench_models, three interleaved rounds, Intel Xeon host): 16.0-16.5 -> 27.7-29.2 M flips/s. More
// than 16 channels whose overlaps fit int16 go on to two_byte_channel_overlaps.hpp.
#pragma once
#include <cstddef>
#include <cstdint>

#include "engine/sweep/simd.hpp"

namespace ptmc::kernels {

inline constexpr int kMaxUnrolledChannels = 8;
inline constexpr int kInt32Overlaps = -1;  // C: counted at run time, every |U_c| < 2^31

#if defined(__AVX512F__)
// Eight int16 weights widened to int64 lanes.
[[gnu::always_inline]] inline __m512i widened_weights(const std::int16_t* w) {
  return _mm512_cvtepi16_epi64(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w)));
}
#endif

// Σ_c w_c U_c over `channels` (C > 0: that many, fixed at compile time).
template <int C>
[[gnu::always_inline]] inline std::int64_t channel_dot(const std::int16_t* w, const std::int64_t* U, int channels) {
  const int n = C > 0 ? C : channels;
  std::int64_t s = 0;
  int c = 0;
#if defined(__AVX512F__)
  if constexpr (C == kInt32Overlaps) {
    __m512i sum = _mm512_setzero_si512();
    for (; c + 8 <= n; c += 8)
      sum = _mm512_add_epi64(sum, _mm512_mul_epi32(widened_weights(w + c), _mm512_loadu_si512(U + c)));
    s = _mm512_reduce_add_epi64(sum);
  }
#endif
  for (; c < n; ++c) s += static_cast<std::int64_t>(w[c]) * U[c];
  return s;
}

// U_c += step × w_c over `channels` (kInt32Overlaps: |step| < 2^31).
template <int C>
[[gnu::always_inline]] inline void channel_step(std::int64_t* U, const std::int16_t* w, std::int64_t step, int channels) {
  const int n = C > 0 ? C : channels;
  int c = 0;
#if defined(__AVX512F__)
  if constexpr (C == kInt32Overlaps) {
    const __m512i by = _mm512_set1_epi64(step);
    for (; c + 8 <= n; c += 8)
      _mm512_storeu_si512(U + c, _mm512_add_epi64(_mm512_loadu_si512(U + c), _mm512_mul_epi32(widened_weights(w + c), by)));
  }
#endif
  for (; c < n; ++c) U[c] += step * w[c];
}

// ΔE units of site i, σ_i Σ_c w_ci U_c - Σ_c w_ci², for the sweep loop (C fixed, or 0 and
// kInt32Overlaps: `channels`).
template <int C>
struct ChannelOverlapKernel {
  const std::int16_t* w;  // [i * channels + c]
  const std::int64_t* U;
  const std::int8_t* spins;
  const std::int64_t* w2_site;
  int channels;
  [[gnu::always_inline]] std::int64_t operator()(int i) const {
    const auto at = static_cast<std::size_t>(i);
    return spins[at] * channel_dot<C>(w + at * static_cast<std::size_t>(C > 0 ? C : channels), U, channels) - w2_site[at];
  }
};

}  // namespace ptmc::kernels
