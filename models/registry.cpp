#include "models/registry.hpp"

#include "analysis/mf_multitasking.hpp"
#include "analysis/rs_continual.hpp"
#include "analysis/rs_dense.hpp"
#include "analysis/theory_reference.hpp"
#include "models/binary_perceptron.hpp"
#include "models/curie_weiss.hpp"
#include "models/dense_hebbian.hpp"
#include "models/multitasking.hpp"
#include "models/sherrington_kirkpatrick.hpp"

namespace ptmc {

std::span<const ModelEntry> model_registry() {
  static const std::vector<ModelEntry> entries = {
      make_model_entry<CurieWeiss>("curie_weiss", "Curie–Weiss ferromagnet H = -(1/N) Σ_{i<j} σ_i σ_j",
                                   theory::curie_weiss_curves, "exact at finite N (sum over magnetisation) and N → ∞ mean field"),
      make_model_entry<BinaryPerceptron>("binary_perceptron", "binary perceptron: storage, teacher–student, continual learning",
                                         theory::binary_perceptron_all_curves,
                                         "RS: Gardner–Derrida storage, Györgyi/Sompolinsky–Tishby–Seung teacher–student, Franz–Parisi continual learning"),
      make_model_entry<DenseHebbian>("dense_hebbian", "dense (P-body) Hebbian network: storage, supervised or unsupervised learning",
                                     theory::dense_hebbian_curves,
                                     "RS: storage (AGS at P = 2), supervised/unsupervised learning, T = 0, stable branch by free energy"),
      make_model_entry<Multitasking>("multitasking", "multitasking Hebbian network: diluted patterns, storage or learnt from examples",
                                     theory::multitasking_curves, "low-storage mean field, exact 3^K sum, stable state of lowest free energy"),
      make_model_entry<SherringtonKirkpatrick>("sk", "Sherrington–Kirkpatrick spin glass, J_ij ~ N(0, 1/N)", theory::sk_curves,
                                               "replica-symmetric solution; paramagnetic energy with its 1/N correction"),
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
