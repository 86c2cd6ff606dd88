// Dense Hebbian P = 2 channels whose overlaps fit int16: a walker's two forms (two_byte_overlaps.hpp
// alone, or with one_byte_offsets.hpp on top), the flip that updates them, and the choice between them.
//
// Both forms give the same integers; only the speed differs. The two-byte form has cheap flips, the
// one-byte form cheaper ΔE but dearer flips and centre moves, so before each sweep the walker picks
// one from the acceptance of the last sweep, with hysteresis (see before_sweep in the .cpp for the
// measurements behind kEnterOneByte and kLeaveOneByte). Needs AVX-512 BW; without it the packed
// int32 form (packed_pattern_bits.hpp) is used instead and this class is never active.
#pragma once
#include <cstdint>

#include "engine/sweep/static_count.hpp"
#include "models/kernels/one_byte_offsets.hpp"
#include "models/kernels/packed_pattern_bits.hpp"
#include "models/kernels/two_byte_overlap_registers.hpp"
#include "models/kernels/two_byte_overlaps.hpp"

namespace ptmc::kernels {

#if defined(__AVX512BW__)
inline constexpr bool kInt16OverlapForms = true;
#else
inline constexpr bool kInt16OverlapForms = false;
#endif

class Int16OverlapForms {
 public:
  // The choice made by hand (tests, benchmarks): `automatic` (the default) lets before_sweep choose.
  enum class Form { automatic, one_byte, two_bytes };
  // Acceptance (accepted flips per site in the last sweep) below which the automatic choice enters
  // the one-byte form, and above which it leaves it (a walker whose acceptance hovers between them
  // keeps its form).
  static constexpr double kEnterOneByte = 0.10, kLeaveOneByte = 0.16;

  // From the int32 overlaps S of the C channels and their sum (fresh), for N sites.
  void refresh(const PackedPatternBits& layout, const std::int32_t* S, std::int64_t sum, int N, int C);
  std::int32_t overlap(int c) const { return two_bytes_.overlaps[c]; }
  // Site i with spin s flips (its row: layout.row(i)).
  void flip(int i, int s) { return one_byte_ ? flip_form<true>(i, s) : flip_form<false>(i, s); }
  template <bool one_byte>
  void flip_form(int i, int s);
  void before_sweep();
  void set_form(Form form);
  bool one_byte() const { return one_byte_; }

  // Calls f(kernel) with the ΔE functor of the current form, its group count fixed at compile time
  // up to 512 channels (4 groups).
  template <class F>
  decltype(auto) with_kernel(const std::int8_t* spins, F&& f) const;
  // In the two-byte form with up to 512 channels: calls f(kernel) with the overlaps in registers for a
  // sweep (two_byte_overlap_registers.hpp), which flips `spins` and writes the overlaps back, and
  // returns f's result; else -1, f not called.
  template <class F>
  std::int64_t with_resident_kernel(std::int8_t* spins, F&& f);
  // ΔE units of site i through the run-time-count kernel of the current form.
  [[gnu::always_inline]] std::int64_t delta_units(const std::int8_t* spins, int i) const;

 private:
  std::int16_t centre(int S) const;  // a centre for an overlap S: w = (S - R)/2 far from ±127
  void enter_one_byte();             // offsets, centres and base from the two-byte overlaps
  void recentre(int c);              // R_c = centre(S_c), base corrected at every site

  const PackedPatternBits* layout_ = nullptr;
  // layout_->negative_bits.data() and row_words, copied: the site's row address is then one load
  // from here rather than two, on the path every attempt waits for.
  const std::uint16_t* rows_ = nullptr;
  std::size_t row_words_ = 0;
  int N_ = 0, C_ = 0;
  TwoByteOverlaps two_bytes_;
  OneByteOffsets one_byte_offsets_;
  bool one_byte_ = false;
  Form form_ = Form::automatic;
  int recentred_ = 0;         // centres moved since before_sweep last looked
  int flipped_ = 0;           // flips since before_sweep last looked
  int two_byte_sweeps_left_ = 0, backoff_ = 1;  // sweeps kept in two bytes after centres moved, and the next such wait
};

#if defined(__AVX512BW__)
template <class F>
decltype(auto) Int16OverlapForms::with_kernel(const std::int8_t* spins, F&& f) const {
  if (one_byte_)
    return with_static_count<4>(layout_->groups, [&](auto G) {
      return f(OneByteKernel<G>{rows_, row_words_, layout_->groups, one_byte_offsets_.offsets.data(),
                                one_byte_offsets_.base.data(), spins, two_bytes_.by_spin + 1});
    });
  return with_static_count<4>(layout_->groups, [&](auto G) {
    return f(TwoByteKernel<G>{rows_, row_words_, layout_->groups, layout_->int16_flush_groups, two_bytes_.overlaps.data(),
                              spins, two_bytes_.by_spin + 1});
  });
}

template <class F>
std::int64_t Int16OverlapForms::with_resident_kernel(std::int8_t* spins, F&& f) {
  if (one_byte_ || layout_ == nullptr || layout_->groups > 4) return -1;
  const auto run = [&]<int G>() {
    const bool narrow = layout_->int16_flush_groups >= 2;
    const std::int64_t accepted = f(TwoByteOverlapRegisters<G>({rows_, C_, narrow}, {two_bytes_.overlaps.data(), &two_bytes_.sum, &flipped_}, spins));
    two_bytes_.refresh_by_spin(C_);
    return accepted;
  };
  switch (layout_->groups) {
    case 1: return run.template operator()<1>();
    case 2: return run.template operator()<2>();
    case 3: return run.template operator()<3>();
    default: return run.template operator()<4>();
  }
}

inline std::int64_t Int16OverlapForms::delta_units(const std::int8_t* spins, int i) const {
  if (one_byte_)
    return OneByteKernel<0>{rows_, row_words_, layout_->groups, one_byte_offsets_.offsets.data(),
                            one_byte_offsets_.base.data(), spins, two_bytes_.by_spin + 1}(i);
  return TwoByteKernel<0>{rows_, row_words_, layout_->groups, layout_->int16_flush_groups, two_bytes_.overlaps.data(),
                          spins, two_bytes_.by_spin + 1}(i);
}
#endif

}  // namespace ptmc::kernels
