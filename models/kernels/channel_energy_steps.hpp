// Dense Hebbian ΔE in floating point for any ±1 (or 0) channels: each channel's energy steps at its
// current overlap, read from the table E_n(S), cached as two doubles, and summed over the site's channels.
//
// What it stores: for channel c at overlap S_c, with D± = E_n(S_c ± 2) - E_n(S_c), a_c = (D- - D+)/2
// and b_c = (D- + D+)/2, so that flipping σ_i changes the channel's energy by b_c + x a_c with
// x = w_ic σ_i: an attempt is a branch-free multiply-add over the C entries of the site's row (times
// |x| where entries may be 0), a flip refreshes a_c, b_c of the channels it moves. This is the general
// form: channels with zeros, or sizes beyond the integer limits of packed_pattern_bits.hpp, which is
// taken wherever it applies; docs/performance.md has no row for this form.
#pragma once
#include <cstdint>
#include <vector>

namespace ptmc::kernels {

class ChannelEnergySteps {
 public:
  // For the channels' overlaps S, with n[c] nonzero entries and its table at offset[c] in the
  // steps a, b (index (S + n)/2).
  void refresh_all(int C, const std::int32_t* S, const std::int32_t* n, const std::int64_t* offset,
                   const std::vector<double>& a, const std::vector<double>& b) {
    half_difference_.assign(static_cast<std::size_t>(C), 0);
    half_sum_.assign(static_cast<std::size_t>(C), 0);
    for (int c = 0; c < C; ++c) refresh(c, S[c], n[c], offset[c], a, b);
  }
  void refresh(int c, std::int32_t S, std::int32_t n, std::int64_t offset, const std::vector<double>& a,
               const std::vector<double>& b) {
    const auto k = static_cast<std::size_t>(offset + (S + n) / 2);
    half_difference_[c] = a[k];
    half_sum_[c] = b[k];
  }
  // ΔE of flipping a site with spin s and channel row w (C entries); `zeros`: some entry is 0.
  double delta(const std::int8_t* w, int s, int C, bool zeros) const {
    const double* a = half_difference_.data();
    const double* b = half_sum_.data();
    double dE = 0;
    // ΔE_c = b_c + x a_c with x = w σ ∈ {-1, 0, +1} (times |x| where entries may be 0): branch-free
    // (the sign of x is a coin flip for unretrieved patterns) and vectorised.
    if (!zeros) {
#pragma omp simd reduction(+ : dE)
      for (int c = 0; c < C; ++c) dE += b[c] + static_cast<double>(w[c] * s) * a[c];
    } else {
#pragma omp simd reduction(+ : dE)
      for (int c = 0; c < C; ++c) {
        const double x = w[c] * s;
        dE += x * a[c] + x * x * b[c];
      }
    }
    return dE;
  }

 private:
  std::vector<double> half_difference_, half_sum_;  // a_c, b_c at the current S_c
};

}  // namespace ptmc::kernels
