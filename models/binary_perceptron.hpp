// Binary perceptron σ ∈ {±1}^N on P = αN examples: storage (random labels), teacher–student (labels
// from a random binary teacher) and continual learning (a second task coupled to a first-task sample).
// The state caches every integer stability s_μ = y_μ σ·x^μ, so a flip costs O(P) and energies are exact.
// This file is the physics: parameters, disorder, the cost, spins, measurements and the reference ΔE
// (loops over the stabilities, every case). The fast form for binary inputs with the count cost lives in
// models/kernels/: perceptron_sign_bits.hpp (examples one bit each), perceptron_edge_masks.hpp
// (near-threshold masks, popcount ΔE) and perceptron_stability_planes.hpp (the stabilities as bit
// planes, which a flip moves 512 at a time).
#pragma once
#include <cmath>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "engine/sweep/fast_sweep.hpp"
#include "engine/model.hpp"
#include "engine/sweep/static_count.hpp"
#include "models/kernels/perceptron_edge_masks.hpp"
#include "models/kernels/perceptron_sign_bits.hpp"

namespace ptmc {

class BinaryPerceptron {
 public:
  __extension__ typedef __int128 i128;  // GCC/Clang; sums of squared Gaussian fixed-point gaps

  enum class Mode { storage, teacher_student, continual };
  enum class Inputs { binary, gaussian };
  enum class Cost { count, quadratic };

  struct Params {
    int N = 0;
    double alpha = 1.0;
    int P = 0;  // round(alpha N), at least 1
    Mode mode = Mode::storage;
    double kappa = 0.0;
    Inputs inputs = Inputs::binary;
    int test_size = 0;
    Cost cost = Cost::count;
    // Continual learning (mode = continual): task 1 has P1 = round(alpha1 N) examples of teacher 1;
    // task 2 (the one sampled) has P examples of teacher 2 = teacher 1 ∘ χ, P(χ_i = +1) = (1 + r0)/2.
    double alpha1 = 1.0;
    int P1 = 0;
    double r0 = 1.0;
    double lambda = 0.0;  // energy term -λ σ·σ_ref
    double beta_ref = 5.0;
    // σ_ref: the configuration at beta_ref after ref_sweeps sweeps of parallel tempering on task 1 over
    // ref_temperatures inverse temperatures, geometric from ref_beta_min to beta_ref (one: plain Metropolis).
    int ref_sweeps = 2000;
    int ref_temperatures = 16;
    double ref_beta_min = 0.5;
  };

  // Gaussian inputs are stored in fixed point, x ≈ z / 2^16, so stabilities stay exact integers.
  static constexpr double gaussian_scale = 65536.0;

  struct Disorder {
    int N = 0, P = 0;
    bool binary = true;
    // Examples with their labels folded in, z_{iμ} = y_μ x^μ_i, site-major: z[i*P + μ].
    std::vector<std::int8_t> binary_examples;     // binary inputs
    std::vector<std::int32_t> gaussian_examples;  // Gaussian inputs, fixed point
    PerceptronSignBits sign_bits;                 // binary inputs, one bit each (the edge-mask ΔE reads them)
    std::int64_t threshold = 0;    // constraint μ violated iff s_μ <= threshold (i.e. Δ_μ <= κ)
    double theta = 0;              // κ √N in stability units (quadratic cost)
    double unit = 1;               // Δ_μ = s_μ / unit
    std::vector<std::int8_t> teacher, teacher2, reference;  // teacher 1, teacher 2, σ_ref (empty if unused)
    // Continual mode, the reference's own quantities (constant per sample): σ_ref·teacher₁/N, its violated
    // fraction of task 1, teacher₁·teacher₂/N, the round trips (hot → cold → hot) of its tempering run, and
    // 1 if that run passed its equilibration check (reference_sample in binary_perceptron.cpp), else 0.
    double ref_R = NAN, ref_train_error = NAN, teacher_overlap = NAN, ref_round_trips = NAN, ref_equilibrated = NAN;
    // Continual mode: task 1's P1 examples, labels folded in, site-major (the student's train_error1).
    int P1 = 0;
    std::vector<std::int8_t> task1_binary_examples;
    std::vector<std::int32_t> task1_gaussian_examples;
    // Fresh test examples labelled by teacher 1, labels folded in, site-major: t[i*test_size + ν].
    int test_size = 0;
    std::vector<std::int8_t> test_binary;
    std::vector<std::int32_t> test_gaussian;
  };

  static std::span<const ParamSpec> parameters();
  static Params parse(const ParamReader& r);
  static std::shared_ptr<const Disorder> make_disorder(const Params& p, Rng& rng);
  // m: the teacher overlap R (storage: the magnetisation Σσ/N, there being no teacher); R = σ·teacher₁/N;
  // train_error: violated fraction of the sampled task; eg = arccos(R)/π; eg_test: error on the fresh
  // test set of teacher 1; solved: 1 if no constraint is violated; R2 = σ·teacher₂/N, R_ref = σ·σ_ref/N.
  // Names are the same in every mode; what a mode lacks is NaN. Continual mode adds the reference's
  // own constants (Disorder): ref_R, ref_train_error, teacher_overlap, ref_round_trips, ref_equilibrated (its
  // mean over samples is the fraction of references that passed their equilibration check); and the student's
  // train_error1, its violated fraction of task 1's examples (what it has forgotten of task 1's data).
  // Memory (engine/model_entry.hpp).
  static double disorder_bytes(const Params& p);
  static double walker_bytes(const Params& p);
  static ObservableNames observable_names(const Params& p) {
    ObservableNames n = {"m", "R", "train_error", "eg", "eg_test", "solved", "R2", "R_ref"};
    if (p.mode == Mode::continual)
      for (const char* k : {"ref_R", "ref_train_error", "teacher_overlap", "ref_round_trips", "ref_equilibrated", "train_error1"})
        n.emplace_back(k);
    return n;
  }
  static std::vector<std::pair<std::string, Scalar>> derived_attributes(const Params& p);

  BinaryPerceptron(const Params& p, std::shared_ptr<const Disorder> disorder, Rng& rng);
  // engine/sweep/fast_sweep.hpp (exact acceptance without std::exp), in integers on the edge path, through the
  // kernels' own ΔE functors; the example counts P = round(alpha N) (and P1) recorded per point.
  static constexpr ModelFeatures features{.fast_sweep = true,
                                          .integer_delta = true,
                                          .energy_kernel = true,
                                          .delta_kernel = true,
                                          .derived_attributes = true};

  int size() const { return static_cast<int>(spins_.size()); }
  // Binary inputs with the count cost (no reference term): the edge-bit popcounts, inline so that the
  // sweep loop holds the whole attempt; every other case: the general loops over the stabilities.
  double delta_energy(int i) const {
    return integer_delta() ? static_cast<double>(edge_violated_change(i)) : reference_delta(i);
  }
  // An IntegerDeltaModel of engine/sweep/fast_sweep.hpp on the edge path: ΔE = 1 × the change of the
  // violated count, so at low acceptance the sweep rejects in integers (measured +55 % at N = 1001).
  bool integer_delta() const { return edge_path_ && disorder_->reference.empty(); }
  std::int64_t delta_units(int i) const { return edge_violated_change(i); }
  static constexpr double energy_unit() { return 1.0; }
  // Calls f(k) with a functor k, k(i) == delta_units(i), for the integer sweep loop (integer_delta() only).
  template <class F>
  decltype(auto) with_delta_kernel(F&& f) const { return with_edge_delta_kernel<std::int64_t>(std::forward<F>(f)); }
  // No prefetch(i) hint for engine/sweep/fast_sweep.hpp: measured without gain (rows of 2–6 lines at N ≤ 3001).
  // Calls f(k) with a functor k, k(i) == delta_energy(i), for the sweep loops: on the edge path it
  // holds the addresses it reads (and for up to 2048 constraints the word count is a constant).
  template <class F>
  decltype(auto) with_energy_kernel(F&& f) const;
  // The edge path inline, with no frame of its own: the sweep's flip is then one call, into the
  // planes' (the out-of-line body realigned the stack for the other paths' vectors at every flip).
  void flip(int i) {
    if (edge_path_) {
      const int sigma = spins_[i];
      edges_.flip(disorder_->binary_examples.data() + static_cast<std::size_t>(i) * static_cast<std::size_t>(disorder_->P),
                  disorder_->sign_bits.row(i), binary_stabilities_.data(), static_cast<std::size_t>(disorder_->P), sigma,
                  static_cast<std::int32_t>(disorder_->threshold), violated_);
      if (!disorder_->reference.empty()) reference_overlap_ -= 2 * sigma * disorder_->reference[i];
      spins_[i] = static_cast<std::int8_t>(-sigma);
      return;
    }
    flip_any(i);
  }
  double energy() const;
  double recompute_energy() const;
  std::span<const std::int8_t> spins() const { return spins_; }
  void measure(std::span<double> out) const;
  void serialize(Archive& ar);

  // For tests: the cached stabilities (as int64) and their recomputation from the inputs.
  std::vector<std::int64_t> stabilities() const;
  std::vector<std::int64_t> recompute_stabilities() const;
  std::int64_t violated() const { return edge_path_ ? edges_.violated(violated_) : violated_; }

 private:
  double quadratic_cost(double violated, double gap_sum, double gap_square_sum) const;
  double reference_delta(int i) const;          // every case, from the stabilities (+ the reference term)
  std::int64_t edge_violated_change(int i) const;  // change of the violated count (edge_path_ only)
  void flip_any(int i);  // flip() off the edge path
  void rebuild_edge_masks();
  template <class R, class F>
  decltype(auto) with_edge_delta_kernel(F&& f) const;  // f(EdgeDeltaKernel<B, R>) (integer_delta() only)

  std::shared_ptr<const Disorder> disorder_;
  Cost cost_;
  double lambda_;
  bool storage_mode_;
  std::vector<std::int8_t> spins_;
  std::vector<std::int32_t> binary_stabilities_;    // s_μ, binary inputs
  std::vector<std::int64_t> gaussian_stabilities_;  // s_μ, Gaussian inputs (fixed point)
  // Violated constraints and, for the quadratic cost, Σ_violated g_μ and Σ_violated g_μ² with the
  // integer gap g_μ = threshold - s_μ >= 0: (κ - Δ_μ)² = (δ + g_μ)² / unit², δ = theta - threshold,
  // a sum of non-negative terms, so the energy is a function of exact integers (no drift, no cancellation).
  // violated_ is stale where the edge masks' bit planes hold the stabilities: read it through violated().
  std::int64_t violated_ = 0;
  std::int64_t gap_sum_ = 0;
  i128 gap_square_sum_ = 0;
  std::int64_t reference_overlap_ = 0;  // σ·σ_ref (continual mode)
  // Binary inputs with the count cost: ΔE from the near-threshold masks (models/kernels/perceptron_edge_masks.hpp).
  bool edge_path_ = false;
  PerceptronEdgeMasks edges_;
};

inline std::int64_t BinaryPerceptron::edge_violated_change(int i) const {
  const auto& bits = disorder_->sign_bits;
  const std::uint64_t negate = spins_[i] < 0 ? ~std::uint64_t{0} : 0;  // bit set iff y_μ = -1
  return perceptron_kernels::violated_count_change<0>(bits.row(i), edges_.satisfied_edge.data(),
                                                      edges_.violated_edge.data(), static_cast<std::size_t>(bits.words),
                                                      negate);
}

template <class F>
decltype(auto) BinaryPerceptron::with_energy_kernel(F&& f) const {
  if (integer_delta()) return with_edge_delta_kernel<double>(std::forward<F>(f));
  return f([this](int i) { return delta_energy(i); });
}

template <class R, class F>
decltype(auto) BinaryPerceptron::with_edge_delta_kernel(F&& f) const {
  const auto words = static_cast<std::size_t>(disorder_->sign_bits.words);
  // Whole blocks of 8 words, up to 2048 constraints, with the block count fixed at compile time.
  return with_static_count<4>(words % 8 == 0 ? static_cast<int>(words / 8) : 0, [&](auto B) {
    return f(perceptron_kernels::EdgeDeltaKernel<B, R>{disorder_->sign_bits.bits.data(), words,
                                                       edges_.satisfied_edge.data(), edges_.violated_edge.data(),
                                                       spins_.data()});
  });
}

// The sweeps of this model, the slowest templates of the build to compile, are compiled once in
// models/binary_perceptron_sweeps.cpp and linked where they are called.
extern template std::int64_t sweep<BinaryPerceptron>(BinaryPerceptron&, double, Dynamics, SweepOrder, Rng&);

}  // namespace ptmc
