// Curie–Weiss model, H = -(1/N) Σ_{i<j} σ_i σ_j: the exactly solvable reference ferromagnet.
// State: spins and the integer magnetisation M = Σ σ_i, so a flip costs O(1) and energies are exact.
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "engine/sweep/fast_sweep.hpp"
#include "engine/model.hpp"
#include "models/kernels/magnetisation_lanes.hpp"

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
  // integer updates, done as arithmetic on every attempt at moderate acceptance (flip_if). Walkers
  // are swept eight at a time in the lanes of one vector (engine/sweep/lane_sweep.hpp).
  static constexpr ModelFeatures features{.fast_sweep = true, .integer_delta = true, .masked_flip = true, .lane_kernel = true};

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
  // Up to eight walkers of one size in the lanes of kernels/magnetisation_lanes.hpp: f(kernel), or -1
  // where the lanes are not built (no AVX-512).
  template <class F>
  static std::int64_t with_lane_kernel(std::span<CurieWeiss* const> walkers, F&& f) {
#if defined(PTMC_LANE_SWEEP)
    std::array<std::int8_t*, kernels::MagnetisationLanes::kLanes> spins{};
    std::array<std::int64_t*, kernels::MagnetisationLanes::kLanes> magnetization{};
    const std::size_t count = walkers.size();
    if (count == 0 || count > spins.size()) return -1;
    for (std::size_t l = 0; l < count; ++l) {
      spins[l] = walkers[l]->spins_.data();
      magnetization[l] = &walkers[l]->magnetization_;
    }
    kernels::SpinLanes::Words words(walkers[0]->size());
    const kernels::MagnetisationLanes kernel(std::span(spins.data(), count), std::span(magnetization.data(), count), walkers[0]->size(), words);
    return f(kernel);
#else
    (void)walkers;
    (void)f;
    return -1;
#endif
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
