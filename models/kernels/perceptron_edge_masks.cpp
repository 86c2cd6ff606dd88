#include "models/kernels/perceptron_edge_masks.hpp"

#include <algorithm>

namespace ptmc {

void PerceptronEdgeMasks::rebuild(std::span<const std::int32_t> s, int words, std::int32_t t, int N) {
  const std::size_t P = s.size();
  if (N <= kNarrowMaxN) narrow.assign(s.begin(), s.end());
  else narrow.clear();
  satisfied_edge.assign(static_cast<std::size_t>(words), 0);
  violated_edge.assign(static_cast<std::size_t>(words), 0);
  for (std::size_t w = 0; w * 64 < P; ++w) {
    std::uint64_t satisfied = 0, violated = 0;
    const std::size_t end = std::min(P, w * 64 + 64);
    for (std::size_t mu = w * 64; mu < end; ++mu) {
      const std::int32_t v = s[mu];
      satisfied |= static_cast<std::uint64_t>(v > t && v <= t + 2) << (mu % 64);
      violated |= static_cast<std::uint64_t>(v > t - 2 && v <= t) << (mu % 64);
    }
    satisfied_edge[w] = satisfied;
    violated_edge[w] = violated;
  }
}

template <class S>
void PerceptronEdgeMasks::flip_tail(const std::int8_t* z, S* s, std::size_t from, std::size_t P, int sigma, std::int32_t t) {
  for (std::size_t k = from; k < P; ++k) {
    s[k] = static_cast<S>(s[k] - 2 * sigma * z[k]);
    const std::uint64_t bit = std::uint64_t{1} << (k % 64);
    const std::int32_t v = s[k];
    satisfied_edge[k / 64] = (satisfied_edge[k / 64] & ~bit) | (v > t && v <= t + 2 ? bit : 0);
    violated_edge[k / 64] = (violated_edge[k / 64] & ~bit) | (v > t - 2 && v <= t ? bit : 0);
  }
}

void PerceptronEdgeMasks::flip(const std::int8_t* z, const std::uint64_t* sign_bits, std::int32_t* s, std::size_t P, int sigma,
                               std::int32_t t) {
  std::size_t mu = 0;
#if defined(__AVX512F__) && defined(__AVX512BW__)
  // Each mask bit is one unsigned compare, t < v ≤ t+2 ⟺ (unsigned)(v - t - 1) ≤ 1 and t-2 < v ≤ t ⟺
  // (unsigned)(v - t + 1) ≤ 1, independent of the other (rather than a compare, a mask negation and a
  // masked compare): N = 1001, α = 1, fastest of 12 sweeps (bench_acceptance) 127 -> 103 µs at 96 %
  // acceptance, 75 -> 61 µs at 45 %. Four steps per 64-bit word stored whole (mask unpacks) were
  // slower: 172 µs at 80 %.
  if (!narrow.empty()) {
    // int16: 32 constraints per step, a 32-bit piece of each mask. N = 1001, α = 1, µs per sweep int32 /
    // int16 (bench_acceptance, interleaved, three rounds): 96 % acceptance 112-116 / 83-85, 62 % 82-84 /
    // 69-71, 32 % 48.5-50 / 40-41, 5 % 10.0-10.5 / 8.7-9.1, 0.002 % 2.53-2.57 / 2.60-2.68.
    // The steps -2 σ z from the sign bits (bit set: z = -1), 4 bytes per 32 constraints, rather than
    // from the int8 row, 32 bytes widened and shifted: N = 1001, α = 1, flips/s (bench_acceptance, best
    // of 3 interleaved) at 96 % acceptance 16.8 -> 19.1 M, at 32 % 33.2 -> 35.7 M.
    using u32 = std::uint32_t __attribute__((may_alias));
    auto* satisfied32 = reinterpret_cast<u32*>(satisfied_edge.data());
    auto* violated32 = reinterpret_cast<u32*>(violated_edge.data());
    const auto* bits32 = reinterpret_cast<const u32*>(sign_bits);
    std::int16_t* s16 = narrow.data();
    const __m512i t_above = _mm512_set1_epi16(static_cast<short>(t + 1)), t_below = _mm512_set1_epi16(static_cast<short>(t - 1));
    const __m512i one = _mm512_set1_epi16(1);
    const __m512i down = _mm512_set1_epi16(static_cast<short>(-2 * sigma)), up = _mm512_set1_epi16(static_cast<short>(2 * sigma));
    for (; mu + 32 <= P; mu += 32) {
      const __m512i v = _mm512_add_epi16(_mm512_loadu_si512(s16 + mu), _mm512_mask_blend_epi16(_cvtu32_mask32(bits32[mu / 32]), down, up));
      _mm512_storeu_si512(s16 + mu, v);
      satisfied32[mu / 32] = _mm512_cmple_epu16_mask(_mm512_sub_epi16(v, t_above), one);
      violated32[mu / 32] = _mm512_cmple_epu16_mask(_mm512_sub_epi16(v, t_below), one);
    }
    // The last P mod 32 constraints as one masked step (loads and stores of the lanes below P only;
    // the mask bits beyond P written as 0), not one by one: N = 1001, α = 1 (9 left), flips/s
    // (bench_acceptance, best of 3 interleaved) at 96 % acceptance 11.3 -> 17.1 M, at 32 % 23.1 -> 32.2 M.
    if (mu < P) {
      const __mmask32 valid = _cvtu32_mask32((std::uint32_t{1} << (P - mu)) - 1);
      const __m512i v = _mm512_add_epi16(_mm512_maskz_loadu_epi16(valid, s16 + mu), _mm512_mask_blend_epi16(_cvtu32_mask32(bits32[mu / 32]), down, up));
      _mm512_mask_storeu_epi16(s16 + mu, valid, v);
      satisfied32[mu / 32] = _mm512_mask_cmple_epu16_mask(valid, _mm512_sub_epi16(v, t_above), one);
      violated32[mu / 32] = _mm512_mask_cmple_epu16_mask(valid, _mm512_sub_epi16(v, t_below), one);
    }
    return;
  }
  // int32: 16 constraints per step, a 16-bit piece of each mask.
  using u16 = std::uint16_t __attribute__((may_alias));
  auto* satisfied16 = reinterpret_cast<u16*>(satisfied_edge.data());
  auto* violated16 = reinterpret_cast<u16*>(violated_edge.data());
  const auto* bits16 = reinterpret_cast<const u16*>(sign_bits);
  const __m512i t_above = _mm512_set1_epi32(t + 1), t_below = _mm512_set1_epi32(t - 1), one = _mm512_set1_epi32(1);
  const __m512i down = _mm512_set1_epi32(-2 * sigma), up = _mm512_set1_epi32(2 * sigma);
  for (; mu + 16 <= P; mu += 16) {
    const __m512i v = _mm512_add_epi32(_mm512_loadu_si512(s + mu), _mm512_mask_blend_epi32(_cvtu32_mask16(bits16[mu / 16]), down, up));
    _mm512_storeu_si512(s + mu, v);
    satisfied16[mu / 16] = static_cast<std::uint16_t>(_mm512_cmple_epu32_mask(_mm512_sub_epi32(v, t_above), one));
    violated16[mu / 16] = static_cast<std::uint16_t>(_mm512_cmple_epu32_mask(_mm512_sub_epi32(v, t_below), one));
  }
  if (mu < P) {  // the last P mod 16 as one masked step, as above
    const __mmask16 valid = _cvtu32_mask16((1u << (P - mu)) - 1);
    const __m512i v = _mm512_add_epi32(_mm512_maskz_loadu_epi32(valid, s + mu), _mm512_mask_blend_epi32(_cvtu32_mask16(bits16[mu / 16]), down, up));
    _mm512_mask_storeu_epi32(s + mu, valid, v);
    satisfied16[mu / 16] = static_cast<std::uint16_t>(_mm512_mask_cmple_epu32_mask(valid, _mm512_sub_epi32(v, t_above), one));
    violated16[mu / 16] = static_cast<std::uint16_t>(_mm512_mask_cmple_epu32_mask(valid, _mm512_sub_epi32(v, t_below), one));
    mu = P;
  }
#endif
  (void)sign_bits;  // read only by the vector steps
  if (!narrow.empty()) flip_tail(z, narrow.data(), mu, P, sigma, t);
  else flip_tail(z, s, mu, P, sigma, t);
}

}  // namespace ptmc
