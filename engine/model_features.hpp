// What a model offers the engine beyond the Model concept (engine/model.hpp), declared in one line:
//   static constexpr ModelFeatures features{.fast_sweep = true, .integer_delta = true};
// The engine uses a feature only when it is declared, and check_features<M>() (make_model_entry calls
// it) stops the build when a declared feature's members are missing or have other types, and when a
// model defines a feature's members without declaring it: a misspelt hook, or a delta_units that
// returns int, is a compile error instead of a silent slow path.
#pragma once
#include <concepts>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "engine/params/param_reader.hpp"

namespace ptmc {

struct ModelFeatures {
  // engine/sweep/fast_sweep.hpp's sweep (exact acceptance with fewer exponentials) instead of dynamics.hpp's.
  bool fast_sweep = false;
  // ΔE = energy_unit() × delta_units(i) whenever integer_delta() says so at run time, bit for bit:
  // integer_delta() -> bool, delta_units(i) -> std::int64_t, energy_unit() -> double (it may be
  // negative: the sweep then counts in -delta_units, which gives the same products exactly). The
  // sweep then decides in integers.
  bool integer_delta = false;
  // prefetch(i): a hint that the next attempt will probably be at site i; prefetch_pays() -> bool may
  // decline it for a sweep (data in the inner caches).
  bool prefetch = false;
  // with_energy_kernel(f) / with_delta_kernel(f): call f(k) with a functor k equal to delta_energy /
  // delta_units bit for bit, of a type the sweep loops are compiled for.
  bool energy_kernel = false;
  bool delta_kernel = false;
  // before_sweep(): may change how the state is stored (never what is computed from it).
  bool before_sweep = false;
  // flip_if(i, ok): flip(i) when ok, else nothing, with no branch on ok. For flips cheap enough to do
  // as arithmetic on every attempt: at moderate acceptance the sweep then has no branch that depends
  // on the draw (engine/sweep/fast_sweep.hpp, masked_table_sweep_loop).
  bool masked_flip = false;
  // delta_units_after_flip(i, d, j) -> std::int64_t: site i's delta_units once site j has flipped (the
  // flip made), from d, its value before, exactly; pair_delta() -> bool says at run time whether it
  // applies. The sweep then computes the next attempt's ΔE before deciding the current one and
  // corrects it after a flip (engine/sweep/fast_sweep.hpp, lookahead_table_sweep_loop).
  bool pair_delta = false;
  // with_resident_kernel(f) -> std::int64_t: when the model can hold the state its ΔE reads in
  // registers for a sweep, calls f(k) with such a kernel k (what k offers: resident_sweep_loop and
  // resident_attempt in engine/sweep/fast_sweep.hpp) and returns f's result; else returns -1 without calling f. Needs
  // integer_delta. Simulation then sweeps its walkers two at a time (engine/sweep/paired_sweep.hpp),
  // and f may be called inside the f of another walker of the same model.
  bool resident_kernel = false;
  // static with_lane_kernel(walkers, f) -> std::int64_t, walkers a std::span<M* const> of at most eight
  // of one size: when the model can sweep them in the lanes of one vector, calls f(k) with such a
  // kernel k (what k offers: LaneGroup in engine/sweep/lane_sweep.hpp) and returns f's result; else
  // returns -1 without calling f. Needs integer_delta. Simulation then sweeps its walkers up to eight
  // at a time (Simulation::sweep_in_lanes says when).
  bool lane_kernel = false;
  // derived_attributes(p): attributes recorded for a point besides its parameters (K from alpha).
  bool derived_attributes = false;
  // vector_names(p), vector_length(p), measure_vectors(out): per-pattern vectors at a chosen stride.
  bool vector_observables = false;
  // A group of ranks may hold slices of its patterns (engine/parallel/pattern_split.hpp).
  bool split_patterns = false;
};

// The members each feature needs, with their types.
// clang-format off
template <class M>
concept ImplementsIntegerDelta = requires(const M& m, int i) {
  { m.integer_delta() } -> std::same_as<bool>;
  { m.delta_units(i) } -> std::same_as<std::int64_t>;
  { m.energy_unit() } -> std::convertible_to<double>;
};
template <class M>
concept ImplementsPrefetch = requires(const M& m, int i) {
  { m.prefetch(i) } -> std::same_as<void>;
};
template <class M>
concept ImplementsPrefetchChoice = requires(const M& m) {
  { m.prefetch_pays() } -> std::same_as<bool>;
};
namespace detail {
struct KernelProbe {  // stands for the sweep's loop: takes any kernel
  template <class Kernel>
  int operator()(const Kernel&) const {
    return 0;
  }
};
}  // namespace detail
template <class M>
concept ImplementsEnergyKernel = requires(const M& m) {
  { m.with_energy_kernel(detail::KernelProbe{}) } -> std::same_as<int>;
};
template <class M>
concept ImplementsDeltaKernel = requires(const M& m) {
  { m.with_delta_kernel(detail::KernelProbe{}) } -> std::same_as<int>;
};
template <class M>
concept ImplementsMaskedFlip = requires(M& m, int i, bool ok) {
  { m.flip_if(i, ok) } -> std::same_as<void>;
};
template <class M>
concept ImplementsPairDelta = requires(const M& m, int i, std::int64_t d) {
  { m.pair_delta() } -> std::same_as<bool>;
  { m.delta_units_after_flip(i, d, i) } -> std::same_as<std::int64_t>;
};
namespace detail {
struct ResidentKernelProbe {  // stands for the sweep's loop: takes any kernel
  template <class Kernel>
  std::int64_t operator()(Kernel) const {
    return 0;
  }
};
}  // namespace detail
template <class M>
concept ImplementsResidentKernel = requires(M& m) {
  { m.with_resident_kernel(detail::ResidentKernelProbe{}) } -> std::same_as<std::int64_t>;
};
namespace detail {
struct LaneKernelProbe {  // stands for the lane loop: takes any kernel
  template <class Kernel>
  std::int64_t operator()(Kernel&) const {
    return 0;
  }
};
}  // namespace detail
template <class M>
concept ImplementsLaneKernel = requires(std::span<M* const> walkers) {
  { M::with_lane_kernel(walkers, detail::LaneKernelProbe{}) } -> std::same_as<std::int64_t>;
};
template <class M>
concept ImplementsBeforeSweep = requires(M& m) {
  { m.before_sweep() } -> std::same_as<void>;
};
template <class M>
concept ImplementsDerivedAttributes = requires(const typename M::Params& p) {
  { M::derived_attributes(p) } -> std::same_as<std::vector<std::pair<std::string, Scalar>>>;
};
template <class M>
concept ImplementsVectorObservables = requires(const M& cm, const typename M::Params& p, std::span<double> out) {
  { M::vector_names(p) } -> std::same_as<std::vector<std::string>>;
  { M::vector_length(p) } -> std::convertible_to<std::size_t>;
  { cm.measure_vectors(out) } -> std::same_as<void>;  // out.size() == names * length, name-major
};
template <class M>
concept ImplementsPatternSlices = requires(const M& cm, int i, const typename M::Params& p,
                                           std::span<const std::int64_t> ov, std::span<double> out) {
  { M::pattern_count(p) } -> std::convertible_to<int>;
  { M::holding(p, 0, 1) } -> std::same_as<typename M::Params>;  // the instance with patterns [0, 1)
  { cm.exact() } -> std::same_as<bool>;
  { cm.delta_units(i) } -> std::same_as<std::int64_t>;
  { cm.energy_units() } -> std::same_as<std::int64_t>;
  { cm.energy_unit() } -> std::convertible_to<double>;
  { cm.archetype_overlaps() } -> std::same_as<std::span<const std::int64_t>>;
  { M::measure_overlaps(0, ov, out) };
  { M::measure_vectors_overlaps(0, ov, out) };
};

// The model's declaration; a model that declares none has no features.
template <class M>
constexpr ModelFeatures features_of() {
  if constexpr (requires { M::features; }) return M::features;
  else return {};
}

// Each feature is used only where declared.
template <class M>
concept FastSweepModel = features_of<M>().fast_sweep;
template <class M>
concept IntegerDeltaModel = features_of<M>().integer_delta;
template <class M>
concept HasDerivedAttributes = features_of<M>().derived_attributes;
template <class M>
concept HasVectorObservables = features_of<M>().vector_observables;

// clang-format on

// Declared features and members agree: one static_assert per feature, naming what is wrong.
template <class M>
constexpr bool check_features() {
  constexpr ModelFeatures f = features_of<M>();
  static_assert(f.integer_delta == ImplementsIntegerDelta<M>,
                "features.integer_delta must be declared exactly when the model has integer_delta() -> bool, "
                "delta_units(int) -> std::int64_t and energy_unit()");
  static_assert(f.prefetch == ImplementsPrefetch<M>,
                "features.prefetch must be declared exactly when the model has prefetch(int)");
  static_assert(!ImplementsPrefetchChoice<M> || f.prefetch, "prefetch_pays() without features.prefetch");
  static_assert(f.energy_kernel == ImplementsEnergyKernel<M>,
                "features.energy_kernel must be declared exactly when the model has with_energy_kernel(f)");
  static_assert(f.delta_kernel == ImplementsDeltaKernel<M>,
                "features.delta_kernel must be declared exactly when the model has with_delta_kernel(f)");
  static_assert(f.before_sweep == ImplementsBeforeSweep<M>,
                "features.before_sweep must be declared exactly when the model has before_sweep()");
  static_assert(f.masked_flip == ImplementsMaskedFlip<M>,
                "features.masked_flip must be declared exactly when the model has flip_if(int, bool)");
  static_assert(f.pair_delta == ImplementsPairDelta<M>,
                "features.pair_delta must be declared exactly when the model has pair_delta() -> bool and "
                "delta_units_after_flip(int, std::int64_t, int) -> std::int64_t");
  static_assert(!f.pair_delta || f.integer_delta, "features.pair_delta needs features.integer_delta");
  static_assert(f.resident_kernel == ImplementsResidentKernel<M>,
                "features.resident_kernel must be declared exactly when the model has with_resident_kernel(f) -> std::int64_t");
  static_assert(!f.resident_kernel || f.integer_delta, "features.resident_kernel needs features.integer_delta");
  static_assert(f.lane_kernel == ImplementsLaneKernel<M>,
                "features.lane_kernel must be declared exactly when the model has static with_lane_kernel(walkers, f) -> std::int64_t");
  static_assert(!f.lane_kernel || f.integer_delta, "features.lane_kernel needs features.integer_delta");
  static_assert(f.derived_attributes == ImplementsDerivedAttributes<M>,
                "features.derived_attributes must be declared exactly when the model has derived_attributes(p)");
  static_assert(f.vector_observables == ImplementsVectorObservables<M>,
                "features.vector_observables must be declared exactly when the model has vector_names(p), "
                "vector_length(p) and measure_vectors(out)");
  static_assert(!f.split_patterns || ImplementsPatternSlices<M>,
                "features.split_patterns needs pattern_count, holding, exact, delta_units, energy_units, energy_unit, "
                "archetype_overlaps, measure_overlaps and measure_vectors_overlaps");
  static_assert(!(f.integer_delta || f.prefetch || f.energy_kernel || f.delta_kernel || f.before_sweep || f.masked_flip ||
                      f.pair_delta || f.resident_kernel || f.lane_kernel) ||
                    f.fast_sweep,
                "sweep features (integer_delta, prefetch, kernels, before_sweep, masked_flip, pair_delta, lanes) need features.fast_sweep");
  return true;
}

}  // namespace ptmc
