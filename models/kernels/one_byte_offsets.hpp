// Dense Hebbian P = 2 (Hopfield) ΔE from one signed byte per channel: the offset w_c = (S_c - R_c)/2 of
// each overlap from a centre R_c, summed under the site's bit row by one byte multiply-add per 64 channels.
//
// What it stores: the offsets w_c as bytes, per 64 channels in the order bits_to_bytes gives; the
// centres R_c ≡ S_c (mod 2) as int16 (padded with 0, like the two-byte overlaps), moved (recentred)
// whenever w_c would leave [-128, 127]; and per site base_i = Σ_{c: w_ic = -1} R_c, so that
// Σ_{c: w_ic = -1} S_c = 2 Σ w_c + base_i. It sits on top of the two-byte overlaps (a flip updates
// both). What it bought: one GF(2) transform of the row bits and one multiply-add per 64 channels
// instead of two masked int16 adds: at low acceptance (retrieval) Hopfield N = 4096, K = 256 runs at
// 1.8 % acceptance near its bound of 2.9-3.0 ns per attempt (docs/performance.md, "Worked examples"), and
// 5.4 against 6.6 ns per attempt for the two-byte form at 5 % acceptance (int16_overlap_forms.cpp).
// Dearer flips (7K B, 17 K/64 ops) and a pass over the sites when a centre moves.
#pragma once
#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

#include "models/kernels/two_byte_overlaps.hpp"

namespace ptmc::kernels {

struct OneByteOffsets {
  AlignedVector<std::int8_t> offsets;   // w_c = (S_c - R_c)/2
  AlignedVector<std::int16_t> centres;  // R_c, padded with 0
  std::vector<std::int32_t> base;       // [i] Σ_{c: w_ic = -1} R_c
};

// One block of 64 channels' V (v[0, 64)) split into bytes out[0, 128): lo ≡ V mod 256 in [-128, 128)
// and hi = (V - lo) / 256 (the high byte of V + 128), at byte 8q + b of each half for channel 8b + q
// (bits_to_bytes' order).
[[maybe_unused]] inline void split64(const std::int16_t* v, std::int8_t* out) {  // transposed_bytes without VBMI
  for (int c = 0; c < 64; ++c) {
    const int V = v[c], lo = static_cast<std::int8_t>(V & 0xff), at = 8 * (c % 8) + c / 8;
    out[at] = static_cast<std::int8_t>(lo);
    out[at + 64] = static_cast<std::int8_t>((V - lo) / 256);
  }
}

#if defined(__AVX512BW__)
// The 64 bits of m as bytes 0/`one` (1 or 2), transposed: byte 8q + b is bit 8b + q. Each byte of a
// broadcast sees only its own byte of m, so the byte at b of qword q takes bit q of byte b: one affine
// map over GF(2) per qword (GFNI), or a mask and a clamp.
template <int one = 1>
[[gnu::always_inline]] inline __m512i bits_to_bytes(const std::uint16_t* row) {
  static_assert(one == 1 || one == 2);
  std::uint64_t m;
  std::memcpy(&m, row, sizeof m);
  const __m512i x = _mm512_set1_epi64(static_cast<long long>(m));
#if defined(__GFNI__)
  // Matrix row 7 - k gives output bit k: bit k = log2(one) is input bit q, the others 0.
  constexpr int at = one == 1 ? 56 : 48;
  const __m512i pick = _mm512_set_epi64(0x80LL << at, 0x40LL << at, 0x20LL << at, 0x10LL << at, 0x08LL << at,
                                        0x04LL << at, 0x02LL << at, 0x01LL << at);
  return _mm512_gf2p8affine_epi64_epi8(x, pick, 0);
#else
  const __m512i bit = _mm512_set_epi64(0x8080808080808080LL, 0x4040404040404040LL, 0x2020202020202020LL,
                                       0x1010101010101010LL, 0x0808080808080808LL, 0x0404040404040404LL,
                                       0x0202020202020202LL, 0x0101010101010101LL);
  const __m512i b = _mm512_min_epu8(_mm512_and_si512(x, bit), _mm512_set1_epi8(1));
  return one == 1 ? b : _mm512_add_epi8(b, b);
#endif
}

// acc + the sums of four products of unsigned bytes x and signed bytes v, per int32 lane.
[[gnu::always_inline]] inline __m512i dot_bytes(__m512i acc, __m512i x, const std::int8_t* v) {
#if defined(__AVX512VNNI__)
  return _mm512_dpbusd_epi32(acc, x, _mm512_load_si512(v));
#else  // no saturation: |x v + x' v'| ≤ 512 (x ≤ 2)
  return _mm512_add_epi32(acc, _mm512_madd_epi16(_mm512_maddubs_epi16(x, _mm512_load_si512(v)), _mm512_set1_epi16(1)));
#endif
}

// 2 Σ_c w_c over the set bits c of a row: per 64 channels one transform of the row bits to bytes 0/2
// and one multiply-add. G > 0: the group count at compile time (G = 0: `groups` at run time).
template <int G>
[[gnu::always_inline]] inline std::int32_t masked_sum_bytes_groups(const std::uint16_t* row, const std::int8_t* w, int groups) {
  __m512i a0 = _mm512_setzero_si512(), a1 = _mm512_setzero_si512();
  const int n = G > 0 ? G : groups;
  for (int g = 0; g < n; ++g, row += 8, w += 128) {
    a0 = dot_bytes(a0, bits_to_bytes<2>(row), w);
    a1 = dot_bytes(a1, bits_to_bytes<2>(row + 4), w + 64);
  }
  return _mm512_reduce_add_epi32(_mm512_add_epi32(a0, a1));
}

// The low bytes of 64 int16 channels (v0: channels 0..31 of the block, v1: 32..63) in bits_to_bytes'
// order; `high`: the high bytes of V + 128 instead (VBMI: one byte permutation).
template <bool high>
[[gnu::always_inline]] inline __m512i transposed_bytes(__m512i v0, __m512i v1) {
#if defined(__AVX512VBMI__)
  alignas(64) static constexpr auto order = [] {  // byte 8q + b ← byte 2 (8b + q) (+ 1 for high) of the pair (v0, v1)
    std::array<std::int8_t, 64> o{};
    for (int q = 0; q < 8; ++q)
      for (int b = 0; b < 8; ++b) o[8 * q + b] = static_cast<std::int8_t>(2 * (8 * b + q) + high);
    return o;
  }();
  if constexpr (high) {
    const __m512i bias = _mm512_set1_epi16(128);
    v0 = _mm512_add_epi16(v0, bias);
    v1 = _mm512_add_epi16(v1, bias);
  }
  return _mm512_permutex2var_epi8(v0, _mm512_load_si512(order.data()), v1);
#else
  alignas(64) std::int16_t v[64];
  alignas(64) std::int8_t out[128];
  _mm512_store_si512(v, v0);
  _mm512_store_si512(v + 32, v1);
  split64(v, out);
  return _mm512_load_si512(out + (high ? 64 : 0));
#endif
}

template <int G>
struct OneByteKernel {  // ΔE units from the one-byte offsets, G groups (0: `groups`)
  const std::uint16_t* rows;
  std::size_t row_words;
  int groups;
  const std::int8_t* offsets;
  const std::int32_t* base;
  const std::int8_t* spins;
  const std::int64_t* by_spin;  // TwoByteOverlaps::by_spin + 1
  [[gnu::always_inline]] std::int64_t operator()(int i) const {
    const auto at = static_cast<std::uint32_t>(i);
    // Σ_{c: w_ic = -1} S_c = 2 Σ w_c + base_i (|·| ≤ K N < 2^31), times σ_i; by_spin[σ_i] (by_spin
    // points at the middle of TwoByteOverlaps::by_spin) is one indexed load.
    const std::int32_t sum = masked_sum_bytes_groups<G>(site_row<G>(rows, row_words, i), offsets, groups) + base[at];
    const std::int64_t s = spins[at];
    return by_spin[s] + 8 * (s * sum);
  }
};
#endif

}  // namespace ptmc::kernels
