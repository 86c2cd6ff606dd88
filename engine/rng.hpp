// Random numbers: xoshiro256++ streams keyed by what they drive (seed, point, sample, replica, purpose),
// never by rank or thread, so results do not depend on how the work is laid out.
#pragma once
#include <array>
#include <cstdint>
#include <limits>

namespace ptmc {

// SplitMix64 (Steele, Lea, Flood 2014): used to expand keys into generator states.
constexpr std::uint64_t splitmix64_next(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// What a stream drives; part of its key so that, e.g., disorder and dynamics never share numbers.
enum class StreamPurpose : std::uint64_t { disorder = 1, initial_state = 2, dynamics = 3, swaps = 4, test_data = 5 };

// Identifies one stream. All fields take part in the hash; unused ones stay zero.
struct StreamKey {
  std::uint64_t seed = 0;
  std::uint64_t point = 0;
  std::uint64_t sample = 0;
  std::uint64_t replica = 0;  // replica chain (and configuration within it, see engine)
  StreamPurpose purpose = StreamPurpose::dynamics;
};

// xoshiro256++ 1.0 (Blackman and Vigna): 256-bit state, period 2^256 - 1, passes BigCrush.
class Rng {
 public:
  using result_type = std::uint64_t;
  static constexpr result_type min() noexcept { return 0; }
  static constexpr result_type max() noexcept { return std::numeric_limits<result_type>::max(); }

  Rng() noexcept : Rng(0) {}
  explicit Rng(std::uint64_t seed) noexcept {
    std::uint64_t sm = seed;
    for (auto& w : s_) w = splitmix64_next(sm);
  }
  explicit Rng(const StreamKey& key) noexcept;
  static Rng from_state(const std::array<std::uint64_t, 4>& s) noexcept {
    Rng r;
    r.s_ = s;
    return r;
  }

  result_type operator()() noexcept {
    const std::uint64_t result = rotl(s_[0] + s_[3], 23) + s_[0];
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform double in [0, 1) with 53 random bits.
  double uniform() noexcept { return to_uniform((*this)()); }
  static constexpr double to_uniform(std::uint64_t bits) noexcept { return static_cast<double>(bits >> 11) * 0x1.0p-53; }
  // Uniform integer in [0, n) by Lemire's multiply-shift of the high 32 bits of a draw (each value's
  // probability within 2^-32 of 1/n); the low 32 bits are free for another use (engine/dynamics.hpp).
  std::uint32_t below(std::uint32_t n) noexcept { return scale((*this)(), n); }
  static constexpr std::uint32_t scale(std::uint64_t draw, std::uint32_t n) noexcept {
    return static_cast<std::uint32_t>((draw >> 32) * static_cast<std::uint64_t>(n) >> 32);
  }
  // ±1 with equal probability.
  int spin() noexcept { return ((*this)() >> 63) ? 1 : -1; }
  // Standard normal deviate (Marsaglia polar method; no cached second value so state is just s_).
  double normal() noexcept;

  const std::array<std::uint64_t, 4>& state() const noexcept { return s_; }
  friend bool operator==(const Rng&, const Rng&) = default;

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
  std::array<std::uint64_t, 4> s_{};
};

}  // namespace ptmc
