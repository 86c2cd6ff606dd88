// The binary perceptron's near-threshold masks (binary inputs, count cost): a flip moves every
// integer stability s_μ by ±2, so constraint μ can change status only if s_μ is within 2 of the
// threshold t. Two bit masks, packed like PerceptronSignBits (bit μ%64 of word μ/64):
//   satisfied_edge: t < s_μ ≤ t+2, satisfied now and violated if s_μ drops by 2;
//   violated_edge:  t-2 < s_μ ≤ t, violated now and satisfied if s_μ rises by 2.
// A flip of σ_i moves s_μ by -2 σ_i z_{iμ}, so with y = the bits where σ_i z_{iμ} = -1 (s_μ rises),
//   ΔE = Δ(violated count) = popcount(satisfied_edge ∧ ¬y) - popcount(violated_edge ∧ y),
// O(P/64) words per attempt instead of P bytes; AVX-512 VPOPCNTDQ counts 8 words at a time, and a
// flip updates the stabilities as bit planes and the masks with them
// (perceptron_stability_planes.hpp). Measured (bench_models, storage, α = 1, one core): N = 1001 at β = 3 from 5.3 to 54.7 M attempted flips/s, N = 3001 from 1.5
// to 31.3 M, N = 10001 from 0.37 to 4.9 M; inline in the sweep loop (EdgeDeltaKernel) a further
// 49.8 -> 62 M, and as an integer ΔE for the integer rejection loop +55 % at N = 1001, low acceptance.
#pragma once
#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "engine/sweep/aligned_vector.hpp"
#include "engine/sweep/simd.hpp"
#include "models/kernels/perceptron_stability_planes.hpp"

namespace ptmc {

struct PerceptronEdgeMasks {
  // Padded to whole blocks of 8 words while the planes hold the stabilities (their flip writes blocks).
  AlignedVector<std::uint64_t> satisfied_edge, violated_edge;
  // The stabilities as bit planes while this path runs, where |s_μ - t - 1| fits 16 bits (every N up
  // to 32767 at κ = 0; otherwise the caller's int32 stabilities are updated in place). The caller's
  // int32 stabilities are then stale until to_stabilities().
  PerceptronStabilityPlanes planes;

  // The masks of the stabilities s (P of them, `words` words) against the threshold t, and the planes
  // where N and t allow them.
  void rebuild(std::span<const std::int32_t> s, int words, std::int32_t t, int N);
  // s_μ -= 2 σ_i z_{iμ} for every μ (z: site i's int8 row of P examples, sign_bits: the same row as
  // PerceptronSignBits, sigma = σ_i before the flip), in the planes if there are any, else in s, and
  // the masks of the new stabilities, in one pass. `violated` (the count of s_μ ≤ t) is kept up to
  // date without planes; with them it is stale and planes.violated() counts it.
  void flip(const std::int8_t* z, const std::uint64_t* sign_bits, std::int32_t* s, std::size_t P, int sigma, std::int32_t t, std::int64_t& violated) {
    // The planes against int16 stabilities with compares into mask registers (N = 1001, α = 1,
    // bench_acceptance, best of 2 interleaved): 96 % acceptance 16.3 -> 29.2 M flips/s, 62 % 18.1 ->
    // 30.6 M, 32 % 30.2 -> 48.7 M, 14 % 61.6 -> 87.1 M, 1.7 % 179 -> 194 M; below 0.1 % unchanged
    // within 2 %.
    if (planes.planes > 0) planes.flip(sign_bits, static_cast<int>((P + 63) / 64), sigma, satisfied_edge.data(), violated_edge.data());
    else violated += flip_stabilities(z, sign_bits, s, P, sigma, t);
  }
  // The count of s_μ ≤ t, given the one flip() kept (`kept`, stale where the planes hold the stabilities).
  std::int64_t violated(std::int64_t kept) const { return planes.planes > 0 ? planes.violated() : kept; }
  // flip() without planes: the int32 stabilities in place (|s - t - 1| beyond 16 bits); returns the
  // change of the violated count.
  std::int64_t flip_stabilities(const std::int8_t* z, const std::uint64_t* sign_bits, std::int32_t* s, std::size_t P, int sigma, std::int32_t t);
  // The planes written back into s (for a checkpoint or a reader of the stabilities).
  void to_stabilities(std::span<std::int32_t> s) const {
    if (planes.planes > 0) planes.read(s);
  }

 private:
  // Constraints from..P-1 one at a time (the int32 path's tail, or all of them without AVX-512).
  void flip_tail(const std::int8_t* z, std::int32_t* s, std::size_t from, std::size_t P, int sigma, std::int32_t t);
};

namespace perceptron_kernels {

// Σ_w popcount(satisfied_w ∧ ¬y_w) - popcount(violated_w ∧ y_w), y = z ^ negate: the change of the
// violated count when the site with sign-bit row z flips (negate: all ones iff σ_i = -1). B > 0: exactly
// B blocks of 8 words, known at compile time (B = 0: `words` at run time).
template <int B>
[[gnu::always_inline]] inline std::int64_t violated_count_change(const std::uint64_t* z, const std::uint64_t* satisfied,
                                                                 const std::uint64_t* violated, std::size_t words,
                                                                 std::uint64_t negate) {
  std::int64_t change = 0;
  std::size_t w = 0;
#if defined(__AVX512F__) && defined(__AVX512VPOPCNTDQ__)
  const std::size_t n = B > 0 ? 8 * B : words;
  const __m512i neg = _mm512_set1_epi64(static_cast<long long>(negate));
  __m512i acc = _mm512_setzero_si512();
  for (; w + 8 <= n; w += 8) {
    const __m512i rises = _mm512_xor_si512(_mm512_loadu_si512(z + w), neg);
    const __m512i breaks = _mm512_andnot_si512(rises, _mm512_loadu_si512(satisfied + w));
    const __m512i heals = _mm512_and_si512(rises, _mm512_loadu_si512(violated + w));
    acc = _mm512_add_epi64(acc, _mm512_sub_epi64(_mm512_popcnt_epi64(breaks), _mm512_popcnt_epi64(heals)));
  }
  change = _mm512_reduce_add_epi64(acc);
  if constexpr (B > 0) return change;
#endif
  for (; w < words; ++w) {
    const std::uint64_t rises = z[w] ^ negate;
    change += std::popcount(satisfied[w] & ~rises) - std::popcount(violated[w] & rises);
  }
  return change;
}

// The sweep loop's ΔE functor on the edge-mask path, as R (the change of the violated count): holds
// the addresses it reads, so the loop keeps them in registers across attempts.
template <int B, class R>
struct EdgeDeltaKernel {
  const std::uint64_t* sign_bits;
  std::size_t words;
  const std::uint64_t* satisfied;
  const std::uint64_t* violated;
  const std::int8_t* spins;
  [[gnu::always_inline]] R operator()(int i) const {
    const std::uint64_t negate = spins[i] < 0 ? ~std::uint64_t{0} : 0;  // bit set iff y_μ = -1
    return static_cast<R>(
        violated_count_change<B>(sign_bits + static_cast<std::size_t>(i) * words, satisfied, violated, words, negate));
  }
};

}  // namespace perceptron_kernels
}  // namespace ptmc
