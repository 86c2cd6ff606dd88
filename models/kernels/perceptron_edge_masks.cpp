#include "models/kernels/perceptron_edge_masks.hpp"

#include <algorithm>

namespace ptmc {

void PerceptronEdgeMasks::rebuild(std::span<const std::int32_t> s, int words, std::int32_t t) {
  const std::size_t P = s.size();
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

void PerceptronEdgeMasks::flip(const std::int8_t* z, std::int32_t* s, std::size_t P, int sigma, std::int32_t t) {
  const std::int32_t two = 2 * sigma;
  std::size_t mu = 0;
#if defined(__AVX512F__) && defined(__AVX512BW__)
  // 16 constraints per step: 16 stabilities and a 16-bit piece of each mask. Each mask bit is one
  // unsigned compare, t < v ≤ t+2 ⟺ (unsigned)(v - t - 1) ≤ 1 and t-2 < v ≤ t ⟺ (unsigned)(v - t + 1)
  // ≤ 1, independent of the other (rather than a compare, a mask negation and a masked compare): N =
  // 1001, α = 1, fastest of 12 sweeps (bench_acceptance) 127 -> 103 µs at 96 % acceptance, 75 -> 61 µs
  // at 45 %. Four steps per 64-bit word stored whole (mask unpacks) were slower: 172 µs at 80 %.
  using u16 = std::uint16_t __attribute__((may_alias));
  auto* satisfied16 = reinterpret_cast<u16*>(satisfied_edge.data());
  auto* violated16 = reinterpret_cast<u16*>(violated_edge.data());
  const __m512i t_above = _mm512_set1_epi32(t + 1), t_below = _mm512_set1_epi32(t - 1), one = _mm512_set1_epi32(1);
  for (; mu + 16 <= P; mu += 16) {
    const __m512i z2 = _mm512_slli_epi32(_mm512_cvtepi8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(z + mu))), 1);
    const __m512i old = _mm512_loadu_si512(s + mu);
    const __m512i v = two > 0 ? _mm512_sub_epi32(old, z2) : _mm512_add_epi32(old, z2);
    _mm512_storeu_si512(s + mu, v);
    satisfied16[mu / 16] = static_cast<std::uint16_t>(_mm512_cmple_epu32_mask(_mm512_sub_epi32(v, t_above), one));
    violated16[mu / 16] = static_cast<std::uint16_t>(_mm512_cmple_epu32_mask(_mm512_sub_epi32(v, t_below), one));
  }
#endif
  for (std::size_t k = mu; k < P; ++k) s[k] -= two * z[k];
  for (std::size_t k = mu; k < P; ++k) {
    const std::uint64_t bit = std::uint64_t{1} << (k % 64);
    const std::int32_t v = s[k];
    satisfied_edge[k / 64] = (satisfied_edge[k / 64] & ~bit) | (v > t && v <= t + 2 ? bit : 0);
    violated_edge[k / 64] = (violated_edge[k / 64] & ~bit) | (v > t - 2 && v <= t ? bit : 0);
  }
}

}  // namespace ptmc
