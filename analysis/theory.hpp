// Theory curves for a parameter file. Every solver takes its model's typed parameters and the ladder's
// β and returns Curves (engine/theory_curves.hpp); a model's registry line in models/registry.cpp
// names its solver, so one entry per model holds both its simulation and its theory.
#pragma once
#include <string>

#include "engine/params/config.hpp"
#include "engine/theory_curves.hpp"

namespace ptmc {
struct ModelEntry;
}

namespace ptmc::theory {

// Solves every point of the sweep with the model's solver and writes an HDF5 file with the Monte
// Carlo layout (no errors). The model must have a theory (model.theory set).
void write_theory_file(const Config& cfg, const ModelEntry& model, const std::string& output);

}  // namespace ptmc::theory
