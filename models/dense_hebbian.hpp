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
// and each channel caches D± = E(S ± 2) - E(S): an attempted flip is a select-and-add over the K (or
// K M) entries of site i, stored contiguously. Supervised sums A are not ±1: the odd power sums
// Σ_j A_j^k σ_j (k odd ≤ P) are integer channels, the even ones constants; Newton's identities give
// e_0..e_P per pattern, and flipping x_i → -x_i changes e_P by -2 x_i Σ_j (-x_i)^j e_{P-1-j}.
// energy() sums the channel energies of the current integer overlaps: exact, no accumulated drift.
//
// Observables: m (signed Mattis overlap of the pattern with the largest |m_μ|, "the retrieved one"),
// m_other (second largest |m_μ|), nbar (n̄ = ξ̂·σ/(N r (1+ρ)) of the retrieved archetype; |m| in
// storage), n (mean example overlap (1/M) Σ_a η^{μa}·σ/N of the retrieved archetype; |m| in storage);
// nbar and n are oriented by the sign of m. Vectors: m_μ and n̄_μ (signed), for every pattern.
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
    std::vector<double> up, down;     // E_n(S + 2) - E_n(S), E_n(S - 2) - E_n(S)
    long double coef = 0;             // channel energy = coef · e_P (coef · overlap^P with self-interactions)
    // supervised
    int odd = 0;                      // odd power sums per pattern: k = 1, 3, ..., ≤ P
    std::vector<long double> even;    // [μ * (P/2 + 1) + k/2] Σ_j A_j^k for even k ≤ P
    double nbar_norm = 1;             // 1/(M N r (1 + ρ))
  };

  static std::span<const ParamSpec> parameters();
  static Params parse(const ParamReader& r);
  static std::shared_ptr<const Disorder> make_disorder(const Params& p, Rng& rng);
  static ObservableNames observable_names(const Params&) { return {"m", "m_other", "nbar", "n"}; }
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
    double dE = 0;
    if (!D_->zeros) {
      for (int c = 0; c < C_; ++c) dE += w[c] == s ? down_[c] : up_[c];  // x = wσ = +1 moves S by -2
    } else {
      for (int c = 0; c < C_; ++c) {
        const int x = w[c] * s;
        dE += x > 0 ? down_[c] : x < 0 ? up_[c] : 0.0;
      }
    }
    return dE;
  }
  double supervised_delta(int i) const;
  void refresh_channel(int c);
  void refresh_pattern(int mu);  // supervised: e_0..e_P from the power sums
  void rebuild();
  double sum_overlap(int mu) const;  // learning modes: A^μ·σ = M ξ̂^μ·σ

  std::shared_ptr<const Disorder> D_;
  int N_ = 0, P_ = 2, K_ = 0, C_ = 0, M_ = 1;
  bool sup_ = false, self_ = false;
  std::vector<std::int8_t> spins_;
  std::vector<std::int64_t> S_;       // ±1 channels: overlaps
  std::vector<double> up_, down_;     // ±1 channels: cached D±
  std::vector<std::int64_t> odd_;     // supervised: [μ * odd + j] Σ_i A_i^{2j+1} σ_i
  std::vector<long double> e_;        // supervised: [μ * (P + 1) + k] e_k(A^μ∘σ)
  std::vector<double> ed_;            // supervised: [μ * P + k] e_k in double, k < P (for ΔE)
  std::vector<std::int64_t> arch_;    // ξ^μ·σ
};

// e_P of n variables ±1 whose sum is S (Newton's identities with p_odd = S, p_even = n), for tests
// and for the channel tables.
long double elementary_pm1(int P, long double S, long double n);
// e_0..e_P from power sums p[1..P] (p[0] unused), by Newton's identities.
void elementary_from_power_sums(int P, const long double* p, long double* e);

}  // namespace ptmc
