// Random numbers: streams of interleaved xoshiro256++ lanes keyed by what they drive (seed, point,
// sample, replica, purpose), never by rank or thread, so results do not depend on how the work is laid out.
#pragma once
#include <array>
#include <cstdint>
#include <limits>

#if defined(__AVX512F__)
#include "engine/sweep/simd.hpp"
#endif

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
// time into a buffer, with AVX-512 by one instruction per operation of a step for all lanes. A draw is
// then a load and a compare, where a scalar xoshiro256++ step took about 11 of the ~56 instructions of a
// Hopfield attempt: +3 % at equal acceptance (docs/performance.md). Lane l starts from words
// 4l..4l+3 of the SplitMix64 expansion of the seed, so lane 0 is the scalar generator of the same seed.
// The state (lanes, buffer, position) is all in the object: a copy continues the same stream, and a
// checkpoint stores it whole.
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
  // The next draw when `take`, else 0 with nothing taken; the one branch is the refill's (a draw that
  // empties the buffer), so a loop may take draws on a coin flip without a mispredicted branch.
  result_type take_if(bool take) noexcept {
    if (take & (pos_ == kBlock)) [[unlikely]]
      refill();
    const result_type next = buf_[pos_ & (kBlock - 1)];  // pos_ = kBlock only when not taken: unused
    pos_ += static_cast<int>(take);
    return take ? next : 0;
  }
  // The next draw, not taken (for a prefetch hint): the buffer's next entry, or lane 0's next output.
  result_type peek() const noexcept { return pos_ < kBlock ? buf_[pos_] : Xoshiro256pp::rotl(s_[0][0] + s_[3][0], 23) + s_[0][0]; }

  // For loops that read several streams in the lanes of one vector (engine/sweep/lane_sweep.hpp): the
  // block of drawn numbers, the position of the next draw in it (kBlock: none left), the position
  // moved on past draws taken from the block directly (pos <= kBlock), and the next block drawn once
  // none is left, as the draw that finds the block used up makes it.
  const std::uint64_t* block() const noexcept { return buf_; }
  int position() const noexcept { return pos_; }
  void skip_to(int pos) noexcept { pos_ = pos; }
  void refill_if_used_up() noexcept {
    if (pos_ == kBlock) refill();
  }

  // Uniform double in [0, 1) with 53 random bits.
  double uniform() noexcept { return to_uniform((*this)()); }
  static constexpr double to_uniform(std::uint64_t bits) noexcept { return static_cast<double>(bits >> 11) * 0x1.0p-53; }
  // Uniform integer in [0, n) by Lemire's multiply-shift of the high 32 bits of a draw (each value's
  // probability within 2^-32 of 1/n); the low 32 bits are free for another use (engine/sweep/dynamics.hpp).
  std::uint32_t below(std::uint32_t n) noexcept { return scale((*this)(), n); }
  static constexpr std::uint32_t scale(std::uint64_t draw, std::uint32_t n) noexcept {
    return static_cast<std::uint32_t>((draw >> 32) * static_cast<std::uint64_t>(n) >> 32);
  }
  // ±1 with equal probability.
  int spin() noexcept { return ((*this)() >> 63) ? 1 : -1; }
  // Standard normal deviate (Marsaglia polar method; no cached second value).
  double normal() noexcept;

  State state() const noexcept {
    State st{};
    std::size_t k = 0;
    for (const auto& word : s_)
      for (const std::uint64_t x : word) st[k++] = x;
    for (const std::uint64_t x : buf_) st[k++] = x;
    st[k] = static_cast<std::uint64_t>(pos_);
    return st;
  }
  static Rng from_state(const State& st) noexcept {
    Rng r;
    std::size_t k = 0;
    for (auto& word : r.s_)
      for (std::uint64_t& x : word) x = st[k++];
    for (std::uint64_t& x : r.buf_) x = st[k++];
    r.pos_ = st[k] <= kBlock ? static_cast<int>(st[k]) : kBlock;
    return r;
  }
  friend bool operator==(const Rng& a, const Rng& b) noexcept { return a.state() == b.state(); }

 private:
  void seed_lanes(std::uint64_t seed) noexcept {
    std::uint64_t sm = seed;
    for (int l = 0; l < kLanes; ++l)
      for (int w = 0; w < 4; ++w) s_[w][l] = splitmix64_next(sm);
    pos_ = kBlock;
  }
  // kSteps steps of every lane, written in draw order: with AVX-512, one instruction per operation of a
  // step for all 8 lanes, inline (the sweep loops take no call); else refill_scalar(), out of line.
  [[gnu::always_inline]] void refill() noexcept {
#if defined(__AVX512F__)
    __m512i s0 = _mm512_load_si512(s_[0]), s1 = _mm512_load_si512(s_[1]), s2 = _mm512_load_si512(s_[2]),
            s3 = _mm512_load_si512(s_[3]);
    for (int t = 0; t < kSteps; ++t) {
      _mm512_store_si512(buf_ + t * kLanes, _mm512_add_epi64(_mm512_rol_epi64(_mm512_add_epi64(s0, s3), 23), s0));
      const __m512i shifted = _mm512_slli_epi64(s1, 17);
      s2 = _mm512_xor_si512(s2, s0);
      s3 = _mm512_xor_si512(s3, s1);
      s1 = _mm512_xor_si512(s1, s2);
      s0 = _mm512_xor_si512(s0, s3);
      s2 = _mm512_xor_si512(s2, shifted);
      s3 = _mm512_rol_epi64(s3, 45);
    }
    _mm512_store_si512(s_[0], s0);
    _mm512_store_si512(s_[1], s1);
    _mm512_store_si512(s_[2], s2);
    _mm512_store_si512(s_[3], s3);
    pos_ = 0;
#else
    refill_scalar();
#endif
  }
  // Without AVX-512: the same steps, one lane's step at a time. Not inlined: inlined, GCC held the
  // whole state in registers in some callers and spilled it (2-3x slower sweeps).
  [[gnu::noinline]] void refill_scalar() noexcept {
    for (int t = 0; t < kSteps; ++t)
      for (int l = 0; l < kLanes; ++l) {
        Xoshiro256pp lane{{s_[0][l], s_[1][l], s_[2][l], s_[3][l]}};
        buf_[t * kLanes + l] = lane();
        for (int w = 0; w < 4; ++w) s_[w][l] = lane.s[w];
      }
    pos_ = 0;
  }
  alignas(64) std::uint64_t s_[4][kLanes]{};  // word w of lane l: s_[w][l]
  alignas(64) std::uint64_t buf_[kBlock]{};
  int pos_ = kBlock;  // next draw in buf_; kBlock: empty
};

}  // namespace ptmc
