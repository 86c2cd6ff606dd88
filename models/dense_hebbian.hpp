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
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "engine/model.hpp"
#include "models/hebbian_data.hpp"

namespace ptmc {

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
  };

  static std::span<const ParamSpec> parameters();
  static Params parse(const ParamReader& r);
  static std::shared_ptr<const Disorder> make_disorder(const Params& p, Rng& rng);
  static ObservableNames observable_names(const Params&) { return {"m", "m_other", "nbar", "n", "m1"}; }
  static std::vector<std::pair<std::string, Scalar>> derived_attributes(const Params& p);
  static std::vector<std::string> vector_names(const Params&) { return {"m", "nbar"}; }
  static std::size_t vector_length(const Params& p) { return static_cast<std::size_t>(p.K); }
  static double rho(const Params& p) { return hebbian_rho(p.r, p.M); }
  static double example_power(const Params& p) { return hebbian_example_power(p.r, p.M); }  // 𝓡

  DenseHebbian(const Params& p, std::shared_ptr<const Disorder> disorder, Rng& rng);

  int size() const { return N_; }
  double delta_energy(int i) const { return sup_ ? supervised_delta(i) : channel_delta(i); }
  void flip(int i);
  double energy() const;
  double recompute_energy() const;  // overlaps rebuilt from the spins, energies by direct evaluation
  std::span<const std::int8_t> spins() const { return spins_; }
  void measure(std::span<double> out) const;
  void measure_vectors(std::span<double> out) const;
  void serialize(Archive& ar) {
    ar.io(spins_);
    if (!ar.saving()) rebuild();
  }

  std::span<const std::int64_t> archetype_overlaps() const { return arch_; }  // ξ^μ·σ

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
  double supervised_delta(int i) const;
  void refresh_channel(int c);
  void refresh_pattern(int mu);  // supervised: e_0..e_{P-1} (double) from the power sums
  long double pattern_energy_units(int mu) const;  // supervised: e_P (or p_1^P), long double from the integers
  void rebuild();
  double sum_overlap(int mu) const;  // learning modes: A^μ·σ = M ξ̂^μ·σ

  std::shared_ptr<const Disorder> D_;
  int N_ = 0, P_ = 2, K_ = 0, C_ = 0, M_ = 1;
  bool sup_ = false, self_ = false;
  std::vector<std::int8_t> spins_;
  std::vector<std::int64_t> S_;       // ±1 channels: overlaps
  std::vector<double> half_diff_, half_sum_;  // ±1 channels: cached a, b at the current S
  std::vector<std::int64_t> odd_;     // supervised: [μ * odd + j] Σ_i A_i^{2j+1} σ_i
  double inverse_[17] = {};           // 1/k
  std::vector<double> ed_;            // supervised: [k * K + μ] e_k(A^μ∘σ), k < P (for ΔE)
  std::vector<std::int64_t> arch_;    // ξ^μ·σ
};

// e_P of n variables ±1 whose sum is S (Newton's identities with p_odd = S, p_even = n), for tests
// and for the channel tables.
long double elementary_pm1(int P, long double S, long double n);
// e_0..e_P from power sums p[1..P] (p[0] unused), by Newton's identities.
void elementary_from_power_sums(int P, const long double* p, long double* e);

}  // namespace ptmc
