// Random numbers: streams of interleaved xoshiro256++ lanes keyed by what they drive (seed, point,
// sample, replica, purpose), never by rank or thread, so results do not depend on how the work is laid out.
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

// xoshiro256++ 1.0 (Blackman and Vigna): 256-bit state, period 2^256 - 1, passes BigCrush. One lane
// of Rng; also the reference the tests pin Rng's lanes to.
struct Xoshiro256pp {
  std::array<std::uint64_t, 4> s{};
  std::uint64_t operator()() noexcept {
    const std::uint64_t result = rotl(s[0] + s[3], 23) + s[0];
    const std::uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
  }
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
};

// The stream type: 8 xoshiro256++ lanes, interleaved (draw 8t + l is lane l's t-th output), drawn 64 at a
// time into a buffer by one vector instruction per operation of a step. A draw is then a load: the
// single-spin-flip loops spent about 11 instructions of their ~56 per attempt on a scalar xoshiro256++
// step (bench/README.md, "What made the difference"). Lane l starts from words 4l..4l+3 of the SplitMix64
// expansion of the seed, so lane 0 is the scalar generator of the same seed. The state (lanes, buffer,
// position) is all in the object: a copy continues the same stream, and a checkpoint stores it whole.
class Rng {
 public:
  using result_type = std::uint64_t;
  static constexpr int kLanes = 8, kSteps = 8, kBlock = kLanes * kSteps;
  static constexpr int kStateWords = 4 * kLanes + kBlock + 1;  // lanes, buffer, position
  using State = std::array<std::uint64_t, kStateWords>;
  static constexpr result_type min() noexcept { return 0; }
  static constexpr result_type max() noexcept { return std::numeric_limits<result_type>::max(); }

  Rng() noexcept : Rng(0) {}
  explicit Rng(std::uint64_t seed) noexcept { seed_lanes(seed); }
  explicit Rng(const StreamKey& key) noexcept;
  // Lane l starts from lanes[l] (tests: each lane against the reference).
  static Rng from_lanes(const std::array<std::array<std::uint64_t, 4>, kLanes>& lanes) noexcept {
    Rng r;
    for (int l = 0; l < kLanes; ++l)
      for (int w = 0; w < 4; ++w) r.s_[w][l] = lanes[l][w];
    r.pos_ = kBlock;
    return r;
  }

  result_type operator()() noexcept {
    if (pos_ == kBlock) [[unlikely]]
      refill();
    return buf_[pos_++];
  }
  // The next draw, not taken (for a prefetch hint): the buffer's next entry, or lane 0's next output.
  result_type peek() const noexcept { return pos_ < kBlock ? buf_[pos_] : Xoshiro256pp::rotl(s_[0][0] + s_[3][0], 23) + s_[0][0]; }

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
  // Standard normal deviate (Marsaglia polar method; no cached second value).
  double normal() noexcept;

  State state() const noexcept;
  static Rng from_state(const State& st) noexcept;
  friend bool operator==(const Rng& a, const Rng& b) noexcept { return a.state() == b.state(); }

 private:
  void seed_lanes(std::uint64_t seed) noexcept;
  // kSteps steps of every lane, written in draw order. Inline: the sweep loops hold their state in
  // registers and take no call in their inner loop (engine/fast_sweep.hpp).
  [[gnu::always_inline]] void refill() noexcept {
    for (int t = 0; t < kSteps; ++t)
      for (int l = 0; l < kLanes; ++l) {  // one 512-bit (or two 256-bit) instruction per operation
        const std::uint64_t s0 = s_[0][l], s1 = s_[1][l], s2 = s_[2][l] ^ s0, s3 = s_[3][l] ^ s1;
        buf_[t * kLanes + l] = Xoshiro256pp::rotl(s0 + s_[3][l], 23) + s0;
        s_[0][l] = s0 ^ s3;
        s_[1][l] = s1 ^ s2;
        s_[2][l] = s2 ^ (s1 << 17);
        s_[3][l] = Xoshiro256pp::rotl(s3, 45);
      }
    pos_ = 0;
  }
  alignas(64) std::uint64_t s_[4][kLanes]{};  // word w of lane l: s_[w][l]
  alignas(64) std::uint64_t buf_[kBlock]{};
  int pos_ = kBlock;  // next draw in buf_; kBlock: empty
};

}  // namespace ptmc
