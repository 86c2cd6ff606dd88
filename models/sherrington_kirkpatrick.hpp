// Sherrington–Kirkpatrick spin glass, H = -Σ_{i<j} J_ij σ_i σ_j with J_ij ~ N(0, 1/N) (or ±1/√N), each
// coupling rounded to float.
// The one model with explicit couplings: the state caches local fields h_i = Σ_j J_ij σ_j.
#pragma once
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "engine/sweep/aligned_vector.hpp"
#include "engine/sweep/fast_sweep.hpp"
#include "engine/model.hpp"

namespace ptmc {

class SherringtonKirkpatrick {
 public:
  enum class Couplings { gaussian, bimodal };
  struct Params {
    int N = 0;
    Couplings couplings = Couplings::gaussian;
  };
  struct Disorder {
    int N = 0;
    // N x N, symmetric, zero diagonal, row-major, as float (the fields sum them in double): a flip
    // streams one row, which at N = 1024 comes from L3, so half the bytes are most of half the flip's
    // time (SK ladder 8 -> 12.4 M flips/s; flip() in the .cpp).
    AlignedVector<float> J;
    double operator()(int i, int j) const { return J[static_cast<std::size_t>(i) * N + j]; }
    // Bimodal couplings, J_ij = ±bimodal_value (one float for all), also as sign bits: bit j of row i
    // (word j / 64 of row_words) set where J_ij < 0. A flip then reads N/8 bytes of bits instead of a
    // 4N-byte float row and moves the walker's integer fields by ±2 (flip_bimodal in the .cpp).
    // Empty, 0 for Gaussian.
    std::vector<std::uint64_t> negative_bits;
    double bimodal_value = 0;
    int row_words = 0;
  };

  static std::span<const ParamSpec> parameters();
  static Params parse(const ParamReader& r);
  static std::shared_ptr<const Disorder> make_disorder(const Params& p, Rng& rng);
  static ObservableNames observable_names(const Params&) { return {"m"}; }
  // Memory (engine/model_entry.hpp): the N x N couplings in float (and bimodal signs in bits); a walker
  // holds spins and fields.
  static double disorder_bytes(const Params& p) { return (p.couplings == Couplings::bimodal ? 4.125 : 4.0) * p.N * p.N; }
  static double walker_bytes(const Params& p) { return (p.couplings == Couplings::bimodal ? 11.0 : 9.0) * p.N; }

  SherringtonKirkpatrick(const Params& p, std::shared_ptr<const Disorder> disorder, Rng& rng);
  // engine/sweep/fast_sweep.hpp: same decisions, less per attempt; bimodal couplings decide in integers
  // (ΔE_i = 2 |J| σ_i H_i with the integer field H_i = Σ_j sign(J_ij) σ_j).
  static constexpr ModelFeatures features{.fast_sweep = true, .integer_delta = true};

  int size() const { return static_cast<int>(spins_.size()); }
  // Bimodal: |J| H_i is exact in double (|H_i| < 2^15, |J| a float), so this is the same double as the
  // field summed from the couplings, and as energy_unit() × delta_units(i).
  double delta_energy(int i) const {
    return units_.empty() ? 2.0 * spins_[i] * field_[i] : 2.0 * spins_[i] * (J_->bimodal_value * units_[i]);
  }
  bool integer_delta() const { return !units_.empty(); }
  std::int64_t delta_units(int i) const { return std::int64_t{spins_[i]} * units_[i]; }
  double energy_unit() const { return 2.0 * J_->bimodal_value; }
  void flip(int i);
  double energy() const { return energy_; }
  double recompute_energy() const;
  std::span<const std::int8_t> spins() const { return spins_; }
  void measure(std::span<double> out) const;
  void serialize(Archive& ar) {
    if (ar.saving()) fields_from_units();  // the layout keeps the double fields
    ar.io(spins_);
    ar.io(field_);
    ar.io(energy_);
    if (!ar.saving()) units_from_fields();
  }

 private:
  void flip_bimodal(int i);  // the integer fields' update from the sign bits
  void fields_from_units();  // field_ = |J| H (bimodal), for a checkpoint
  void units_from_fields();  // H = field_ / |J| (bimodal; exact)
  std::shared_ptr<const Disorder> J_;
  std::vector<std::int8_t> spins_;
  std::vector<double> field_;          // Gaussian couplings; bimodal: only when saved
  std::vector<std::int16_t> units_;    // bimodal couplings: H_i, |H_i| ≤ N - 1 < 2^15; else empty
  double energy_ = 0;
};

}  // namespace ptmc
