// Type erasure at the edge: one ModelEntry per registered model binds its parameter schema and a
// function that runs one task with Simulation<M>. The hot loop stays fully typed.
#pragma once
#include <fmt/format.h>

#include <functional>
#include <stdexcept>
#include <string_view>

#include "engine/config.hpp"
#include "engine/model.hpp"
#include "engine/output.hpp"
#include "engine/pattern_split.hpp"
#include "engine/simulation.hpp"

namespace ptmc {

struct ModelEntry {
  std::string_view name;
  std::string_view summary;
  std::span<const ParamSpec> (*parameters)();
  std::function<void(const ParamReader&)> validate;
  std::function<Attributes(const ParamReader&)> attributes;  // resolved + derived parameters of a point
  // Runs one task, from scratch or from a checkpoint's state; see Simulation::run.
  // With a group of several ranks, every rank of the group calls it for the same task.
  std::function<void(const Config&, TaskId, TaskRecorder&, RunControl*, const std::vector<std::uint8_t>*,
                     const TaskGroup*)>
      run_task;

  ModelSchema schema() const { return ModelSchema{name, parameters(), validate}; }
};

template <Model M>
ModelEntry make_model_entry(std::string_view name, std::string_view summary) {
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
  e.run_task = [](const Config& cfg, TaskId id, TaskRecorder& out, RunControl* control,
                  const std::vector<std::uint8_t>* state, const TaskGroup* group) {
    const bool split_patterns = cfg.run.split == GroupSplit::patterns && group && group->size() > 1;
    if (!split_patterns) {
      Simulation<M> sim(M::parse(cfg.point_reader(id.point)), engine_settings(cfg, id.point), id, group);
      sim.run(out, control, state);
    } else if constexpr (SplitsPatterns<M>) {
      // Every rank of the group runs every walker on its slice of the patterns.
      using S = PatternSplit<M>;
      Simulation<S> sim(typename S::Params{M::parse(cfg.point_reader(id.point)), group}, engine_settings(cfg, id.point), id);
      sim.run(out, control, state);
    } else {
      throw std::runtime_error(fmt::format("{}: [run] split = \"patterns\" is not available for model {} "
                                           "(its patterns cannot be split); use split = \"walkers\"",
                                           cfg.path, cfg.model_name));
    }
  };
  return e;
}

}  // namespace ptmc
