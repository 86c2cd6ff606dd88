// Theory curves for a parameter file: for every sweep point and every β of the ladder, the values a
// model's exact or replica-symmetric solution predicts, under the same names as the Monte Carlo
// summary so that `ptmc summarize` prints both alike. Adding a solver is one line in theory_registry.cpp.
#pragma once
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/config.hpp"

namespace ptmc::theory {

struct Curves {
  std::vector<std::string> names;
  std::vector<std::vector<double>> values;  // [name][temperature]

  void add(std::string name, std::vector<double> v) {
    names.push_back(std::move(name));
    values.push_back(std::move(v));
  }
};

using Solver = Curves (*)(const ParamReader& point, std::span<const double> beta);

struct Entry {
  std::string_view model;
  std::string_view description;
  Solver solve;
};

std::span<const Entry> registry();
const Entry* find(std::string_view model);

// Solves every point of the sweep and writes an HDF5 file with the Monte Carlo layout (no errors).
void write_theory_file(const Config& cfg, const Entry& solver, const std::string& output);

}  // namespace ptmc::theory
