// Multitasking Hebbian network: pairwise Hebbian couplings on diluted patterns ξ ∈ {-1, 0, +1}
// (P(0) = d), K finite, self-interactions removed; stored directly or learnt from examples.
//
//   storage:      H = -(1/(2N))        Σ_μ   Σ_{i≠j} ξ^μ_i ξ^μ_j σ_i σ_j
//   supervised:   H = -(1/(2N 𝓡))      Σ_μ   Σ_{i≠j} ξ̂^μ_i ξ̂^μ_j σ_i σ_j,   ξ̂^μ = (1/M) Σ_a η^{μa}
//   unsupervised: H = -(1/(2N M 𝓡))    Σ_μ Σ_a Σ_{i≠j} η^{μa}_i η^{μa}_j σ_i σ_j
// with examples η^{μa}_i = χ^{μa}_i ξ^μ_i (zeros kept), P(χ = ±1) = (1 ± r)/2, and
// 𝓡 = r² + (1 - r²)/M = E[ξ̂²]/(1 - d): this normalisation puts T_c = 1 - d at K = 1 in all three
// modes, and makes supervised and unsupervised share their low-storage solutions (see
// analysis/mf_multitasking.*). Every mode is E = -(s/2) Σ_c (U_c² - Σ_i w_ci²) over integer channels
// U_c = Σ_i w_ci σ_i (w = ξ, the example sums M ξ̂, or the examples η), so a flip costs O(channels),
// energies are exact integers times s, and nothing is recomputed.
//
// Observables: m (largest |m_μ|), m_1..m_K (the |m_μ| sorted decreasingly per measurement, since which
// pattern takes which rank depends on the run), loss; vector "overlaps": the signed m_μ = ξ^μ·σ/N.
// loss = (1/K) Σ_μ ℓ⁺_μ ℓ⁻_μ, the sum-squared error of the machine-learning reading: with
// ℓ^±_μ = (1/(2 n_μ)) Σ_{i: ξ^μ_i ≠ 0} (ξ^μ_i ∓ σ_i)² = 1 ∓ m_μ/f_μ (n_μ informative entries,
// f_μ = n_μ/N), the mean squared error of σ against ±ξ^μ on the informative entries (both signs,
// as H is even in σ); so loss = (1/K) Σ_μ (1 - (m_μ/f_μ)²) ∈ [0, 1], and H (storage) is
// (N/2) Σ_μ f_μ² ℓ⁺_μ ℓ⁻_μ plus a constant: minimising the energy minimises the per-pattern losses.
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "engine/sweep/fast_sweep.hpp"
#include "engine/sweep/lane_sweep.hpp"
#include "engine/sweep/paired_sweep.hpp"
#include "engine/model.hpp"
#include "engine/sweep/static_count.hpp"
#include "models/hebbian_data.hpp"
#include "models/kernels/channel_overlap_lanes.hpp"
#include "models/kernels/channel_overlap_registers.hpp"
#include "models/kernels/channel_overlaps.hpp"
#include "models/kernels/two_byte_channel_overlaps.hpp"

namespace ptmc {

class Multitasking {
 public:
  using Data = HebbianMode;
  struct Params {
    int N = 0, K = 1;
    double d = 0.0;
    Data data = Data::storage;
    int M = 1;
    double r = 1.0;
    // random, archetype (σ_i = the first nonzero ξ^μ_i, μ = 1..K: the T = 0 hierarchical state;
    // random where all vanish) or that state with each spin kept with probability (1 + q0)/2.
    HebbianInit init{};
    HebbianDataSet dataset{};  // examples from a labelled data set (models/hebbian_data.hpp); r is then measured
  };
  struct Disorder {
    HebbianData data;                    // archetypes data.xi[i * K + μ], sums; examples moved to w
    int C = 0;                           // energy channels: K (storage, supervised) or K M
    double scale = 0;                    // s in E = -(s/2) Σ_c (U_c² - Σ_i w_ci²)
    std::vector<std::int16_t> w;         // [i * C + c]: ξ, the example sums M ξ̂, or the examples η; then 8 zeros
    std::vector<std::int64_t> w2_site;   // [i] Σ_c w_ci²
    std::int64_t w2_total = 0;           // Σ_{i,c} w_ci²
    bool overlaps_fit_int32 = false;     // Σ_i |w_ci| < 2^31 for every c: |U_c| < 2^31 (kernels::kInt32Overlaps)
    // More than 16 channels, Σ_i |w_ci| < 2^15 for every c and max_i Σ_c |w_ci| × max_c Σ_i |w_ci| < 2^31:
    // the overlaps are held as int16 (kernels/two_byte_channel_overlaps.hpp).
    bool overlaps_fit_int16 = false;
    // Stored patterns, up to 8 channels: [i] bit c set where w_ci = +1, bit 8 + c where -1 (empty
    // elsewhere), for the kernel that holds the overlaps in a register.
    std::vector<std::uint16_t> signs;
  };

  static std::span<const ParamSpec> parameters();
  static Params parse(const ParamReader& r);
  static std::shared_ptr<const Disorder> make_disorder(const Params& p, Rng& rng);
  static ObservableNames observable_names(const Params& p);
  // Memory (engine/model_entry.hpp).
  static double disorder_bytes(const Params& p);
  static double walker_bytes(const Params& p);
  static std::vector<std::pair<std::string, Scalar>> derived_attributes(const Params& p);
  static std::vector<std::string> vector_names(const Params&) { return {"overlaps"}; }
  static std::size_t vector_length(const Params& p) { return static_cast<std::size_t>(p.K); }
  // 𝓡 = r² + (1 - r²)/M.
  static double example_power(const Params& p) { return hebbian_example_power(p.r, p.M); }

  Multitasking(const Params& p, std::shared_ptr<const Disorder> disorder, Rng& rng);
  // engine/sweep/fast_sweep.hpp, deciding in integers (ΔE is 2 s × an integer); derived attributes recorded
  // per point; the overlaps with every pattern as a vector.
  static constexpr ModelFeatures features{.fast_sweep = true,
                                          .integer_delta = true,
                                          .delta_kernel = true,
                                          .pair_delta = true,
                                          .resident_kernel = true,
                                          .lane_kernel = true,
                                          .derived_attributes = true,
                                          .vector_observables = true};

  int size() const { return static_cast<int>(spins_.size()); }
  // ΔE_i = 2 s (σ_i Σ_c w_ci U_c − Σ_c w_ci²), in units of 2 s (a power-of-two multiple of s, so
  // unit × units is the same double as the product written out).
  bool integer_delta() const { return true; }
  double energy_unit() const { return 2.0 * D_->scale; }
  std::int64_t delta_units(int i) const {
    if (two_byte_) return two_byte_kernel()(i);
    return kernels::ChannelOverlapKernel<0>{w_, U_.data(), spins_.data(), w2_site_, C_}(i);
  }
  // Calls f(C): the channel count fixed at compile time up to 8; beyond, kernels::kInt32Overlaps where
  // the overlaps stay within 32 bits, else 0.
  template <class F>
  decltype(auto) with_channel_count(F&& f) const {
    return with_static_count<kernels::kMaxUnrolledChannels>(C_, [&](auto C) {
      if constexpr (C == 0)
        if (D_->overlaps_fit_int32) return f(std::integral_constant<int, kernels::kInt32Overlaps>{});
      return f(C);
    });
  }
  // Calls f(k) with the ΔE functor, its channel count fixed at compile time up to 8, or the int16 one.
  template <class F>
  decltype(auto) with_delta_kernel(F&& f) const {
    return with_channel_count([&](auto C) {
      if constexpr (C == 0 || C == kernels::kInt32Overlaps)
        if (two_byte_) return f(two_byte_kernel());
      return f(kernels::ChannelOverlapKernel<C>{w_, U_.data(), spins_.data(), w2_site_, C_});
    });
  }
  double delta_energy(int i) const { return energy_unit() * static_cast<double>(delta_units(i)); }
  // Site i's delta_units after site j flipped, from d before: U_c moved by -2 σ_j(before) w_cj, so d
  // gains 2 σ_i σ_j(now) Σ_c w_ci w_cj; for i = j the flip is undone: -d.
  bool pair_delta() const { return true; }
  std::int64_t delta_units_after_flip(int i, std::int64_t d, int j) const {
    if (i == j) return -d;
    const std::int16_t* wi = &D_->w[static_cast<std::size_t>(i) * C_];
    const std::int16_t* wj = &D_->w[static_cast<std::size_t>(j) * C_];
    std::int64_t shared = 0;
    if (two_byte_) {
      shared = kernels::two_byte_dot(wi, wj, C_);  // |Σ_c w_ci w_cj| ≤ Σ_c |w_ci| max|w| < 2^31
    } else {
      for (int c = 0; c < C_; ++c) shared += static_cast<std::int64_t>(wi[c]) * wj[c];
    }
    return d + 2 * static_cast<std::int64_t>(spins_[i] * spins_[j]) * shared;
  }
  void flip(int i) {
    if (two_byte_) return flip_two_byte(i);
    with_channel_count([&](auto C) { flip_channels<C>(i); });
  }
  // Stored patterns, up to 8 channels: the overlaps in a register for a sweep
  // (kernels/channel_overlap_registers.hpp); elsewhere -1 (model_features.hpp). N = 4096, K = 4,
  // d = 0.3, flips/s (bench_acceptance, best of 2 interleaved) against the lookahead and table loops:
  // 73 % 67 -> 93 M, 42 % 72 -> 95 M, 30 % 97 -> 96 M, 24 % 111 -> 103 M, 97-100 % 95 -> 93 M.
  template <class F>
  std::int64_t with_resident_kernel(F&& f) {
#if PTMC_CHANNEL_OVERLAP_REGISTERS
    if (!D_->signs.empty())
      return f(kernels::ChannelOverlapRegisters({D_->signs.data(), w2_site_, C_}, U_.data(), spins_.data()));
#endif
    (void)f;
    return -1;
  }
  // Up to 16 channels: up to eight walkers of one disorder in the lanes of
  // kernels/channel_overlap_lanes.hpp (engine/sweep/lane_sweep.hpp), up to 8 stored patterns by their
  // signs, else by their weights where the overlaps stay within 32 bits (learnt patterns' archetype
  // overlaps are then counted again after the sweep); elsewhere -1 (model_features.hpp).
  template <class F>
  static std::int64_t with_lane_kernel(std::span<Multitasking* const> walkers, F&& f) {
#if defined(PTMC_LANE_SWEEP)
    std::array<std::int8_t*, kernels::SpinLanes::kLanes> spins{};
    std::array<std::int64_t*, kernels::SpinLanes::kLanes> overlaps{};
    const std::size_t count = walkers.size();
    if (count == 0 || count > spins.size()) return -1;
    const Disorder& D = *walkers[0]->D_;
    const bool signs = !D.signs.empty();
    if (!signs && (D.C > 16 || !D.overlaps_fit_int32)) return -1;
    for (std::size_t l = 0; l < count; ++l) {
      if (walkers[l]->D_ != walkers[0]->D_) return -1;
      spins[l] = walkers[l]->spins_.data();
      overlaps[l] = walkers[l]->U_.data();
    }
    const int n = walkers[0]->size();
    kernels::SpinLanes::Words words(n);
    const auto s = std::span(spins.data(), count);
    const auto u = std::span(overlaps.data(), count);
    if (signs) {
      const kernels::ChannelSigns layout{D.signs.data(), D.C};
      if (D.C <= 4) return f(kernels::ChannelOverlapLanes<4>(layout, s, u, n, words));
      return f(kernels::ChannelOverlapLanes<8>(layout, s, u, n, words));
    }
    const kernels::ChannelWeights layout{D.w.data(), D.w2_site.data(), D.C};
    const std::int64_t result = D.C <= 4   ? f(kernels::ChannelWeightLanes<4>(layout, s, u, n, words))
                                : D.C <= 8 ? f(kernels::ChannelWeightLanes<8>(layout, s, u, n, words))
                                           : f(kernels::ChannelWeightLanes<16>(layout, s, u, n, words));
    for (std::size_t l = 0; l < count; ++l) walkers[l]->count_archetype_overlaps();
    return result;
#else
    (void)walkers;
    (void)f;
    return -1;
#endif
  }
  double energy() const { return -0.5 * D_->scale * static_cast<double>(energy_units()); }
  // The energy in integers, Σ_c U_c² - Σ_{i,c} w_ci², from the overlaps when asked (once per sweep for
  // a swap round): a flip then only moves the overlaps. Kept up to date at every flip it took a second
  // pass over the site's row: bench/ladders/multitasking_unsupervised.toml (128 channels) 19.3–20.4 ->
  // 23.8–24.4 M flips/s, alternating runs.
  std::int64_t energy_units() const {
    std::int64_t e = -D_->w2_total;
    for (const std::int64_t u : overlaps()) e += u * u;
    return e;
  }
  double recompute_energy() const;  // the pair sum over i ≠ j, from scratch
  std::span<const std::int8_t> spins() const { return spins_; }
  void measure(std::span<double> out) const;
  void measure_vectors(std::span<double> out) const;
  void serialize(Archive& ar) {
    if (ar.saving() && storage_) S_ = overlaps();  // kept in U_ alone while sweeping (see flip_channels)
    if (ar.saving()) overlaps();                    // U_ current (copied from the int16 overlaps)
    ar.io(spins_);
    ar.io(U_);
    ar.io(S_);
    if (!ar.saving()) int16_from_overlaps();
    std::int64_t e = energy_units();  // in the layout, though derived from U_
    ar.io(e);
  }

  std::span<const std::int64_t> archetype_overlaps() const { return storage_ ? std::span<const std::int64_t>(overlaps()) : S_; }  // ξ^μ·σ

 private:
  // C fixed at compile time up to 8. Stored patterns are the channels themselves (w = ξ), so their
  // overlaps are U_ and S_ is not updated (filled only for a checkpoint, whose layout keeps it).
  template <int C>
  void flip_channels(int i) {
    const auto at = static_cast<std::size_t>(i);
    const std::int16_t* w = w_ + at * static_cast<std::size_t>(C_);
    const std::int64_t sigma = spins_[at];
    kernels::channel_step<C>(U_.data(), w, -2 * sigma, C_);
    flip_spin(at);
  }
  // The rest of a flip of site `at` once its channels moved: learnt patterns' archetype overlaps, the spin.
  void flip_spin(std::size_t at) {
    const int sigma = spins_[at];
    if (!storage_) {
      const std::int8_t* x = &D_->data.xi[at * static_cast<std::size_t>(K_)];
      for (int mu = 0; mu < K_; ++mu) S_[mu] -= 2 * sigma * x[mu];
    }
    spins_[at] = static_cast<std::int8_t>(-sigma);
  }

  // S_ from the spins (learnt patterns; the lanes do not move it flip by flip).
  void count_archetype_overlaps();

  // Int16 overlaps (Disorder::overlaps_fit_int16): the flip moves U16_ alone and U_ is copied from it
  // when read. bench/ladders/multitasking_unsupervised.toml (N = 4096, K = 4, M = 32: 128 channels,
  // 64 % mean acceptance), interleaved: 23.0-23.3 -> 39.7-41.0 M flips/s.
  kernels::TwoByteChannelKernel two_byte_kernel() const { return {w_, U16_.data(), spins_.data(), w2_site_, C_}; }
  void flip_two_byte(int i) {
    const auto at = static_cast<std::size_t>(i);
    const int sigma = spins_[at];
    kernels::two_byte_step(U16_.data(), w_ + at * static_cast<std::size_t>(C_), -2 * sigma, C_);
    U_stale_ = true;
    flip_spin(at);
  }
  // U16_ from U_ (two_byte_).
  void int16_from_overlaps() {
    if (two_byte_)
      for (int c = 0; c < C_; ++c) U16_[static_cast<std::size_t>(c)] = static_cast<std::int16_t>(U_[static_cast<std::size_t>(c)]);
  }
  // The int64 overlaps, current.
  const std::vector<std::int64_t>& overlaps() const {
    if (U_stale_) {
      for (int c = 0; c < C_; ++c) U_[static_cast<std::size_t>(c)] = U16_[static_cast<std::size_t>(c)];
      U_stale_ = false;
    }
    return U_;
  }

  std::shared_ptr<const Disorder> D_;
  // D_->w.data() and D_->w2_site.data(), copied: one load from this model on the attempt's path.
  const std::int16_t* w_ = nullptr;
  const std::int64_t* w2_site_ = nullptr;
  bool storage_ = false;
  int C_ = 0, K_ = 0;
  std::vector<std::int8_t> spins_;
  mutable std::vector<std::int64_t> U_;  // channel overlaps (stale after int16 flips until read: overlaps())
  std::vector<std::int16_t> U16_;        // the same as int16, padded to whole vectors (two_byte_)
  bool two_byte_ = false;
  mutable bool U_stale_ = false;
  std::vector<std::int64_t> S_;  // archetype overlaps
};

// The sweeps of this model, the slowest templates of the build to compile, are compiled once in
// models/multitasking_sweeps.cpp and linked where they are called.
extern template std::int64_t sweep<Multitasking>(Multitasking&, double, Dynamics, SweepOrder, Rng&);
extern template std::array<std::int64_t, 2> sweep_pair<Multitasking>(Multitasking&, Multitasking&, std::array<double, 2>, Dynamics, SweepOrder, Rng&, Rng&);
extern template std::array<std::int64_t, kSweepLanes> sweep_lanes<Multitasking>(std::span<Multitasking* const>, std::span<const double>, Dynamics,
                                                                              SweepOrder, std::span<Rng* const>);

}  // namespace ptmc
