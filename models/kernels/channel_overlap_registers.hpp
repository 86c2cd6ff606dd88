// Multitasking with stored patterns, up to 8 channels: the channel overlaps U_c in one register for a
// sweep, as engine/sweep/fast_sweep.hpp's resident_sweep_loop wants (ΔE units σ_i Σ_c w_ci U_c - Σ_c w_ci²,
// a flip moves U by -2 σ_i w_i), with a masked flip and no branch on the draw. See multitasking.hpp
// for what it bought.
#pragma once
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
    const std::int16_t* w;         // [i * C + c], |w| ≤ 1 (stored patterns)
    const std::int64_t* w2_site;   // [i] Σ_c w_ci²
    std::int64_t w2_total;         // Σ_{i,c} w_ci²
    int C;                         // channels, at most 8
  };
  // U (C overlaps, |U| ≤ N < 2^31) and the energy in integers, E_int = Σ_c U_c² - w2_total, written by store().
  ChannelOverlapRegisters(const Layout& layout, std::int64_t* U, std::int64_t* energy_units, std::int8_t* spins)
      : w_(layout.w), w2_site_(layout.w2_site), spins_(spins), U_out_(U), energy_out_(energy_units), w2_total_(layout.w2_total),
        C_(layout.C), lanes_(static_cast<__mmask8>((1u << layout.C) - 1)) {
    U_ = _mm512_maskz_loadu_epi64(lanes_, U);
  }

  [[gnu::always_inline]] std::int64_t delta(int i) const {
    const auto at = static_cast<std::uint32_t>(i);
    // Products of the low 32 bits (exact: |w| ≤ 1, |U| < 2^31).
    const std::int64_t dot = _mm512_reduce_add_epi64(_mm512_mul_epi32(row(i), U_));
    return spins_[at] * dot - w2_site_[at];
  }
  // Site i flips when ok: U -= 2 σ_i w_i, and the spin; nothing when not, with no branch on ok.
  [[gnu::always_inline]] void flip_if(int i, bool ok) {
    const auto at = static_cast<std::uint32_t>(i);
    const std::int64_t s = spins_[at], step = -2 * s * static_cast<std::int64_t>(ok);
    U_ = _mm512_add_epi64(U_, _mm512_mul_epi32(row(i), _mm512_set1_epi64(step)));
    spins_[at] = static_cast<std::int8_t>(s + step);
  }
  // Site j's units d after site i flips, from d and the spins before the flip: as
  // Multitasking::delta_units_after_flip (d - 2 σ_j σ_i(before) Σ_c w_ci w_cj, or -d for j = i).
  [[gnu::always_inline]] std::int64_t after_flip(int j, std::int64_t d, int i) const {
    const __m128i pairs = _mm_madd_epi16(row16(i), row16(j));  // 4 sums of two products
    const __m128i two = _mm_add_epi32(pairs, _mm_unpackhi_epi64(pairs, pairs));
    const std::int64_t shared = _mm_cvtsi128_si32(_mm_add_epi32(two, _mm_srli_epi64(two, 32)));
    return i == j ? -d : d - 2 * spins_[static_cast<std::uint32_t>(i)] * spins_[static_cast<std::uint32_t>(j)] * shared;
  }
  void store(std::int64_t) const {
    _mm512_mask_storeu_epi64(U_out_, lanes_, U_);
    *energy_out_ = _mm512_reduce_add_epi64(_mm512_mul_epi32(U_, U_)) - w2_total_;
  }

 private:
  [[gnu::always_inline]] __m128i row16(int i) const { return _mm_maskz_loadu_epi16(lanes_, w_ + static_cast<std::uint32_t>(i) * static_cast<std::uint32_t>(C_)); }
  [[gnu::always_inline]] __m512i row(int i) const { return _mm512_cvtepi16_epi64(row16(i)); }

  const std::int16_t* w_;
  const std::int64_t* w2_site_;
  std::int8_t* spins_;
  std::int64_t* U_out_;
  std::int64_t* energy_out_;
  std::int64_t w2_total_;
  int C_;
  __mmask8 lanes_;
  __m512i U_;
};
#endif

}  // namespace ptmc::kernels
