// Curie–Weiss model, H = -(1/N) Σ_{i<j} σ_i σ_j: the exactly solvable reference ferromagnet.
// State: spins and the integer magnetisation M = Σ σ_i, so a flip costs O(1) and energies are exact.
#pragma once
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "engine/sweep/fast_sweep.hpp"
#include "engine/model.hpp"

namespace ptmc {

class CurieWeiss {
 public:
  enum class Init { random, up };
  struct Params {
    int N = 0;
    Init init = Init::random;
  };
  struct Disorder {};  // none: every sample is the same system

  static std::span<const ParamSpec> parameters();
  static Params parse(const ParamReader& r);
  static std::shared_ptr<const Disorder> make_disorder(const Params&, Rng&) { return std::make_shared<Disorder>(); }
  static ObservableNames observable_names(const Params&) { return {"m"}; }
  // Memory (engine/model_entry.hpp): no disorder; a walker holds its N spins.
  static double disorder_bytes(const Params&) { return 0; }
  static double walker_bytes(const Params& p) { return p.N; }

  CurieWeiss(const Params& p, std::shared_ptr<const Disorder> disorder, Rng& rng);

  // engine/sweep/fast_sweep.hpp, deciding in integers: ΔE_i = (2/N)(σ_i M − 1); a flip is two
  // integer updates, done as arithmetic on every attempt at moderate acceptance (flip_if).
  static constexpr ModelFeatures features{.fast_sweep = true, .integer_delta = true, .masked_flip = true};

  int size() const { return static_cast<int>(spins_.size()); }
  bool integer_delta() const { return true; }
  double energy_unit() const { return 2.0 / size(); }
  std::int64_t delta_units(int i) const { return spins_[i] * magnetization_ - 1; }
  double delta_energy(int i) const { return energy_unit() * static_cast<double>(delta_units(i)); }
  void flip(int i) {
    magnetization_ -= 2 * spins_[i];
    spins_[i] = static_cast<std::int8_t>(-spins_[i]);
  }
  void flip_if(int i, bool ok) {
    const int s = spins_[i], step = 2 * s * static_cast<int>(ok);  // 0 or 2σ_i
    magnetization_ -= step;
    spins_[i] = static_cast<std::int8_t>(s - step);
  }
  double energy() const;
  double recompute_energy() const;
  std::span<const std::int8_t> spins() const { return spins_; }
  void measure(std::span<double> out) const { out[0] = static_cast<double>(magnetization_) / static_cast<double>(size()); }
  void serialize(Archive& ar) {
    ar.io(spins_);
    ar.io(magnetization_);
  }

 private:
  std::vector<std::int8_t> spins_;
  std::int64_t magnetization_ = 0;
};

}  // namespace ptmc
