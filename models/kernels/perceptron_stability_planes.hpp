// The binary perceptron's integer stabilities as bit planes, for the edge-mask path
// (perceptron_edge_masks.hpp): plane k holds bit k of s_μ - t - 1 (two's complement, B bits) for 64
// constraints per word, in the layout of PerceptronSignBits. A flip moves every s_μ by ±2, which is a
// ripple carry from plane 1 up, 512 constraints at a time (an xor and a three-input logic op per
// plane), and the edge masks fall out of the same planes with no compare:
//   t < s_μ ≤ t+2  ⟺  s_μ - t - 1 ∈ {0, 1}    ⟺  planes 1..B-1 all 0 (satisfied_edge),
//   t-2 < s_μ ≤ t  ⟺  s_μ - t - 1 ∈ {-2, -1}  ⟺  planes 1..B-1 all 1 (violated_edge).
// Why: the int16 flip spent about 4 cycles per 32 constraints in compares into mask registers and
// their 32-bit stores, and the next ΔE's 512-bit loads of the masks waited for those stores to reach
// the cache. N = 1001, α = 1, the flip alone: 38.6 -> 16.7 ns; through sweep() 1.6-1.8× the flips/s
// from 32 % to 96 % acceptance (PerceptronEdgeMasks::flip).
#pragma once
#include <cstdint>
#include <span>

#include "engine/sweep/aligned_vector.hpp"

namespace ptmc {

struct PerceptronStabilityPlanes {
  static constexpr int kMaxPlanes = 16;
  int planes = 0;       // B, 0 while unused
  int words = 0;        // words per plane: the constraints' words padded to blocks of 8
  std::int32_t t = 0;   // the threshold
  AlignedVector<std::uint64_t> bits;   // plane k of word w: bits[k * words + w]
  AlignedVector<std::uint64_t> valid;  // the bits of the P constraints (padding bits are 0)

  // The planes s_μ - t - 1 needs when |s_μ| ≤ N (2 to kMaxPlanes), or 0 when more.
  static int planes_for(int N, std::int32_t t);
  // The planes of the stabilities s (P of them, in `row_words` words), B = planes_for(N, t) > 0.
  void assign(std::span<const std::int32_t> s, int row_words, std::int32_t threshold, int B);
  // The stabilities back as integers.
  void read(std::span<std::int32_t> s) const;
  // s_μ -= 2 σ z_{iμ} for every μ (sign_bits: site i's row as PerceptronSignBits, `row_words` words;
  // sigma = σ_i before the flip), and the edge masks of the new values into satisfied and violated
  // (`words` words each, written whole).
  void flip(const std::uint64_t* sign_bits, int row_words, int sigma, std::uint64_t* satisfied, std::uint64_t* violated);
  // The violated constraints (s_μ ≤ t), counted from the sign plane when asked: a flip then keeps no
  // count (counting its ΔE from the masks it replaced cost 4-8 % of a sweep from 14 % to 96 %
  // acceptance, N = 1001, α = 1, bench_acceptance).
  std::int64_t violated() const;
};

}  // namespace ptmc
