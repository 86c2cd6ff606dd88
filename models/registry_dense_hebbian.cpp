// dense_hebbian's registry entry (its simulation, output and checkpoints for every loop it can take),
// compiled beside models/registry.cpp rather than in it: it was half of that file's 80 s, the longest
// step of a two-core build.
#include "engine/model_entry.hpp"
#include "models/dense_hebbian.hpp"

namespace ptmc {

template ModelEntry make_model_entry<DenseHebbian>(std::string_view name, std::string_view summary);

}  // namespace ptmc
