// The binary perceptron's examples as sign bits: binary inputs with the labels folded in,
// z_{iμ} = y_μ x^μ_i ∈ {±1}, one bit per constraint, site-major. Bit μ%64 of bits[i*words + μ/64] is
// set iff z_{iμ} = -1; padding bits are zero. A site's row is P/8 bytes instead of the P bytes of the
// int8 copy, and it is what the popcount ΔE of perceptron_edge_masks.hpp reads, 64 constraints per word:
// with the edge masks it took the count-cost sweep from 5.3 to 54.7 M attempted flips/s at N = 1001,
// β = 3 (10.4×; 4.7 -> 30.1 M at 9 % acceptance; bench_models, storage, α = 1, one core).
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace ptmc {

struct PerceptronSignBits {
  int words = 0;                    // 64-bit words per site, ceil(P / 64)
  std::vector<std::uint64_t> bits;  // N rows of `words` words

  // Packs N rows of P signs z[i*P + μ] ∈ {±1}.
  static PerceptronSignBits pack(std::span<const std::int8_t> z, int N, int P) {
    PerceptronSignBits out;
    const auto np = static_cast<std::size_t>(P);
    out.words = (P + 63) / 64;
    out.bits.assign(static_cast<std::size_t>(N) * out.words, 0);
    for (std::size_t i = 0; i < static_cast<std::size_t>(N); ++i)
      for (std::size_t mu = 0; mu < np; ++mu)
        if (z[i * np + mu] < 0) out.bits[i * out.words + mu / 64] |= std::uint64_t{1} << (mu % 64);
    return out;
  }
  const std::uint64_t* row(int i) const { return bits.data() + static_cast<std::size_t>(i) * words; }
};

}  // namespace ptmc
