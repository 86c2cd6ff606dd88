// Dense Hebbian P = 2 (Hopfield) ΔE from the overlaps stored as int16, two bytes per channel, padded to
// groups of 128 channels: per 32 channels one masked add of int16 lanes under the site's bit row.
//
// What it stores: S_c as int16 (|S| ≤ N ≤ PackedPatternBits::kInt16MaxN), zeros beyond the C
// channels, and Σ_c S_c. For P = 2 the change of a channel is (S - 2x)² - S² = 4 - 4 x S exactly, at
// S = ±N too (x is then forced), so ΔE units = 4C - 4 σ_i (Σ_c S_c - 2 Σ_{c: w_ic = -1} S_c): no edge
// terms, and a flip only adds ±2 to the int16 lanes. What it bought: half the bytes of the int32
// overlaps, and the form kept where the one-byte offsets' centres would move often (moderate
// acceptance): per attempt bit row K/8 B + 2K B, K/64 × 3 ops; per flip 6K B, 14 K/64 ops
// (docs/performance.md). Hopfield N = 4096, K = 256, ns per attempt one byte / two bytes: 9.0 / 9.4 at
// 11 % acceptance, 14.0 / 12.1 at 18 % (kernels/int16_overlap_forms.cpp).
#pragma once
#include <cstdint>

#include "models/kernels/packed_pattern_bits.hpp"

namespace ptmc::kernels {

struct TwoByteOverlaps {
  AlignedVector<std::int16_t> overlaps;  // S_c, padded with zeros to the groups of 128
  std::int64_t sum = 0;                  // Σ_c S_c
  // ΔE units = by_spin[1 + σ_i] + 8 σ_i Σ_{c: w_ic = -1} S_c with by_spin[1 ± 1] = 4C ∓ 4 Σ_c S_c:
  // indexed by the spin itself (no compare).
  std::int64_t by_spin[3] = {};
  void refresh_by_spin(int C) {
    // Σ_c (4 - 4 x_c S_c) with x_c = w_ic σ_i: 4C - 4 σ_i Σ_c S_c + 8 σ_i Σ_{c: w_ic = -1} S_c.
    by_spin[2] = 4 * std::int64_t{C} - 4 * sum;  // σ_i = 1
    by_spin[0] = 4 * std::int64_t{C} + 4 * sum;  // σ_i = -1
  }
};

#if defined(__AVX512BW__)
// Site i's bit row: int16 rows fill whole groups of 128 channels (8 words per group), so with G known
// at compile time the address is a shift; a site is never negative, so i is zero-extended for free.
template <int G>
[[gnu::always_inline]] inline const std::uint16_t* site_row(const std::uint16_t* rows, std::size_t row_words, int i) {
  const std::size_t stride = G > 0 ? 8 * G : row_words;
  return rows + static_cast<std::uint32_t>(i) * stride;
}

// Σ_c v_c over the set bits c of a row, v int16 in groups of 128 channels (no remainder): per 32
// channels one masked add of int16 lanes (the row's 32 bits are the mask), into four accumulators that
// are widened to int32 every `flush` groups (flush max|v| < 2^15). G > 0: the group count is known at
// compile time and the loop disappears (G = 0: `groups` at run time).
template <int G>
[[gnu::always_inline]] inline std::int32_t masked_sum_words_groups(const std::uint16_t* row, const std::int16_t* v, int groups, int flush) {
  __m512i a0 = _mm512_setzero_si512(), a1 = a0, a2 = a0, a3 = a0, wide = a0;
  const int n = G > 0 ? G : groups;
  const auto add = [&](int g) __attribute__((always_inline)) {
    const std::uint16_t* r = row + 8 * g;
    const std::int16_t* x = v + 128 * g;
    a0 = _mm512_mask_add_epi16(a0, _cvtu32_mask32(mask32(r)), a0, _mm512_load_si512(x));
    a1 = _mm512_mask_add_epi16(a1, _cvtu32_mask32(mask32(r + 2)), a1, _mm512_load_si512(x + 32));
    a2 = _mm512_mask_add_epi16(a2, _cvtu32_mask32(mask32(r + 4)), a2, _mm512_load_si512(x + 64));
    a3 = _mm512_mask_add_epi16(a3, _cvtu32_mask32(mask32(r + 6)), a3, _mm512_load_si512(x + 96));
  };
  const auto widen = [&] __attribute__((always_inline)) {  // a tree: it is on the attempt's latency path
    const __m512i one = _mm512_set1_epi16(1);
    wide = _mm512_add_epi32(wide, _mm512_add_epi32(_mm512_add_epi32(_mm512_madd_epi16(a0, one), _mm512_madd_epi16(a1, one)),
                                                   _mm512_add_epi32(_mm512_madd_epi16(a2, one), _mm512_madd_epi16(a3, one))));
  };
  if (n <= flush) {
    for (int g = 0; g < n; ++g) add(g);
    widen();
  } else {
    for (int g = 0, t = 0; g < n; ++g) {
      add(g);
      if (++t == flush || g + 1 == n) {
        widen();
        a0 = a1 = a2 = a3 = _mm512_setzero_si512();
        t = 0;
      }
    }
  }
  return _mm512_reduce_add_epi32(wide);
}

template <int G>
struct TwoByteKernel {  // ΔE units from the int16 overlaps, G groups (0: `groups`)
  const std::uint16_t* rows;
  std::size_t row_words;
  int groups, flush;
  const std::int16_t* overlaps;
  const std::int8_t* spins;
  const std::int64_t* by_spin;  // TwoByteOverlaps::by_spin + 1
  [[gnu::always_inline]] std::int64_t operator()(int i) const {
    const auto at = static_cast<std::uint32_t>(i);
    const std::int32_t sum = masked_sum_words_groups<G>(site_row<G>(rows, row_words, i), overlaps, groups, flush);
    const std::int64_t s = spins[at];
    return by_spin[s] + 8 * (s * sum);
  }
};
#endif

}  // namespace ptmc::kernels
