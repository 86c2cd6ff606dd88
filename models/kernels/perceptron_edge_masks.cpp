#include "models/kernels/perceptron_edge_masks.hpp"

#include <algorithm>

namespace ptmc {

void PerceptronEdgeMasks::rebuild(std::span<const std::int32_t> s, int words, std::int32_t t, int N) {
  const std::size_t P = s.size();
  const int B = PerceptronStabilityPlanes::planes_for(N, t);
  if (B > 0) planes.assign(s, words, t, B);
  else planes = PerceptronStabilityPlanes{};
  const auto padded = static_cast<std::size_t>(B > 0 ? planes.words : words);
  satisfied_edge.assign(padded, 0);
  violated_edge.assign(padded, 0);
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

void PerceptronEdgeMasks::flip_tail(const std::int8_t* z, std::int32_t* s, std::size_t from, std::size_t P, int sigma, std::int32_t t) {
  for (std::size_t k = from; k < P; ++k) {
    s[k] -= 2 * sigma * z[k];
    const std::uint64_t bit = std::uint64_t{1} << (k % 64);
    const std::int32_t v = s[k];
    satisfied_edge[k / 64] = (satisfied_edge[k / 64] & ~bit) | (v > t && v <= t + 2 ? bit : 0);
    violated_edge[k / 64] = (violated_edge[k / 64] & ~bit) | (v > t - 2 && v <= t ? bit : 0);
  }
}

std::int64_t PerceptronEdgeMasks::flip_stabilities(const std::int8_t* z, const std::uint64_t* sign_bits, std::int32_t* s, std::size_t P,
                                                   int sigma, std::int32_t t) {
  const auto row_words = static_cast<std::size_t>((P + 63) / 64);
  const std::int64_t change = perceptron_kernels::violated_count_change<0>(sign_bits, satisfied_edge.data(), violated_edge.data(), row_words,
                                                                           sigma < 0 ? ~std::uint64_t{0} : 0);
  std::size_t mu = 0;
#if defined(__AVX512F__) && defined(__AVX512BW__)
  // Each mask bit is one unsigned compare, t < v ≤ t+2 ⟺ (unsigned)(v - t - 1) ≤ 1 and t-2 < v ≤ t ⟺
  // (unsigned)(v - t + 1) ≤ 1, independent of the other (rather than a compare, a mask negation and a
  // masked compare): N = 1001, α = 1, fastest of 12 sweeps (bench_acceptance) 127 -> 103 µs at 96 %
  // acceptance, 75 -> 61 µs at 45 %. Four steps per 64-bit word stored whole (mask unpacks) were
  // slower: 172 µs at 80 %.
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
  flip_tail(z, s, mu, P, sigma, t);
  return change;
}

}  // namespace ptmc
