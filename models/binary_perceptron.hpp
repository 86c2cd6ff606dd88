// Binary perceptron σ ∈ {±1}^N on P = αN examples: storage (random labels), teacher–student (labels
// from a random binary teacher) and continual learning (a second task coupled to a first-task sample).
// The state caches every integer stability s_μ = y_μ σ·x^μ, so a flip costs O(P) and energies are exact.
#pragma once
#include <bit>
#include <cmath>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "engine/fast_sweep.hpp"
#include "engine/model.hpp"
#include "engine/simd.hpp"
#include "engine/static_count.hpp"

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
    std::vector<std::int8_t> zb;   // binary inputs
    // Binary inputs, bit-packed for the count cost's fast ΔE: bit μ%64 of zbits[i*words + μ/64] is set
    // iff z_{iμ} = -1 (padding bits zero).
    int words = 0;
    std::vector<std::uint64_t> zbits;
    std::vector<std::int32_t> zg;  // Gaussian inputs, fixed point
    std::int64_t threshold = 0;    // constraint μ violated iff s_μ <= threshold (i.e. Δ_μ <= κ)
    double theta = 0;              // κ √N in stability units (quadratic cost)
    double unit = 1;               // Δ_μ = s_μ / unit
    std::vector<std::int8_t> teacher, teacher2, reference;  // teacher 1, teacher 2, σ_ref (empty if unused)
    // Continual mode, the reference's own quantities (constant per sample): σ_ref·teacher₁/N, its violated
    // fraction of task 1, teacher₁·teacher₂/N, and the round trips (hot → cold → hot) of its tempering run.
    double ref_R = NAN, ref_train_error = NAN, teacher_overlap = NAN, ref_round_trips = NAN;
    // Fresh test examples labelled by teacher 1, labels folded in, site-major: t[i*test_size + ν].
    int test_size = 0;
    std::vector<std::int8_t> test_b;
    std::vector<std::int32_t> test_g;
  };

  static std::span<const ParamSpec> parameters();
  static Params parse(const ParamReader& r);
  static std::shared_ptr<const Disorder> make_disorder(const Params& p, Rng& rng);
  // m: the teacher overlap R (storage: the magnetisation Σσ/N, there being no teacher); R = σ·teacher₁/N;
  // train_error: violated fraction of the sampled task; eg = arccos(R)/π; eg_test: error on the fresh
  // test set of teacher 1; solved: 1 if no constraint is violated; R2 = σ·teacher₂/N, R_ref = σ·σ_ref/N.
  // Names are the same in every mode; what a mode lacks is NaN. Continual mode adds the reference's
  // own constants (Disorder): ref_R, ref_train_error, teacher_overlap, ref_round_trips.
  // Memory (engine/model_entry.hpp).
  static double disorder_bytes(const Params& p);
  static double walker_bytes(const Params& p);
  static ObservableNames observable_names(const Params& p) {
    ObservableNames n = {"m", "R", "train_error", "eg", "eg_test", "solved", "R2", "R_ref"};
    if (p.mode == Mode::continual)
      for (const char* k : {"ref_R", "ref_train_error", "teacher_overlap", "ref_round_trips"}) n.emplace_back(k);
    return n;
  }
  static std::vector<std::pair<std::string, Scalar>> derived_attributes(const Params& p);

  BinaryPerceptron(const Params& p, std::shared_ptr<const Disorder> disorder, Rng& rng);
  static constexpr bool fast_sweep = true;  // engine/fast_sweep.hpp: exact acceptance without std::exp

  int size() const { return static_cast<int>(spins_.size()); }
  // Binary inputs with the count cost (no reference term): the edge-bit popcounts, inline so that the
  // sweep loop holds the whole attempt; every other case: the general loops over the stabilities.
  double delta_energy(int i) const { return integer_delta() ? static_cast<double>(edge_delta(i)) : general_delta(i); }
  // An IntegerDeltaModel of engine/fast_sweep.hpp on the edge path: ΔE = 1 × the change of the
  // violated count, so at low acceptance the sweep rejects in integers (measured +55 % at N = 1001).
  bool integer_delta() const { return edges_ && d_->reference.empty(); }
  std::int64_t delta_units(int i) const { return edge_delta(i); }
  static constexpr double energy_unit() { return 1.0; }
  // Calls f(k) with a functor k, k(i) == delta_units(i), for the integer sweep loop (integer_delta() only).
  template <class F>
  decltype(auto) with_delta_kernel(F&& f) const { return with_edge_kernel<std::int64_t>(std::forward<F>(f)); }
  // No prefetch(i) hint for engine/fast_sweep.hpp: measured without gain (rows of 2–6 lines at N ≤ 3001).
  // Calls f(k) with a functor k, k(i) == delta_energy(i), for the sweep loops: on the edge path it
  // holds the addresses it reads (and for up to 2048 constraints the word count is a constant).
  template <class F>
  decltype(auto) with_energy_kernel(F&& f) const;
  void flip(int i);
  double energy() const;
  double recompute_energy() const;
  std::span<const std::int8_t> spins() const { return spins_; }
  void measure(std::span<double> out) const;
  void serialize(Archive& ar);

  // For tests: the cached stabilities (as int64) and their recomputation from the inputs.
  std::vector<std::int64_t> stabilities() const;
  std::vector<std::int64_t> recompute_stabilities() const;
  std::int64_t violated() const { return violated_; }

 private:
  double cost_from(double n, double g1, double g2) const;
  template <class Z, class S>
  double delta_kernel(const Z* z, const S* s, int sigma) const;
  template <class Z, class S>
  void flip_kernel(const Z* z, S* s, int sigma);

  std::shared_ptr<const Disorder> d_;
  Cost cost_;
  double lambda_;
  bool storage_;
  std::vector<std::int8_t> spins_;
  std::vector<std::int32_t> sb_;  // stabilities, binary inputs
  std::vector<std::int64_t> sg_;  // stabilities, Gaussian inputs
  // Violated constraints and, for the quadratic cost, Σ_violated g_μ and Σ_violated g_μ² with the
  // integer gap g_μ = threshold - s_μ >= 0: (κ - Δ_μ)² = (δ + g_μ)² / unit², δ = theta - threshold,
  // a sum of non-negative terms, so the energy is a function of exact integers (no drift, no cancellation).
  std::int64_t violated_ = 0;
  std::int64_t gap1_ = 0;
  i128 gap2_ = 0;
  std::int64_t ref_overlap_ = 0;  // σ·σ_ref (continual mode)
  // Binary inputs, count cost: constraint μ changes status on a flip only if its stability is within
  // 2 of the threshold t. edge_down_ marks t < s_μ ≤ t+2 (violated if s_μ drops by 2, i.e. y_μ = σ_i z_{iμ} = +1),
  // edge_up_ marks t-2 < s_μ ≤ t (satisfied if s_μ rises by 2, y_μ = -1), bit-packed like Disorder::zbits,
  // so ΔE = popcount(edge_down & [y = +1]) - popcount(edge_up & [y = -1]): O(P/64) words per attempt.
  bool edges_ = false;
  std::vector<std::uint64_t> edge_down_, edge_up_;
  void rebuild_edges();
  double general_delta(int i) const;
  std::int64_t edge_delta(int i) const;  // change of the violated count (edges_ only)
  void flip_edges(int i);                 // stabilities and edge bits after flipping σ_i (edges_ only)
  template <class R, class F>
  decltype(auto) with_edge_kernel(F&& f) const;  // f(EdgeKernel<B, R>) (integer_delta() only)
};

namespace perceptron_detail {
// Σ_w popcount(down_w ∧ ¬y_w) - popcount(up_w ∧ y_w) with y = z ^ negate: the change of the violated
// count. B > 0: exactly B blocks of 8 words, known at compile time (B = 0: `words` at run time).
template <int B>
[[gnu::always_inline]] inline std::int64_t edge_count(const std::uint64_t* z, const std::uint64_t* down,
                                                      const std::uint64_t* up, std::size_t words, std::uint64_t negate) {
  std::int64_t dn = 0;
  std::size_t w = 0;
#if defined(__AVX512F__) && defined(__AVX512VPOPCNTDQ__)
  const std::size_t n = B > 0 ? 8 * B : words;
  const __m512i neg = _mm512_set1_epi64(static_cast<long long>(negate));
  __m512i acc = _mm512_setzero_si512();
  for (; w + 8 <= n; w += 8) {
    const __m512i y_minus = _mm512_xor_si512(_mm512_loadu_si512(z + w), neg);
    const __m512i d = _mm512_andnot_si512(y_minus, _mm512_loadu_si512(down + w));
    const __m512i u = _mm512_and_si512(y_minus, _mm512_loadu_si512(up + w));
    acc = _mm512_add_epi64(acc, _mm512_sub_epi64(_mm512_popcnt_epi64(d), _mm512_popcnt_epi64(u)));
  }
  dn = _mm512_reduce_add_epi64(acc);
  if constexpr (B > 0) return dn;
#endif
  for (; w < words; ++w) {
    const std::uint64_t y_minus = z[w] ^ negate;
    dn += std::popcount(down[w] & ~y_minus) - std::popcount(up[w] & y_minus);
  }
  return dn;
}

// ΔE on the edge path as R (the change of the violated count), holding the addresses it reads (see
// with_energy_kernel, with_delta_kernel).
template <int B, class R>
struct EdgeKernel {
  const std::uint64_t* zbits;
  std::size_t words;
  const std::uint64_t* down;
  const std::uint64_t* up;
  const std::int8_t* spins;
  [[gnu::always_inline]] R operator()(int i) const {
    const std::uint64_t negate = spins[i] < 0 ? ~std::uint64_t{0} : 0;  // bit set iff y_μ = -1
    return static_cast<R>(edge_count<B>(zbits + static_cast<std::size_t>(i) * words, down, up, words, negate));
  }
};
}  // namespace perceptron_detail

inline std::int64_t BinaryPerceptron::edge_delta(int i) const {
  const auto words = static_cast<std::size_t>(d_->words);
  const std::uint64_t negate = spins_[i] < 0 ? ~std::uint64_t{0} : 0;  // bit set iff y_μ = -1
  return perceptron_detail::edge_count<0>(&d_->zbits[static_cast<std::size_t>(i) * words], edge_down_.data(),
                                          edge_up_.data(), words, negate);
}

template <class F>
decltype(auto) BinaryPerceptron::with_energy_kernel(F&& f) const {
  if (integer_delta()) return with_edge_kernel<double>(std::forward<F>(f));
  return f([this](int i) { return delta_energy(i); });
}

template <class R, class F>
decltype(auto) BinaryPerceptron::with_edge_kernel(F&& f) const {
  const auto words = static_cast<std::size_t>(d_->words);
  // Whole blocks of 8 words, up to 2048 constraints, with the block count fixed at compile time.
  return with_static_count<4>(words % 8 == 0 ? static_cast<int>(words / 8) : 0, [&](auto B) {
    return f(perceptron_detail::EdgeKernel<B, R>{d_->zbits.data(), words, edge_down_.data(), edge_up_.data(), spins_.data()});
  });
}

}  // namespace ptmc
