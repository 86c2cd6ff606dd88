// Multitasking walkers, up to 8 (stored) or 16 channels, in the 64-bit lanes of engine/sweep/lane_sweep.hpp: channel
// c's overlaps U_c of the eight lanes in one vector, the lanes' spins beside them (spin_lanes.hpp), and
// each lane's row gathered with its spin. ΔE units are σ_i Σ_c w_ci U_c − Σ_c w_ci², a flip moves U_c
// by −2 σ_i w_ci. Stored patterns (ChannelOverlapLanes): the row is the site's signs
// (Multitasking::Disorder::signs: bit c where w_ci = +1, bit 8 + c where −1), and ΔE and the flip are
// masked adds, one pair per channel, with no multiply. Learnt patterns, or more than 8 stored
// (ChannelWeightLanes): the row is the site's int16 weights, one product per channel (the overlaps
// within 32 bits).
#pragma once
#include <cstdint>
#include <span>

#include "engine/sweep/simd.hpp"
#include "models/kernels/spin_lanes.hpp"

namespace ptmc::kernels {

#if defined(PTMC_LANE_SWEEP)
// The lanes' channel overlaps, channel c's of all eight lanes in one vector: loaded from each walker's
// C overlaps (overlaps[l][0..C)) and stored back to them.
template <int Channels>
struct LaneOverlaps {
  static constexpr int kLanes = SpinLanes::kLanes;
  LaneOverlaps(std::span<std::int64_t* const> overlaps, int channels) : C(channels) {
    alignas(64) std::int64_t u[Channels][kLanes] = {};
    for (std::size_t l = 0; l < overlaps.size(); ++l) {
      owners[l] = overlaps[l];
      for (int c = 0; c < C; ++c) u[c][l] = overlaps[l][c];
    }
    for (int c = 0; c < Channels; ++c) U[c] = _mm512_load_si512(u[c]);
  }
  void store() const {
    alignas(64) std::int64_t u[Channels][kLanes];
    for (int c = 0; c < Channels; ++c) _mm512_store_si512(u[c], U[c]);
    for (int l = 0; l < kLanes; ++l)
      if (owners[l])
        for (int c = 0; c < C; ++c) owners[l][c] = u[c][l];
  }
  __m512i U[Channels];
  std::int64_t* owners[kLanes] = {};
  int C;
};

struct ChannelSigns {
  const std::uint16_t* signs;  // n + 1 entries: each is read as the low half of a 32-bit word
  int C;                       // channels
};

// Channels: 4 or 8, the most this instance handles (the sign bits of channels beyond the model's are
// zero, so their steps are empty).
template <int Channels>
class ChannelOverlapLanes {
 public:
  static constexpr int kLanes = SpinLanes::kLanes;
  struct Fetched {
    SpinLanes::Fetched spin;
    __m512i signs;  // the row of signs of each lane's site
  };

  // The walkers' spins (n each) copied into `words`, which must outlive the kernel, and their C
  // overlaps (overlaps[l][0..C)), written back by store().
  ChannelOverlapLanes(const ChannelSigns& layout, std::span<std::int8_t* const> spins, std::span<std::int64_t* const> overlaps, int n, SpinLanes::Words& words)
      : spins_(spins, n, words), signs_(layout.signs), overlaps_(overlaps, layout.C) {}

  [[gnu::always_inline]] Fetched fetch(__m512i site) const {
    Fetched f{spins_.fetch(site), {}};
    const __m256i word = _mm512_mask_i64gather_epi32(_mm256_setzero_si256(), spins_.lanes(), site, signs_, 2);
    f.signs = _mm512_cvtepu32_epi64(_mm256_and_si256(word, _mm256_set1_epi32(0xffff)));
    return f;
  }
  // Each lane's units σ_i Σ_c w_ci U_c − Σ_c w_ci² (Multitasking::delta_units).
  [[gnu::always_inline]] __m512i delta(const Fetched& f) const {
    __m512i dot = _mm512_setzero_si512();
    for (int c = 0; c < Channels; ++c) {
      dot = _mm512_mask_add_epi64(dot, up(f, c), dot, overlaps_.U[c]);
      dot = _mm512_mask_sub_epi64(dot, down(f, c), dot, overlaps_.U[c]);
    }
    const __m512i zero = _mm512_setzero_si512();
    const __m512i aligned = _mm512_mask_sub_epi64(dot, _mm512_cmplt_epi64_mask(f.spin.spin, zero), zero, dot);  // σ Σ_c w U
    return _mm512_sub_epi64(aligned, squares(f));
  }
  // The lanes in ok flip the spin of f: U_c −= 2 σ w_c, and the spin.
  [[gnu::always_inline]] void flip_if(const Fetched& f, __mmask8 ok, Fetched& next) {
    spins_.flip_if(f.spin, ok, next.spin);
    const __m512i step = _mm512_sub_epi64(_mm512_setzero_si512(), _mm512_slli_epi64(f.spin.spin, 1));  // −2σ
    for (int c = 0; c < Channels; ++c) {
      overlaps_.U[c] = _mm512_mask_add_epi64(overlaps_.U[c], ok & up(f, c), overlaps_.U[c], step);
      overlaps_.U[c] = _mm512_mask_sub_epi64(overlaps_.U[c], ok & down(f, c), overlaps_.U[c], step);
    }
  }
  void store() const {
    spins_.store();
    overlaps_.store();
  }

 private:
  // The lanes where w_c = +1, and −1.
  [[gnu::always_inline]] static __mmask8 up(const Fetched& f, int c) { return _mm512_test_epi64_mask(f.signs, _mm512_set1_epi64(1ll << c)); }
  [[gnu::always_inline]] static __mmask8 down(const Fetched& f, int c) {
    return _mm512_test_epi64_mask(f.signs, _mm512_set1_epi64(1ll << (8 + c)));
  }
  // Σ_c w_ci²: the count of nonzero w, one sign bit each.
  [[gnu::always_inline]] static __m512i squares(const Fetched& f) {
#if defined(__AVX512VPOPCNTDQ__)
    return _mm512_popcnt_epi64(f.signs);
#else
    __m512i count = _mm512_setzero_si512();
    for (int b = 0; b < 16; ++b) count = _mm512_add_epi64(count, _mm512_and_si512(_mm512_srli_epi64(f.signs, b), _mm512_set1_epi64(1)));
    return count;
#endif
  }

  SpinLanes spins_;
  const std::uint16_t* signs_;
  LaneOverlaps<Channels> overlaps_;
};

struct ChannelWeights {
  const std::int16_t* w;        // [i * C + c], then 16 zeros: each row is read as whole 64-bit words
  const std::int64_t* w2_site;  // [i] Σ_c w_ci²
  int C;                        // channels
};

// Channels: 4, 8 or 16, the most this instance handles (channels from C on are masked off the rows).
template <int Channels>
class ChannelWeightLanes {
 public:
  static constexpr int kLanes = SpinLanes::kLanes;
  static constexpr int kWords = Channels / 4;  // 64-bit words of four int16 weights
  struct Fetched {
    SpinLanes::Fetched spin;
    __m512i row[kWords];  // the weights of each lane's site, four per word
    __m512i squares;      // Σ_c w_ci²
  };

  // The walkers' spins (n each) copied into `words`, which must outlive the kernel, and their C
  // overlaps (overlaps[l][0..C), each within 32 bits), written back by store().
  ChannelWeightLanes(const ChannelWeights& layout, std::span<std::int8_t* const> spins, std::span<std::int64_t* const> overlaps, int n,
                     SpinLanes::Words& words)
      : spins_(spins, n, words), w_(layout.w), w2_site_(layout.w2_site), overlaps_(overlaps, layout.C) {
    for (int g = 0; g < kWords; ++g) {
      const int kept = layout.C - 4 * g;  // channels of word g below C
      keep_[g] = kept >= 4 ? ~std::uint64_t{0} : kept <= 0 ? 0 : (std::uint64_t{1} << (16 * kept)) - 1;
    }
  }

  [[gnu::always_inline]] Fetched fetch(__m512i site) const {
    Fetched f{spins_.fetch(site), {}, {}};
    const __m512i first = _mm512_mul_epu32(site, _mm512_set1_epi64(overlaps_.C));  // the row's first weight
    for (int g = 0; g < kWords; ++g) {
      const __m512i word = _mm512_mask_i64gather_epi64(_mm512_setzero_si512(), spins_.lanes(), first, w_ + 4 * g, 2);
      f.row[g] = _mm512_and_si512(word, _mm512_set1_epi64(static_cast<long long>(keep_[g])));
    }
    f.squares = _mm512_mask_i64gather_epi64(_mm512_setzero_si512(), spins_.lanes(), site, w2_site_, 8);
    return f;
  }
  // Each lane's units σ_i Σ_c w_ci U_c − Σ_c w_ci² (Multitasking::delta_units).
  [[gnu::always_inline]] __m512i delta(const Fetched& f) const {
    __m512i dot = _mm512_setzero_si512();
    for (int c = 0; c < Channels; ++c) dot = _mm512_add_epi64(dot, _mm512_mul_epi32(weight(f, c), overlaps_.U[c]));
    const __m512i zero = _mm512_setzero_si512();
    const __m512i aligned = _mm512_mask_sub_epi64(dot, _mm512_cmplt_epi64_mask(f.spin.spin, zero), zero, dot);  // σ Σ_c w U
    return _mm512_sub_epi64(aligned, f.squares);
  }
  // The lanes in ok flip the spin of f: U_c −= 2 σ w_c, and the spin.
  [[gnu::always_inline]] void flip_if(const Fetched& f, __mmask8 ok, Fetched& next) {
    spins_.flip_if(f.spin, ok, next.spin);
    const __m512i step = _mm512_sub_epi64(_mm512_setzero_si512(), _mm512_slli_epi64(f.spin.spin, 1));  // −2σ
    for (int c = 0; c < Channels; ++c) overlaps_.U[c] = _mm512_mask_add_epi64(overlaps_.U[c], ok, overlaps_.U[c], _mm512_mul_epi32(weight(f, c), step));
  }
  void store() const {
    spins_.store();
    overlaps_.store();
  }

 private:
  // w_c of each lane's site, as int64 (its low 32 bits are what the products read).
  [[gnu::always_inline]] static __m512i weight(const Fetched& f, int c) {
    return _mm512_srai_epi64(_mm512_slli_epi64(f.row[c / 4], 48 - 16 * (c % 4)), 48);
  }

  SpinLanes spins_;
  const std::int16_t* w_;
  const std::int64_t* w2_site_;
  std::uint64_t keep_[kWords];
  LaneOverlaps<Channels> overlaps_;
};
#endif

}  // namespace ptmc::kernels
