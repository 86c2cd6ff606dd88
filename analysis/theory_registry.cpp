#include <vector>

#include "analysis/mf_multitasking.hpp"
#include "analysis/rs_continual.hpp"
#include "analysis/rs_dense.hpp"
#include "analysis/rs_perceptron.hpp"
#include "analysis/theory.hpp"
#include "analysis/theory_reference.hpp"

namespace ptmc::theory {

std::span<const Entry> registry() {
  static const std::vector<Entry> entries = {
      {"curie_weiss", "exact at finite N (sum over magnetisation) and N → ∞ mean field", curie_weiss_curves},
      {"binary_perceptron", "RS: Gardner–Derrida storage, Györgyi/Sompolinsky–Tishby–Seung teacher–student, Franz–Parisi continual learning", binary_perceptron_all_curves},
      {"sk", "replica-symmetric solution; paramagnetic energy with its 1/N correction", sk_curves},
      {"dense_hebbian", "RS: storage (AGS at P = 2), supervised/unsupervised learning, T = 0, stable branch by free energy", dense_hebbian_curves},
      {"multitasking", "low-storage mean field, exact 3^K sum, stable state of lowest free energy", multitasking_curves},
  };
  return entries;
}

const Entry* find(std::string_view model) {
  for (const auto& e : registry())
    if (e.model == model) return &e;
  return nullptr;
}

}  // namespace ptmc::theory
