#include "models/kernels/int16_overlap_forms.hpp"

#include <algorithm>
#include <bit>
#include <utility>

namespace ptmc::kernels {

void Int16OverlapForms::refresh(const PackedPatternBits& layout, const std::int32_t* S, std::int64_t sum, int N, int C) {
  layout_ = &layout;
  rows_ = layout.negative_bits.data();
  row_words_ = static_cast<std::size_t>(layout.row_words);
  N_ = N;
  C_ = C;
  two_bytes_.overlaps.assign(static_cast<std::size_t>(layout.groups) * 128, 0);
  for (int c = 0; c < C; ++c) two_bytes_.overlaps[c] = static_cast<std::int16_t>(S[c]);
  two_bytes_.sum = sum;
#if defined(__AVX512BW__)
  two_bytes_.refresh_by_spin(C_);
  flipped_ = recentred_ = two_byte_sweeps_left_ = 0;
  backoff_ = 1;
  one_byte_ = false;
  if (form_ != Form::two_bytes) enter_one_byte();
#endif
}

void Int16OverlapForms::set_form(Form form) {
  form_ = form;
#if defined(__AVX512BW__)
  if (layout_ == nullptr) return;  // not in use (refresh never called)
  if (form == Form::one_byte && !one_byte_) enter_one_byte();
  if (form == Form::two_bytes) one_byte_ = false;
#endif
}

void Int16OverlapForms::before_sweep() {
#if defined(__AVX512BW__)
  const int moved = std::exchange(recentred_, 0), flips = std::exchange(flipped_, 0);
  if (layout_ == nullptr || form_ != Form::automatic) return;
  // Two bytes: a flip updates the int16 overlaps alone. One byte: ΔE costs about half (one
  // multiply-add per 64 channels instead of two masked adds), a flip also rewrites w, and a moved
  // centre costs a pass over the N sites. So one byte pays at low acceptance, with few moves (Hopfield
  // N = 4096, K = 256 at fixed β, ns per attempt one / two bytes: 9.0 / 9.4 at 11 % acceptance, 14.0 /
  // 12.1 at 18 %, 5.4 / 6.6 at 5 %; kEnterOneByte and kLeaveOneByte straddle the crossing). Hysteresis
  // in the acceptance (a walker under tempering changes β at every swap), and beyond two moves in a
  // sweep two bytes for a wait that doubles (up to 64 sweeps) each time the one-byte form fails that
  // way, and halves with each sweep where it holds. Entering one byte costs about one low-acceptance
  // sweep (a masked sum per site where centres moved), leaving it nothing.
  const double acceptance = static_cast<double>(flips) / N_;
  if (one_byte_) {
    if (moved > 2) {
      one_byte_ = false;
      two_byte_sweeps_left_ = backoff_;
      backoff_ = std::min(2 * backoff_, 64);
    } else if (acceptance > kLeaveOneByte) {
      one_byte_ = false;
    } else {
      backoff_ = std::max(backoff_ / 2, 1);
    }
  } else if (two_byte_sweeps_left_ > 0) {
    --two_byte_sweeps_left_;
  } else if (acceptance < kEnterOneByte) {
    enter_one_byte();
  }
#endif
}

#if defined(__AVX512BW__)
std::int16_t Int16OverlapForms::centre(int S) const {
  // |S| ≤ 126: the fixed centre N mod 2 (w = (S - R)/2 in [-64, 63]); beyond, 126 from S towards 0
  // (w = ±63), so that S may move 128 outwards or 382 back towards 0 before the centre moves again: a
  // pattern's overlap that strayed far from 0 and returns does not move it twice.
  const int p = N_ & 1;
  return static_cast<std::int16_t>(S > 126 ? S - 126 : S < -126 ? S + 126 : p);
}

void Int16OverlapForms::enter_one_byte() {
  const auto& S16 = two_bytes_.overlaps;
  auto& R16 = one_byte_offsets_.centres;
  auto& W = one_byte_offsets_.offsets;
  auto& base = one_byte_offsets_.base;
  const std::size_t padded = S16.size();
  R16.resize(padded);
  W.resize(padded);
  base.resize(static_cast<std::size_t>(N_));
  const int p = N_ & 1;
  bool moved = false;  // some centre is not N mod 2
  for (std::size_t c = 0; c < padded; ++c) {
    R16[c] = c < static_cast<std::size_t>(C_) ? centre(S16[c]) : std::int16_t{0};  // padding: S = R = 0
    moved = moved || (c < static_cast<std::size_t>(C_) && R16[c] != p);
  }
  for (std::size_t c = 0; c < padded; c += 64) {
    const auto w = [&](std::size_t at) {
      return _mm512_srai_epi16(_mm512_sub_epi16(_mm512_load_si512(&S16[at]), _mm512_load_si512(&R16[at])), 1);
    };
    _mm512_store_si512(&W[c], transposed_bytes<false>(w(c), w(c + 32)));
  }
  // base_i = Σ_{c: w_ic = -1} R_c: p × (bits set) while no centre moved, else the masked int16 sum
  // of ΔE over the centres (|R| < N), one vector pass per site.
  if (!moved) {
    for (std::size_t i = 0; i < static_cast<std::size_t>(N_); ++i) base[i] = p ? layout_->negatives[i] : 0;
  } else {
    with_static_count<4>(layout_->groups, [&](auto G) {
      for (int i = 0; i < N_; ++i)
        base[static_cast<std::size_t>(i)] =
            masked_sum_words_groups<G>(site_row<G>(rows_, row_words_, i), R16.data(), layout_->groups, layout_->int16_flush_groups);
      return 0;
    });
  }
  one_byte_ = true;
}

void Int16OverlapForms::recentre(int c) {
  auto& R16 = one_byte_offsets_.centres;
  const std::int16_t R = centre(two_bytes_.overlaps[c]);
  const std::int32_t delta = R - R16[c];
  R16[c] = R;
  const std::uint16_t* word = rows_ + c / 16;
  const int bit = c % 16;
  std::int32_t* base = one_byte_offsets_.base.data();
  for (std::size_t i = 0; i < static_cast<std::size_t>(N_); ++i) base[i] += ((word[i * row_words_] >> bit) & 1) * delta;
  ++recentred_;
}

// The int16 overlaps for 32 channels per step, and in the one-byte form w = (S - R)/2 (a centre moved
// where w leaves a byte) for 64 channels per store, from registers. Σ_c S_c follows from the row's
// count of w = -1 (PackedPatternBits::negatives, counted once); padding lanes beyond C keep S = w = 0.
template <bool one_byte>
void Int16OverlapForms::flip_form(int i, int s) {
  const std::uint16_t* row = rows_ + static_cast<std::size_t>(i) * row_words_;
  const __m512i plus = _mm512_set1_epi16(static_cast<short>(-2 * s)), minus = _mm512_set1_epi16(static_cast<short>(2 * s));
  const int C = C_;
  // Raw pointers: a vector store may alias anything, and the vectors' own pointers would be reloaded.
  std::int16_t* const S16 = two_bytes_.overlaps.data();
  const std::int16_t* const R16 = one_byte_offsets_.centres.data();
  std::int8_t* const out = one_byte_offsets_.offsets.data();
  const __m512i bias = _mm512_set1_epi16(128), high = _mm512_set1_epi16(-256);
  // 32 channels from `at` (`whole`: all below C): the overlaps updated; in the one-byte form w returned.
  const auto half = [&]<bool whole>(int at) __attribute__((always_inline)) {
    const int left = C - at;
    if (!whole && left <= 0) return _mm512_setzero_si512();  // padding only: S = w = 0
    const __mmask32 valid = whole || left >= 32 ? ~__mmask32{0} : (__mmask32{1} << left) - 1;
    const __mmask32 m = _cvtu32_mask32(mask32(row + at / 16));
    const __m512i step = _mm512_mask_blend_epi16(m, plus, minus);
    const __m512i S = _mm512_add_epi16(_mm512_load_si512(S16 + at), whole ? step : _mm512_maskz_mov_epi16(valid, step));
    _mm512_store_si512(S16 + at, S);
    if constexpr (!one_byte) {
      return S;
    } else {
      __m512i V = _mm512_srai_epi16(_mm512_sub_epi16(S, _mm512_load_si512(R16 + at)), 1);
      // w outside [-128, 127]: w + 128 has bits above the low byte
      if (__mmask32 far = _mm512_test_epi16_mask(_mm512_add_epi16(V, bias), high)) [[unlikely]] {
        for (; far; far &= far - 1) recentre(at + std::countr_zero(far));
        V = _mm512_srai_epi16(_mm512_sub_epi16(S, _mm512_load_si512(R16 + at)), 1);
      }
      return V;
    }
  };
  int c = 0;
  if constexpr (one_byte) {
    const int end = (C + 63) / 64 * 64;
    const auto block = [&]<bool whole>(int at) __attribute__((always_inline)) {
      const __m512i v0 = half.template operator()<whole>(at), v1 = half.template operator()<whole>(at + 32);
      _mm512_store_si512(out + at, transposed_bytes<false>(v0, v1));
    };
    for (; c + 64 <= C; c += 64) block.template operator()<true>(c);
    if (c < end) block.template operator()<false>(c);  // the last block, part padding
  } else {
    // Whole steps of 32 channels walk two pointers (the indexed form spent four instructions per
    // step on the row address): Hopfield N = 4096, K = 256 at 86 % acceptance 87-89 -> 79-87 µs per
    // sweep (interleaved medians), the same within 3 % at 20-48 %.
    const std::uint16_t* r = row;
    std::int16_t* S = S16;
    for (; c + 32 <= C; c += 32, r += 2, S += 32) {
      const __m512i step = _mm512_mask_blend_epi16(_cvtu32_mask32(mask32(r)), plus, minus);
      _mm512_store_si512(S, _mm512_add_epi16(_mm512_load_si512(S), step));
    }
    if (c < C) half.template operator()<false>(c);
  }
  two_bytes_.sum -= 2 * s * static_cast<std::int64_t>(C - 2 * layout_->negatives[static_cast<std::size_t>(i)]);
  two_bytes_.refresh_by_spin(C);
  ++flipped_;
}
#else
template <bool one_byte>
void Int16OverlapForms::flip_form(int, int) {}
#endif

template void Int16OverlapForms::flip_form<true>(int, int);
template void Int16OverlapForms::flip_form<false>(int, int);

}  // namespace ptmc::kernels
