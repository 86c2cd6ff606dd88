// Type erasure at the edge: one ModelEntry per registered model binds its parameter schema, a
// function that runs one task with Simulation<M>, and its theory solver, each handed the point's
// parameters parsed once into M::Params. The hot loop stays fully typed.
#pragma once
#include <fmt/format.h>

#include <functional>
#include <stdexcept>
#include <string_view>

#include "engine/params/config.hpp"
#include "engine/measurement_row.hpp"
#include "engine/model.hpp"
#include "engine/io/output.hpp"
#include "engine/parallel/pattern_split.hpp"
#include "engine/simulation.hpp"
#include "engine/parallel/stop_signals.hpp"
#include "engine/theory_curves.hpp"

namespace ptmc {

// Every model states the memory its quenched disorder and each walker take, in bytes, from its
// typed parameters: a small formula of the arrays it allocates, checked against the measured peak
// RSS of real runs by tests/app/memory.sh.
template <class M>
concept EstimatesMemory = requires(const typename M::Params& p) {
  { M::disorder_bytes(p) } -> std::convertible_to<double>;
  { M::walker_bytes(p) } -> std::convertible_to<double>;
};

// What one rank holds while it runs one task (bytes).
struct TaskMemory {
  double disorder = 0;  // the quenched disorder (patterns, couplings, data)
  double walkers = 0;   // R x T walkers, their random streams, and their state copied at a checkpoint
  double engine = 0;    // overlap histograms (T x (N + 1) bins by default)
  std::int64_t walker_count = 0;
  double total() const { return disorder + walkers + engine; }
};

// How one task runs besides its parameters: all optional.
struct TaskContext {
  RunControl* control = nullptr;                          // checkpoints and stops (none: runs to the end)
  const std::vector<std::uint8_t>* checkpoint = nullptr;  // a checkpoint's state to continue from
  const TaskGroup* group = nullptr;                       // the ranks that run this task together
};

struct ModelEntry {
  std::string_view name;
  std::string_view summary;
  std::span<const ParamSpec> (*parameters)();
  std::function<void(const ParamReader&)> validate;
  std::function<Attributes(const ParamReader&)> attributes;  // resolved + derived parameters of a point
  // Runs one task, from scratch or from a checkpoint's state; see Simulation::run.
  // With a group of several ranks, every rank of the group calls it for the same task.
  std::function<void(const Config&, TaskId, TaskRecorder&, const TaskContext&)> run_task;

  // The memory of one task of a point on one rank of a group of `group_size` (with split =
  // "patterns" each rank holds a slice of the patterns; with walkers split, every walker).
  std::function<TaskMemory(const Config&, std::size_t point, int group_size)> memory;

  // `ptmc theory`: the model's exact, mean-field or replica-symmetric curves at one point for the
  // ladder's β (empty when the model has no theory), and what they are.
  std::function<theory::Curves(const ParamReader&, std::span<const double> beta)> theory;
  std::string_view theory_summary;

  ModelSchema schema() const { return ModelSchema{name, parameters(), validate}; }
};

// A theory solver takes the model's typed parameters, parsed and validated by M::parse.
template <class M>
using TheorySolver = theory::Curves (*)(const typename M::Params&, std::span<const double> beta);

template <Model M>
ModelEntry make_model_entry(std::string_view name, std::string_view summary) {
  static_assert(EstimatesMemory<M>, "a model states disorder_bytes(p) and walker_bytes(p)");
  static_assert(check_features<M>());  // declared features and members agree
  ModelEntry e;
  e.name = name;
  e.summary = summary;
  e.parameters = [] { return std::span<const ParamSpec>(M::parameters()); };
  e.validate = [](const ParamReader& r) { (void)M::parse(r); };
  e.attributes = [](const ParamReader& r) {
    Attributes a = r.resolved();
    if constexpr (HasDerivedAttributes<M>) {
      for (auto& kv : M::derived_attributes(M::parse(r))) {
        std::erase_if(a, [&](const auto& x) { return x.first == kv.first; });
        a.push_back(std::move(kv));
      }
    }
    return a;
  };
  e.memory = [](const Config& cfg, std::size_t point, int group_size) {
    auto p = M::parse(cfg.point_reader(point));
    if constexpr (SplitsPatterns<M>) {
      if (cfg.run.split == GroupSplit::patterns && group_size > 1)
        p = M::holding(p, 0, (M::pattern_count(p) + group_size - 1) / group_size);
    }
    TaskMemory m;
    const double N = p.N, T = static_cast<double>(cfg.beta_of(point).size()), R = cfg.tempering.replicas;
    m.walker_count = static_cast<std::int64_t>(R * T);
    m.disorder = M::disorder_bytes(p);
    // Each walker, its random streams and the engine's per-walker arrays, and at a checkpoint its
    // state in the archive (whose capacity may reach twice the state while it grows).
    m.walkers = R * T * (3 * M::walker_bytes(p) + 2048);
    const double bins = cfg.output.histogram_bins > 0 ? static_cast<double>(cfg.output.histogram_bins) : N + 1;
    // Overlap histograms: the counts, their copy in the task's final record, HDF5's write buffers.
    if (R >= 2) m.engine = 40 * T * bins;
    // Binned series (observables/bin_accumulator.hpp): per series and temperature up to max_bins bins
    // and their copy when a burst is written, the moments and a partial mean per level.
    if (cfg.output.series == SeriesStorage::bins) {
      const MeasurementRow row{M::observable_names(p).size() - 1, R >= 2};
      m.engine += 8 * static_cast<double>(row.size()) * T * (2 * static_cast<double>(cfg.output.max_bins) + 64);
    }
    return m;
  };
  e.run_task = [](const Config& cfg, TaskId id, TaskRecorder& out, const TaskContext& context) {
    RunControl* control = context.control;
    const std::vector<std::uint8_t>* state = context.checkpoint;
    const TaskGroup* group = context.group;
    const bool split_patterns = cfg.run.split == GroupSplit::patterns && group && group->size() > 1;
    // Building the disorder and the walkers may take minutes and cannot stop half-way: a signal
    // then ends the process at once (exit 75), before anything of the task is written.
    auto setup = std::make_unique<SetupPhase>(fmt::format(
        "{} while task p{:04}-s{:04} was being set up (its disorder and walkers): stopped at once, exit code 75. "
        "Nothing of this task was written since its last checkpoint; finished and checkpointed tasks are kept: "
        "continue with ptmc run {} --resume -o OUT\n",
        mpi_size() > 1 ? fmt::format(" on rank {}", mpi_rank()) : "", id.point, id.sample, cfg.path));
    if (!split_patterns) {
      Simulation<M> sim(M::parse(cfg.point_reader(id.point)), engine_settings(cfg, id.point), id, group);
      setup.reset();
      sim.run(out, control, state);
    } else if constexpr (SplitsPatterns<M>) {
      // Every rank of the group runs every walker on its slice of the patterns.
      using S = PatternSplit<M>;
      Simulation<S> sim(typename S::Params{M::parse(cfg.point_reader(id.point)), group}, engine_settings(cfg, id.point), id);
      setup.reset();
      sim.run(out, control, state);
    } else {
      throw std::runtime_error(fmt::format("{}: [run] split = \"patterns\" is not available for model {} "
                                           "(its patterns cannot be split); use split = \"walkers\"",
                                           cfg.path, cfg.model_name));
    }
  };
  return e;
}

// A model with a theory: the same entry, and its solver.
template <Model M>
ModelEntry make_model_entry(std::string_view name, std::string_view summary, TheorySolver<M> solver,
                            std::string_view theory_summary) {
  ModelEntry e = make_model_entry<M>(name, summary);
  e.theory = [solver](const ParamReader& point, std::span<const double> beta) { return solver(M::parse(point), beta); };
  e.theory_summary = theory_summary;
  return e;
}

}  // namespace ptmc
