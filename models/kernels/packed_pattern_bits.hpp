// Dense Hebbian ΔE as an exact integer: each site's row of channel signs stored as bits (bit c set iff
// w_ic = -1), the energy steps as integer tables, and one masked sum of int32 lanes per attempt.
//
// What it stores. With Z = P! e_P (or S^P with self-interactions) the integer energy of a ±1 channel
// without zeros at overlap S, the energy of a channel is unit · Z(S). At k = (S + N)/2 the tables
// hold G = Z(S+2) - Z(S-2) and H = Z(S+2) + Z(S-2) - 2 Z(S) (the unused side is 0 at S = ±N). With
// x_c = w_ic σ_i a flip changes channel c by (H_c - x_c G_c)/2 units, so ΔE = unit (Σ_c H_c - σ_i
// (Σ_c G_c - 2 Σ_{c: w_ic = -1} G_c))/2: the walker keeps Σ G and Σ H, and an attempt is one masked
// sum over the site's bit row (AVX-512 masked adds of int32 lanes). For P = 2, G = 8S inside, so the
// sum runs over the overlaps themselves (no G array), with a short list of channels at S = ±N. For
// P = 3 and 4 a flip computes G, H (or H alone) from their integer polynomials in k rather than
// gathering them, and the energy comes from power sums of k (step_odd_poly, channel_poly).
// What it bought: exact integer ΔE, which lets the sweep decide from a table of integer thresholds
// (engine/sweep/fast_sweep.hpp) and split the patterns over ranks bit for bit; the P > 2 cost per attempt is
// bit row C/8 B + int32 G 4C B, C/16 × 2 ops (docs/performance.md, "Cost per attempted flip").
// The P = 2 channels that fit int16 go on to kernels/two_byte_overlaps.hpp and one_byte_offsets.hpp.
#pragma once
#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "engine/sweep/aligned_vector.hpp"
#include "engine/sweep/simd.hpp"

namespace ptmc {

namespace kernels {

// The layout shared by every walker of one disorder sample (empty, false, where the channels have
// zeros or the integers do not fit: N^P < 2^60, |G|, |H| < 2^31, C max|G|, C max|H| < 2^62).
struct PackedPatternBits {
  bool present = false;
  explicit operator bool() const { return present; }
  int row_words = 0;              // 16-bit words per site row (even: rows also read as 32-bit masks)
  int flush_words = 0;            // words summed in int32 lanes before widening (no overflow)
  bool sums_fit_int32 = false;    // C max|G| < 2^31: no widening at all
  bool quadratic = false;         // P = 2: G = 8S inside, so ΔE sums S itself (no G array)
  // P = 2 with N ≤ kInt16MaxN and C (2N + 128) < 2^31: the overlaps fit int16 (two_byte_overlaps.hpp),
  // padded with zeros to `groups` of 128 channels; a row then fills whole groups (8 words each) and
  // is read past its end into the next row's bits (negative_bits has 8 words of slack), times S = 0.
  static constexpr int kInt16MaxN = 127 * 256 + 127;
  bool int16_overlaps = false;
  int groups = 0;
  int int16_flush_groups = 0;     // groups summed in int16 lanes before widening (flush N < 2^15)
  double unit = 0;                // energy per integer unit
  std::vector<std::uint16_t> negative_bits;   // bit j of [i * row_words + b] set iff w_{i, 16b + j} = -1
  std::vector<std::int32_t> negatives;        // [i] bits set in site i's row
  std::vector<std::int32_t> step_odd, step_even;  // G and H at k = (S + N)/2
  // G and H inside (0 < k < N) are polynomials in k with integer coefficients (Z is one, of degree
  // P), of degree P - 1 and P - 2; here their coefficients mod 2^32, lowest first. Evaluated in
  // wrapping int32 lanes they give the tables' values exactly (|G|, |H| < 2^31; checked against the
  // tables at every k when built). A flip multiplies where it gathered from the tables: G for P = 3,
  // H for P = 3 and 4 (empty elsewhere). Ladders of 16 temperatures, one core: P = 3 (N = 1000,
  // K = 2000, 64 % acceptance) 1.8-1.9 -> 2.6 M flips/s; P = 4 (N = 400, K = 1000, 91 %) 2.2 -> 2.5 M
  // with H alone (its G by polynomial, three multiplies of 10 cycles' latency, lost 4 %).
  std::vector<std::uint32_t> step_odd_poly, step_even_poly;
  int sum_flush = 1;  // polynomial values a flip sums in one int32 lane before widening (no overflow)
  // Exact energies (Σ_c |Z| < 2^62 for all K patterns): energy = unit · Σ_c Z(S_c).
  bool exact = false;
  std::vector<std::int64_t> channel_units;    // Z at k = (S + N)/2
  // Exact, P = 3 or 4, N < 2^16: Z as a polynomial in k, coefficients mod 2^64, lowest first (checked against
  // channel_units at every k), so that Σ_c Z(k_c) is read from the power sums of k (channel_units_sum).
  std::vector<std::uint64_t> channel_poly;

  const std::uint16_t* row(int i) const { return &negative_bits[static_cast<std::size_t>(i) * row_words]; }
};

// The layout for C channels w (site-major, N × C, entries ±1), energy coef · e_P (or coef · S^P with
// `self`); `all_channels`: the count the limits are checked for (all K patterns where this instance
// holds a slice, so that a slice takes the same path as the whole).
PackedPatternBits build_packed_pattern_bits(int N, int P, bool self, int C, long all_channels, long double coef,
                                            std::span<const std::int8_t> w);

// Σ_j v_j over the set bits j of the 16-bit row masks; `fit_int32`: every partial sum fits in int32,
// else int32 lanes are widened every `flush` words (each lane then holds at most flush/2 terms).
inline std::int64_t masked_sum(const std::uint16_t* row, const std::int32_t* v, int words, bool fit_int32, int flush) {
  std::int64_t sum = 0;
#if defined(__AVX512F__)
  if (fit_int32) {
    __m512i a0 = _mm512_setzero_si512(), a1 = a0, a2 = a0, a3 = a0;
    int b = 0;
    for (; b + 4 <= words; b += 4) {
      a0 = _mm512_mask_add_epi32(a0, row[b], a0, _mm512_loadu_si512(v + 16 * b));
      a1 = _mm512_mask_add_epi32(a1, row[b + 1], a1, _mm512_loadu_si512(v + 16 * b + 16));
      a2 = _mm512_mask_add_epi32(a2, row[b + 2], a2, _mm512_loadu_si512(v + 16 * b + 32));
      a3 = _mm512_mask_add_epi32(a3, row[b + 3], a3, _mm512_loadu_si512(v + 16 * b + 48));
    }
    for (; b < words; ++b) a0 = _mm512_mask_add_epi32(a0, row[b], a0, _mm512_loadu_si512(v + 16 * b));
    return _mm512_reduce_add_epi32(_mm512_add_epi32(_mm512_add_epi32(a0, a1), _mm512_add_epi32(a2, a3)));
  }
  auto widen = [](__m512i a) {
    return _mm512_add_epi64(_mm512_cvtepi32_epi64(_mm512_castsi512_si256(a)), _mm512_cvtepi32_epi64(_mm512_extracti64x4_epi64(a, 1)));
  };
  for (int b0 = 0; b0 < words; b0 += flush) {
    const int b1 = std::min(words, b0 + flush);
    __m512i a0 = _mm512_setzero_si512(), a1 = _mm512_setzero_si512();
    int b = b0;
    for (; b + 2 <= b1; b += 2) {
      a0 = _mm512_mask_add_epi32(a0, row[b], a0, _mm512_loadu_si512(v + 16 * b));
      a1 = _mm512_mask_add_epi32(a1, row[b + 1], a1, _mm512_loadu_si512(v + 16 * b + 16));
    }
    if (b < b1) a0 = _mm512_mask_add_epi32(a0, row[b], a0, _mm512_loadu_si512(v + 16 * b));
    sum += _mm512_reduce_add_epi64(_mm512_add_epi64(widen(a0), widen(a1)));
  }
#else
  (void)fit_int32;
  (void)flush;
  for (int b = 0; b < words; ++b)
    for (int j = 0; j < 16; ++j)
      if ((row[b] >> j) & 1) sum += v[16 * b + j];
#endif
  return sum;
}

// Two consecutive 16-bit row masks as one 32-bit mask (little-endian: channel 16b + j is bit j).
inline std::uint32_t mask32(const std::uint16_t* row) {
  std::uint32_t m;
  std::memcpy(&m, row, sizeof m);
  return m;
}

// Bits that differ between two rows of `words` 16-bit words (words even: read as 32-bit masks).
inline int row_distance(const std::uint16_t* a, const std::uint16_t* b, std::size_t words) {
  int distance = 0;
  std::size_t w = 0;
  for (; w + 4 <= words; w += 4) {
    std::uint64_t x, y;
    std::memcpy(&x, a + w, sizeof x);
    std::memcpy(&y, b + w, sizeof y);
    distance += std::popcount(x ^ y);
  }
  for (; w < words; w += 2) distance += std::popcount(mask32(a + w) ^ mask32(b + w));
  return distance;
}

// Σ_c Z(k_c), k_c = (S_c + N)/2, over C channels, from layout.channel_poly and the power sums Σ_c k_c^j:
// k^2, k^3, k^4 as 32 × 32 -> 64-bit products (exact: k ≤ N < 2^16), all sums mod 2^64, whose
// combination is the exact total (|Σ_c Z| < 2^62). Where the lookups of channel_units took 14 % of a
// P = 4, N = 32, K = 1310 ladder (the energy read for every swap round): the share of the run outside
// sweeps 19.6-19.8 % -> 12.2-12.4 %, 6.3-6.4 -> 6.5-6.7 M flips/s.
std::int64_t channel_units_sum(const PackedPatternBits& layout, const std::int32_t* S, int N, int C);

// A walker's part: the int32 overlaps are the model's; this keeps G at the current overlaps (P > 2,
// padded with zeros to 16-channel words), Σ_c G_c, Σ_c H_c, Σ_c S_c and the channels at S = ±N.
class PackedSums {
 public:
  // From the overlaps S (fresh).
  void refresh(const PackedPatternBits& layout, const std::int32_t* S, int N, int C);
  // S_c -= 2 σ w_ic for every channel, then the sums (and G, or the edge list for P = 2) at the new
  // overlaps: one pass over the site's bit row.
  void flip(const PackedPatternBits& layout, const std::uint16_t* row, int spin, std::int32_t* S, int N, int C);
  // ΔE in units for the site with this row and spin.
  [[gnu::always_inline]] std::int64_t delta_units(const PackedPatternBits& layout, const std::uint16_t* row, int spin,
                                                  const std::int32_t* S, int N) const {
    std::int64_t neg;  // Σ_{c: w_ic = -1} G_c
    if (layout.quadratic) {
      // P = 2: G = 8S inside; the few channels at S = ±N have G = 8S ∓ (4N + 4).
      neg = 8 * masked_sum(row, S, layout.row_words, layout.sums_fit_int32, layout.flush_words);
      for (const int c : edges_) {  // branch-free: the row bit is a coin flip for the predictor
        const std::int64_t bit = (row[c / 16] >> (c % 16)) & 1, corr = 4 * std::int64_t{N} + 4;
        neg += bit * (S[c] > 0 ? -corr : corr);
      }
    } else {
      neg = masked_sum(row, step_odd_.data(), layout.row_words, layout.sums_fit_int32, layout.flush_words);
    }
    const std::int64_t twice = step_even_sum_ - spin * (step_odd_sum_ - 2 * neg);  // 2 Σ_c D_{x_c}, even
    return twice / 2;
  }
  std::int64_t overlap_sum() const { return overlap_sum_; }
  // Forget the edge list (the int16 forms need no edge terms).
  void drop_edges() { edges_.clear(); }

 private:
  // P = 2: G = 8S and H = 8 inside, and at S = ±N G = 8S ∓ (4N + 4), H = 8 - (4N + 4); `top` and
  // `bottom` channels sit at S = N and S = -N.
  void quadratic_sums(std::int64_t top, std::int64_t bottom, int N, int C);
#if defined(__AVX512F__)
  template <int P>
  int flip_polynomial_steps(const PackedPatternBits& layout, const std::uint16_t* row, int spin, std::int32_t* S, int N, int C, std::int64_t& gs,
                            std::int64_t& hs);
#endif

  AlignedVector<std::int32_t> step_odd_;        // G at the current S (P > 2)
  std::int64_t step_odd_sum_ = 0, step_even_sum_ = 0;  // Σ_c G_c, Σ_c H_c
  std::int64_t overlap_sum_ = 0;                // Σ_c S_c
  std::vector<int> edges_;                      // P = 2: channels at S = ±N
};

}  // namespace kernels
}  // namespace ptmc
