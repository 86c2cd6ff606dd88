// A model's theory for one sweep point: for every β of the ladder, the values its exact, mean-field
// or replica-symmetric solution predicts, under the Monte Carlo summary's names, so that
// `ptmc summarize` prints both alike. A model's registry line names the solver (engine/model_entry.hpp).
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace ptmc::theory {

struct Curves {
  std::vector<std::string> names;
  std::vector<std::vector<double>> values;  // [name][temperature]

  void add(std::string name, std::vector<double> v) {
    names.push_back(std::move(name));
    values.push_back(std::move(v));
  }
};

}  // namespace ptmc::theory
