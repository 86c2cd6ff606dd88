// Multitasking with stored patterns, up to 8 channels: the channel overlaps U_c in one register for a
// sweep, as engine/sweep/fast_sweep.hpp's resident_sweep_loop wants (ΔE units σ_i Σ_c w_ci U_c - Σ_c w_ci²,
// a flip moves U by -2 σ_i w_i), with a masked flip and no branch on the draw. Stored patterns have
// w ∈ {-1, 0, 1}, so each site's row is two 8-bit masks (Multitasking::Disorder::signs) and the
// overlaps int32 lanes: ΔE and the flip are masked adds, with no multiply. See multitasking.hpp
// for what it bought.
#pragma once
#include <bit>
#include <cstdint>
#if defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512VL__)
#include <immintrin.h>
#define PTMC_CHANNEL_OVERLAP_REGISTERS 1  // the kernel below exists
#else
#define PTMC_CHANNEL_OVERLAP_REGISTERS 0
#endif

namespace ptmc::kernels {

#if PTMC_CHANNEL_OVERLAP_REGISTERS

class ChannelOverlapRegisters {
 public:
  // Not for one walker's sequential sweep: N = 4096, K = 4, d = 0.3, one temperature, against the
  // table loop, 40 % 94 -> 75 M flips/s, 97 % 68 -> 65 M (two walkers together gain: sweep_pair).
  static constexpr bool kSequentialAlone = false;
  struct Layout {
    const std::uint16_t* signs;    // [i] bit c set where w_ci = +1, bit 8 + c where w_ci = -1
    const std::int64_t* w2_site;   // [i] Σ_c w_ci²
    int C;                         // channels, at most 8
  };
  // U: the C overlaps (|U| ≤ N < 2^31), written back by store().
  ChannelOverlapRegisters(const Layout& layout, std::int64_t* U, std::int8_t* spins)
      : signs_(layout.signs), w2_site_(layout.w2_site), spins_(spins), U_out_(U), lanes_(static_cast<__mmask8>((1u << layout.C) - 1)) {
    U_ = _mm512_cvtepi64_epi32(_mm512_maskz_loadu_epi64(lanes_, U));
  }

  // Σ_c w_ci U_c: the overlaps kept where w = +1, negated where -1, in int32 lanes. Against int64
  // lanes times the widened row (a multiply on the flip and on ΔE, both on the decision's chain),
  // N = 4096, K = 4, d = 0.3, bench_acceptance best of 2 interleaved: one walker 87–90 -> 101–105 M
  // flips/s from 24 % to 98 % acceptance, two walkers 113–115 -> 127–130 M at 42–97 %.
  [[gnu::always_inline]] std::int64_t delta(int i) const {
    const auto at = static_cast<std::uint32_t>(i);
    const unsigned m = signs_[at];
    const __m256i signed_U = _mm256_mask_sub_epi32(_mm256_maskz_mov_epi32(static_cast<__mmask8>(m), U_), static_cast<__mmask8>(m >> 8),
                                                   _mm256_setzero_si256(), U_);
    const __m128i four = _mm_add_epi32(_mm256_castsi256_si128(signed_U), _mm256_extracti128_si256(signed_U, 1));
    const __m128i two = _mm_add_epi32(four, _mm_unpackhi_epi64(four, four));
    const std::int64_t dot = _mm_cvtsi128_si32(_mm_add_epi32(two, _mm_srli_epi64(two, 32)));
    return spins_[at] * dot - w2_site_[at];
  }
  // Site i flips when ok: U -= 2 σ_i w_i, and the spin; nothing when not, with no branch on ok.
  [[gnu::always_inline]] void flip_if(int i, bool ok) {
    const auto at = static_cast<std::uint32_t>(i);
    const int s = spins_[at], step = -2 * s * static_cast<int>(ok);
    const unsigned m = signs_[at];
    const __m256i by = _mm256_set1_epi32(step);
    U_ = _mm256_mask_sub_epi32(_mm256_mask_add_epi32(U_, static_cast<__mmask8>(m), U_, by), static_cast<__mmask8>(m >> 8), U_, by);
    spins_[at] = static_cast<std::int8_t>(s + step);
  }
  // Site j's units d after site i flips, from d and the spins before the flip: as
  // Multitasking::delta_units_after_flip (d - 2 σ_j σ_i(before) Σ_c w_ci w_cj, or -d for j = i);
  // Σ_c w_ci w_cj counts the channels where the signs agree less those where they differ.
  [[gnu::always_inline]] std::int64_t after_flip(int j, std::int64_t d, int i) const {
    const unsigned a = signs_[static_cast<std::uint32_t>(i)], b = signs_[static_cast<std::uint32_t>(j)];
    const unsigned swapped = ((b & 0xFFu) << 8) | (b >> 8);
    const std::int64_t shared = std::popcount(a & b) - std::popcount(a & swapped);
    return i == j ? -d : d - 2 * spins_[static_cast<std::uint32_t>(i)] * spins_[static_cast<std::uint32_t>(j)] * shared;
  }
  void store(std::int64_t) const { _mm512_mask_storeu_epi64(U_out_, lanes_, _mm512_cvtepi32_epi64(U_)); }
  // The register to the owner's overlaps and back: around a call (resident_parked).
  void park() { store(0); }
  void unpark() { U_ = _mm512_cvtepi64_epi32(_mm512_maskz_loadu_epi64(lanes_, U_out_)); }

 private:
  const std::uint16_t* signs_;
  const std::int64_t* w2_site_;
  std::int8_t* spins_;
  std::int64_t* U_out_;
  __mmask8 lanes_;
  __m256i U_;  // the C overlaps as int32, 0 beyond C
};
#endif

}  // namespace ptmc::kernels
