// Data-domain decomposition: a model whose energy is a sum over patterns, run by a group of ranks
// that each hold a contiguous slice of the patterns (O(N K / G) memory) for every walker. A flip's
// energy change and the energy are integers (in the model's unit) that add over disjoint slices, so
// one integer allreduce per attempted flip gives every rank bitwise the value one rank computes:
// the same decisions, the same Markov chain. Spins are identical on every rank of the group; the
// measurements gather the K overlaps. The model stays physics only; this wrapper owns the group.
#pragma once
#include <concepts>
#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <vector>

#include "engine/model.hpp"
#include "engine/parallel/mpi_context.hpp"

namespace ptmc {

// A model that can hold a slice of its patterns and give exact integer energies (DenseHebbian storage):
// it declares features.split_patterns (engine/model_features.hpp lists the members that needs).
template <class M>
concept SplitsPatterns = Model<M> && features_of<M>().split_patterns;

// Models whose calls communicate. Each walker talks on a communicator of its own, so threads may run
// different walkers at once when MPI allows several threads in (MPI_THREAD_MULTIPLE); the engine
// hands walkers out in increasing order on every rank (a monotonic schedule), so the ranks of a group
// never wait on each other in a cycle. Without MULTIPLE the walkers run one after another.
template <class M>
concept CollectiveModel = requires { requires M::collective; };
template <class M>
bool walkers_in_threads() {
  if constexpr (CollectiveModel<M>) return mpi_thread_multiple();
  return true;
}

template <SplitsPatterns M>
class PatternSplit {
 public:
  struct Params {
    typename M::Params model;
    const TaskGroup* group = nullptr;
  };
  using Disorder = typename M::Disorder;
  static constexpr bool collective = true;
  static constexpr ModelFeatures features{.vector_observables = true};

  static std::span<const ParamSpec> parameters() { return M::parameters(); }
  static Params parse(const ParamReader& r) { return Params{M::parse(r), nullptr}; }
  static std::shared_ptr<const Disorder> make_disorder(const Params& p, Rng& rng) {
    return M::make_disorder(slice(p), rng);
  }
  static ObservableNames observable_names(const Params& p) { return M::observable_names(p.model); }
  static std::vector<std::string> vector_names(const Params& p) { return M::vector_names(p.model); }
  static std::size_t vector_length(const Params& p) { return M::vector_length(p.model); }

  PatternSplit(const Params& p, std::shared_ptr<const Disorder> disorder, Rng& rng)
      : model_(slice(p), std::move(disorder), rng),
        own_(p.group ? p.group->duplicate() : nullptr),
        group_(own_.get()),
        counts_(counts(p)) {
    if (!group_) throw std::logic_error("PatternSplit needs a task group");
    if (!model_.exact())
      throw std::runtime_error(
          "[run] split = \"patterns\" needs a model with exact integer energies (dense_hebbian with data = "
          "\"storage\" and N^P small enough for 64-bit sums)");
    overlaps_.resize(static_cast<std::size_t>(M::pattern_count(p.model)));
  }

  int size() const { return model_.size(); }
  double delta_energy(int i) const {
    std::int64_t units = model_.delta_units(i);
    group_->sum(std::span<std::int64_t>(&units, 1));
    return model_.energy_unit() * static_cast<double>(units);
  }
  void flip(int i) { model_.flip(i); }
  double energy() const {
    std::int64_t units = model_.energy_units();
    group_->sum(std::span<std::int64_t>(&units, 1));
    return model_.energy_unit() * static_cast<double>(units);
  }
  double recompute_energy() const {
    double e = model_.recompute_energy();
    group_->sum(std::span<double>(&e, 1));
    return e;
  }
  std::span<const std::int8_t> spins() const { return model_.spins(); }
  void measure(std::span<double> out) const { M::measure_overlaps(size(), all_overlaps(), out); }
  void measure_vectors(std::span<double> out) const { M::measure_vectors_overlaps(size(), all_overlaps(), out); }
  void serialize(Archive& ar) { model_.serialize(ar); }  // spins (the same on every rank); overlaps rebuilt

 private:
  static std::vector<int> counts(const Params& p) {
    const std::int64_t K = M::pattern_count(p.model), G = p.group ? p.group->size() : 1;
    std::vector<int> c(static_cast<std::size_t>(G));
    for (std::int64_t r = 0; r < G; ++r) c[r] = static_cast<int>(K * (r + 1) / G - K * r / G);
    return c;
  }
  static typename M::Params slice(const Params& p) {
    const std::int64_t K = M::pattern_count(p.model), G = p.group ? p.group->size() : 1, r = p.group ? p.group->rank() : 0;
    if (K < G) throw std::runtime_error("[run] split = \"patterns\": fewer patterns than ranks in the group");
    return M::holding(p.model, static_cast<int>(K * r / G), static_cast<int>(K * (r + 1) / G - K * r / G));
  }
  std::span<const std::int64_t> all_overlaps() const {
    group_->gather(model_.archetype_overlaps(), overlaps_, counts_);
    return overlaps_;
  }

  M model_;
  std::unique_ptr<TaskGroup> own_;  // this walker's communicator (walkers may talk from several threads)
  const TaskGroup* group_;
  std::vector<int> counts_;
  mutable std::vector<std::int64_t> overlaps_;
};

}  // namespace ptmc
