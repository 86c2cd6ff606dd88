// The model concept: physics only. A model owns its state (spins and cached fields or overlaps),
// gives the energy change of a single flip, flips, and measures its scalars. It never sees MPI,
// threads or files: the engine owns those. Quenched disorder is a separate, shared, immutable object.
#pragma once
#include <concepts>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "engine/io/archive.hpp"
#include "engine/model_features.hpp"  // what a model offers beyond this concept
#include "engine/params/param_reader.hpp"
#include "engine/sweep/rng.hpp"

namespace ptmc {

// Model-specific per-measurement scalars. The first name must be "m": the model's order parameter,
// whose modulus, square and fourth power the engine records (m, m2, m4, Binder cumulant).
using ObservableNames = std::vector<std::string>;

// clang-format off
template <class M>
concept Model = requires(M& m, const M& cm, int i, std::span<double> out, const typename M::Params& p,
                         std::shared_ptr<const typename M::Disorder> disorder, Rng& rng, const ParamReader& reader,
                         Archive& ar) {
  // Parameters: declared once as data, parsed and validated at the edge into a strong struct.
  { M::parameters() } -> std::convertible_to<std::span<const ParamSpec>>;
  { M::parse(reader) } -> std::same_as<typename M::Params>;
  // Quenched disorder (patterns, couplings, data), drawn from the disorder-sample stream.
  { M::make_disorder(p, rng) } -> std::same_as<std::shared_ptr<const typename M::Disorder>>;
  { M::observable_names(p) } -> std::same_as<ObservableNames>;
  // A state on that disorder, initialised from the replica's own stream.
  M(p, disorder, rng);
  { cm.size() } -> std::same_as<int>;
  { cm.delta_energy(i) } -> std::convertible_to<double>;  // E(after flip of i) - E(now)
  { m.flip(i) } -> std::same_as<void>;
  { cm.energy() } -> std::convertible_to<double>;            // cached, updated by flip
  { cm.recompute_energy() } -> std::convertible_to<double>;  // from scratch, for tests only
  { cm.spins() } -> std::same_as<std::span<const std::int8_t>>;
  { cm.measure(out) } -> std::same_as<void>;  // out.size() == observable_names(p).size()
  { m.serialize(ar) } -> std::same_as<void>;   // full state, for checkpoints
};
// clang-format on

}  // namespace ptmc
