// The spins of up to eight walkers for engine/sweep/lane_sweep.hpp's lanes: copied for the sweep into
// one byte array, each lane's padded to whole 64-byte lines, so that a lane's spin is one 32-bit gather
// of the word that holds it and its flip one 32-bit scatter (there are no byte gathers or scatters;
// the padding keeps every word inside the array). Lane kernels (magnetisation_lanes.hpp,
// channel_overlap_lanes.hpp) hold one beside what their ΔE reads.
#pragma once
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "engine/sweep/simd.hpp"

namespace ptmc::kernels {

#if defined(PTMC_LANE_SWEEP)
class SpinLanes {
 public:
  static constexpr int kLanes = 8;
  // The lanes' spins for the sweep, lane l's from word l * stride: owned by whoever builds the kernel.
  struct Words {
    explicit Words(int n) : stride((n + 63) / 64 * 16), data(static_cast<std::size_t>(stride) * kLanes, 0) {}
    int stride;
    std::vector<std::int32_t> data;
  };
  // Each lane's site as fetch() found it: the word that holds its spin, where, and the spin.
  struct Fetched {
    __m512i word_at, spin;  // spin: ±1 as int64
    __m256i word, place;    // place: the bit where the spin's byte starts
  };

  // Copies the spins (n per lane, spins[l] lane l's) into `words`, which must outlive this.
  SpinLanes(std::span<std::int8_t* const> spins, int n, Words& words) : n_(n), stride_(words.stride), words_(words.data.data()) {
    alignas(64) std::int64_t first[kLanes] = {};
    for (std::size_t l = 0; l < spins.size(); ++l) {
      owners_[l] = spins[l];
      std::memcpy(words_ + l * stride_, spins[l], static_cast<std::size_t>(n));
      first[l] = static_cast<std::int64_t>(l) * stride_;
    }
    first_word_ = _mm512_load_si512(first);
    lanes_ = static_cast<__mmask8>((1u << spins.size()) - 1);
    count_ = static_cast<int>(spins.size());
  }

  __mmask8 lanes() const { return lanes_; }
  // Each lane's spin at its site.
  [[gnu::always_inline]] Fetched fetch(__m512i site) const {
    Fetched f;
    f.word_at = _mm512_add_epi64(first_word_, _mm512_srli_epi64(site, 2));
    f.word = _mm512_mask_i64gather_epi32(_mm256_setzero_si256(), lanes_, f.word_at, words_, 4);
    f.place = _mm512_cvtepi64_epi32(_mm512_slli_epi64(_mm512_and_si512(site, _mm512_set1_epi64(3)), 3));
    f.spin = spin_in(f);
    return f;
  }
  // The lanes in ok flip the spin of f: σ → −σ in its byte (0x01 ↔ 0xff, an exclusive or with 0xfe).
  // `next`, fetched before the flip, takes the flipped word where it is the same word (about 4/n of a
  // lane's attempts); returns the lanes where it did.
  [[gnu::always_inline]] __mmask8 flip_if(const Fetched& f, __mmask8 ok, Fetched& next) const {
    const __m256i flipped = _mm256_xor_si256(f.word, _mm256_sllv_epi32(_mm256_set1_epi32(0xfe), f.place));
    _mm512_mask_i64scatter_epi32(words_, ok, f.word_at, flipped, 4);
    const __mmask8 stale = _mm512_mask_cmpeq_epi64_mask(ok, next.word_at, f.word_at);
    if (stale) [[unlikely]] {
      next.word = _mm256_mask_mov_epi32(next.word, stale, flipped);
      next.spin = spin_in(next);
    }
    return stale;
  }
  // The spins back to their owners.
  void store() const {
    for (int l = 0; l < count_; ++l) std::memcpy(owners_[l], words_ + static_cast<std::size_t>(l) * stride_, static_cast<std::size_t>(n_));
  }

 private:
  // The byte to the top of its word, then back with its sign: σ as int32, then int64.
  [[gnu::always_inline]] static __m512i spin_in(const Fetched& f) {
    const __m256i top = _mm256_sllv_epi32(f.word, _mm256_sub_epi32(_mm256_set1_epi32(24), f.place));
    return _mm512_cvtepi32_epi64(_mm256_srai_epi32(top, 24));
  }

  std::int8_t* owners_[kLanes] = {};
  int n_, stride_, count_;  // spins; 32-bit words per lane; lanes
  std::int32_t* words_;
  __mmask8 lanes_;
  __m512i first_word_;
};
#endif

}  // namespace ptmc::kernels
