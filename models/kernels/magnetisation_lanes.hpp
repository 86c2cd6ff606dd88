// Curie–Weiss walkers in the 64-bit lanes of engine/sweep/lane_sweep.hpp: the lanes' magnetisations
// in one vector, beside their spins (spin_lanes.hpp).
#pragma once
#include <cstdint>
#include <span>

#include "engine/sweep/simd.hpp"
#include "models/kernels/spin_lanes.hpp"

namespace ptmc::kernels {

#if defined(PTMC_LANE_SWEEP)
class MagnetisationLanes {
 public:
  static constexpr int kLanes = SpinLanes::kLanes;
  using Fetched = SpinLanes::Fetched;

  // The walkers' spins (n each) copied into `words`, which must outlive the kernel, and their
  // magnetisations, written back by store().
  MagnetisationLanes(std::span<std::int8_t* const> spins, std::span<std::int64_t* const> magnetization, int n, SpinLanes::Words& words)
      : spins_(spins, n, words) {
    alignas(64) std::int64_t m[kLanes] = {};
    for (std::size_t l = 0; l < magnetization.size(); ++l) {
      owners_[l] = magnetization[l];
      m[l] = *magnetization[l];
    }
    magnetization_ = _mm512_load_si512(m);
  }

  [[gnu::always_inline]] Fetched fetch(__m512i site) const { return spins_.fetch(site); }
  // Each lane's units σ_i M − 1 (CurieWeiss::delta_units).
  [[gnu::always_inline]] __m512i delta(const Fetched& f) const {
    const __m512i zero = _mm512_setzero_si512();
    const __m512i aligned = _mm512_mask_sub_epi64(magnetization_, _mm512_cmplt_epi64_mask(f.spin, zero), zero, magnetization_);  // σ M
    return _mm512_sub_epi64(aligned, _mm512_set1_epi64(1));
  }
  // The lanes in ok flip the spin of f: M −= 2σ, and the spin.
  [[gnu::always_inline]] void flip_if(const Fetched& f, __mmask8 ok, Fetched& next) {
    spins_.flip_if(f, ok, next);
    magnetization_ = _mm512_mask_sub_epi64(magnetization_, ok, magnetization_, _mm512_slli_epi64(f.spin, 1));
  }
  void store() const {
    spins_.store();
    alignas(64) std::int64_t m[kLanes];
    _mm512_store_si512(m, magnetization_);
    for (int l = 0; l < kLanes; ++l)
      if (owners_[l]) *owners_[l] = m[l];
  }

 private:
  SpinLanes spins_;
  std::int64_t* owners_[kLanes] = {};
  __m512i magnetization_;
};
#endif

}  // namespace ptmc::kernels
