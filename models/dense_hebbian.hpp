// Dense (P-body) Hebbian network: the physics only (parameters, energy tables, spins, measurements).
// How ΔE is computed fast lives in models/kernels/, one file per stored form, each tested equal to this.
//
// Stores K patterns, or learns K archetypes from M noisy examples each (docs/conventions.md, "Dense
// Hebbian network"). With A^μ = Σ_a η^{μa} = M ξ̂^μ and 𝓡 = r²(1 + ρ):
//
//   storage:      H = -(P!/(2 N^{P-1}))                   Σ_μ     e_P(ξ^μ∘σ)
//   supervised:   H = -(P!/(2 N^{P-1} M^P 𝓡^{P/2}))       Σ_μ     e_P(A^μ∘σ)
//   unsupervised: H = -(P!/(2 N^{P-1} M 𝓡^{P/2}))         Σ_μ Σ_a e_P(η^{μa}∘σ)
//
// e_P = elementary symmetric polynomial (P distinct sites): the self-interactions are removed. With
// self_interaction = true, P! e_P(x) becomes (Σ_j x_j)^P, i.e. H = -(N/2) Σ (overlap/N)^P. P = 2 storage
// is the Hopfield model; K = 1 with ξ = 1 is Curie–Weiss.
//
// For ±1 channels (patterns, examples) e_P depends only on the integer overlap S = Σ_j x_j σ_j and the
// number n of nonzero entries (Newton's identities with power sums p_odd = S, p_even = n), so each
// channel's energy is a table E_n(S) and a flip moves S by ±2. Supervised sums A are not ±1: the odd
// power sums Σ_j A_j^k σ_j (k odd ≤ P) are integer channels, the even ones constants. energy() sums
// the channel energies of the current integer overlaps (or power sums): exact, no accumulated drift.
// The ΔE forms (models/kernels/): channel_energy_steps (any ±1/0 channels), pattern_power_sums
// (supervised), packed_pattern_bits (exact integers, ±1 channels without zeros), and for P = 2 with
// int16 overlaps int16_overlap_forms over two_byte_overlaps and one_byte_offsets.
//
// Observables: m (signed Mattis overlap of the pattern with the largest |m_μ|, "the retrieved one"),
// m_other (second largest |m_μ|), nbar (n̄ = ξ̂·σ/(N r (1+ρ)) of the retrieved archetype; |m| in
// storage), n (mean example overlap (1/M) Σ_a η^{μa}·σ/N of the retrieved archetype; |m| in storage);
// nbar and n are oriented by the sign of m; m1 (signed overlap with archetype 1, the one that
// init = "archetype" starts from: at small N and large K the largest |m_μ| of random patterns is far
// from 0, so retrieval experiments read m1). Vectors: m_μ and n̄_μ (signed), for every pattern.
#pragma once
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "engine/sweep/fast_sweep.hpp"
#include "engine/sweep/paired_sweep.hpp"
#include "engine/model.hpp"
#include "models/hebbian_data.hpp"
#include "models/kernels/channel_energy_steps.hpp"
#include "models/kernels/int16_overlap_forms.hpp"
#include "models/kernels/packed_pattern_bits.hpp"
#include "models/kernels/pattern_power_sums.hpp"

namespace ptmc {

class DenseHebbian {
 public:
  struct Params {
    int N = 0, P = 2, K = 1;
    double alpha = 0;  // the load as given by alpha (0 when K was given): the theory's N → ∞ load
    HebbianMode data = HebbianMode::storage;
    int M = 1;
    double r = 1.0;  // example quality (given, or from rho)
    bool self_interaction = false;
    HebbianInit init{};
    std::string data_file, data_dataset;
    HebbianDataSet dataset{};  // examples from a labelled data set (models/hebbian_data.hpp); r is then measured
    // This instance holds only the patterns [first_pattern, first_pattern + held_patterns) (0: all;
    // storage only). Set by the engine when it splits the patterns over ranks, never by a file.
    int first_pattern = 0, held_patterns = 0;
  };
  struct Disorder {
    HebbianData data;
    int P = 2, C = 0;                 // C: ±1 channels (K storage, K M unsupervised, 0 supervised)
    bool has_zeros = false;                 // some channel entry is 0
    std::vector<std::int32_t> nonzero;      // [c] n: nonzero entries of channel c
    std::vector<std::int64_t> table_offset; // [c] offset of the table of n (index (S + n)/2)
    std::vector<long double> energy_table;  // channel energy E_n(S)
    // With D± = E_n(S ± 2) - E_n(S): a = (D- - D+)/2, b = (D- + D+)/2 (kernels/channel_energy_steps.hpp).
    std::vector<double> half_difference, half_sum;
    long double coef = 0;             // channel energy = coef · e_P (coef · overlap^P with self-interactions)
    // supervised
    int odd_powers = 0;                         // odd power sums per pattern: k = 1, 3, ..., ≤ P
    std::vector<long double> even_power_sums;   // [μ * (P/2 + 1) + k/2] Σ_j A_j^k for even k ≤ P
    std::vector<double> even_power_sums_d;      // the same in double
    double nbar_norm = 1;                       // 1/(M N r (1 + ρ))
    // The exact integer form of the ±1 channels without zeros (false where it does not apply).
    kernels::PackedPatternBits packed;
    // Unsupervised with int16 channel overlaps and ±1 archetypes: bit i of words [μ archetype_words, ...)
    // set where ξ_i^μ = -1, so that ξ^μ·σ is counted from the spins when read and a flip moves only the
    // example channels (empty elsewhere).
    std::vector<std::uint64_t> archetype_bits;
    int archetype_words = 0;
  };

  // Parameters: declared in parameters(), read and checked in parse() (dense_hebbian.cpp).
  static std::span<const ParamSpec> parameters();
  static Params parse(const ParamReader& r);
  static std::shared_ptr<const Disorder> make_disorder(const Params& p, Rng& rng);
  // init = "test" adds `correct` (1 when the largest ξ^μ·σ is the test image's class) and `m_class`
  // (the overlap with that class's archetype).
  static ObservableNames observable_names(const Params& p) {
    ObservableNames names{"m", "m_other", "nbar", "n", "m1"};
    if (p.init.kind == HebbianInit::Kind::test) names.insert(names.end(), {"correct", "m_class"});
    return names;
  }
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
  // engine/sweep/fast_sweep.hpp (exact acceptance without std::exp), in integers on the packed path, through
  // the kernels' ΔE functor, with a prefetch hint beyond L2 and a choice of overlap form before each
  // sweep; K from alpha recorded per point; m and nbar of every pattern as vectors; slices of the
  // patterns on a group of ranks (split = "patterns").
  static constexpr ModelFeatures features{.fast_sweep = true,
                                          .integer_delta = true,
                                          .prefetch = true,
                                          .delta_kernel = true,
                                          .before_sweep = true,
                                          .pair_delta = true,
                                          .resident_kernel = true,
                                          .derived_attributes = true,
                                          .vector_observables = true,
                                          .split_patterns = true};
  double delta_energy(int i) const {
    if (supervised_) return power_sums_.delta(sums_row(i), spins_[i], static_cast<double>(D_->coef));
    if (D_->packed) return D_->packed.unit * static_cast<double>(delta_units(i));
    return energy_steps_.delta(channel_row(i), spins_[i], C_, D_->has_zeros);
  }
  void flip(int i) {
    if (int16_flips_) {  // the common Hopfield case inline: a flip in the sweep is then one call
      int16_forms_.flip(i, spins_[i]);
      archetype_overlaps_stale_ = true;  // ξ·σ: derived when read (archetype_overlaps())
      spins_[i] = static_cast<std::int8_t>(-spins_[i]);
      return;
    }
    flip_any(i);
  }
  double energy() const;
  double recompute_energy() const;  // overlaps rebuilt from the spins, energies by direct evaluation
  std::span<const std::int8_t> spins() const { return spins_; }
  void measure(std::span<double> out) const;
  void measure_vectors(std::span<double> out) const;
  void serialize(Archive& ar) {
    ar.io(spins_);
    if (test_class_ >= 0) ar.io(test_class_);  // init = test only: other checkpoints keep their layout
    if (!ar.saving()) rebuild();
  }
  std::span<const std::int64_t> archetype_overlaps() const;  // ξ^μ·σ of the patterns held

  // Exact integer form, for splitting the patterns over ranks (storage, packed and exact): the energy
  // and a flip's energy change are energy_unit() times integers that add over disjoint pattern sets,
  // and delta_energy(i), energy() are computed from them in exactly this way.
  bool exact() const { return D_->packed.exact && !supervised_ && D_->data.mode == HebbianMode::storage; }
  std::int64_t delta_units(int i) const;
  // Calls f(k) with a functor k, k(i) == delta_units(i), for the sweep loop: for int16 overlaps its
  // type fixes the group count up to 512 channels (kernels/int16_overlap_forms.hpp), so the loop has
  // no path tests; elsewhere k calls delta_units.
  template <class F>
  decltype(auto) with_delta_kernel(F&& f) const;
  // P = 2 with ±1 channels (the packed integer form): site i's ΔE units after site j flipped, from d
  // before. Each channel's units are 4 - 4 x_c S_c with x_c = ξ_ic σ_i, and the flip moves S_c by
  // -2 ξ_jc σ_j(before), so d changes by 8 σ_i σ_j(before) Σ_c ξ_ic ξ_jc = 8 σ_i σ_j(before) (C - 2 h_ij),
  // h_ij the Hamming distance of the two sites' bit rows; for i = j the change is undone: -d.
  bool pair_delta() const { return P_ == 2 && integer_delta(); }
  [[gnu::always_inline]] std::int64_t delta_units_after_flip(int i, std::int64_t d, int j) const {
    if (i == j) return -d;
    const std::int64_t same = C_ - 2 * kernels::row_distance(bit_row(i), bit_row(j), row_words_);
    return d - 8 * static_cast<std::int64_t>(spins_[i] * spins_[j]) * same;  // σ_j(before) = -spins_[j]
  }
  // Int16 overlaps in the two-byte form with up to 512 channels: the sweep's kernel that keeps them in
  // registers (kernels/two_byte_overlap_registers.hpp); elsewhere -1 (model_features.hpp).
  template <class F>
  std::int64_t with_resident_kernel(F&& f) {
#if defined(__AVX512BW__)
    if (int16_flips_) {
      archetype_overlaps_stale_ = true;
      return int16_forms_.with_resident_kernel(spins_.data(), std::forward<F>(f));
    }
#endif
    (void)f;
    return -1;
  }
  // Called by the sweep before each sweep: int16 overlaps choose their form (one or two bytes) from
  // the last sweep's acceptance. Either gives the same integers; only the speed differs.
  void before_sweep() { int16_forms_.before_sweep(); }
  using Form = kernels::Int16OverlapForms::Form;  // that choice made by hand (tests, benchmarks)
  void set_form(Form form) { int16_forms_.set_form(form); }
  bool one_byte_form() const { return int16_forms_.one_byte(); }
  void prefetch(int i) const { __builtin_prefetch(bit_row(i), 0, 3); }  // a hint: the next site will probably be i
  bool prefetch_pays() const { return D_->packed.negative_bits.size() * sizeof(std::uint16_t) > (std::size_t{1} << 20); }  // rows beyond L2
  bool integer_delta() const { return !supervised_ && D_->packed; }  // delta_energy(i) = energy_unit() × delta_units(i)
  std::int64_t energy_units() const;
  double energy_unit() const { return D_->packed.unit; }
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
  const std::int16_t* sums_row(int i) const { return &D_->data.sums[static_cast<std::size_t>(i) * K_]; }
  const std::uint16_t* bit_row(int i) const { return rows_ + static_cast<std::size_t>(i) * row_words_; }
  bool int16_overlaps() const { return kernels::kInt16OverlapForms && D_->packed.int16_overlaps; }
  std::int32_t overlap(int c) const { return int16_overlaps() ? int16_forms_.overlap(c) : overlaps_[c]; }
  void flip_any(int i);  // flip() for every form
  void rebuild();
  long double pattern_energy_units(int mu) const;  // supervised: e_P (or p_1^P), long double from the integers
  double sum_overlap(int mu) const;  // learning modes: A^μ·σ = M ξ̂^μ·σ

  std::shared_ptr<const Disorder> D_;
  // D_->packed.negative_bits.data() and row_words, copied: the site's row address is then one load
  // from this model rather than two (through D_), on the path every attempt waits for.
  const std::uint16_t* rows_ = nullptr;
  std::size_t row_words_ = 0;
  // Int16 channel overlaps and archetype overlaps derived when read (storage: they are the channels;
  // unsupervised: Disorder::archetype_bits): flip() goes to int16_forms_ alone, and the sweep may keep
  // the overlaps in registers (with_resident_kernel). Unsupervised N = 4096, K = 32, M = 8 ladder
  // (bench/ladders/hopfield.toml with those data, r = 0.6): 43-47 -> 65-69 M flips/s; counting ξ·σ
  // at each measurement (every 10 sweeps) moved the share outside sweeps from 1.1-1.6 % to 1.9-2.7 %.
  bool int16_flips_ = false;
  int N_ = 0, P_ = 2, K_ = 0, C_ = 0, M_ = 1;
  bool supervised_ = false, self_interaction_ = false;
  int test_class_ = -1;  // init = test: the class (archetype index) of the walker's test image; before spins_
  std::vector<std::int8_t> spins_;
  // ±1 channels: the overlaps S_c (|S| ≤ N < 2^24), padded to whole 16-channel words in the packed
  // form; empty where the int16 forms hold them.
  AlignedVector<std::int32_t> overlaps_;
  // The walker's part of each ΔE form (kernels/): only the one in use is filled.
  kernels::ChannelEnergySteps energy_steps_;  // ±1 channels with zeros, or beyond the integer limits
  kernels::PackedSums packed_sums_;           // packed int32 overlaps
  kernels::Int16OverlapForms int16_forms_;    // packed P = 2, overlaps in int16
  kernels::PatternPowerSums power_sums_;      // supervised
  mutable std::vector<std::int64_t> archetype_overlaps_;  // ξ^μ·σ (stale after int16 flips until read)
  mutable bool archetype_overlaps_stale_ = false;
};

// e_P of n variables ±1 whose sum is S (Newton's identities with p_odd = S, p_even = n), for tests
// and for the channel tables.
long double elementary_pm1(int P, long double S, long double n);
// e_0..e_P from power sums p[1..P] (p[0] unused), by Newton's identities.
void elementary_from_power_sums(int P, const long double* p, long double* e);

// Always inlined: it is the body of the sweep loop (engine/sweep/fast_sweep.hpp), whose registers it shares.
[[gnu::always_inline]] inline std::int64_t DenseHebbian::delta_units(int i) const {
#if defined(__AVX512BW__)
  if (int16_overlaps()) return int16_forms_.delta_units(spins_.data(), i);
#endif
  return packed_sums_.delta_units(D_->packed, bit_row(i), spins_[i], overlaps_.data(), N_);
}

template <class F>
decltype(auto) DenseHebbian::with_delta_kernel(F&& f) const {
#if defined(__AVX512BW__)
  if (int16_overlaps()) return int16_forms_.with_kernel(spins_.data(), std::forward<F>(f));
#endif
  return f([this](int i) { return delta_units(i); });
}

// The sweeps of this model, the slowest templates of the build to compile, are compiled once in
// models/dense_hebbian_sweeps.cpp and linked where they are called.
extern template std::int64_t sweep<DenseHebbian>(DenseHebbian&, double, Dynamics, SweepOrder, Rng&);
extern template std::array<std::int64_t, 2> sweep_pair<DenseHebbian>(DenseHebbian&, DenseHebbian&, std::array<double, 2>, Dynamics, SweepOrder, Rng&, Rng&);

}  // namespace ptmc
