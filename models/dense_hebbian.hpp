// Dense (P-body) Hebbian network: stores K patterns, or learns K archetypes from M noisy examples each
// (THEORY.md "Dense Hebbian network"). With A^μ = Σ_a η^{μa} = M ξ̂^μ and 𝓡 = r²(1 + ρ):
//
//   storage:      H = -(P!/(2 N^{P-1}))                   Σ_μ     e_P(ξ^μ∘σ)
//   supervised:   H = -(P!/(2 N^{P-1} M^P 𝓡^{P/2}))       Σ_μ     e_P(A^μ∘σ)
//   unsupervised: H = -(P!/(2 N^{P-1} M 𝓡^{P/2}))         Σ_μ Σ_a e_P(η^{μa}∘σ)
//
// e_P = elementary symmetric polynomial (P distinct sites): the self-interactions are removed. With
// self_interaction = true, P! e_P(x) becomes (Σ_j x_j)^P, i.e. H = -(N/2) Σ (overlap/N)^P. P = 2 storage
// is the Hopfield model; K = 1 with ξ = 1 is Curie–Weiss.
//
// Exact flips without the P-body tensor. For ±1 channels (patterns, examples) e_P depends only on
// the integer overlap S = Σ_j x_j σ_j and the number n of nonzero entries (Newton's identities with
// power sums p_odd = S, p_even = n), so each channel's energy is a table E_n(S); a flip moves S by ±2
// and each channel caches D± = E(S ± 2) - E(S) as a = (D- - D+)/2, b = (D- + D+)/2, so that flipping
// σ_i changes its energy by b + a x (x = w_i σ_i = ±1): an attempted flip is a branch-free multiply-add
// over the K (or K M) entries of site i, stored contiguously. Supervised sums A are not ±1: the odd power sums
// Σ_j A_j^k σ_j (k odd ≤ P) are integer channels, the even ones constants; Newton's identities give
// e_0..e_{P-1} per pattern after each accepted flip, and flipping x_i → -x_i changes e_P by
// -2 x_i Σ_j (-x_i)^j e_{P-1-j}: O(K P) per attempt, O(K P²) per accepted flip.
// energy() sums the channel energies of the current integer overlaps: exact, no accumulated drift.
//
// Observables: m (signed Mattis overlap of the pattern with the largest |m_μ|, "the retrieved one"),
// m_other (second largest |m_μ|), nbar (n̄ = ξ̂·σ/(N r (1+ρ)) of the retrieved archetype; |m| in
// storage), n (mean example overlap (1/M) Σ_a η^{μa}·σ/N of the retrieved archetype; |m| in storage);
// nbar and n are oriented by the sign of m; m1 (signed overlap with archetype 1, the one that
// init = "archetype" starts from: at small N and large K the largest |m_μ| of random patterns is far
// from 0, so retrieval experiments read m1). Vectors: m_μ and n̄_μ (signed), for every pattern.
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "engine/fast_sweep.hpp"
#include "engine/model.hpp"
#include "engine/simd.hpp"
#include "engine/static_count.hpp"
#include "models/hebbian_data.hpp"

namespace ptmc {

// 64-byte aligned storage for the vectors the AVX-512 kernels load (no cache-line splits).
template <class T>
struct CacheAligned {
  using value_type = T;
  CacheAligned() = default;
  template <class U>
  CacheAligned(const CacheAligned<U>&) {}
  T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t{64})); }
  void deallocate(T* p, std::size_t) { ::operator delete(p, std::align_val_t{64}); }
  friend bool operator==(const CacheAligned&, const CacheAligned&) { return true; }
};

class DenseHebbian {
 public:
  struct Params {
    int N = 0, P = 2, K = 1;
    HebbianMode data = HebbianMode::storage;
    int M = 1;
    double r = 1.0;  // example quality (given, or from rho)
    bool self_interaction = false;
    HebbianInit init{};
    std::string data_file, data_dataset;
    // This instance holds only the patterns [first_pattern, first_pattern + held_patterns) (0: all;
    // storage only). Set by the engine when it splits the patterns over ranks, never by a file.
    int first_pattern = 0, held_patterns = 0;
  };
  struct Disorder {
    HebbianData data;
    int P = 2, C = 0;                 // C: ±1 channels (K storage, K M unsupervised, 0 supervised)
    bool zeros = false;               // some channel entry is 0
    std::vector<std::int32_t> n;      // [c] nonzero entries of channel c
    std::vector<std::int64_t> off;    // [c] offset of the table of n[c] (index (S + n)/2)
    std::vector<long double> E;       // channel energy E_n(S)
    std::vector<double> a, b;         // with D± = E_n(S ± 2) - E_n(S): a = (D- - D+)/2, b = (D- + D+)/2
    long double coef = 0;             // channel energy = coef · e_P (coef · overlap^P with self-interactions)
    // supervised
    int odd = 0;                      // odd power sums per pattern: k = 1, 3, ..., ≤ P
    std::vector<long double> even;    // [μ * (P/2 + 1) + k/2] Σ_j A_j^k for even k ≤ P
    std::vector<double> even_d;       // the same in double
    double nbar_norm = 1;             // 1/(M N r (1 + ρ))
    // Exact integer fast path (±1 channels without zeros, sizes that fit; see packed_delta): channel
    // energy = unit · Z(S) with Z = P! e_P (or S^P) an integer; at k = (S + N)/2 the tables hold
    // G = Z(S+2) - Z(S-2) and H = Z(S+2) + Z(S-2) - 2 Z(S) (the unused side is 0 at S = ±N), and
    // site rows are bit-packed: bit j of wbits[i * blocks + b] is set iff w_{i, 16b + j} = -1.
    bool packed = false;
    int blocks = 0;                   // 16-channel blocks per site row
    int flush = 0;                    // blocks summed in int32 lanes before widening (no overflow)
    bool narrow = false;              // C max|G| < 2^31: no widening at all
    bool quadratic = false;           // P = 2: G = 8S inside, so ΔE sums S itself (no G array)
    // P = 2 with N ≤ kSplitMax and C (2N + 128) < 2^31 (pair16): the overlaps are int16 (S16_),
    // padded with zeros to `groups` of 128 channels; a row is then read past its end into the next
    // row's bits (wbits has 8 words of slack), times S = 0. For P = 2 the change of a channel is
    // (S - 2x)² - S² = 4 - 4 x S exactly, at S = ±N too (x is then forced), so ΔE units =
    // 4C - 4 σ_i (Σ_c S_c - 2 Σ_{c: w_ic = -1} S_c): no edge terms.
    static constexpr int kSplitMax = 127 * 256 + 127;
    bool pair16 = false;
    int groups = 0;
    int word_flush = 0;               // pair16: groups summed in int16 lanes before widening (flush N < 2^15)
    double unit = 0;
    std::vector<std::uint16_t> wbits;
    std::vector<std::int32_t> negatives;  // [i] bits set in site i's row (channels with w_ic = -1)
    std::vector<std::int32_t> gtab, htab;
    // Exact energies (packed, and Σ_c |Z| < 2^62 for all K patterns): energy = unit · Σ_c Z(S_c).
    bool exact = false;
    std::vector<std::int64_t> ztab;   // Z at k = (S + N)/2
  };

  static std::span<const ParamSpec> parameters();
  static Params parse(const ParamReader& r);
  static std::shared_ptr<const Disorder> make_disorder(const Params& p, Rng& rng);
  static ObservableNames observable_names(const Params&) { return {"m", "m_other", "nbar", "n", "m1"}; }
  // Memory (engine/model_entry.hpp) of the patterns held (all, or this rank's slice).
  static double disorder_bytes(const Params& p);
  static double walker_bytes(const Params& p);
  static std::vector<std::pair<std::string, Scalar>> derived_attributes(const Params& p);
  static std::vector<std::string> vector_names(const Params&) { return {"m", "nbar"}; }
  static std::size_t vector_length(const Params& p) { return static_cast<std::size_t>(p.K); }
  static double rho(const Params& p) { return hebbian_rho(p.r, p.M); }
  static double example_power(const Params& p) { return hebbian_example_power(p.r, p.M); }  // 𝓡

  DenseHebbian(const Params& p, std::shared_ptr<const Disorder> disorder, Rng& rng);

  int size() const { return N_; }
  static constexpr bool fast_sweep = true;  // engine/fast_sweep.hpp: exact acceptance without std::exp
  double delta_energy(int i) const { return sup_ ? supervised_delta(i) : D_->packed ? packed_delta(i) : channel_delta(i); }
  // Packed storage with int16 overlaps (the common Hopfield case) inline: a flip in the sweep is
  // then one call, to pair_flip in the current form.
  void flip(int i) {
#if defined(__AVX512BW__)
    if (storage16_) {
      if (bytes_)  // the two forms called directly: one call, not two
        pair_flip<true>(i);
      else
        pair_flip<false>(i);
      arch_stale_ = true;  // ξ·σ = S: copied when read (arch())
      spins_[i] = static_cast<std::int8_t>(-spins_[i]);
      return;
    }
#endif
    flip_any(i);
  }
  double energy() const;
  double recompute_energy() const;  // overlaps rebuilt from the spins, energies by direct evaluation
  std::span<const std::int8_t> spins() const { return spins_; }
  void measure(std::span<double> out) const;
  void measure_vectors(std::span<double> out) const;
  void serialize(Archive& ar) {
    ar.io(spins_);
    if (!ar.saving()) rebuild();
  }

  std::span<const std::int64_t> archetype_overlaps() const { return arch(); }  // ξ^μ·σ of the patterns held

  // Exact integer form, for splitting the patterns over ranks (storage, packed and exact): the energy
  // and a flip's energy change are energy_unit() times integers that add over disjoint pattern sets,
  // and delta_energy(i), energy() are computed from them in exactly this way.
  bool exact() const { return D_->exact && !sup_ && D_->data.mode == HebbianMode::storage; }
  std::int64_t delta_units(int i) const;
  // Calls f(k) with a functor k, k(i) == delta_units(i), for the sweep loop: on the common path (P = 2,
  // int16 overlaps, either form) it holds the addresses it reads and its type fixes the group
  // count up to 512 channels, so the loop has no path tests and reaches the site's row in one step
  // after a flip; elsewhere k calls delta_units.
  template <class F>
  decltype(auto) with_delta_kernel(F&& f) const;
  // Called by the sweep (engine/fast_sweep.hpp) before each sweep: chooses, for the P = 2 int16 path,
  // between the overlaps as int16 (two bytes per channel: cheap flips) and the one-byte form (see Wb_:
  // cheaper ΔE, dearer flips and centre moves) from the acceptance of the last sweep, with hysteresis.
  // Either gives the same integers; only the speed differs.
  void before_sweep();
  // That choice made by hand (tests, benchmarks): `automatic` (the default) lets before_sweep choose.
  enum class Form { automatic, one_byte, two_bytes };
  // Acceptance (accepted flips per site in the last sweep) below which the automatic choice enters
  // the one-byte form, and above which it leaves it (kBytesEnter < kBytesLeave: a walker whose
  // acceptance hovers between them keeps its form).
  static constexpr double kBytesEnter = 0.10, kBytesLeave = 0.16;
  void set_form(Form form);
  bool one_byte_form() const { return bytes_; }
  void prefetch(int i) const;  // a hint: the site after this one will probably be i
  bool prefetch_pays() const { return D_->wbits.size() * sizeof(std::uint16_t) > (std::size_t{1} << 20); }  // rows beyond L2
  bool integer_delta() const { return !sup_ && D_->packed; }  // delta_energy(i) = energy_unit() × delta_units(i)
  std::int64_t energy_units() const;
  double energy_unit() const { return D_->unit; }
  static int pattern_count(const Params& p) { return p.K; }
  static Params holding(Params p, int first, int count) {
    p.first_pattern = first;
    p.held_patterns = count;
    return p;
  }
  // Scalars and vectors of a storage network from all K overlaps ξ^μ·σ (measure() uses them too).
  // measure_overlaps returns the index of the retrieved pattern (the first with the largest |ξ^μ·σ|).
  static int measure_overlaps(int N, std::span<const std::int64_t> overlaps, std::span<double> out);
  static void measure_vectors_overlaps(int N, std::span<const std::int64_t> overlaps, std::span<double> out);

 private:
  const std::int8_t* channel_row(int i) const {
    const auto& d = D_->data;
    return d.mode == HebbianMode::storage ? &d.xi[static_cast<std::size_t>(i) * C_]
                                          : &d.examples[static_cast<std::size_t>(i) * C_];
  }
  double channel_delta(int i) const {
    const std::int8_t* w = channel_row(i);
    const int s = spins_[i];
    const double* a = half_diff_.data();
    const double* b = half_sum_.data();
    double dE = 0;
    // ΔE_c = b_c + x a_c with x = w σ ∈ {-1, 0, +1} (times |x| where entries may be 0): branch-free
    // (the sign of x is a coin flip for unretrieved patterns) and vectorised.
    if (!D_->zeros) {
#pragma omp simd reduction(+ : dE)
      for (int c = 0; c < C_; ++c) dE += b[c] + static_cast<double>(w[c] * s) * a[c];
    } else {
#pragma omp simd reduction(+ : dE)
      for (int c = 0; c < C_; ++c) {
        const double x = w[c] * s;
        dE += x * a[c] + x * x * b[c];
      }
    }
    return dE;
  }
  // Packed path: with x_c = w_ic σ_i the channel change is D_x = (H_c - x_c G_c)/2 in units, so
  // ΔE = unit (Hsum - σ_i (Gsum - 2 Σ_{c: w_ic = -1} G_c))/2: one masked integer sum over the site's
  // bit row (AVX-512 masked adds of int32 G), exact.
  double packed_delta(int i) const;
  void packed_refresh();  // from S_ (fresh): G_ or S16_, the sums and the edge list
  void packed_flip(int i);
  void flip_any(int i);  // flip() for every representation
  void pair16_flip(int i);  // packed_flip for pair16 (AVX-512 BW)
  template <bool bytes>
  void pair_flip(int i);  // pair16_flip in one representation
  void enter_bytes();   // Wb_, R16_ and base_ from S16_; bytes_ = true
  std::int16_t centre(int S) const;  // a centre for an overlap S: w = (S - R)/2 far from ±127
  template <int G>
  auto byte_kernel() const;          // delta_units in the one-byte form (AVX-512 BW), G groups (0: at run time)
  template <int G>
  auto word_kernel() const;          // delta_units from S16_ (AVX-512 BW), G groups (0: at run time)
  void recentre(int c);              // R_c = centre(S_c), base_ corrected at every site
  void side_sums();                  // pair16: side_ from ssum_
  void quadratic_sums(std::int64_t top, std::int64_t bottom);  // P = 2: gsum_, hsum_ from ssum_ and the edge counts
  // Where the overlaps live: S16_ alone under the pair16 flip (AVX-512 BW), else S_.
  bool overlaps16() const {
#if defined(__AVX512BW__)
    return D_->packed && D_->pair16;
#else
    return false;
#endif
  }
  std::int32_t overlap(int c) const { return overlaps16() ? S16_[c] : S_[c]; }
  double supervised_delta(int i) const;
  void refresh_channel(int c);
  void refresh_pattern(int mu);  // supervised: e_0..e_{P-1} (double) from the power sums
  long double pattern_energy_units(int mu) const;  // supervised: e_P (or p_1^P), long double from the integers
  void rebuild();
  static void build_packed(Disorder& D, const Params& p);
  double sum_overlap(int mu) const;  // learning modes: A^μ·σ = M ξ̂^μ·σ

  std::shared_ptr<const Disorder> D_;
  // D_->wbits.data() and D_->blocks, copied: the site's row address is then one load from this model
  // rather than two (through D_), on the path every attempt waits for.
  const std::uint16_t* rows_ = nullptr;
  std::size_t blocks_ = 0;
  bool storage16_ = false;  // packed storage with overlaps16(): flip() calls pair_flip
  int N_ = 0, P_ = 2, K_ = 0, C_ = 0, M_ = 1;
  bool sup_ = false, self_ = false;
  std::vector<std::int8_t> spins_;
  std::vector<std::int32_t, CacheAligned<std::int32_t>> S_;  // ±1 channels: overlaps (|S| ≤ N < 2^24); empty where overlaps16()
  std::vector<double> half_diff_, half_sum_;  // ±1 channels: cached a, b at the current S
  std::vector<std::int16_t, CacheAligned<std::int16_t>> S16_;  // pair16: the overlaps as int16, padded (see Disorder)
  // pair16, one-byte form (bytes_): w_c = (S_c - R_c)/2 as one signed byte per channel, per 64 channels
  // in the order bits_to_bytes gives, with a centre R_c ≡ S_c (mod 2) moved (recentre) whenever w_c would
  // leave [-128, 127]; base_[i] = Σ_{c: w_ic = -1} R_c, so that Σ_{c: w_ic = -1} S_c = 2 Σ w_c + base_[i]:
  // one multiply-add per 64 channels instead of two masked int16 adds, but each flip also rewrites w.
  // Otherwise (two bytes) ΔE sums S16_ itself and a flip only updates S16_.
  bool bytes_ = false;
  Form form_ = Form::automatic;
  std::vector<std::int8_t, CacheAligned<std::int8_t>> Wb_;
  std::vector<std::int16_t, CacheAligned<std::int16_t>> R16_;  // padded with 0, like S16_
  std::vector<std::int32_t> base_;
  // pair16: ΔE units = side_[1 + σ_i] + 8 σ_i Σ_{c: w_ic = -1} S_c with side_[1 ± 1] = 4C ∓ 4 Σ_c S_c:
  // indexed by the spin itself (no compare).
  std::int64_t side_[3] = {};
  int recentred_ = 0;          // centres moved since before_sweep last looked
  int flipped_ = 0;            // pair16: flips since before_sweep last looked
  int words_wait_ = 0, backoff_ = 1;  // sweeps left in the two-byte form after centres moved, and the next such wait
  std::vector<std::int32_t, CacheAligned<std::int32_t>> G_;  // packed, P > 2: G at the current S (padded with zeros to 16 blocks)
  std::int64_t gsum_ = 0, hsum_ = 0;  // packed: Σ_c G_c, Σ_c H_c
  std::int64_t ssum_ = 0;             // packed, P = 2: Σ_c S_c
  std::vector<std::int64_t> odd_;     // supervised: [μ * odd + j] Σ_i A_i^{2j+1} σ_i
  double inverse_[17] = {};           // 1/k
  std::vector<double> ed_;            // supervised: [k * K + μ] e_k(A^μ∘σ), k < P (for ΔE)
  const std::vector<std::int64_t>& arch() const;  // ξ^μ·σ, brought up to date
  mutable std::vector<std::int64_t> arch_;  // ξ^μ·σ (stale after packed storage flips until read)
  mutable bool arch_stale_ = false;
  std::vector<int> edges_;            // packed P = 2: channels at S = ±N (not kept by the pair16 flip, whose ΔE needs no edge terms)
};

// e_P of n variables ±1 whose sum is S (Newton's identities with p_odd = S, p_even = n), for tests
// and for the channel tables.
long double elementary_pm1(int P, long double S, long double n);
// e_0..e_P from power sums p[1..P] (p[0] unused), by Newton's identities.
void elementary_from_power_sums(int P, const long double* p, long double* e);

namespace dense_hebbian_detail {
// Σ_j v_j over the set bits j of the 16-bit row masks; `narrow`: every partial sum fits in int32,
// else int32 lanes are widened every `flush` blocks (each lane then holds at most flush/2 terms).
inline std::int64_t masked_sum(const std::uint16_t* row, const std::int32_t* v, int blocks, bool narrow, int flush) {
  std::int64_t sum = 0;
#if defined(__AVX512F__)
  if (narrow) {
    __m512i a0 = _mm512_setzero_si512(), a1 = a0, a2 = a0, a3 = a0;
    int b = 0;
    for (; b + 4 <= blocks; b += 4) {
      a0 = _mm512_mask_add_epi32(a0, row[b], a0, _mm512_loadu_si512(v + 16 * b));
      a1 = _mm512_mask_add_epi32(a1, row[b + 1], a1, _mm512_loadu_si512(v + 16 * b + 16));
      a2 = _mm512_mask_add_epi32(a2, row[b + 2], a2, _mm512_loadu_si512(v + 16 * b + 32));
      a3 = _mm512_mask_add_epi32(a3, row[b + 3], a3, _mm512_loadu_si512(v + 16 * b + 48));
    }
    for (; b < blocks; ++b) a0 = _mm512_mask_add_epi32(a0, row[b], a0, _mm512_loadu_si512(v + 16 * b));
    return _mm512_reduce_add_epi32(_mm512_add_epi32(_mm512_add_epi32(a0, a1), _mm512_add_epi32(a2, a3)));
  }
  auto widen = [](__m512i a) {
    return _mm512_add_epi64(_mm512_cvtepi32_epi64(_mm512_castsi512_si256(a)), _mm512_cvtepi32_epi64(_mm512_extracti64x4_epi64(a, 1)));
  };
  for (int b0 = 0; b0 < blocks; b0 += flush) {
    const int b1 = std::min(blocks, b0 + flush);
    __m512i a0 = _mm512_setzero_si512(), a1 = _mm512_setzero_si512();
    int b = b0;
    for (; b + 2 <= b1; b += 2) {
      a0 = _mm512_mask_add_epi32(a0, row[b], a0, _mm512_loadu_si512(v + 16 * b));
      a1 = _mm512_mask_add_epi32(a1, row[b + 1], a1, _mm512_loadu_si512(v + 16 * b + 16));
    }
    if (b < b1) a0 = _mm512_mask_add_epi32(a0, row[b], a0, _mm512_loadu_si512(v + 16 * b));
    sum += _mm512_reduce_add_epi64(_mm512_add_epi64(widen(a0), widen(a1)));
  }
#else
  (void)narrow;
  (void)flush;
  for (int b = 0; b < blocks; ++b)
    for (int j = 0; j < 16; ++j)
      if ((row[b] >> j) & 1) sum += v[16 * b + j];
#endif
  return sum;
}
// Two consecutive 16-bit row masks as one 32-bit mask (little-endian: channel 16b + j is bit j).
inline std::uint32_t mask32(const std::uint16_t* row) {
  std::uint32_t m;
  std::memcpy(&m, row, sizeof m);
  return m;
}
#if defined(__AVX512BW__)
// The 64 bits of m as bytes 0/`one` (1 or 2), transposed: byte 8q + b is bit 8b + q. Each byte of a
// broadcast sees only its own byte of m, so the byte at b of qword q takes bit q of byte b: one affine
// map over GF(2) per qword (GFNI), or a mask and a clamp.
template <int one = 1>
[[gnu::always_inline]] inline __m512i bits_to_bytes(const std::uint16_t* row) {
  static_assert(one == 1 || one == 2);
  std::uint64_t m;
  std::memcpy(&m, row, sizeof m);
  const __m512i x = _mm512_set1_epi64(static_cast<long long>(m));
#if defined(__GFNI__)
  // Matrix row 7 - k gives output bit k: bit k = log2(one) is input bit q, the others 0.
  constexpr int at = one == 1 ? 56 : 48;
  const __m512i pick = _mm512_set_epi64(0x80LL << at, 0x40LL << at, 0x20LL << at, 0x10LL << at, 0x08LL << at,
                                        0x04LL << at, 0x02LL << at, 0x01LL << at);
  return _mm512_gf2p8affine_epi64_epi8(x, pick, 0);
#else
  const __m512i bit = _mm512_set_epi64(0x8080808080808080LL, 0x4040404040404040LL, 0x2020202020202020LL,
                                       0x1010101010101010LL, 0x0808080808080808LL, 0x0404040404040404LL,
                                       0x0202020202020202LL, 0x0101010101010101LL);
  const __m512i b = _mm512_min_epu8(_mm512_and_si512(x, bit), _mm512_set1_epi8(1));
  return one == 1 ? b : _mm512_add_epi8(b, b);
#endif
}
// acc + the sums of four products of unsigned bytes x and signed bytes v, per int32 lane.
[[gnu::always_inline]] inline __m512i dot_bytes(__m512i acc, __m512i x, const std::int8_t* v) {
#if defined(__AVX512VNNI__)
  return _mm512_dpbusd_epi32(acc, x, _mm512_load_si512(v));
#else  // no saturation: |x v + x' v'| ≤ 512 (x ≤ 2)
  return _mm512_add_epi32(acc, _mm512_madd_epi16(_mm512_maddubs_epi16(x, _mm512_load_si512(v)), _mm512_set1_epi16(1)));
#endif
}
// acc + the int16 lanes of a widened to int32 (pairs summed).
[[gnu::always_inline]] inline __m512i widen_words(__m512i acc, __m512i a) {
#if defined(__AVX512VNNI__)
  return _mm512_dpwssd_epi32(acc, a, _mm512_set1_epi16(1));
#else
  return _mm512_add_epi32(acc, _mm512_madd_epi16(a, _mm512_set1_epi16(1)));
#endif
}
// Σ_c v_c over the set bits c of a row, v int16 in groups of 128 channels (no remainder: see
// Disorder::pair16): per 32 channels one masked add of int16 lanes (the row's 32 bits are the mask),
// into four accumulators that are widened to int32 every `flush` groups (flush max|v| < 2^15). G > 0:
// the group count is known at compile time and the loop disappears (G = 0: `groups` at run time).
template <int G>
[[gnu::always_inline]] inline std::int32_t masked_sum_words_groups(const std::uint16_t* row, const std::int16_t* v, int groups, int flush) {
  __m512i a0 = _mm512_setzero_si512(), a1 = a0, a2 = a0, a3 = a0, wide = a0;
  const int n = G > 0 ? G : groups;
  const auto add = [&](int g) __attribute__((always_inline)) {
    const std::uint16_t* r = row + 8 * g;
    const std::int16_t* x = v + 128 * g;
    a0 = _mm512_mask_add_epi16(a0, _cvtu32_mask32(mask32(r)), a0, _mm512_load_si512(x));
    a1 = _mm512_mask_add_epi16(a1, _cvtu32_mask32(mask32(r + 2)), a1, _mm512_load_si512(x + 32));
    a2 = _mm512_mask_add_epi16(a2, _cvtu32_mask32(mask32(r + 4)), a2, _mm512_load_si512(x + 64));
    a3 = _mm512_mask_add_epi16(a3, _cvtu32_mask32(mask32(r + 6)), a3, _mm512_load_si512(x + 96));
  };
  const auto widen = [&] __attribute__((always_inline)) {  // a tree: it is on the attempt's latency path
    const __m512i one = _mm512_set1_epi16(1);
    wide = _mm512_add_epi32(wide, _mm512_add_epi32(_mm512_add_epi32(_mm512_madd_epi16(a0, one), _mm512_madd_epi16(a1, one)),
                                                   _mm512_add_epi32(_mm512_madd_epi16(a2, one), _mm512_madd_epi16(a3, one))));
  };
  if (n <= flush) {
    for (int g = 0; g < n; ++g) add(g);
    widen();
  } else {
    for (int g = 0, t = 0; g < n; ++g) {
      add(g);
      if (++t == flush || g + 1 == n) {
        widen();
        a0 = a1 = a2 = a3 = _mm512_setzero_si512();
        t = 0;
      }
    }
  }
  return _mm512_reduce_add_epi32(wide);
}
// 2 Σ_c w_c over the set bits c of a row in the one-byte form (DenseHebbian::Wb_), per 64 channels one
// transform of the row bits to bytes 0/2 and one multiply-add.
template <int G>
[[gnu::always_inline]] inline std::int32_t masked_sum_bytes_groups(const std::uint16_t* row, const std::int8_t* w, int groups) {
  __m512i a0 = _mm512_setzero_si512(), a1 = _mm512_setzero_si512();
  const int n = G > 0 ? G : groups;
  for (int g = 0; g < n; ++g, row += 8, w += 128) {
    a0 = dot_bytes(a0, bits_to_bytes<2>(row), w);
    a1 = dot_bytes(a1, bits_to_bytes<2>(row + 4), w + 64);
  }
  return _mm512_reduce_add_epi32(_mm512_add_epi32(a0, a1));
}
#endif
}  // namespace dense_hebbian_detail

#if defined(__AVX512BW__)
namespace dense_hebbian_detail {
// Site i's bit row for the pair16 kernels: pair16 rows fill whole groups of 128 channels (8 words per
// group), so with G known at compile time the address is a shift; a site is never negative, so i is
// zero-extended for free.
template <int G>
[[gnu::always_inline]] inline const std::uint16_t* site_row(const std::uint16_t* rows, std::size_t blocks, int i) {
  const std::size_t stride = G > 0 ? 8 * G : blocks;
  return rows + static_cast<std::uint32_t>(i) * stride;
}
template <int G>
struct ByteKernel {  // delta_units in the one-byte form, G groups (0: `groups`)
  const std::uint16_t* rows;
  std::size_t blocks;
  int groups;
  const std::int8_t* wb;
  const std::int32_t* base;
  const std::int8_t* spins;
  const std::int64_t* side;  // DenseHebbian::side_ + 1
  [[gnu::always_inline]] std::int64_t operator()(int i) const {
    const auto at = static_cast<std::uint32_t>(i);
    // Σ_{c: w_ic = -1} S_c = 2 Σ w_c + base_i (|·| ≤ K N < 2^31), times σ_i; side[σ_i] (side points
    // at the middle of DenseHebbian::side_) is one indexed load.
    const std::int32_t sum = masked_sum_bytes_groups<G>(site_row<G>(rows, blocks, i), wb, groups) + base[at];
    const std::int64_t s = spins[at];
    return side[s] + 8 * (s * sum);
  }
};
}  // namespace dense_hebbian_detail

template <int G>
auto DenseHebbian::byte_kernel() const {
  return dense_hebbian_detail::ByteKernel<G>{rows_, blocks_, D_->groups, Wb_.data(), base_.data(), spins_.data(), side_ + 1};
}
#endif

#if defined(__AVX512BW__)
namespace dense_hebbian_detail {
template <int G>
struct WordKernel {  // delta_units for pair16 from S16_, G groups (0: `groups`)
  const std::uint16_t* rows;
  std::size_t blocks;
  int groups, flush;
  const std::int16_t* s16;
  const std::int8_t* spins;
  const std::int64_t* side;  // DenseHebbian::side_ + 1
  [[gnu::always_inline]] std::int64_t operator()(int i) const {
    const auto at = static_cast<std::uint32_t>(i);
    const std::int32_t sum = masked_sum_words_groups<G>(site_row<G>(rows, blocks, i), s16, groups, flush);
    const std::int64_t s = spins[at];
    return side[s] + 8 * (s * sum);
  }
};
}  // namespace dense_hebbian_detail

template <int G>
auto DenseHebbian::word_kernel() const {
  return dense_hebbian_detail::WordKernel<G>{rows_, blocks_, D_->groups, D_->word_flush, S16_.data(), spins_.data(), side_ + 1};
}
#endif

// Always inlined: it is the body of the sweep loop (engine/fast_sweep.hpp), whose registers it shares.
[[gnu::always_inline]] inline std::int64_t DenseHebbian::delta_units(int i) const {
#if defined(__AVX512BW__)
  if (bytes_)
    return byte_kernel<0>()(i);
  if (overlaps16())
    return word_kernel<0>()(i);
#endif
  const std::uint16_t* row = rows_ + static_cast<std::size_t>(i) * blocks_;
  std::int64_t neg;  // Σ_{c: w_ic = -1} G_c
  if (D_->quadratic) {
    // P = 2: G = 8S inside; the few channels at S = ±N have G = 8S ∓ (4N + 4).
    neg = 8 * dense_hebbian_detail::masked_sum(row, S_.data(), D_->blocks, D_->narrow, D_->flush);
    for (const int c : edges_) {  // branch-free: the row bit is a coin flip for the predictor
      const std::int64_t bit = (row[c / 16] >> (c % 16)) & 1, corr = 4 * std::int64_t{N_} + 4;
      neg += bit * (overlap(c) > 0 ? -corr : corr);
    }
  } else {
    neg = dense_hebbian_detail::masked_sum(row, G_.data(), D_->blocks, D_->narrow, D_->flush);
  }
  const std::int64_t twice = hsum_ - spins_[i] * (gsum_ - 2 * neg);  // 2 Σ_c D_{x_c}, even
  return twice / 2;
}

template <class F>
decltype(auto) DenseHebbian::with_delta_kernel(F&& f) const {
#if defined(__AVX512BW__)
  if (bytes_)
    return with_static_count<4>(D_->groups, [&](auto G) {
      return f(byte_kernel<G>());
    });
  if (overlaps16())
    return with_static_count<4>(D_->groups, [&](auto G) {
      return f(word_kernel<G>());
    });
#endif
  return f([this](int i) { return delta_units(i); });
}

inline void DenseHebbian::prefetch(int i) const {  // the first line of the site's bit row
  __builtin_prefetch(rows_ + static_cast<std::size_t>(i) * blocks_, 0, 3);
}

inline double DenseHebbian::packed_delta(int i) const { return D_->unit * static_cast<double>(delta_units(i)); }

}  // namespace ptmc
