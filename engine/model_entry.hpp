// Type erasure at the edge: one ModelEntry per registered model binds its parameter schema and a
// function that runs one task with Simulation<M>. The hot loop stays fully typed.
#pragma once
#include <functional>
#include <string_view>

#include "engine/config.hpp"
#include "engine/model.hpp"
#include "engine/output.hpp"
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
    Simulation<M> sim(M::parse(cfg.point_reader(id.point)), engine_settings(cfg, id.point), id, group);
    sim.run(out, control, state);
  };
  return e;
}

}  // namespace ptmc
