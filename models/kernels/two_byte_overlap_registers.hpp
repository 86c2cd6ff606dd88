// Dense Hebbian P = 2: the two-byte overlaps (two_byte_overlaps.hpp) held in vector registers for a
// sweep, up to 512 channels (16 registers), as engine/sweep/fast_sweep.hpp's resident_sweep_loop wants.
//
// Why: at moderate acceptance a flip stored the overlaps and the next ΔE loaded them again, a store
// forwarded to a load (about 13 cycles on this core) on every attempt's chain, and the accept branch
// was mispredicted at about every other attempt. Here the flip is a masked add in registers under a
// gated by the decision, so no branch depends on the draw. Hopfield N = 4096, K = 256, flips/s
// through sweep() (bench_acceptance, best of 4 interleaved): 49 % acceptance 49.8 -> 78 M, 29 %
// 64.8 -> 75 M, 86 % 49.3 -> 78 M; N = 6144, K = 384 at 49 % 43 -> 66 M, N = 8192, K = 512 at 49 %
// 36 -> 50 M.
#pragma once
#include <cstdint>

#include "models/kernels/packed_pattern_bits.hpp"

namespace ptmc::kernels {

#if defined(__AVX512BW__)
// G groups of 128 channels (G = 1 to 4). Built from the walker's int16 overlaps, whose padding lanes
// beyond C are 0 and stay 0; store() writes them back with their sum.
template <int G>
class TwoByteOverlapRegisters {
 public:
  static constexpr int kVectors = 4 * G;  // 32 channels each
  // One walker's sequential sweep runs through this kernel (engine/sweep/fast_sweep.hpp): Hopfield
  // N = 4096, K = 256, one temperature, against the table loops: 86 % 35 -> 58 M flips/s, 48 % 45 -> 64 M.
  static constexpr bool kSequentialAlone = true;

  struct Layout {
    const std::uint16_t* rows;          // bit rows, 8 G words per site (w_ic = -1 where set)
    int C;                              // channels
    bool narrow;                        // two channels' w S summed in int16 lanes fit (2 N < 2^15)
  };
  // Where store() writes: the overlaps (kVectors × 32 int16), their sum, and the count of flips.
  struct Owner {
    std::int16_t* overlaps;
    std::int64_t* sum;
    int* flips;
  };

  TwoByteOverlapRegisters(const Layout& layout, Owner owner, std::int8_t* spins)
      : rows_(layout.rows), spins_(spins), owner_(owner), C_(layout.C), narrow_(layout.narrow) {
#pragma GCC unroll 16
    for (int v = 0; v < kVectors; ++v) {
      S_[v] = _mm512_load_si512(owner.overlaps + 32 * v);
      const int left = C_ - 32 * v;  // channels of this vector below C
      valid_[v] = left >= 32 ? ~std::uint32_t{0} : left <= 0 ? 0u : (std::uint32_t{1} << left) - 1;
    }
  }

  // ΔE units of site i: 4C - 4 σ_i Σ_c w_ic S_c, as TwoByteKernel (w_ic S_c: S_c negated where the row's
  // bit is set; Σ_c S_c is not kept, so the loop holds one value less).
  [[gnu::always_inline]] std::int64_t delta(int i) const {
    const std::uint16_t* row = row_of(i);
    const __m512i zero = _mm512_setzero_si512(), one = _mm512_set1_epi16(1);
    __m512i wide = zero;
    if (narrow_) {
#pragma GCC unroll 16
      for (int v = 0; v < kVectors; v += 2) {
        const __m512i a = _mm512_mask_sub_epi16(S_[v], _cvtu32_mask32(mask32(row + 2 * v)), zero, S_[v]);
        const __m512i b = _mm512_mask_sub_epi16(S_[v + 1], _cvtu32_mask32(mask32(row + 2 * v + 2)), zero, S_[v + 1]);
        wide = _mm512_add_epi32(wide, _mm512_madd_epi16(_mm512_add_epi16(a, b), one));
      }
    } else {
#pragma GCC unroll 16
      for (int v = 0; v < kVectors; ++v)
        wide = _mm512_add_epi32(wide, _mm512_madd_epi16(_mm512_mask_sub_epi16(S_[v], _cvtu32_mask32(mask32(row + 2 * v)), zero, S_[v]), one));
    }
    const std::int64_t field = _mm512_reduce_add_epi32(wide);
    const std::int64_t s = spins_[static_cast<std::uint32_t>(i)];
    return 4 * std::int64_t{C_} - 4 * s * field;
  }

  // Site i flips when ok: S_c -= 2 w_ic σ_i and the spin; when not, steps of 0.
  [[gnu::always_inline]] void flip_if(int i, bool ok) {
    const std::uint16_t* row = row_of(i);
    const auto at = static_cast<std::uint32_t>(i);
    const int s = spins_[at];
    const int gate = ok;
    const int step = 2 * s * gate;
    // S - step everywhere, + 2 step where w = -1: two instructions per 32 channels, each writing S.
    const __m512i down = _mm512_set1_epi16(static_cast<short>(step)), up = _mm512_set1_epi16(static_cast<short>(2 * step));
#pragma GCC unroll 16
    for (int v = 0; v < kVectors; ++v) {
      const __m512i moved = _mm512_mask_sub_epi16(S_[v], _cvtu32_mask32(valid_[v]), S_[v], down);  // padding lanes stay 0
      S_[v] = _mm512_mask_add_epi16(moved, _cvtu32_mask32(mask32(row + 2 * v)), moved, up);
    }
    spins_[at] = static_cast<std::int8_t>(s - 2 * s * gate);
  }

  // Site j's units d after site i flips, from d and the spins before the flip: as
  // DenseHebbian::delta_units_after_flip (d + 8 σ_j σ_i(before) (C - 2 h_ij), or -d for j = i).
  [[gnu::always_inline]] std::int64_t after_flip(int j, std::int64_t d, int i) const {
    const std::int64_t same = C_ - 2 * distance(row_of(i), row_of(j));
    return i == j ? -d : d + 8 * static_cast<std::int64_t>(spins_[static_cast<std::uint32_t>(i)] * spins_[static_cast<std::uint32_t>(j)]) * same;
  }

  // The registers to the owner's overlaps and back, around a call (engine/sweep/fast_sweep.hpp,
  // resident_parked).
  [[gnu::always_inline]] void park() {
#pragma GCC unroll 16
    for (int v = 0; v < kVectors; ++v) _mm512_store_si512(owner_.overlaps + 32 * v, S_[v]);
  }
  [[gnu::always_inline]] void unpark() {
#pragma GCC unroll 16
    for (int v = 0; v < kVectors; ++v) S_[v] = _mm512_load_si512(owner_.overlaps + 32 * v);
  }
  // The overlaps back to the owner, with their sum, and the count of flips made.
  [[gnu::always_inline]] void store(std::int64_t flips) const {
    __m512i sum = _mm512_setzero_si512();
#pragma GCC unroll 16
    for (int v = 0; v < kVectors; ++v) {
      _mm512_store_si512(owner_.overlaps + 32 * v, S_[v]);
      sum = _mm512_add_epi32(sum, _mm512_madd_epi16(S_[v], _mm512_set1_epi16(1)));
    }
    *owner_.sum = _mm512_reduce_add_epi32(sum);
    *owner_.flips += static_cast<int>(flips);
  }

 private:
  [[gnu::always_inline]] const std::uint16_t* row_of(int i) const { return rows_ + static_cast<std::uint32_t>(i) * (8 * G); }
  // Hamming distance of two rows (128 G bits).
  [[gnu::always_inline]] static std::int64_t distance(const std::uint16_t* a, const std::uint16_t* b) {
#if defined(__AVX512VPOPCNTDQ__) && defined(__AVX512VL__)
    // In vector registers: the scalar form's 4 G loads, xors and popcounts took general registers
    // the loop needs (Hopfield N = 4096, K = 256: 66 -> 78 M flips/s at 48 % acceptance, together
    // with the two-instruction flip).
    // 256 bits per step (a row of G groups is 128 G bits), then 128 for an odd G.
    const auto bits256 = [](const std::uint16_t* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); };
    const auto bits128 = [](const std::uint16_t* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); };
    __m128i count = _mm_setzero_si128();
    if constexpr (G >= 2) {
      __m256i wide = _mm256_setzero_si256();
      for (int g = 0; g + 2 <= G; g += 2) wide = _mm256_add_epi64(wide, _mm256_popcnt_epi64(_mm256_xor_si256(bits256(a + 8 * g), bits256(b + 8 * g))));
      count = _mm_add_epi64(_mm256_castsi256_si128(wide), _mm256_extracti128_si256(wide, 1));
    }
    if constexpr (G % 2 == 1) count = _mm_add_epi64(count, _mm_popcnt_epi64(_mm_xor_si128(bits128(a + 8 * (G - 1)), bits128(b + 8 * (G - 1)))));
    return _mm_cvtsi128_si64(_mm_add_epi64(count, _mm_unpackhi_epi64(count, count)));
#else
    return row_distance(a, b, 8 * G);
#endif
  }

  // Every loop over S_ is unrolled (#pragma GCC unroll): one loop left rolled made GCC keep S_ in
  // memory, stored at every attempt (the resident loops' registers, engine/sweep/fast_sweep.hpp).
  __m512i S_[kVectors];
  std::uint32_t valid_[kVectors];  // lanes below C
  const std::uint16_t* rows_;
  std::int8_t* spins_;
  Owner owner_;
  int C_;
  bool narrow_;
};
#endif

}  // namespace ptmc::kernels
