// Multitasking channels (more than 16) whose overlaps fit int16: U_c = Σ_i w_ci σ_i held as int16, 32
// channels per vector, ΔE's Σ_c w_ci U_c as pairwise int16 products summed in int32 lanes (vpmaddwd)
// and the flip U_c -= 2 σ_i w_ci as one multiply and one add per 32 channels, where the int64 form
// (channel_overlaps.hpp, kInt32Overlaps) takes 8 channels per step. Exact when every |U_c| < 2^15 and
// every site's Σ_c |w_ci| |U_c| < 2^31 (Multitasking::Disorder::overlaps_fit_int16).
#pragma once
#include <cstddef>
#include <cstdint>

#include "engine/sweep/simd.hpp"

namespace ptmc::kernels {

// Channels padded to whole vectors of 32 int16 (the overlaps' storage; the padding stays 0).
inline constexpr int padded_channels(int channels) { return (channels + 31) / 32 * 32; }

// Σ_c a_c b_c over `channels` int16 entries, in int32 (no partial sum may overflow it); the last
// vector of each is a masked load, so neither is read past `channels`.
inline std::int64_t two_byte_dot(const std::int16_t* a, const std::int16_t* b, int channels) {
#if defined(__AVX512BW__)
  __m512i sum = _mm512_setzero_si512();
  int c = 0;
  for (; c + 32 <= channels; c += 32) sum = _mm512_add_epi32(sum, _mm512_madd_epi16(_mm512_loadu_si512(a + c), _mm512_loadu_si512(b + c)));
  if (c < channels) {
    const __mmask32 left = _cvtu32_mask32((std::uint32_t{1} << (channels - c)) - 1);
    sum = _mm512_add_epi32(sum, _mm512_madd_epi16(_mm512_maskz_loadu_epi16(left, a + c), _mm512_maskz_loadu_epi16(left, b + c)));
  }
  return _mm512_reduce_add_epi32(sum);
#else
  std::int64_t s = 0;
  for (int c = 0; c < channels; ++c) s += static_cast<std::int64_t>(a[c]) * b[c];
  return s;
#endif
}

// U_c += step × w_c over `channels` (U padded to whole vectors; the padding gets step × 0).
inline void two_byte_step(std::int16_t* U, const std::int16_t* w, int step, int channels) {
#if defined(__AVX512BW__)
  const __m512i by = _mm512_set1_epi16(static_cast<short>(step));
  int c = 0;
  for (; c + 32 <= channels; c += 32)
    _mm512_storeu_si512(U + c, _mm512_add_epi16(_mm512_loadu_si512(U + c), _mm512_mullo_epi16(_mm512_loadu_si512(w + c), by)));
  if (c < channels) {
    const __mmask32 left = _cvtu32_mask32((std::uint32_t{1} << (channels - c)) - 1);
    _mm512_storeu_si512(U + c, _mm512_add_epi16(_mm512_loadu_si512(U + c), _mm512_mullo_epi16(_mm512_maskz_loadu_epi16(left, w + c), by)));
  }
#else
  for (int c = 0; c < channels; ++c) U[c] = static_cast<std::int16_t>(U[c] + step * w[c]);
#endif
}

// ΔE units of site i, σ_i Σ_c w_ci U_c - Σ_c w_ci², for the sweep loop (as ChannelOverlapKernel).
struct TwoByteChannelKernel {
  const std::int16_t* w;  // [i * channels + c]
  const std::int16_t* U;  // padded_channels(channels)
  const std::int8_t* spins;
  const std::int64_t* w2_site;
  int channels;
  [[gnu::always_inline]] std::int64_t operator()(int i) const {
    const auto at = static_cast<std::size_t>(i);
    return spins[at] * two_byte_dot(w + at * static_cast<std::size_t>(channels), U, channels) - w2_site[at];
  }
};

}  // namespace ptmc::kernels
