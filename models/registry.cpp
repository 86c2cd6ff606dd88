#include "models/registry.hpp"

#include "models/binary_perceptron.hpp"
#include "models/curie_weiss.hpp"
#include "models/dense_hebbian.hpp"
#include "models/multitasking.hpp"
#include "models/sherrington_kirkpatrick.hpp"

namespace ptmc {

std::span<const ModelEntry> model_registry() {
  static const std::vector<ModelEntry> entries = {
      make_model_entry<CurieWeiss>("curie_weiss", "Curie–Weiss ferromagnet H = -(1/N) Σ_{i<j} σ_i σ_j"),
      make_model_entry<BinaryPerceptron>("binary_perceptron", "binary perceptron: storage, teacher–student, continual learning"),
      make_model_entry<DenseHebbian>("dense_hebbian", "dense (P-body) Hebbian network: storage, supervised or unsupervised learning"),
      make_model_entry<Multitasking>("multitasking", "multitasking Hebbian network: diluted patterns, storage or learnt from examples"),
      make_model_entry<SherringtonKirkpatrick>("sk", "Sherrington–Kirkpatrick spin glass, J_ij ~ N(0, 1/N)"),
  };
  return entries;
}

const ModelEntry* find_model(std::string_view name) {
  for (const auto& e : model_registry())
    if (e.name == name) return &e;
  return nullptr;
}

std::vector<ModelSchema> model_schemas() {
  std::vector<ModelSchema> out;
  for (const auto& e : model_registry()) out.push_back(e.schema());
  return out;
}

}  // namespace ptmc
